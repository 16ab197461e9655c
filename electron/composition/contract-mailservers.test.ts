import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailServerProgress, MailServerReport } from '../../shared/domain/mail-servers';
import { silentLogger } from '../services/common/logger';
import { startSmtpPeer, type SmtpPeer } from '../services/diagnostics/test-peers';
import { MailServerFinder, type MailServerFinderDeps } from '../services/mailservers/index';
import { bindMailServerEvents } from './contract-events';
import { contractHandlers } from './contract-handlers';
import type { Services } from './create-services';
import { dispatch } from './dispatch';
import { EventHub } from './event-hub';

// Loopback only: a peer on 127.0.10.1; the finder's site DNS is switched off.
const offDns = async () => ({ domains: [], nameservers: [], from: 'test', isOff: true });
const finderWith = (over: Partial<MailServerFinderDeps> = {}) => new MailServerFinder({ log: silentLogger, siteDns: offDns, hostsFile: async () => new Map(), ...over });

/** The contract over one finder: handlers for dispatch, its events on a hub (which checks every payload). */
function contractOf(finder: MailServerFinder, hub: EventHub) {
  bindMailServerEvents(finder, hub);
  return contractHandlers({ mailServers: finder } as Services);
}

describe('mail-server finder through the contract (handlers, events, cancel)', () => {
  let peer: SmtpPeer;
  beforeAll(async () => {
    peer = await startSmtpPeer('accept', { host: '127.0.10.1', name: 'mail.site.test', banner: 'Postfix' });
  });
  afterAll(() => peer.close());

  it('mailservers:find-servers returns the report and pushes mailservers:search-progressed keyed by the operation id', async () => {
    const hub = new EventHub((name, issues) => {
      throw new Error(`invalid event ${name}: ${JSON.stringify(issues)}`);
    });
    const handlers = contractOf(finderWith(), hub);
    const events: Array<{ operationId: string; progress: MailServerProgress }> = [];
    hub.subscribe((name, p) => name === 'mailservers:search-progressed' && events.push(p as (typeof events)[number]));
    const res = await dispatch(handlers, 'mailservers:find-servers', { operationId: 'op-1', subnets: ['127.0.10.1/32'], port: peer.port }, { caller: 'test' });
    expect(res.ok).toBe(true);
    const report = (res as { ok: true; value: MailServerReport }).value;
    expect(report).toMatchObject({ operationId: 'op-1', recommended: { address: '127.0.10.1' }, servers: [{ verdict: { status: 'accepts' } }] });
    expect(new Set(events.map((e) => e.operationId))).toEqual(new Set(['op-1']));
    expect(events.map((e) => e.progress.kind)).toEqual(['step', 'step', 'scan', 'step', 'server']);
    expect(await dispatch(handlers, 'mailservers:find-servers', { subnets: ['8.8.8.0/24'] }, { caller: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/not a local network range/) } });
  });

  it('mailservers:cancel-search stops a running search, which returns what it has', async () => {
    const hub = new EventHub();
    // A dialer that never connects: the probe is certainly in flight when the cancel arrives.
    const handlers = contractOf(finderWith({ dial: () => new Socket(), timeouts: { scanConnectMs: 60_000 } }), hub);
    const scanning = hub.waitFor('mailservers:search-progressed', (p) => p.progress.kind === 'step' && p.progress.step === 'scan');
    const run = dispatch(handlers, 'mailservers:find-servers', { operationId: 'op-cancel', subnets: ['127.0.10.0/24'], limits: { concurrency: 2 } }, { caller: 'test' });
    await scanning;
    expect(await dispatch(handlers, 'mailservers:cancel-search', { operationId: 'op-cancel' }, { caller: 'test' })).toEqual({ ok: true, value: { isCancelled: true } });
    const report = ((await run) as { ok: true; value: MailServerReport }).value;
    expect(report).toMatchObject({ isCancelled: true, scan: { stoppedBecause: 'cancelled' } });
    expect(await dispatch(handlers, 'mailservers:cancel-search', { operationId: 'op-cancel' }, { caller: 'test' })).toEqual({ ok: true, value: { isCancelled: false } });
  });
});
