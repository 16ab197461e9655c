/** The Electron SecretBox: safeStorage (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux). */
import type { SafeStorage } from 'electron';
import { failure } from '../../shared/i18n/messages';
import type { SecretBox } from '../services/common/secret-box';

/** Prefix of sealed strings, so a future format change can be detected instead of mis-decrypted. */
export const SEALED_PREFIX = 'ss1:';

/** Options of SafeStorageSecretBox. */
export interface SafeStorageSecretBoxOptions {
  /**
   * Accept Linux's `basic_text` backend (no keyring: Chromium encrypts with a hard-coded key, which is
   * obfuscation, not protection). Off by default.
   */
  allowWeakLinuxBackend?: boolean;
  platform?: NodeJS.Platform;
}

/** SecretBox over Electron's safeStorage (inject `safeStorage` from 'electron'; usable after app ready). */
export class SafeStorageSecretBox implements SecretBox {
  constructor(
    private readonly storage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>,
    private readonly o: SafeStorageSecretBoxOptions = {},
  ) {}

  /** Whether OS-backed encryption is available (false on Linux without a keyring unless explicitly allowed). */
  isAvailable(): boolean {
    if (!this.storage.isEncryptionAvailable()) return false;
    if ((this.o.platform ?? process.platform) === 'linux' && !this.o.allowWeakLinuxBackend) {
      const backend = this.storage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') return false;
    }
    return true;
  }

  /** Encrypts a secret into `ss1:<base64>`. */
  seal(secret: string): string {
    if (typeof secret !== 'string') throw failure('STORAGE', 'errors.STORAGE.secretNotText');
    if (!this.isAvailable()) {
      throw failure('STORAGE', 'errors.STORAGE.noKeyring');
    }
    return SEALED_PREFIX + this.storage.encryptString(secret).toString('base64');
  }

  /** Decrypts a `ss1:` string. */
  open(sealed: string): string {
    if (typeof sealed !== 'string' || !sealed.startsWith(SEALED_PREFIX)) {
      throw failure('STORAGE', 'errors.STORAGE.secretFormat');
    }
    const b64 = sealed.slice(SEALED_PREFIX.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length === 0) {
      throw failure('STORAGE', 'errors.STORAGE.secretDamaged');
    }
    if (!this.storage.isEncryptionAvailable()) {
      throw failure('STORAGE', 'errors.STORAGE.keyringLocked');
    }
    try {
      return this.storage.decryptString(Buffer.from(b64, 'base64'));
    } catch (e) {
      throw failure('STORAGE', 'errors.STORAGE.secretForeign', undefined, { cause: e instanceof Error ? e.message : String(e) });
    }
  }
}
