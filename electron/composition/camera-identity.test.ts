import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CameraOverview } from '../../shared/domain/relay-cameras';
import type { InboxPage, SessionDetail, SessionRow } from '../../shared/domain/relay-inbox';
import { silentLogger } from '../services/common/logger';
import { BackupStore } from '../services/commissioning/backup-store';
import { CameraRegistry } from '../services/relay/camera-registry';
import { RelayService } from '../services/relay/index';
import { loopbackCameras } from '../simulator/test-cameras';
import { importBackups, noteCommissioned } from './camera-identity';
import { createTestHost, type TestHost } from './test-host';

const cam = loopbackCameras();
let dir: string;
let host: TestHost;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camera-identity-'));
  host = await createTestHost({ userDataPath: dir });
});
afterEach(async () => {
  await host?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function value<T>(channel: string, arg: unknown = {}): Promise<T> {
  const r = await host.call(channel, arg);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** Plain SMTP from a chosen loopback source address with a chosen EHLO name, as a camera would send it. */
async function sendFrom(localAddress: string, ehlo: string, port: number, subject: string): Promise<string> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, localAddress, name: ehlo, logger: false });
  try {
    const info = await t.sendMail({ from: `${ehlo}@site.local`, to: 'alarms@site.local', subject, text: `from ${localAddress}` });
    return info.response;
  } finally {
    t.close();
  }
}

const general = (deviceName: string) => ({ deviceName, smtpServer: '127.0.0.1', ntpServer: '', timeZone: 'UTC', nameOverlay: false, dateOverlay: false, overlayPosition: 'top-left' as const });

describe('camera identity from several loopback source addresses', () => {
  it('names each message and session by the sending camera: discovered, named by the technician, HELO hint, unknown, refused', async () => {
    const relay = host.services.relay;
    const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.21', '127.0.0.22', '127.0.0.23', '127.0.0.24'] });
    // Two simulated cameras, each sending from its own address (docs/camera.md §7) to the relay.
    const gate = await cam({ address: '127.0.0.21', smtpPort: port, deviceName: 'GateCam', model: 'IXE20DN', mac: '00:0B:AB:00:00:21', initialState: { general: general('GateCam') }, prefillHandlers: 1 });
    const lobby = await cam({ address: '127.0.0.22', smtpPort: port, deviceName: 'LobbyCam', mac: '00:0B:AB:00:00:22', initialState: { general: general('LobbyCam') }, prefillHandlers: 1 });
    // Discovery finds the gate camera (in process, the registry hears it); the lobby camera is only named.
    const found = await host.services.discovery.addManual('127.0.0.21', gate.httpPort);
    expect(found.mac).toBe('00:0b:ab:00:00:21');
    await value<CameraOverview[]>('relay:name-camera', { ref: '127.0.0.22', label: 'Lobby entrance' });

    expect((await gate.trigger('Alarm1')).sends[0]).toMatchObject({ ok: true });
    expect((await lobby.trigger('Alarm1')).sends[0]).toMatchObject({ ok: true });
    // The gate camera's name from an address nobody knows: the HELO name is a hint (it may have moved).
    expect(await sendFrom('127.0.0.23', 'GateCam', port, 'moved?')).toMatch(/^250/);
    // Nobody knows 127.0.0.24, and its HELO names nobody.
    expect(await sendFrom('127.0.0.24', 'mystery', port, 'who am I')).toMatch(/^250/);
    // 127.0.0.9 is not allowed.
    await expect(sendFrom('127.0.0.9', 'Intruder', port, 'refused')).rejects.toThrow(/554/);

    const page = await value<InboxPage>('relay:search-messages', { query: { q: '' } });
    expect(page.total).toBe(4);
    const by = (ip: string) => page.items.find((m) => m.clientIp === ip)!;
    expect(by('127.0.0.21').identity).toMatchObject({ displayName: 'GateCam', mac: '00:0b:ab:00:00:21', model: 'IXE20DN', matchedBy: 'ip' });
    expect(by('127.0.0.21').camera).toBe('GateCam');
    expect(by('127.0.0.22').identity).toMatchObject({ displayName: 'Lobby entrance', matchedBy: 'ip' });
    expect(by('127.0.0.23').identity).toMatchObject({ displayName: 'GateCam', ip: '127.0.0.21', matchedBy: 'helo' });
    expect(by('127.0.0.24').identity).toBeUndefined();
    expect(page.items.every((m) => m.isUnread)).toBe(true);

    // Filter by camera: by name, by MAC, by exact address.
    const q = async (text: string) => (await value<InboxPage>('relay:search-messages', { query: { q: text } })).items.map((m) => m.clientIp).sort();
    expect(await q('camera:gatecam')).toEqual(['127.0.0.21', '127.0.0.23']);
    expect(await q('camera:00:0b:ab:00:00:21')).toEqual(['127.0.0.21', '127.0.0.23']);
    expect(await q('camera:"lobby entrance"')).toEqual(['127.0.0.22']);
    expect(await q('camera:127.0.0.2')).toEqual([]);
    expect(await q('camera:127.0.0.24')).toEqual(['127.0.0.24']);

    // The Cameras tab: known cameras, the unknown sender, and the refused address with its last refusal.
    const cams = await value<CameraOverview[]>('relay:get-cameras');
    const row = (ip: string) => cams.find((c) => c.ip === ip)!;
    expect(row('127.0.0.21')).toMatchObject({ displayName: 'GateCam', mailCount: 2, isKnown: true, sources: ['discovered'] });
    expect(row('127.0.0.22')).toMatchObject({ displayName: 'Lobby entrance', mailCount: 1, sources: ['named'] });
    expect(row('127.0.0.24')).toMatchObject({ isKnown: false, mailCount: 1 });
    expect(row('127.0.0.9')).toMatchObject({ isKnown: false, mailCount: 0, status: 'refused', lastRefusal: { count: 1 } });

    // Sessions, refused ones included, say who it was and what to do.
    const sessions = await value<SessionRow[]>('relay:list-sessions', {});
    const refused = sessions.find((s) => s.clientIp === '127.0.0.9')!;
    expect(refused).toMatchObject({ refused: true, headline: { code: 'not-allowed', headline: '127.0.0.9 is not on the allow-list', action: { kind: 'allow-client', entry: '127.0.0.9' } } });
    expect(sessions.find((s) => s.clientIp === '127.0.0.21')).toMatchObject({ identity: { displayName: 'GateCam' }, headline: { code: 'accepted' } });
    const detail = await value<SessionDetail>('relay:get-session', { id: refused.id });
    expect(detail.lines.some((l) => l.dir === 'S' && l.line.startsWith('554'))).toBe(true);

    // "Allow it" works: the refused address may now send.
    await value('relay:allow-client', { entry: refused.headline.action!.kind === 'allow-client' ? refused.headline.action!.entry : '' });
    expect(await sendFrom('127.0.0.9', 'Intruder', port, 'now allowed')).toMatch(/^250/);
  });

  it('a name given while the relay never ran is on disk when the host closes (a CLI command exits right after)', async () => {
    const data = join(dir, 'never-started');
    const host = await createTestHost({ userDataPath: data });
    host.services.relay.cameras.setLabel('10.0.0.31', 'Loading Dock');
    await host.dispose();
    const file = join(data, 'relay', 'cameras.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).cameras).toEqual([expect.objectContaining({ ip: '10.0.0.31', label: 'Loading Dock' })]);
    // A registry that never loaded the file has nothing pending: flushing it must not write an empty list over it.
    new CameraRegistry(file, silentLogger).flush();
    expect(JSON.parse(readFileSync(file, 'utf8')).cameras).toHaveLength(1);
  });

  it('keeps names across restarts and learns commissioned cameras from results and backups', async () => {
    const dataDir = join(dir, 'relay-alone');
    const reg = new CameraRegistry(join(dataDir, 'cameras.json'), silentLogger);
    reg.setLabel('10.0.0.23', 'Gate North');
    noteCommissioned(
      reg,
      {
        operationId: 'op',
        url: 'http://10.0.0.24',
        camera: { ip: '10.0.0.24', model: 'IME229', mac: '00:0b:ab:00:00:24', firmware: '1.9', name: 'LobbyCam' },
        verdict: 'pass',
        steps: [],
        rolledBack: false,
        warnings: [],
        requests: 0,
        durationMs: 0,
      },
      '2026-11-29T09:00:00.000Z',
    );
    // A backup from an earlier run: commissioned, result unknown.
    const backups = join(dir, 'backups');
    const store = new BackupStore(backups);
    const backup = {
      version: 1 as const,
      savedAt: '2026-11-28T08:00:00.000Z',
      url: 'http://10.0.0.25:80',
      mac: '00:0b:ab:00:00:25',
      model: 'IXE20DN',
      general: { deviceName: 'YardCam', smtpServer: '', ntpServer: '' },
      sourceName: 'Sabotage',
      source: null,
      handlerName: 'Mail',
      handler: null,
      analytics: { profile: { sceneType: 'Outdoor', background: 'Still', fineTuning: 'Normal', sensitivity: 5 }, behaviours: [] },
    };
    const saved = await store.save(backup).catch((e: unknown) => e);
    if (typeof saved !== 'string') throw new Error(`fixture backup does not match the schema: ${String(saved)}`);
    expect(await importBackups(reg, backups, silentLogger)).toBe(1);
    reg.flush();

    const relay = new RelayService({ dataDir, logger: silentLogger });
    const cams = await relay.getCameras();
    expect(cams.map((c) => [c.displayName, c.status, c.commissioning?.verdict ?? null])).toEqual([
      ['IXE20DN (10.0.0.25)', 'silent', 'unknown'],
      ['LobbyCam', 'silent', 'pass'],
      ['Gate North', 'not-commissioned', null],
    ]);
    expect(cams.find((c) => c.ip === '10.0.0.25')).toMatchObject({ mac: '00:0b:ab:00:00:25', model: 'IXE20DN', isSilent: true });
  });
});
