/**
 * The forwarding spool: one JSON state file per queued delivery (written tmp → fsync → rename) plus a hard link
 * to the stored message, so retention cannot pull the content from under a pending forward. Each item goes to one
 * target: the upstream smarthost (nodemailer) or a push target (ntfy, webhook; push-senders.ts), all with the same
 * worker, the same exponential backoff, the same maximum age and the same visible queue. An item is deleted only
 * after its target accepted it, and an item found "sending" at start is queued again: delivery is at-least-once
 * and survives restarts and crashes.
 */
import { chmod, copyFile, link, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { backoffMs, isForwardExpired, plainPasswordRisk, rewriteFromHeader, type ForwardConfig, type QueueItem } from '../../../shared/domain/relay';
import { QueueItemIdSchema, queueItemId, SMTP_TARGET_ID } from '../../../shared/domain/relay-push';
import type { Logger } from '../common/logger';
import { DirSyncer } from './dir-syncer';
import { FILE_MODE, privateDir } from './private-files';

interface SpoolState {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  state: 'queued' | 'sending' | 'expired';
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: string;
  /** Target id ('smtp' when absent: items queued before push targets existed). */
  target?: string;
  /** The target's kind and label when queued, so the queue still names a target that was removed since. */
  targetKind?: SpoolTarget['kind'];
  targetLabel?: string;
  /** What the intake knew about the message (push targets show it; the index line is written after the 250). */
  about?: SpoolAbout;
}

/** What the intake knew about a queued message: when it came, from which address and camera. */
export interface SpoolAbout {
  receivedAt: string;
  clientIp: string;
  camera: { name: string; ip: string; mac: string | null; model: string | null } | null;
}

/** One queued delivery as a target sees it. */
export interface SpoolItem {
  id: string;
  messageId: string;
  from: string;
  to: string[];
  about?: SpoolAbout;
}

/** One place queued messages go: the SMTP upstream or a push target. */
export interface SpoolTarget {
  /** 'smtp' for the upstream server, else the push target's id. */
  id: string;
  kind: 'smtp' | 'ntfy' | 'webhook';
  label: string;
  /** Retry for at most this long before giving up on an item. */
  maxAgeMs: number;
  /** Delivers one item; throws on failure (the spool retries with backoff). */
  send(item: SpoolItem, raw: Buffer): Promise<void>;
}

/** Sends one raw message upstream; injectable so tests can count calls. */
export type UpstreamSender = (cfg: ForwardConfig, envelope: { from: string; to: string[] }, raw: Buffer) => Promise<void>;

/** The nodemailer sender: STARTTLS (requireTLS), implicit TLS or plain, certificate verification as configured. */
export const nodemailerSender: UpstreamSender = async (cfg, envelope, raw) => {
  // RelayService.start refuses this configuration already; never send a password in clear by accident.
  const clearLogin = plainPasswordRisk(cfg);
  if (clearLogin) throw new Error(clearLogin);
  const options: SMTPTransport.Options = {
    host: cfg.host,
    port: cfg.port,
    secure: cfg.security === 'tls',
    requireTLS: cfg.security === 'starttls',
    ignoreTLS: cfg.security === 'none',
    auth: cfg.user ? { user: cfg.user, pass: cfg.password ?? '' } : undefined,
    tls: {
      rejectUnauthorized: cfg.verifyCertificate,
      ca: cfg.caPem ? [cfg.caPem] : undefined,
      servername: cfg.servername,
      minVersion: 'TLSv1.2',
    },
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    dnsTimeout: 15_000,
  };
  // Loaded on first use: only a relay that forwards needs nodemailer (~14 MB of memory).
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(options);
  try {
    await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
};

/** The SMTP upstream as a spool target: the envelope and From rewrite, then the sender (nodemailer by default). */
export function smtpTarget(cfg: ForwardConfig, send: UpstreamSender = nodemailerSender): SpoolTarget {
  return {
    id: SMTP_TARGET_ID,
    kind: 'smtp',
    label: `${cfg.host}:${cfg.port}`,
    maxAgeMs: cfg.maxAgeMs,
    send: (item, raw) => send(cfg, { from: cfg.rewriteFrom ?? item.from, to: item.to }, prepareForUpstream(raw, cfg.rewriteFrom)),
  };
}

/** Removes the relay's own delivery headers and applies the sender rewrite before a message goes upstream. */
export function prepareForUpstream(raw: Buffer, rewriteFrom?: string): Buffer {
  let end = raw.indexOf('\r\n\r\n');
  let sep = 4;
  if (end < 0) {
    end = raw.indexOf('\n\n');
    sep = 2;
  }
  if (end < 0) return raw;
  let head = raw.subarray(0, end).toString('latin1');
  // Return-Path belongs to final delivery and X-Envelope-To would reveal every envelope recipient.
  head = head.replace(/^(?:Return-Path|X-Envelope-To):[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|$)/gim, '');
  if (rewriteFrom) head = rewriteFromHeader(head, rewriteFrom);
  return Buffer.concat([Buffer.from(head.replace(/\r?\n$/, ''), 'latin1'), raw.subarray(end, end + sep), raw.subarray(end + sep)]);
}

/** The spool and its delivery worker. */
export class Spool {
  private readonly items = new Map<string, SpoolState>();
  private readonly dirSync: DirSyncer;
  private readonly targets = new Map<string, SpoolTarget>();
  private timer?: NodeJS.Timeout;
  private active = 0;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
    private readonly onChange: (items: QueueItem[]) => void,
    private readonly now: () => number = Date.now,
    private readonly send: UpstreamSender = nodemailerSender,
    private readonly concurrency = 2,
  ) {
    this.dirSync = new DirSyncer(dir);
  }

  /**
   * Loads the spool from disk; items caught mid-send by a crash are queued again. A message copy (`.eml`) without
   * its state file is removed: a crash came either after a delivery (the state file goes first) or while queueing,
   * before the sender got its 250 (the state file is written last), so nothing was promised for it, and the
   * message itself stays in the Maildir.
   */
  async open(): Promise<void> {
    await privateDir(this.dir);
    const names = await readdir(this.dir);
    const states = new Set(names.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)));
    const orphans: string[] = [];
    for (const f of names) {
      if (f.endsWith('.tmp')) {
        await rm(join(this.dir, f), { force: true });
        continue;
      }
      if (f.endsWith('.eml') && !states.has(f.slice(0, -4))) {
        await rm(join(this.dir, f), { force: true });
        orphans.push(f.slice(0, -4));
        continue;
      }
      if (!f.endsWith('.json')) continue;
      try {
        const s = JSON.parse(await readFile(join(this.dir, f), 'utf8')) as SpoolState;
        if (!QueueItemIdSchema.safeParse(s.id).success) continue;
        if (s.state === 'sending') s.state = 'queued';
        this.items.set(s.id, s);
      } catch (e) {
        this.log.warn(`relay spool: unreadable item ${f} skipped`, String(e));
      }
    }
    if (orphans.length) {
      this.log.warn(
        `relay spool: removed ${orphans.length} message cop${orphans.length === 1 ? 'y' : 'ies'} without a queue entry, left by an interrupted run ` +
          `(delivered already, or queued without a 250 to the sender); the messages stay in the inbox: ${orphans.slice(0, 20).join(', ')}${orphans.length > 20 ? ', …' : ''}`,
      );
    }
  }

  /** Number of items in the spool. */
  get length(): number {
    return this.items.size;
  }

  /** Queues a stored message for one target (default: the SMTP upstream), durably (before the client gets its 250). */
  async enqueue(messagePath: string, messageId: string, from: string, to: string[], targetId: string = SMTP_TARGET_ID, about?: SpoolAbout): Promise<void> {
    const id = queueItemId(messageId, targetId);
    const eml = join(this.dir, `${id}.eml`);
    try {
      await link(messagePath, eml);
    } catch {
      // File systems without hard links (FAT, some network shares): a copy, made durable.
      await copyFile(messagePath, eml);
      await chmod(eml, FILE_MODE);
      const fh = await open(eml, 'r+');
      await fh.sync().finally(() => fh.close());
    }
    const t = this.targets.get(targetId);
    const s: SpoolState = { id, messageId, from, to, state: 'queued', attempts: 0, createdAt: this.now(), nextAttemptAt: this.now(), target: targetId, targetKind: t?.kind, targetLabel: t?.label, about };
    await this.persist(s);
    this.items.set(s.id, s);
    this.changed();
    this.schedule(0);
  }

  /** The visible queue, oldest first. */
  list(): QueueItem[] {
    return [...this.items.values()].map((s) => ({
      id: s.id,
      messageId: s.messageId,
      from: s.from,
      to: s.to,
      state: s.state,
      attempts: s.attempts,
      createdAt: new Date(s.createdAt).toISOString(),
      nextAttemptAt: s.state === 'queued' ? new Date(s.nextAttemptAt).toISOString() : undefined,
      lastError: s.lastError,
      target: this.targetView(s),
    }));
  }

  /** Items per target id (the counts of the push targets' own queues). */
  countByTarget(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of this.items.values()) out.set(s.target ?? SMTP_TARGET_ID, (out.get(s.target ?? SMTP_TARGET_ID) ?? 0) + 1);
    return out;
  }

  /** Makes an item due now (an expired one gets a fresh maximum age). Returns false if unknown. */
  async retryNow(id: string): Promise<boolean> {
    const s = this.items.get(id);
    if (!s) return false;
    if (s.state === 'sending') return true;
    if (s.state === 'expired') s.createdAt = this.now();
    s.state = 'queued';
    s.nextAttemptAt = this.now();
    await this.persist(s);
    this.changed();
    this.schedule(0);
    return true;
  }

  /** Deletes an item (the technician gave up on it). Returns false if unknown. */
  async remove(id: string): Promise<boolean> {
    const s = this.items.get(id);
    if (!s) return false;
    this.items.delete(id);
    await this.unlinkItem(id);
    this.changed();
    return true;
  }

  /**
   * Starts delivering, with the SMTP upstream when a configuration is given (items for the upstream wait without
   * one). Push targets come from setPushTargets and are delivered while the spool runs.
   */
  start(config: ForwardConfig | undefined): void {
    if (config) this.targets.set(SMTP_TARGET_ID, smtpTarget(config, this.send));
    else this.targets.delete(SMTP_TARGET_ID);
    this.stopped = false;
    this.schedule(0);
  }

  /** Replaces the push targets (the SMTP upstream stays); items of a removed target wait, listed as not configured. */
  setPushTargets(targets: readonly SpoolTarget[]): void {
    for (const id of [...this.targets.keys()]) if (id !== SMTP_TARGET_ID) this.targets.delete(id);
    for (const t of targets) if (t.id !== SMTP_TARGET_ID) this.targets.set(t.id, t);
    this.changed();
    this.schedule(0);
  }

  /** Stops the worker and waits for sends in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.dirSync.close();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, Math.min(delayMs, 60_000)));
    this.timer.unref();
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.now();
    let nextDue = Infinity;
    for (const s of this.items.values()) {
      if (s.state !== 'queued') continue;
      const target = this.targets.get(s.target ?? SMTP_TARGET_ID);
      if (!target) continue;
      if (s.nextAttemptAt > now) {
        nextDue = Math.min(nextDue, s.nextAttemptAt);
        continue;
      }
      if (this.active >= this.concurrency) {
        nextDue = now;
        break;
      }
      const p = this.deliver(s, target).finally(() => {
        this.inFlight.delete(p);
        this.active--;
        this.schedule(0);
      });
      this.active++;
      this.inFlight.add(p);
    }
    if (nextDue !== Infinity && this.active < this.concurrency) this.schedule(nextDue - now);
  }

  private async deliver(s: SpoolState, target: SpoolTarget): Promise<void> {
    s.state = 'sending';
    this.changed();
    try {
      const raw = await readFile(join(this.dir, `${s.id}.eml`));
      await target.send({ id: s.id, messageId: s.messageId, from: s.from, to: s.to, about: s.about }, raw);
      this.items.delete(s.id);
      await this.unlinkItem(s.id);
      this.log.info(`relay: forwarded ${s.id} to ${target.label}`);
    } catch (e) {
      const err = e as { message?: string; responseCode?: number; code?: string; response?: string };
      s.attempts++;
      s.lastError = (err.response ?? err.message ?? String(e)).slice(0, 500);
      s.nextAttemptAt = this.now() + backoffMs(s.attempts, Math.random());
      s.state = isForwardExpired(s.createdAt, this.now(), target.maxAgeMs) ? 'expired' : 'queued';
      if (!this.items.has(s.id)) return; // deleted by the technician meanwhile
      await this.persist(s).catch((pe: unknown) => this.log.error('relay spool: could not save item state', String(pe)));
      this.log.warn(`relay: forwarding ${s.id} failed (attempt ${s.attempts})`, s.lastError);
    }
    this.changed();
  }

  private async persist(s: SpoolState): Promise<void> {
    const file = join(this.dir, `${s.id}.json`);
    const tmp = file + '.tmp';
    const fh = await open(tmp, 'w', FILE_MODE);
    try {
      await fh.writeFile(JSON.stringify(s));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    await this.dirSync.sync();
  }

  private async unlinkItem(id: string): Promise<void> {
    await unlink(join(this.dir, `${id}.json`)).catch(() => undefined);
    await unlink(join(this.dir, `${id}.eml`)).catch(() => undefined);
  }

  private targetView(s: SpoolState): NonNullable<QueueItem['target']> {
    const id = s.target ?? SMTP_TARGET_ID;
    const t = this.targets.get(id);
    return { id, kind: t?.kind ?? s.targetKind ?? 'smtp', label: t?.label ?? s.targetLabel ?? (id === SMTP_TARGET_ID ? 'upstream mail server' : id), isConfigured: !!t };
  }

  private changed(): void {
    this.onChange(this.list());
  }
}
