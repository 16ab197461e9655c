/** The support bundle as the composed app makes it (support:save-bundle through the contract handlers). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretBox } from '../services/common/secret-box';
import { leaks, unzip } from '../services/support/bundle-fixtures';
import { createTestHost, type TestHost } from './test-host';

describe('support bundle from the composed app (support:save-bundle)', () => {
  const FORWARD_PASSWORD = 'Forward-Pa55word!';
  const CAMERA_PASSWORD = 'Cam-Secret-77';
  const LOG_PASSWORD = 'Log-Secret-123';
  const WEB_TOKEN = 'TokTokTok1234567890';
  const BEARER = 'abcdefgh12345678ZZ';
  const secrets = [FORWARD_PASSWORD, CAMERA_PASSWORD, LOG_PASSWORD, WEB_TOKEN, BEARER];
  let dir: string;
  let host: TestHost;
  let files: Map<string, Buffer>;
  let result: { entries: string[]; sizeBytes: number };

  // A reversible box like safeStorage's output (base64 of the secret): the sealed form must not leak either.
  const box: SecretBox = { isAvailable: () => true, seal: (s) => Buffer.from(s).toString('base64'), open: (s) => Buffer.from(s, 'base64').toString() };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-support-'));
    const logs = join(dir, 'logs');
    const dumps = join(dir, 'Crashpad', 'completed');
    mkdirSync(logs, { recursive: true });
    mkdirSync(dumps, { recursive: true });
    writeFileSync(
      join(logs, 'main.log'),
      [
        `[2026-11-01 10:00:00.000] [info] (web) serving http://127.0.0.1:5173/?token=${WEB_TOKEN}`,
        `[2026-11-01 10:00:01.000] [warn] (core) camera login failed {"url":"http://127.0.0.1:8080","username":"admin","password":"${CAMERA_PASSWORD}"}`,
        `[2026-11-01 10:00:02.000] [info] (core) retry with password=${LOG_PASSWORD}`,
        `[2026-11-01 10:00:03.000] [info] (core) upstream said Authorization: Bearer ${BEARER}`,
      ].join('\n'),
    );
    writeFileSync(join(dumps, 'a1b2.dmp'), Buffer.concat([Buffer.from('MDMP\x93\xa7'), Buffer.from(`pw ${FORWARD_PASSWORD}`, 'utf16le'), Buffer.alloc(64)]));

    host = await createTestHost({ userDataPath: dir, secrets: box, support: { logFiles: () => [join(logs, 'main.log'), join(logs, 'main.old.log')], crashDumpsDir: join(dir, 'Crashpad') } });
    // The relay with forwarding (its password saved sealed) and a camera that logs in with AUTH PLAIN.
    const ctx = { caller: 'test' };
    const state = await host.handlers['relay:start'](
      { options: { listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], acceptAnyAuth: true, forward: { host: '127.0.0.1', port: 1, security: 'none', user: 'tech', password: FORWARD_PASSWORD, allowPasswordWithoutTls: true, verifyCertificate: true, rules: [{ match: 'recipient', pattern: 'nobody@nowhere.invalid' }] } } } as never,
      ctx,
    );
    const port = (state as { port?: number }).port ?? host.services.relay.getState().port;
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth: { user: 'camuser', pass: CAMERA_PASSWORD } });
    await t.sendMail({ from: 'cam@site.local', to: 'alarms@site.local', subject: 'Camera Sabotage', text: 'hi' });
    t.close();
    const r = await host.handlers['support:save-bundle']({}, ctx);
    expect(r.isCancelled).toBe(false);
    files = await unzip(Buffer.from(r.base64!, 'base64'));
    result = r;
  });
  afterAll(async () => {
    await host?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds every part the issue lists', () => {
    const names = [...files.keys()];
    expect(result.entries.sort()).toEqual(names.sort());
    expect(names).toEqual(
      expect.arrayContaining(['README.txt', 'versions/versions.json', 'logs/main.log', 'relay/state.json', 'relay/sessions.json', 'settings/settings.json', 'settings/relay-setup.json', 'discovery/last-discovery.json', 'commissioning/last-commissioning.json', 'crash-dumps/a1b2.dmp']),
    );
    expect(names.some((n) => /^relay\/transcripts\/.+\.txt$/.test(n))).toBe(true);
    const versions = JSON.parse(files.get('versions/versions.json')!.toString());
    expect(versions).toMatchObject({ app: { name: 'Sarix Commissioner', hostKind: 'web' }, runtime: { node: process.versions.node }, os: { platform: process.platform } });
    const transcript = [...files].find(([n]) => n.startsWith('relay/transcripts/'))![1].toString();
    expect(transcript).toMatch(/C: AUTH PLAIN/);
    expect(transcript).toMatch(/C: MAIL FROM:<cam@site\.local>/);
    expect(files.get('crash-dumps/a1b2.dmp')!.subarray(0, 4).toString()).toBe('MDMP');
  });

  it('contains no password or token in any file, in any encoding', () => {
    expect(leaks(files, secrets)).toEqual([]);
    // …while the seeded secrets really were in the sources (so this test can fail).
    const log = files.get('logs/main.log')!.toString();
    expect(log).toContain('[redacted]');
    expect(log).toContain('camera login failed');
  });
});
