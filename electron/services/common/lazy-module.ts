/**
 * Loads a package on first use instead of at start. Every command and host builds the same services
 * (electron/composition), so a static import of a large package is paid by all of them: `sarix relay` carried the
 * camera driver's HTML parser and HTTP client, the discovery's mDNS stack and the knowledge base's YAML parser
 * (about 30 MB of resident memory) although it never uses them. The package still ships and is still a normal
 * runtime dependency; only the moment it is loaded moves. Synchronous (createRequire), so call sites stay as they
 * were; every package loaded this way has a CommonJS entry.
 */
import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** A function that returns the package, loading it the first time it is called. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireFromHere(specifier) as T);
}
