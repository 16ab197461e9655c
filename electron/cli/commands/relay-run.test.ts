import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SARIX_BIN, spawnSarix } from '../../testing/cli';
import { forwardPasswordFrom } from './relay-run';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-cli-pw-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('forwarding password from the environment or a file', () => {
  it('reads the variable or the first line of the file, and says what is wrong otherwise', async () => {
    expect(await forwardPasswordFrom({ forwardPasswordEnv: 'FWD_PW' }, { FWD_PW: 's3cret word' })).toBe('s3cret word');
    await expect(forwardPasswordFrom({ forwardPasswordEnv: 'FWD_PW' }, {})).rejects.toThrow(/FWD_PW is not set/);
    await writeFile(join(dir, 'pw'), 'from-file\n');
    expect(await forwardPasswordFrom({ forwardPasswordFile: join(dir, 'pw') })).toBe('from-file');
    await writeFile(join(dir, 'empty'), '\n');
    await expect(forwardPasswordFrom({ forwardPasswordFile: join(dir, 'empty') })).rejects.toThrow(/is empty/);
    await expect(forwardPasswordFrom({ forwardPasswordFile: join(dir, 'missing') })).rejects.toThrow(/cannot read .*ENOENT/);
    await expect(forwardPasswordFrom({ forwardPasswordEnv: 'A', forwardPasswordFile: 'b' })).rejects.toThrow(/not both/);
    expect(await forwardPasswordFrom({})).toBeUndefined();
  });

  it('refuses a login over smtp:// without TLS unless forced, and says why', async () => {
    const r = await spawnSarix('relay', '--listen', '127.0.0.1:0', '--data', join(dir, 'never'), '--forward', 'smtp://user:pw@127.0.0.1:2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/password unencrypted.*STARTTLS.*--forward-allow-plain-password/s);
  });

  it('forwards with a password that never appears on the command line', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=upstream.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const logins: string[] = [];
    const upstream = new SMTPServer({
      key: await readFile(join(dir, 'key.pem')),
      cert: await readFile(join(dir, 'cert.pem')),
      authMethods: ['PLAIN', 'LOGIN'],
      disableReverseLookup: true,
      logger: false,
      onAuth(auth, _s, cb) {
        logins.push(`${auth.username}:${auth.password}`);
        cb(null, { user: auth.username });
      },
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const upPort = (upstream.server.address() as { port: number }).port;
    const password = 'app-password-from-env';
    const child = spawn(
      process.execPath,
      [SARIX_BIN, 'relay', '--listen', '127.0.0.1:0', '--data', join(dir, 'data'), '--json', '--forward', `smtp+starttls://relay%40corp.example@127.0.0.1:${upPort}`, '--forward-ca', join(dir, 'cert.pem'), '--forward-password-env', 'SARIX_TEST_FWD_PW'],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SARIX_TEST_FWD_PW: password } },
    );
    try {
      let err = '';
      const port = await new Promise<number>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          err += d;
          const m = /Relay listening on 127\.0\.0\.1:(\d+)/.exec(err);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`sarix relay exited with ${code}: ${err}`)));
      });
      const cmdline = await readFile(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(cmdline).not.toContain(password);
      await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ from: 'cam@site.local', to: 'alarms@corp.example', subject: 'forwarded', text: 'x' });
      while (logins.length === 0) await new Promise((r) => setTimeout(r, 50));
      expect(logins).toEqual([`relay@corp.example:${password}`]);
      expect(err).not.toContain(password);
    } finally {
      // Wait for the relay to flush and exit: it still writes into the data folder that afterAll removes.
      const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
      await new Promise<void>((r) => upstream.close(() => r()));
    }
  });
});
