/**
 * Where the push targets are kept: `<relay data>/push-targets.json` (mode 0600). An access token is kept only
 * sealed by the host's SecretBox (Electron safeStorage); without one it is not written at all and the target
 * comes back without its token (docs/architecture.md §2.10: no secret in clear on disk). A save without a token
 * for a target that had one keeps the sealed one: the UI never receives tokens, so it cannot send them back.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { PushTargetListSchema, PushTargetSchema, pushTargetView, type PushTarget, type PushTargetInput, type PushTargetView } from '../../../shared/domain/relay-push';
import { failure } from '../../../shared/i18n/messages';
import type { Logger } from '../common/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';
import type { SecretBox } from '../common/secret-box';

const FileSchema = z.object({
  version: z.literal(1),
  targets: z.array(z.object({ target: PushTargetSchema, sealedToken: z.string().optional() })),
});

/** Reads and writes the push targets. */
export class PushTargetStore {
  private targets: PushTarget[] = [];
  private sealed = new Map<string, string>();
  private isLoaded = false;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly secrets?: SecretBox,
  ) {}

  /** The targets with their tokens opened (for the senders). */
  list(): PushTarget[] {
    this.load();
    return this.targets.map((t) => ({ ...t }));
  }

  /** The targets as the UI sees them (no tokens). */
  views(): PushTargetView[] {
    this.load();
    return this.targets.map((t) => pushTargetView(t, !!t.token || this.sealed.has(t.id)));
  }

  /**
   * Replaces the targets. A target given without a token keeps the token it had under the same id and URL; an
   * empty-string token removes it. Throws VALIDATION with what to fix.
   */
  save(input: readonly PushTargetInput[]): PushTargetView[] {
    this.load();
    const parsed = PushTargetListSchema.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const details = z.treeifyError(parsed.error);
      if (!i?.message) throw failure('VALIDATION', 'errors.VALIDATION.pushTargetRefused', { path: i?.path.length ? `${i.path.join('.')}: ` : '' }, details);
      throw failure('VALIDATION', 'errors.VALIDATION.pushTarget', { path: i.path.length ? `${i.path.join('.')}: ` : '', problem: i.message }, details);
    }
    const previous = new Map(this.targets.map((t) => [t.id, t]));
    const next: PushTarget[] = parsed.data.map((t) => {
      const old = previous.get(t.id);
      if (t.token === undefined && old?.token && old.url === t.url) return { ...t, token: old.token };
      return { ...t, token: t.token || undefined };
    });
    const sealed = new Map<string, string>();
    for (const t of next) {
      if (!t.token) continue;
      if (this.secrets?.isAvailable()) sealed.set(t.id, this.secrets.seal(t.token));
      else this.log.warn(`push target ${t.id}: no OS-backed encryption here, so its access token is kept for this run only`);
    }
    this.targets = next;
    this.sealed = sealed;
    this.write();
    return this.views();
  }

  private load(): void {
    if (this.isLoaded) return;
    this.isLoaded = true;
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    try {
      const f = FileSchema.parse(JSON.parse(raw));
      for (const { target, sealedToken } of f.targets) {
        let token: string | undefined;
        if (sealedToken && this.secrets) {
          try {
            token = this.secrets.open(sealedToken);
            this.sealed.set(target.id, sealedToken);
          } catch {
            this.log.warn(`push target ${target.id}: its saved token could not be decrypted (another user or computer); enter it again`);
          }
        }
        this.targets.push({ ...target, token });
      }
    } catch (e) {
      this.log.warn(`push targets file ${this.file} is not valid; ignored`, String(e));
    }
  }

  private write(): void {
    const body = { version: 1 as const, targets: this.targets.map((t) => ({ target: { ...t, token: undefined }, sealedToken: this.sealed.get(t.id) })) };
    ensurePrivateDir(dirname(this.file));
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, this.file);
  }
}
