import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli/main';
import { loopbackCameras } from '../../simulator/test-cameras';
import { makeVariant } from '../../simulator/variants/spec';
import { unzipBuffer } from '../common/zip';
import { captureCamera, redactUrl } from './capture';
import { createSarixWebDriver } from './driver';
import { loadProfileFile } from './firmware-profile';

const cam = loopbackCameras();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-capture-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first seed whose variant matches. */
function seedWhere(ok: (v: ReturnType<typeof makeVariant>) => boolean): number {
  let s = 1;
  while (!ok(makeVariant(s))) s++;
  return s;
}

async function sarix(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
  try {
    return { status: await runCli(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function unzip(bytes: Buffer): Promise<Record<string, string>> {
  return Object.fromEntries([...(await unzipBuffer(bytes))].map(([k, v]) => [k, v.toString('utf8')]));
}

describe('sarix capture', () => {
  it.each([
    ['tokens in the form action, one per form', (v: ReturnType<typeof makeVariant>) => v.token.place === 'query' && v.token.scope === 'form'],
    ['tokens outside the form, per session', (v: ReturnType<typeof makeVariant>) => v.token.place === 'outside' && v.token.scope === 'session'],
  ])('writes every visited page with no password and no session token in the zip (%s)', async (_what, pick) => {
    const seed = seedWhere(pick);
    const c = await cam({ variant: seed, password: 'S3cretPa55' });
    const before = c.state();
    const out = join(dir, `cap-${seed}.zip`);
    const r = await sarix('capture', '--camera', c.url, '--password', 'S3cretPa55', '--out', out);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Saved \d+ pages/);
    const files = await unzip(await readFile(out));
    const pages = Object.keys(files).filter((f) => f.startsWith('pages/'));
    expect(pages.length).toBeGreaterThan(5);
    const secrets = c.issuedSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const [name, text] of Object.entries(files)) {
      expect(text.includes('S3cretPa55'), `${name} holds the password`).toBe(false);
      for (const s of secrets) expect(text.includes(s), `${name} holds the session secret ${s}`).toBe(false);
    }
    const findings = JSON.parse(files['findings.json']);
    expect(findings.steps.filter((s: { ok: boolean }) => !s.ok)).toEqual([]);
    expect(findings.pages.map((p: { page: string; foundAt?: string }) => p.page)).toEqual(expect.arrayContaining(['general', 'sources', 'handlers', 'analytics']));
    // Nothing was changed on the camera: a capture only reads.
    expect(c.state()).toEqual(before);
  });

  it('a new label wording: the driver fails and says what it saw, the capture shows it, and a profile file (data) fixes it', async () => {
    const spec = { ...makeVariant(seedWhere((v) => !v.keepGeneralPath)), wording: { ...makeVariant(1).wording, smtpServer: 'Outgoing Mail Relay' } };
    const c = await cam({ variant: spec });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    await expect(d.setSmtpServer('10.0.0.25')).rejects.toMatchObject({ code: 'CAMERA_ERROR', message: expect.stringMatching(/System > General.*found no SMTP server field.*sarix capture/) });

    const r = await captureCamera({ url: c.url, username: 'admin', password: 'admin', out: join(dir, 'new-wording.zip') });
    expect(r.problems.join(' ')).toMatch(/System > General/);
    const files = await unzip(await readFile(r.file));
    expect(Object.entries(files).some(([name, text]) => name.startsWith('pages/') && /Outgoing Mail Relay/i.test(text))).toBe(true);

    const profileFile = join(dir, 'outgoing-relay.json');
    await writeFile(profileFile, JSON.stringify({ name: 'fw-outgoing-relay', labels: { 'general.smtpServer': ['^outgoing mail relay$'] } }));
    const profile = await loadProfileFile(profileFile);
    const d2 = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin', profile });
    await d2.setSmtpServer('10.0.0.25');
    expect(c.state().general.smtpServer).toBe('10.0.0.25');

    const cli = await sarix('commission', '--camera', c.url, '--password', 'admin', '--smtp-server', '192.168.1.10', '--ntp-server', 'ntp.site.lan', '--to', 'a@site.lan', '--from', 'b@site.lan', '--no-test', '--data', dir, '--profile', profileFile);
    expect(cli.stdout + cli.stderr).toMatch(/PASS/);
    expect(cli.status).toBe(0);
  });

  it('refuses a profile file that is not a profile, saying where', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ labels: { 'general.smtpServer': 'not a list' } }));
    await expect(loadProfileFile(bad)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/labels\.general\.smtpServer/) });
    await writeFile(bad, '{"labels":{"general.smtpServer":["("]}}');
    await expect(loadProfileFile(bad)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/not a valid regular expression/) });
  });

  it('blanks token-like query values', () => {
    expect(redactUrl('/a/b?page=x&csrf12=abc123&n=Alarm1')).toBe('/a/b?page=x&csrf12=[redacted]&n=Alarm1');
    expect(redactUrl('/x?k=4f9a8c7d6e5b4a3c2d1e')).toBe('/x?k=[redacted]');
  });
});
