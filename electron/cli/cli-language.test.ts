/**
 * The CLI prints for a person in the terminal's language (LANGUAGE/LC_ALL/LC_MESSAGES/LANG, as gettext reads them)
 * and in English for C/POSIX; --json stays the same for programs. In-process runs read process.env at each line,
 * so each test sets the locale it means; one child process shows the same through bin/sarix.js.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loopbackCameras } from '../simulator/test-cameras';
import { SARIX_BIN } from '../testing/cli';
import { runCli } from './main';

const LOCALE_VARS = ['LANGUAGE', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const;
const GERMAN = { LANG: 'de_DE.UTF-8' };
const C_LOCALE = { LANG: 'de_DE.UTF-8', LC_ALL: 'C' };
const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('sarix in the terminal language (in process)', () => {
  let saved: Partial<Record<(typeof LOCALE_VARS)[number], string>>;
  let stdout: MockInstance;
  let stderr: MockInstance;
  const out = () => stdout.mock.calls.map((c) => String(c[0])).join('');
  const err = () => stderr.mock.calls.map((c) => String(c[0])).join('');
  const locale = (vars: Partial<Record<(typeof LOCALE_VARS)[number], string>>) => {
    for (const k of LOCALE_VARS) delete process.env[k];
    Object.assign(process.env, vars);
  };
  beforeEach(() => {
    saved = Object.fromEntries(LOCALE_VARS.map((k) => [k, process.env[k]]));
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
    for (const k of LOCALE_VARS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  const camera = loopbackCameras();
  const discover = async () => {
    const cam = await camera({ ssdp: { port: 0 } });
    return runCli(['discover', '--hosts', '127.0.0.1', '--http-port', new URL(cam.url).port, '--ssdp-port', String(cam.ssdpPort), '--timeout', '0.5']);
  };

  it('discover --hosts against the practice simulator: German with LANG=de_DE.UTF-8', async () => {
    locale(GERMAN);
    expect(await discover()).toBe(0);
    expect(err()).toMatch(/^gefunden: Sarix-Kamera 127\.0\.0\.1 \(/m);
    expect(out()).toMatch(/^Sarix-Kameras \(1\):\n {2}127\.0\.0\.1 /m);
    expect(out()).toContain('Andere Geräte (0):\n  (keine)\n');
  });

  it('discover --hosts stays English under LC_ALL=C (which overrides LANG)', async () => {
    locale(C_LOCALE);
    expect(await discover()).toBe(0);
    expect(err()).toMatch(/^found Sarix camera 127\.0\.0\.1 \(/m);
    expect(out()).toMatch(/^Sarix cameras \(1\):\n {2}127\.0\.0\.1 /m);
    expect(out()).toContain('Other devices (0):\n  (none)\n');
  });

  it('usage errors and the help say it in German, with commander built at that moment', async () => {
    locale(GERMAN);
    expect(await runCli(['serve', '--port', 'achtzig'])).toBe(2);
    expect(err()).toContain('--port muss eine ganze Zahl sein (erhalten: „achtzig“).');
    expect(err()).toContain('„sarix --help“ zeigt die Liste der Befehle');
    expect(await runCli(['capture', '--camera', '127.0.0.1', '--out', 'x.txt', '--password', 'p'])).toBe(2);
    expect(err()).toContain('Fehler: --out muss eine .zip-Datei nennen, z. B. --out camera-capture.zip.');
    stdout.mockClear();
    expect(await runCli(['relay', '--help'])).toBe(0);
    expect(out()).toMatch(/^Aufruf: sarix relay /m);
    expect(out()).toMatch(/^Optionen:$/m);
    // Commander wraps the descriptions to the terminal width: compare with the line breaks folded.
    expect(flat(out())).toContain('Adresse und Port, auf denen gelauscht wird (eine Schnittstelle; Port 0 = ein beliebiger freier Port) (Standard: "127.0.0.1:25")');
  });

  it('the same help in English under LANG=C.UTF-8', async () => {
    locale({ LANG: 'C.UTF-8' });
    expect(await runCli(['relay', '--help'])).toBe(0);
    expect(out()).toMatch(/^Usage: sarix relay /m);
    expect(flat(out())).toContain('address and port to listen on (one interface; port 0 = any free port) (default: "127.0.0.1:25")');
  });
});

describe('sarix relay as a child process', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarix-cli-language-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts `sarix relay` with a locale and returns its first stderr line (the start line), then stops it. */
  async function startLine(vars: Record<string, string>, data: string): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of LOCALE_VARS) delete env[k];
    const child = spawn(process.execPath, [SARIX_BIN, 'relay', '--listen', '127.0.0.1:0', '--data', join(dir, data)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...env, ...vars } });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      return await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          text += d;
          if (text.includes('\n')) resolve(text.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`sarix relay exited with ${code}: ${text}`)));
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  it('says where it listens in German, and in English for LC_ALL=C', async () => {
    expect(await startLine(GERMAN, 'de')).toMatch(/^Relay lauscht auf 127\.0\.0\.1:\d+; Mail in .*; zugelassen: 127\.0\.0\.0\/8, ::1\. Beenden mit Strg\+C\.$/);
    expect(await startLine(C_LOCALE, 'c')).toMatch(/^Relay listening on 127\.0\.0\.1:\d+; mail in .*; allowed: 127\.0\.0\.0\/8, ::1\. Press Ctrl\+C to stop\.$/);
  });
});
