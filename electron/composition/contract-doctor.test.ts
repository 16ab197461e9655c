/** The doctor:* and kb:* channels and events through the contract edge (no camera; loopback peers only). */
import { describe, expect, it } from 'vitest';
import { ARTICLE_IDS, CHECK_IDS, type CheckId, type CheckResult, type DoctorReport } from '../../shared/domain/diagnostics';
import { silentLogger } from '../services/common/logger';
import { DoctorService, KnowledgeBase, StaticResolver, type DoctorDeps } from '../services/diagnostics/index';
import { countingDialer } from '../services/diagnostics/test-peers';
import { bindDoctorEvents } from './contract-events';
import { contractHandlers } from './contract-handlers';
import type { Services } from './create-services';
import { dispatch } from './dispatch';
import { EventHub } from './event-hub';

function doctor(over: Partial<DoctorDeps> = {}) {
  const d = new DoctorService({
    resolver: new StaticResolver({ 'relay.site.lan': ['127.0.0.1'] }),
    log: silentLogger,
    dial: countingDialer(),
    bindProbe: async () => 'ok',
    timeouts: { connectMs: 5000, replyMs: 5000, ntpMs: 2000 },
    ...over,
  });
  return { d };
}

/** The contract over one doctor: handlers for dispatch, its events on a hub. */
function contractOf(d: DoctorService, hub: EventHub) {
  bindDoctorEvents(d, hub);
  return contractHandlers({ doctor: d, kb: new KnowledgeBase() } as Services);
}

const byId = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c])) as Record<CheckId, CheckResult>;

describe('doctor through the contract (handlers, events, cancel)', () => {
  it('doctor:start answers at once; doctor:check-finished follows every check and doctor:finished carries the report, all with the caller\'s operation id', async () => {
    const hub = new EventHub();
    const { d } = doctor();
    const handlers = contractOf(d, hub);
    const events: Array<{ operationId: string; index: number; total: number; check: CheckResult }> = [];
    hub.subscribe((name, p) => name === 'doctor:check-finished' && events.push(p as (typeof events)[number]));
    const finished = hub.waitFor('doctor:finished', (p) => p.operationId === 'op-1');
    const res = await dispatch(handlers, 'doctor:start', { operationId: 'op-1', smtpServer: { host: 'smtp.gmail.com' } }, { caller: 'test' });
    expect(res).toEqual({ ok: true, value: { operationId: 'op-1' } });
    const { report } = await finished;
    expect(report.operationId).toBe('op-1');
    expect(events.map((e) => e.index)).toEqual(CHECK_IDS.map((_, i) => i));
    expect(new Set(events.map((e) => e.operationId))).toEqual(new Set(['op-1']));
    expect(events.every((e) => e.total === CHECK_IDS.length)).toBe(true);
    expect(report.exitCode).toBe(1);
    const bad = await dispatch(handlers, 'doctor:start', { smtpServer: { host: 'bad host' } }, { caller: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('kb:list-articles and kb:get-article serve the shipped articles; an unknown id is a BAD_REQUEST', async () => {
    const { d } = doctor();
    const handlers = contractOf(d, new EventHub());
    const list = await dispatch(handlers, 'kb:list-articles', {}, { caller: 'test' });
    expect(list.ok && (list.value as unknown[]).length).toBe(ARTICLE_IDS.length);
    const a = await dispatch(handlers, 'kb:get-article', { id: 'forward-gmail' }, { caller: 'test' });
    expect(a).toMatchObject({ ok: true, value: { id: 'forward-gmail', markdown: expect.stringMatching(/app password/) } });
    expect(await dispatch(handlers, 'kb:get-article', { id: 'nope' }, { caller: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('kb:get-article and kb:list-articles answer in the requested language; an unshipped language is a BAD_REQUEST', async () => {
    const { d } = doctor();
    const handlers = contractOf(d, new EventHub());
    const de = await dispatch(handlers, 'kb:get-article', { id: 'forward-gmail', language: 'de' }, { caller: 'test' });
    expect(de).toMatchObject({ ok: true, value: { id: 'forward-gmail', title: 'Weiterleitung über Gmail mit einem App-Passwort', markdown: expect.stringMatching(/Was Sie brauchen/) } });
    const list = await dispatch(handlers, 'kb:list-articles', { language: 'de' }, { caller: 'test' });
    expect(list.ok && (list.value as { id: string; title: string }[]).find((a) => a.id === 'port-25')?.title).toBe('Port 25 unter Windows, macOS und Linux');
    expect(await dispatch(handlers, 'kb:get-article', { id: 'port-25', language: 'fr' }, { caller: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('doctor:cancel stops a run: the remaining checks come back skipped', async () => {
    const hub = new EventHub();
    // The resolver hangs until cancelled, so the run is certainly in flight when the cancel arrives.
    let release: () => void = () => {};
    const resolver = { lookup: (name: string) => new Promise<never>((_, reject) => (release = () => reject(new Error(`cancelled lookup of ${name}`)))) };
    const { d } = doctor({ resolver });
    const handlers = contractOf(d, hub);
    const started = hub.waitFor('doctor:check-finished', (p) => p.check.id === 'camera-sabotage');
    const finished = hub.waitFor('doctor:finished', (p) => p.operationId === 'op-cancel');
    expect(await dispatch(handlers, 'doctor:start', { operationId: 'op-cancel', smtpServer: { host: 'relay.site.lan' } }, { caller: 'test' })).toMatchObject({ ok: true });
    await started;
    expect(await dispatch(handlers, 'doctor:cancel', { operationId: 'op-cancel' }, { caller: 'test' })).toEqual({ ok: true, value: { isCancelled: true } });
    release();
    const by = byId((await finished).report);
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'skipped', message: 'Cancelled before this check ran.' });
    expect(by['relay-port-privilege'].verdict).toBe('skipped');
    expect(await dispatch(handlers, 'doctor:cancel', { operationId: 'op-cancel' }, { caller: 'test' })).toEqual({ ok: true, value: { isCancelled: false } });
  });
});
