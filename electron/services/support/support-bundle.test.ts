import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { createTestHost, type TestHost } from '../../composition/test-host';
import type { SecretBox } from '../common/secret-box';
import { redactText, redactTranscript, redactValue, scrubKnownSecrets } from './redact';
import { SupportBundleWriter } from './support-bundle';

/** Unzips a buffer with yauzl (the central directory, as any unzip tool would) into name → bytes. */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (e, zip) => {
      if (e) return reject(e);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, async (e2, s) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          for await (const c of s) chunks.push(c as Buffer);
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
      zip.once('end', () => resolve(out));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

/** Every form a secret could take in a file: plain, base64 (SMTP AUTH), UTF-16LE (process memory), URL-encoded. */
function forms(secret: string): Buffer[] {
  return [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64')), Buffer.from(secret, 'utf16le'), Buffer.from(encodeURIComponent(secret))];
}

/** The secrets in a bundle: [secret, file] for each hit (empty when clean). */
function leaks(files: Map<string, Buffer>, secrets: string[]): Array<[string, string]> {
  const hits: Array<[string, string]> = [];
  for (const [name, data] of files) for (const s of secrets) if (forms(s).some((f) => data.includes(f))) hits.push([s, name]);
  return hits;
}

describe('redaction rules', () => {
  it.each([
    ['C: AUTH PLAIN AGNhbXVzZXIAQ2FtLVNlY3JldC03Nw==', 'C: AUTH PLAIN [redacted]'],
    ['forward to smtp+starttls://tech:S3cret!@smtp.example.com:587', 'forward to smtp+starttls://tech:[redacted]@smtp.example.com:587'],
    ['open http://127.0.0.1:5173/?token=abcDEF123_-x&x=1', 'open http://127.0.0.1:5173/?token=[redacted]&x=1'],
    ['{"user":"a","password":"hunter22"}', '{"user":"a","password":"[redacted]"}'],
    ["apiKey: 'k-123456'", "apiKey: '[redacted]'"],
    ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [redacted]'],
    ['sent 3 messages; 2 passed', 'sent 3 messages; 2 passed'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('redacts by key at any depth, keeping booleans and empty values that say "no password set"', () => {
    expect(redactValue({ forward: { user: 'u', password: 'p4ss', hasPassword: true, token: '' }, list: [{ sealedPassword: 'xyz' }] })).toEqual({
      forward: { user: 'u', password: '[redacted]', hasPassword: true, token: '' },
      list: [{ sealedPassword: '[redacted]' }],
    });
  });

  it('removes AUTH LOGIN continuation lines until the server answers', () => {
    const lines = [
      { dir: 'C', line: 'EHLO cam' },
      { dir: 'C', line: 'AUTH LOGIN' },
      { dir: 'S', line: '334 VXNlcm5hbWU6' },
      { dir: 'C', line: 'Y2FtdXNlcg==' },
      { dir: 'S', line: '334 UGFzc3dvcmQ6' },
      { dir: 'C', line: 'Q2FtLVNlY3JldC03Nw==' },
      { dir: 'S', line: '235 Authentication successful' },
      { dir: 'C', line: 'MAIL FROM:<cam@site>' },
    ];
    expect(redactTranscript(lines).map((l) => l.line)).toEqual(['EHLO cam', 'AUTH LOGIN', '334 VXNlcm5hbWU6', '[redacted]', '334 UGFzc3dvcmQ6', '[redacted]', '235 Authentication successful', 'MAIL FROM:<cam@site>']);
  });

  it('scrubs known secrets from binary data in UTF-8 and UTF-16LE, keeping the length', () => {
    const dump = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('xx Forward-Pa55 yy'), Buffer.from('Forward-Pa55', 'utf16le'), Buffer.from([9])]);
    const r = scrubKnownSecrets(dump, ['Forward-Pa55', 'ab']);
    expect(r.hits).toBe(2);
    expect(r.data.length).toBe(dump.length);
    expect(leaks(new Map([['d', r.data]]), ['Forward-Pa55'])).toEqual([]);
  });
});

describe('support bundle writer', () => {
  it('keeps going when one part fails, and says so in the README', async () => {
    const w = new SupportBundleWriter({
      now: () => new Date('2026-11-01T10:00:00Z'),
      providers: [
        { name: 'good', describe: 'works', collect: () => [{ path: 'a.json', json: { token: 'tok-999999' } }] },
        { name: 'bad', describe: 'fails', collect: () => Promise.reject(new Error('disk gone; password=oops1234')) },
        { name: '../evil', describe: 'tries to escape', collect: () => [{ path: '../../etc/passwd', text: 'x' }] },
      ],
    });
    const b = await w.build();
    expect(b.fileName).toBe('sarix-support-2026-11-01T10-00-00Z.zip');
    const files = await unzip(b.bytes);
    expect([...files.keys()].sort()).toEqual(['.._evil/etc/passwd', 'README.txt', 'good/a.json'].sort());
    const readme = files.get('README.txt')!.toString();
    expect(readme).toMatch(/bad: disk gone; password=\[redacted\]/);
    expect(leaks(files, ['tok-999999', 'oops1234'])).toEqual([]);
  });
});

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
      { options: { listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], acceptAnyAuth: true, forward: { host: '127.0.0.1', port: 1, security: 'none', user: 'tech', password: FORWARD_PASSWORD, verifyCertificate: true, rules: [{ match: 'recipient', pattern: 'nobody@nowhere.invalid' }] } } } as never,
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
