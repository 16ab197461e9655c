/**
 * Turns what the other services do into site-journal entries: a finished camera of a commissioning job (with the
 * test e-mail's Message-ID, its snapshot scaled as evidence, the redacted SMTP transcript and the backup's
 * SHA-256), the forwarding of that e-mail, cameras found, the relay's setup, the site's own mail servers as a
 * mail-server search found them, the site details from Settings, and every test e-mail run on its own (the
 * wizard's test step, first run and each "Try again") with the same evidence as a commissioning's test.
 * It listens to the in-process event stream; doctor runs and rollbacks, which have no such event, are recorded
 * through `doctorFinished` and `rollbackFinished` by whoever runs them. Recording never fails the job it
 * records: an error is logged and the entry is skipped.
 */
import { readFile } from 'node:fs/promises';
import type { CameraResult, Change, StepResult, TestMessage } from '../../../shared/domain/commissioning';
import type { TestRunFinished } from '../../../shared/domain/commissioning-job';
import type { DoctorReport } from '../../../shared/domain/diagnostics';
import type { Device } from '../../../shared/domain/discovery';
import type { MailServerFinding, MailServerReport } from '../../../shared/domain/mail-servers';
import { planForward, type QueueItem, type RelayState, type TranscriptLine } from '../../../shared/domain/relay';
import type { Settings } from '../../../shared/domain/settings';
import { redactTranscript, siteSlug, type FoundMailServer, type JournalEntryOf, type JournalInput, type LoggedChange, type RelaySetup, type TestEvidence } from '../../../shared/domain/site-journal';
import { macKey } from '../../../shared/domain/report';
import type { AppEvents } from '../app/app-service';
import type { CommissioningEvents } from '../commissioning/commissioning-service';
import type { SessionEvents } from '../commissioning/session-service';
import type { EventSource, Unsubscribe } from '../common/events';
import type { Logger } from '../common/logger';
import type { DoctorEvents } from '../diagnostics/doctor-service';
import type { DiscoveryEvents } from '../discovery/discovery-service';
import type { MailServerFinderEvents } from '../mailservers/mail-server-finder';
import type { RelayEvents } from '../relay/relay-service';
import { scaleEvidence } from './picture';
import type { ReportService } from './report-service';
import { sha256Hex } from './site-journal';

/** What the recorder reads from the relay (RelayService has all of it). */
export interface RelayEvidenceSource {
  getState(): RelayState;
  getQueue(): Promise<QueueItem[]>;
  getMessage(id: string): Promise<{ summary: { date?: string; messageId: string }; attachments: Array<{ index: number; contentType: string; filename: string }> }>;
  getAttachment(id: string, index: number): Promise<{ filename: string; data: Buffer }>;
  getTranscript(sessionId: string): { session: { clientIp: string }; lines: TranscriptLine[] };
}

/** The services whose events the journal records (their in-process `events`). */
export interface RecordedServices {
  app: { events: EventSource<AppEvents> };
  relay: { events: EventSource<RelayEvents> };
  discovery: { events: EventSource<DiscoveryEvents> };
  commissioning: { events: EventSource<CommissioningEvents> };
  /** The wizard's sessions: their test runs (the sessions' outcomes arrive through `commissioning`). */
  sessions?: { events: EventSource<Pick<SessionEvents, 'test-finished'>> };
  doctor: { events: EventSource<DoctorEvents> };
  mailServers: { events: EventSource<MailServerFinderEvents> };
}

/** What the recorder needs. */
export interface JournalRecorderDeps {
  report: ReportService;
  relay?: RelayEvidenceSource;
  logger: Logger;
}

/**
 * One server of a search as the journal keeps it. The camera may use a server when it is local and the finder's
 * verdict is good: it took the camera-like dialogue without a login or TLS (docs/camera.md §1, §6).
 */
export function foundMailServerOf(f: MailServerFinding): FoundMailServer {
  return {
    host: f.host,
    ...(f.address ? { address: f.address } : {}),
    port: f.port,
    ...(f.isLocal && f.address ? { useHost: f.name.host } : {}),
    ...(f.software ? { software: f.software.label } : {}),
    isLocal: f.isLocal,
    foundBy: [...f.foundBy],
    status: f.verdict.status,
    level: f.verdict.level,
    isUsableByCamera: f.isLocal && f.verdict.level === 'good',
    headline: f.verdict.headline,
    fix: f.verdict.fix,
    ...(f.verdict.caveat ? { caveat: f.verdict.caveat } : {}),
  };
}

/** The relay setup as the journal keeps it: never a password, login or CA. */
export function relaySetupOf(s: RelayState, queue: readonly QueueItem[] = []): RelaySetup {
  return {
    status: s.status,
    ...(s.listenAddress ? { listenAddress: s.listenAddress } : {}),
    ...(s.port !== undefined ? { port: s.port } : {}),
    allow: [...s.allow],
    ...(s.forward ? { forward: { host: s.forward.host, port: s.forward.port, security: s.forward.security, verifyCertificate: s.forward.verifyCertificate } } : {}),
    queueLength: s.queueLength,
    queue: queue.map((q) => ({ state: q.state, attempts: q.attempts, ...(q.lastError ? { lastError: q.lastError } : {}) })),
  };
}

function changesOf(steps: readonly StepResult[]): LoggedChange[] {
  const out: LoggedChange[] = [];
  for (const s of steps) {
    if (!['done', 'rolled-back', 'failed', 'planned'].includes(s.status)) continue;
    for (const c of s.changes) out.push({ step: s.id, field: c.field, from: c.from, to: c.to, status: s.status });
  }
  return out;
}

const SENS = /\.sensitivity$/i;

/** Sensitivity before the plan and as left on the camera, read from the steps and the result. */
export function sensitivityOf(r: CameraResult): { before?: number; left?: number } {
  const sab = r.steps.find((s) => s.id === 'sabotage');
  const change = (s: StepResult | undefined): Change | undefined => s?.changes.find((c) => SENS.test(c.field));
  const before = typeof change(sab)?.from === 'number' ? (change(sab)!.from as number) : undefined;
  if (r.sensitivityRestoredTo !== undefined) return { before, left: r.sensitivityRestoredTo };
  if (r.verdict === 'planned') return { before };
  if (r.rolledBack) return { before, left: before };
  // The newest applied sensitivity change, in plan order.
  let left: number | undefined;
  for (const s of r.steps) {
    const c = change(s);
    if (s.status === 'done' && c && typeof c.to === 'number') left = c.to;
  }
  return { before, ...(left !== undefined ? { left } : {}) };
}

/** Records service events into the site journal. */
export class JournalRecorder {
  private readonly watched = new Map<string, { attempts: number; state: string; site: string }>();
  /** Test e-mails whose forwarding was recorded as delivered (a wizard's test and then its commissioning name the same one). */
  private readonly delivered = new Set<string>();
  private readonly foundMacs = new Map<string, Set<string>>();
  private lastSite?: string;
  private lastRelay?: string;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly d: JournalRecorderDeps) {}

  /** Subscribes to the services' events; returns the function that stops recording. */
  attach(s: RecordedServices): Unsubscribe {
    const offs = [
      s.commissioning.events.on('camera-finished', (p) => this.track(this.commissioningFinished(p.result))),
      s.commissioning.events.on('rolled-back', (p) => this.track(this.rollbackFinished(p.url, p.result ?? { error: p.error ?? { code: 'INTERNAL', message: 'unknown' } }))),
      s.doctor.events.on('finished', (p) => this.track(this.doctorFinished(p.cameraUrl, p.report))),
      s.relay.events.on('queue-changed', (items) => this.track(this.queueChanged(items))),
      s.relay.events.on('state-changed', (state) => this.track(this.relayChanged(state))),
      s.discovery.events.on('device-found', (p) => this.track(this.cameraFound(p.device))),
      s.discovery.events.on('device-updated', (p) => this.track(this.cameraFound(p.device))),
      s.app.events.on('settings-changed', (settings) => this.track(this.settingsChanged(settings))),
      s.mailServers.events.on('search-finished', (report) => this.track(this.mailServersFound(report))),
      ...(s.sessions ? [s.sessions.events.on('test-finished', (run) => this.track(this.testFinished(run)))] : []),
    ];
    return () => offs.forEach((off) => off());
  }

  /** Waits until every entry started so far is on disk (tests, and hosts before they exit). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e: unknown) => this.d.logger.warn('site journal: an entry was not recorded', e instanceof Error ? e.message : String(e)));
    this.pending.add(q);
    void q.finally(() => this.pending.delete(q));
  }

  private record(input: JournalInput, site?: string): Promise<unknown> {
    return this.d.report.record(input, site);
  }

  /** Records one camera's commissioning with its evidence. */
  async commissioningFinished(r: CameraResult): Promise<JournalEntryOf<'commissioning'>> {
    const site = this.d.report.currentSiteName();
    const { before, left } = sensitivityOf(r);
    const tested = r.steps.some((s) => s.id === 'test-run' && s.status !== 'skipped' && s.status !== 'pending');
    let backup: { file: string; sha256: string } | undefined;
    if (r.backupFile) {
      try {
        backup = { file: r.backupFile, sha256: sha256Hex(await readFile(r.backupFile)) };
      } catch (e) {
        this.d.logger.warn(`site journal: cannot hash the backup ${r.backupFile}`, String(e));
      }
    }
    const test = r.message?.relayId && r.verdict === 'pass' ? await this.evidence(r.message, r.latencyMs, r.testEventAt, site) : undefined;
    const entry = (await this.d.report.record(
      {
        kind: 'commissioning',
        operationId: r.operationId,
        url: r.url,
        ...(r.label ? { label: r.label } : {}),
        ...(r.camera ? { camera: r.camera } : {}),
        verdict: r.verdict,
        tested,
        ...(r.applied ? { settings: r.applied } : {}),
        ...(before !== undefined ? { sensitivityBefore: before } : {}),
        ...(left !== undefined ? { sensitivityLeft: left } : {}),
        steps: r.steps.map((s) => ({ id: s.id, status: s.status, ...(s.detail ? { detail: s.detail } : {}) })),
        changes: changesOf(r.steps),
        ...(test ? { test } : {}),
        ...(backup ? { backup } : {}),
        rolledBack: r.rolledBack,
        ...(r.error ? { error: r.error } : {}),
        warnings: r.warnings,
        durationMs: r.durationMs,
      },
      site,
    )) as JournalEntryOf<'commissioning'>;
    if (test) await this.forwardAtFinish(test, site);
    return entry;
  }

  /**
   * Records a test run on its own (the wizard's test step, each "Try again"): verdict, latency and, when the e-mail
   * came, the same evidence as a commissioning's test (Message-ID, scaled snapshot, redacted transcript).
   */
  async testFinished(run: TestRunFinished): Promise<JournalEntryOf<'test'>> {
    const site = this.d.report.currentSiteName();
    const test = run.status === 'passed' && run.message?.relayId ? await this.evidence(run.message, run.latencyMs, run.startedAt, site) : undefined;
    const entry = (await this.record(
      {
        kind: 'test',
        // When the run ended, not when its evidence was read: the wizard's end may be recorded before this entry.
        at: run.endedAt,
        operationId: run.operationId,
        origin: run.origin,
        url: run.url,
        ...(run.label ? { label: run.label } : {}),
        ...(run.camera ? { camera: run.camera } : {}),
        attempt: run.attempt,
        verdict: run.status === 'passed' ? 'pass' : run.status === 'failed' ? 'fail' : 'stopped',
        ...(run.latencyMs !== undefined ? { latencyMs: run.latencyMs } : {}),
        ...(test ? { test } : {}),
        ...(run.cause ? { cause: run.cause } : {}),
      },
      site,
    )) as JournalEntryOf<'test'>;
    if (test) await this.forwardAtFinish(test, site);
    return entry;
  }

  /** The test e-mail as evidence: ids, Date header, scaled snapshot, redacted transcript. */
  private async evidence(m: TestMessage, latency: number | undefined, eventAt: string | undefined, site: string): Promise<TestEvidence | undefined> {
    const relayId = m.relayId!;
    const receivedAt = m.receivedAt ?? new Date().toISOString();
    const latencyMs = latency ?? 0;
    const ev: TestEvidence = {
      eventAt: eventAt ?? new Date(Date.parse(receivedAt) - latencyMs).toISOString(),
      receivedAt,
      latencyMs,
      messageId: m.messageId ?? '',
      relayMessageId: relayId,
      from: m.from,
      to: m.to,
      subject: m.subject,
    };
    const relay = this.d.relay;
    if (!relay) return ev;
    try {
      const detail = await relay.getMessage(relayId);
      if (detail.summary.date) ev.dateHeader = detail.summary.date;
      if (!ev.messageId) ev.messageId = detail.summary.messageId;
      const jpg = detail.attachments.find((a) => /^image\/p?jpe?g$/i.test(a.contentType));
      if (jpg) {
        const att = await relay.getAttachment(relayId, jpg.index);
        const scaled = scaleEvidence(att.data);
        if (scaled) {
          const sha = await this.d.report.journal(site).savePicture(scaled.jpeg);
          ev.snapshot = { sha256: sha, width: scaled.width, height: scaled.height, bytes: scaled.jpeg.length, original: { filename: att.filename, ...scaled.original } };
        } else this.d.logger.warn(`site journal: the snapshot of ${relayId} could not be decoded; recorded without a picture`);
      }
    } catch (e) {
      this.d.logger.warn(`site journal: the test e-mail ${relayId} could not be read for evidence`, String(e));
    }
    if (m.sessionId) {
      try {
        const t = relay.getTranscript(m.sessionId);
        ev.transcript = { sessionId: m.sessionId, clientIp: t.session.clientIp, lines: redactTranscript(t.lines) };
      } catch {
        // The relay keeps only the most recent sessions; the report then says no transcript is on record.
      }
    }
    return ev;
  }

  /** Whether the relay forwards the test e-mail, and how far it got by the time the camera finished. */
  private async forwardAtFinish(test: TestEvidence, site: string): Promise<void> {
    const relay = this.d.relay;
    const fwd = relay?.getState().forward;
    if (!relay || !fwd || this.watched.has(test.relayMessageId) || this.delivered.has(test.relayMessageId)) return;
    const queue = await relay.getQueue();
    const item = queue.find((q) => q.messageId === test.relayMessageId);
    if (item) {
      this.watched.set(test.relayMessageId, { attempts: item.attempts, state: item.state, site });
      await this.record({ kind: 'forward', relayMessageId: test.relayMessageId, outcome: item.state === 'expired' ? 'expired' : 'queued', attempts: item.attempts, ...(item.lastError ? { lastError: item.lastError } : {}) }, site);
    } else if (planForward(test.to, fwd.rules)) {
      // The spool deletes an item only after the upstream server accepted it.
      this.delivered.add(test.relayMessageId);
      await this.record({ kind: 'forward', relayMessageId: test.relayMessageId, outcome: 'delivered', attempts: 1 }, site);
    }
  }

  /** Follows the forwarding queue for the test e-mails being watched. */
  async queueChanged(items: readonly QueueItem[]): Promise<void> {
    for (const [id, w] of [...this.watched]) {
      const item = items.find((q) => q.messageId === id);
      if (!item) {
        this.watched.delete(id);
        this.delivered.add(id);
        await this.record({ kind: 'forward', relayMessageId: id, outcome: 'delivered', attempts: w.attempts + 1 }, w.site);
      } else if (item.state !== w.state && item.state !== 'sending') {
        this.watched.set(id, { ...w, attempts: item.attempts, state: item.state });
        await this.record({ kind: 'forward', relayMessageId: id, outcome: item.state === 'expired' ? 'expired' : 'queued', attempts: item.attempts, ...(item.lastError ? { lastError: item.lastError } : {}) }, w.site);
      } else {
        this.watched.set(id, { ...w, attempts: item.attempts });
      }
    }
  }

  /** Records the relay setup when it changed. */
  async relayChanged(s: RelayState): Promise<void> {
    if (s.status !== 'listening') return;
    const setup = relaySetupOf(s);
    // Only a change of setup is worth an entry (the queue length moves all the time).
    const site = this.d.report.currentSiteName();
    const keyOf = (r: RelaySetup) => JSON.stringify({ ...r, queueLength: 0, queue: [], site: siteSlug(site) });
    const key = keyOf(setup);
    if (key === this.lastRelay) return;
    this.lastRelay = key;
    // An app restart brings the same relay back: no new entry unless its setup differs from the journal's last.
    const { entries } = await this.d.report.journal(site).read();
    const last = [...entries].reverse().find((e) => e.kind === 'relay');
    if (last?.kind === 'relay' && keyOf(last.relay) === key) return;
    await this.record({ kind: 'relay', relay: setup }, site);
  }

  /** Records a Sarix camera found by discovery, once per MAC and site. */
  async cameraFound(d: Device): Promise<void> {
    if (!d.isSarix || !d.mac) return;
    const site = this.d.report.currentSiteName();
    const slug = siteSlug(site);
    let seen = this.foundMacs.get(slug);
    if (!seen) {
      const { entries } = await this.d.report.journal(site).read();
      seen = new Set(entries.filter((e) => e.kind === 'found').map((e) => macKey((e as JournalEntryOf<'found'>).camera.mac)));
      this.foundMacs.set(slug, seen);
    }
    const mac = macKey(d.mac);
    if (seen.has(mac)) return;
    seen.add(mac);
    await this.record({ kind: 'found', camera: { ip: d.ip, mac, model: d.model ?? '', name: d.name ?? '', firmware: d.firmware ?? '', methods: [...d.methods] } }, site);
  }

  /**
   * Records a finished mail-server search: every server with its verdict, and when. A search cancelled before it
   * found anything says nothing about the site, so it is not recorded.
   */
  async mailServersFound(r: MailServerReport): Promise<void> {
    if (r.isCancelled && r.servers.length === 0) return;
    await this.record({
      kind: 'mail-servers',
      at: r.finishedAt,
      operationId: r.operationId,
      startedAt: r.startedAt,
      domains: [...r.site.domains],
      subnets: [...(r.scan?.subnets ?? [])],
      isCancelled: r.isCancelled,
      summary: r.summary,
      ...(r.recommended ? { recommended: r.recommended } : {}),
      servers: r.servers.map(foundMailServerOf),
    });
  }

  /** Records the site details when Settings changed them. */
  async settingsChanged(s: Settings): Promise<void> {
    if (!s.siteName.trim()) return;
    const site = { name: s.siteName.trim(), address: s.siteAddress, customer: s.customer, integrator: s.integrator, technician: s.technicianName };
    const key = JSON.stringify(site);
    if (key === this.lastSite) return;
    this.lastSite = key;
    const { entries } = await this.d.report.journal(site.name).read();
    const last = [...entries].reverse().find((e) => e.kind === 'site');
    if (last?.kind === 'site' && JSON.stringify(last.site) === key) return;
    await this.record({ kind: 'site', site }, site.name);
  }

  /** Records a doctor run (the camera is named by its URL; its MAC by the firmware check when read). */
  async doctorFinished(cameraUrl: string | undefined, report: DoctorReport): Promise<void> {
    const num = (id: string) => {
      const v = report.checks.find((c) => c.id === id)?.details?.offsetMs;
      return typeof v === 'number' ? v : undefined;
    };
    const mac = report.checks.find((c) => c.id === 'camera-firmware')?.details?.mac;
    const cameraVsLaptopMs = num('camera-clock');
    const laptopVsNtpMs = num('ntp-laptop-clock');
    await this.record({
      kind: 'doctor',
      operationId: report.operationId,
      ...(cameraUrl ? { cameraUrl } : {}),
      ...(typeof mac === 'string' && mac ? { cameraMac: mac } : {}),
      counts: report.counts,
      checks: report.checks.map((c) => ({ id: c.id, verdict: c.verdict, message: c.message, fix: c.fix })),
      ...(cameraVsLaptopMs !== undefined ? { cameraVsLaptopMs } : {}),
      ...(laptopVsNtpMs !== undefined ? { laptopVsNtpMs } : {}),
    });
  }

  /** Records a rollback (or a failed attempt at one). */
  async rollbackFinished(url: string, r: { mac: string; backupFile: string; savedAt: string; verified: boolean; differences: string[] } | { error: { code: string; message: string }; mac?: string }): Promise<void> {
    if ('error' in r) {
      await this.record({ kind: 'rollback', url, mac: r.mac ?? '', verified: false, differences: [], error: r.error });
      return;
    }
    let sha: string | undefined;
    try {
      sha = sha256Hex(await readFile(r.backupFile));
    } catch {
      // the backup may have been moved since; the entry then names the file only
    }
    await this.record({ kind: 'rollback', url, mac: r.mac, ...(sha ? { backup: { file: r.backupFile, sha256: sha } } : {}), backupSavedAt: r.savedAt, verified: r.verified, differences: r.differences });
  }
}
