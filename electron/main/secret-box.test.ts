import { describe, expect, it, vi } from 'vitest';
import { localizeError } from '../../shared/i18n/messages';
import { isAppFailure, type AppFailure } from '../../shared/ipc/result';
import { SafeStorageSecretBox, SEALED_PREFIX } from './secret-box';

type Backend = 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

/** A reversible stand-in for safeStorage (XOR with a per-"user" key) so wrong-key decryption really fails. */
function fakeStorage(o: { available?: boolean; backend?: Backend; key?: number } = {}) {
  const key = o.key ?? 0x5a;
  return {
    isEncryptionAvailable: vi.fn(() => o.available ?? true),
    getSelectedStorageBackend: vi.fn((): Backend => o.backend ?? 'gnome_libsecret'),
    encryptString: vi.fn((s: string) => Buffer.from([key, ...Buffer.from(s, 'utf8').map((b) => b ^ key)])),
    decryptString: vi.fn((b: Buffer) => {
      if (b[0] !== key) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.subarray(1).map((x) => x ^ key)).toString('utf8');
    }),
  };
}

const storageError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(isAppFailure(e)).toBe(true);
    return e as { code: string; message: string };
  }
  throw new Error('expected an AppFailure');
};

describe('SafeStorageSecretBox', () => {
  it('seals to an opaque prefixed string and opens it again', () => {
    const box = new SafeStorageSecretBox(fakeStorage(), { platform: 'linux' });
    const sealed = box.seal('p@ss wörd');
    expect(sealed.startsWith(SEALED_PREFIX)).toBe(true);
    expect(sealed).not.toContain('p@ss');
    expect(box.open(sealed)).toBe('p@ss wörd');
  });

  it('treats Linux without a keyring (basic_text) as unavailable unless allowed', () => {
    const weak = fakeStorage({ backend: 'basic_text' });
    const box = new SafeStorageSecretBox(weak, { platform: 'linux' });
    expect(box.isAvailable()).toBe(false);
    expect(storageError(() => box.seal('x'))).toMatchObject({ code: 'STORAGE', message: expect.stringContaining('keyring') });
    expect(new SafeStorageSecretBox(weak, { platform: 'linux', allowWeakLinuxBackend: true }).isAvailable()).toBe(true);
    expect(new SafeStorageSecretBox(weak, { platform: 'win32' }).isAvailable()).toBe(true);
  });

  it('refuses to seal when encryption is unavailable', () => {
    const box = new SafeStorageSecretBox(fakeStorage({ available: false }), { platform: 'darwin' });
    expect(box.isAvailable()).toBe(false);
    expect(storageError(() => box.seal('x')).code).toBe('STORAGE');
  });

  it('gives a clear STORAGE failure for foreign, damaged or other-user data', () => {
    const box = new SafeStorageSecretBox(fakeStorage({ key: 1 }), { platform: 'linux' });
    const other = new SafeStorageSecretBox(fakeStorage({ key: 2 }), { platform: 'linux' });
    expect(storageError(() => box.open('plaintext')).message).toMatch(/unknown format/);
    expect(storageError(() => box.open(`${SEALED_PREFIX}%%%`)).message).toMatch(/damaged/);
    expect(storageError(() => box.open(SEALED_PREFIX)).message).toMatch(/damaged/);
    expect(storageError(() => box.open(other.seal('secret'))).message).toMatch(/another user or machine/);
    // Keyed: the renderer and the CLI show it in the technician's language.
    const foreign = storageError(() => box.open(other.seal('secret'))) as AppFailure;
    expect(localizeError('de', foreign.toAppError())).toBe(
      'Ein gespeichertes Passwort konnte nicht entschlüsselt werden (es wurde von einem anderen Benutzer oder Rechner gespeichert); geben Sie das Passwort erneut ein.',
    );
  });
});
