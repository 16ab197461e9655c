/** The diagnostics service folder's public face: the doctor, the knowledge base, and a factory for hosts. */
import type { Logger } from '../../core/logger';
import { DoctorService, type DoctorDeps } from './doctor-service';
import { KnowledgeBase } from './knowledge-base';
import type { RelayStateSource } from './relay-checks';
import { SystemResolver, type NameResolver } from './resolver';

export { DoctorService, type DoctorDeps, type DoctorRunOptions } from './doctor-service';
export { KnowledgeBase, defaultKbDir, loadArticles } from './knowledge-base';
export { SystemResolver, StaticResolver, type NameResolver, type ResolveAnswer } from './resolver';
export type { RelayStateSource } from './relay-checks';

/** What a host passes to build the doctor. */
export interface DoctorServiceOptions extends Partial<Omit<DoctorDeps, 'log' | 'resolver' | 'relay'>> {
  log: Logger;
  relay?: RelayStateSource;
  resolver?: NameResolver;
  /** The folder of the knowledge-base articles (default: `kb/` next to package.json). */
  kbDir?: string;
}

/** Builds the doctor (system resolver by default) and the knowledge base for one host. */
export function createDoctorService(o: DoctorServiceOptions): { doctor: DoctorService; kb: KnowledgeBase } {
  const { kbDir, resolver, ...rest } = o;
  return { doctor: new DoctorService({ ...rest, resolver: resolver ?? new SystemResolver() }), kb: new KnowledgeBase(kbDir) };
}
