/**
 * Encrypts credentials at rest (docs/architecture.md §2.10). Services receive a SecretBox and store only what
 * `seal` returns; the Electron host implements it with safeStorage (electron/main/secret-box.ts). A host without
 * OS-backed encryption reports isAvailable() false, and callers must then refuse to persist a password rather
 * than write it in clear.
 */
export interface SecretBox {
  /** Whether secrets can be sealed with OS-backed encryption on this machine right now. */
  isAvailable(): boolean;
  /** Encrypts a secret into an opaque printable string safe to write to disk; throws AppFailure STORAGE if it cannot. */
  seal(secret: string): string;
  /** Decrypts what seal produced; throws AppFailure STORAGE if the data is foreign, corrupt or from another user. */
  open(sealed: string): string;
}
