/**
 * The relay's setup, its one home: how the technician last started the relay, so the app brings it back after a
 * restart (queued forwards are delivered at least once across restarts only if the relay and its forwarding come
 * back too). Stored in `<userData>/relay-profile.json`. The upstream password is kept only sealed by the host's
 * SecretBox (Electron safeStorage); without one it is not written at all, and the relay comes back without
 * forwarding until the technician enters it again (docs/architecture.md §2.10: no password in clear on disk).
 */
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { forwardView, RelayStartOptionsSchema, type RelayStartInput, type RelayStartOptions } from '../../../shared/domain/relay';
import type { SavedRelaySetup } from '../../../shared/domain/relay-views';
import type { Logger } from '../common/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';
import type { SecretBox } from '../common/secret-box';

const ProfileSchema = z.object({
  /** Start options as last used, without the forwarding password. */
  options: RelayStartOptionsSchema,
  /** The forwarding password sealed by the SecretBox. */
  sealedPassword: z.string().optional(),
  /** False once the technician stopped the relay on purpose. */
  autoStart: z.boolean(),
  savedAt: z.string(),
});

/** What `load` gives back: options ready for `RelayService.start`, and why forwarding was left out if it was. */
export interface RelaySetup {
  options: RelayStartInput;
  autoStart: boolean;
  /** Set when the saved forwarding needs a password that could not be restored. */
  warning?: string;
}

/** Reads and writes the relay setup file (`relay-profile.json`: its name from before it had one home). */
export class RelaySetupStore {
  private readonly file: string;
  constructor(
    /** The user-data folder. */
    userDataPath: string,
    private readonly secrets: SecretBox | undefined,
    private readonly log: Logger,
  ) {
    this.file = join(userDataPath, 'relay-profile.json');
  }

  /** Saves the options of a successful start (autoStart on). The password is sealed, or dropped when it cannot be. */
  save(options: RelayStartOptions): void {
    const { forward } = options;
    let sealedPassword: string | undefined;
    if (forward?.password) {
      if (this.secrets?.isAvailable()) sealedPassword = this.secrets.seal(forward.password);
      else this.log.warn('relay profile: no OS-backed encryption here, so the forwarding password is not saved');
    }
    const stripped: RelayStartOptions = forward ? { ...options, forward: { ...forward, password: undefined } } : options;
    this.write({ options: stripped, sealedPassword, autoStart: true, savedAt: new Date().toISOString() });
  }

  /** Keeps the options but stops the relay from coming back by itself (the technician stopped it). */
  disableAutoStart(): void {
    const p = this.read();
    if (p && p.autoStart) this.write({ ...p, autoStart: false });
  }

  /** The saved setup as the UI may see it: every option but the password (only whether one is saved). */
  view(): SavedRelaySetup | null {
    const p = this.read();
    if (!p) return null;
    const { forward } = p.options;
    return {
      listenAddress: p.options.listenAddress,
      port: p.options.port,
      acceptAnyAuth: p.options.acceptAnyAuth,
      allow: p.options.allow,
      autoStart: p.autoStart,
      forward: forward && forwardView(forward, !!p.sealedPassword),
    };
  }

  /**
   * Fills in the saved password when a start asks to forward to the same server and login without typing the
   * password again (the UI never receives it, so it cannot send it back).
   */
  withSavedPassword(options: RelayStartOptions): RelayStartOptions {
    const f = options.forward;
    if (!f || f.password || !f.user) return options;
    const p = this.read();
    const saved = p?.options.forward;
    if (!p?.sealedPassword || !saved || saved.host !== f.host || saved.port !== f.port || saved.user !== f.user || !this.secrets) return options;
    try {
      return { ...options, forward: { ...f, password: this.secrets.open(p.sealedPassword) } };
    } catch {
      return options;
    }
  }

  /** The saved profile, or null when there is none (or it is unreadable: then it is logged and ignored). */
  load(): RelaySetup | null {
    const p = this.read();
    if (!p) return null;
    const options: RelayStartInput = { ...p.options };
    let warning: string | undefined;
    if (p.options.forward?.user && !p.sealedPassword) {
      options.forward = undefined;
      warning = 'Forwarding was not restarted: its password is not saved on this computer. Enter it on the Relay page and start the relay again.';
    } else if (p.options.forward && p.sealedPassword) {
      try {
        options.forward = { ...p.options.forward, password: this.secrets?.open(p.sealedPassword) };
        if (!this.secrets) throw new Error('no secret box');
      } catch {
        options.forward = undefined;
        warning = 'Forwarding was not restarted: the saved password could not be decrypted (another user or computer). Enter it again on the Relay page.';
      }
    }
    return { options, autoStart: p.autoStart, warning };
  }

  private read(): z.infer<typeof ProfileSchema> | null {
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return null;
    }
    try {
      const parsed = ProfileSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      this.log.warn(`relay profile ${this.file} is not valid; ignored`, parsed.error.issues[0]);
    } catch (e) {
      this.log.warn(`relay profile ${this.file} is not JSON; ignored`, String(e));
    }
    return null;
  }

  private write(p: z.infer<typeof ProfileSchema>): void {
    ensurePrivateDir(dirname(this.file));
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(p, null, 2), { mode: PRIVATE_FILE_MODE });
    // The mode above applies only when the file is created; a temp file left by a crash keeps its own.
    chmodSync(tmp, PRIVATE_FILE_MODE);
    renameSync(tmp, this.file);
  }
}
