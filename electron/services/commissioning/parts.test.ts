import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Emitter } from '../common/events';
import type { RelayEvents, RelayService } from '../relay/index';
import { BackupStore } from './backup-store';
import { parseCameraCsv } from './batch-file';
import { addressToward, EmbeddedTestRelay, relayAddressFor } from './test-relay';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-commissioning-parts-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseCameraCsv', () => {
  it('reads url,username,password[,name] with header, comments, quotes and bare addresses', () => {
    const text = 'url,username,password,name\n# site A\nhttp://192.168.0.20,admin,admin,Lobby\n192.168.0.21:8080,admin,"pa,ss",\n\n"http://cam3.lan",root,x\n';
    expect(parseCameraCsv(text)).toEqual([
      { url: 'http://192.168.0.20', username: 'admin', password: 'admin', name: 'Lobby' },
      { url: 'http://192.168.0.21:8080', username: 'admin', password: 'pa,ss' },
      { url: 'http://cam3.lan', username: 'root', password: 'x' },
    ]);
  });
  it.each([
    ['http://a,admin\n', /line 1: expected url,username,password/],
    ['ftp://a,admin,admin\n', /must use http or https/],
    ['http://a,,admin\n', /username is empty/],
    ['http://a,admin,x\nhttp://a/,admin,y\n', /listed twice/],
    ['# nothing\n', /lists no camera/],
    ['"unterminated,admin,admin\n', /not valid CSV/],
  ])('%j is refused', (text, msg) => {
    expect(() => parseCameraCsv(text)).toThrow(msg);
  });
});

describe('addressToward', () => {
  const locals = [
    { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' },
    { address: '192.0.2.2', netmask: '255.255.255.0', family: 'IPv4' },
    { address: '192.168.0.5', netmask: '255.255.255.0', family: 'IPv4' },
    { address: '10.1.0.9', netmask: '255.255.0.0', family: 4 },
    { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' },
  ];
  it.each([
    ['192.168.0.20', '192.168.0.5'],
    ['10.1.44.3', '10.1.0.9'],
    ['127.0.1.5', '127.0.0.1'],
    ['::ffff:192.168.0.20', '192.168.0.5'],
    ['172.16.0.1', undefined],
    ['cam.lan', undefined],
  ])('%s → %s', (ip, want) => {
    expect(addressToward(ip, locals)).toBe(want);
  });
  it('relayAddressFor falls back to a real configured address, never to loopback for a LAN camera', () => {
    expect(relayAddressFor('192.168.0.20', locals)).toBe('192.168.0.5');
    expect(relayAddressFor('172.16.0.1', locals, '192.168.0.5')).toBe('192.168.0.5');
    expect(() => relayAddressFor('172.16.0.1', locals, '127.0.0.1')).toThrow(/no address on the subnet of the camera 172\.16\.0\.1.*--relay-listen/);
    expect(relayAddressFor('127.0.0.1', [], '127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('BackupStore', () => {
  const backup = {
    version: 1 as const,
    savedAt: '2026-01-02T03:04:05.000Z',
    url: 'http://192.168.0.20',
    mac: '00:0b:ab:12:34:56',
    model: 'IXE20DN',
    general: { deviceName: 'Cam', smtpServer: '', ntpServer: '' },
    sourceName: 'Sabotage',
    source: null,
    handlerName: 'SabotageMail',
    handler: null,
    analytics: { profile: { sceneType: 'Indoor', background: 'Still', fineTuning: 'Normal', sensitivity: 5 }, behaviours: [{ name: 'Camera Sabotage', active: false, sensitivity: 5 }] },
  };
  it('keeps backups per MAC, newest last', async () => {
    const store = new BackupStore(join(dir, 'b1'));
    await store.save(backup);
    const f2 = await store.save({ ...backup, savedAt: '2026-01-03T00:00:00.000Z', general: { ...backup.general, smtpServer: '10.0.0.1' } });
    expect(await store.list('00-0B-AB-12-34-56')).toHaveLength(2);
    const latest = await store.latest('00:0B:AB:12:34:56');
    expect(latest?.file).toBe(f2);
    expect(latest?.backup.general.smtpServer).toBe('10.0.0.1');
    expect(await store.latest('00:0B:AB:00:00:99')).toBeUndefined();
  });
  it('reports unreadable, corrupt and foreign files clearly', async () => {
    const store = new BackupStore(join(dir, 'b2'));
    await expect(store.load(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await writeFile(join(dir, 'bad.json'), '{not json');
    await expect(store.load(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringMatching(/not valid JSON/) });
    await writeFile(join(dir, 'other.json'), '{"version":2}');
    await expect(store.load(join(dir, 'other.json'))).rejects.toMatchObject({ code: 'STORAGE', message: expect.stringMatching(/expected fields/) });
    await expect(store.save({ ...backup, mac: 'not-a-mac' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});

describe('EmbeddedTestRelay', () => {
  it('serialises test runs per client IP, not across IPs', async () => {
    const t = new EmbeddedTestRelay({} as RelayService, { listenAddress: '127.0.0.1', port: 2525 });
    const order: string[] = [];
    const r1 = await t.lock('127.0.0.1');
    const second = t.lock('::ffff:127.0.0.1').then((r) => {
      order.push('second');
      return r;
    });
    const other = await t.lock('10.0.0.5');
    order.push('other');
    await Promise.resolve();
    order.push('first-done');
    r1();
    (await second)();
    other();
    expect(order).toEqual(['other', 'first-done', 'second']);
  });

  it('never starts a stopped relay unless the host allows it (the CLI), and says how to start it', async () => {
    let started = 0;
    const stopped = { getState: () => ({ status: 'stopped', allow: [] }), start: async () => (started++, { address: '127.0.0.1', port: 2525 }), allow: () => undefined, events: new Emitter<RelayEvents>() };
    const app = new EmbeddedTestRelay(stopped as unknown as RelayService, { listenAddress: '10.0.0.5', port: 25 });
    await expect(app.prepare('10.0.0.23')).rejects.toMatchObject({ code: 'RELAY_STOPPED', message: expect.stringMatching(/Start it on 10\.0\.0\.5:25.*Nothing was started/) });
    expect(started).toBe(0);
    const cli = new EmbeddedTestRelay(stopped as unknown as RelayService, { listenAddress: '10.0.0.5', port: 25, mayStart: true });
    await cli.prepare('10.0.0.23');
    expect(started).toBe(1);
  });

  it('watch() only sees its camera, including messages that arrived before next() was called', async () => {
    const relay = { events: new Emitter<RelayEvents>() };
    const hub = relay.events;
    const t = new EmbeddedTestRelay(relay as unknown as RelayService, { listenAddress: '127.0.0.1', port: 2525 });
    const w = t.watch('10.0.0.5');
    const msg = (clientIp: string, subject: string) => ({ id: subject, receivedAt: '', from: 'a@b.c', to: ['x@y.z'], subject, clientIp, size: 1, attachments: [], heloName: 'h', messageId: 'm', headerFrom: 'a@b.c', sessionId: 's' });
    hub.emit('message-received', msg('10.0.0.6', 'other camera'));
    hub.emit('message-received', msg('10.0.0.5', 'early'));
    hub.emit('session-refused', { sessionId: 's', clientIp: '10.0.0.5', reason: '550 relaying denied', at: '' });
    const got = await w.next((m) => m.subject === 'early', new AbortController().signal);
    expect(got.subject).toBe('early');
    expect(w.messages().map((m) => m.subject)).toEqual(['early']);
    expect(w.refusals()).toEqual(['550 relaying denied']);
    const ac = new AbortController();
    const pending = w.next((m) => m.subject === 'never', ac.signal);
    ac.abort(new Error('timeout'));
    await expect(pending).rejects.toThrow('timeout');
    w.stop();
  });
});
