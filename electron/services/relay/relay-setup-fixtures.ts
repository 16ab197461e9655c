/** Test fixtures of the relay setup: a reversible stand-in for safeStorage and start options with forwarding. */
import { RelayStartOptionsSchema } from '../../../shared/domain/relay';
import { AppFailure } from '../../../shared/ipc/result';
import type { SecretBox } from '../common/secret-box';

/** A reversible stand-in for safeStorage: enough to prove only the sealed form reaches the disk. */
export const fakeBox: SecretBox = {
  isAvailable: () => true,
  seal: (s) => 'sealed:' + Buffer.from(s).toString('base64').split('').reverse().join(''),
  open: (s) => {
    if (!s.startsWith('sealed:')) throw new AppFailure('STORAGE', 'not sealed here');
    return Buffer.from(s.slice(7).split('').reverse().join(''), 'base64').toString();
  },
};

/** Relay start options that forward with a login and password. */
export const forwardOptions = () =>
  RelayStartOptionsSchema.parse({
    listenAddress: '127.0.0.1',
    port: 0,
    allow: ['127.0.0.1'],
    forward: { host: '127.0.0.1', port: 1, security: 'starttls', user: 'site@example.com', password: 'app-password-123' },
  });
