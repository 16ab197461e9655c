import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckId, CheckResult } from '../../../shared/domain/diagnostics';
import { StaticResolver } from './resolver';
import { runSmtpChecks, type SmtpTarget } from './smtp-checks';
import { probeSmtp, dotStuff } from './smtp-probe';
import { countingDialer, freePort, selfSignedCert, startSmtpPeer, type SmtpPeer } from './test-peers';

const peers: Record<string, SmtpPeer> = {};
let closedPort = 0;

beforeAll(async () => {
  const tls = selfSignedCert();
  peers.accept = await startSmtpPeer('accept');
  peers.auth = await startSmtpPeer('require-auth');
  peers.tls = await startSmtpPeer('require-starttls', { tls });
  peers.relay = await startSmtpPeer('refuse-relay', { localDomain: 'site.lan' });
  closedPort = await freePort();
});
afterAll(async () => {
  for (const p of Object.values(peers)) await p.close();
});

const resolver = () => new StaticResolver({ 'relay.site.lan': ['127.0.0.1'], 'mail.example.net': ['8.8.8.8'], 'mixed.site.lan': ['127.0.0.1', '8.8.4.4'] });

async function run(target: Partial<SmtpTarget> & { host: string; port: number }, r = resolver(), dial = countingDialer()) {
  const results: CheckResult[] = [];
  await runSmtpChecks({ source: 'flag', sendTest: false, ...target }, { resolver: r, dial, now: () => performance.now(), report: (x) => results.push(x), replyTimeoutMs: 5000 });
  const by = Object.fromEntries(results.map((x) => [x.id, x])) as Record<CheckId, CheckResult>;
  return { results, by, dial, resolver: r };
}

const SMTP_IDS = ['smtp-resolve', 'smtp-local', 'smtp-connect', 'smtp-greeting', 'smtp-sender', 'smtp-recipient', 'smtp-send-test'];

describe('SMTP checks against real loopback servers', () => {
  it('(a) an accepting server passes every step; STARTTLS on offer is not a problem; nothing is queued without --send-test', async () => {
    const { results, by } = await run({ host: 'relay.site.lan', port: peers.accept.port, to: 'alerts@example.com' });
    expect(results.map((r) => r.id)).toEqual(SMTP_IDS);
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/127\.0\.0\.1 \(answered by the system resolver/) });
    expect(by['smtp-local'].verdict).toBe('pass');
    expect(by['smtp-connect']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/the camera itself always uses 25/) });
    expect(by['smtp-greeting']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/offers STARTTLS/) });
    expect(by['smtp-sender'].verdict).toBe('pass');
    expect(by['smtp-recipient']).toMatchObject({ verdict: 'pass' });
    expect(by['smtp-send-test']).toMatchObject({ verdict: 'skipped' });
    const transcript = by['smtp-recipient'].details.transcript as string[];
    expect(transcript).toContain('C: RSET');
    expect(transcript).toContain('C: QUIT');
    expect(transcript.some((l) => /AUTH|STARTTLS/.test(l) && l.startsWith('C:'))).toBe(false);
    expect(transcript.some((l) => l === 'C: DATA')).toBe(false);
    expect(peers.accept.messages).toHaveLength(0);
  });

  it('(a) with --send-test sends one message through DATA', async () => {
    const before = peers.accept.messages.length;
    const { by } = await run({ host: '127.0.0.1', port: peers.accept.port, to: 'alerts@example.com', from: 'cam1@site.lan', sendTest: true });
    expect(by['smtp-resolve'].message).toBe('127.0.0.1 is an IP address; no lookup needed.');
    expect(by['smtp-send-test']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/250 .*queued as TEST1/) });
    expect(peers.accept.messages).toHaveLength(before + 1);
    const msg = peers.accept.messages.at(-1)!;
    expect(msg).toMatch(/^From: cam1@site\.lan/m);
    expect(msg).toMatch(/^Subject: Sarix doctor test message/m);
  });

  it('(b) a server that demands AUTH fails at MAIL FROM and says the camera cannot log in', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.auth.port, to: 'alerts@example.com' });
    expect(by['smtp-greeting'].verdict).toBe('pass');
    expect(by['smtp-sender']).toMatchObject({ verdict: 'fail', article: 'local-relay', message: expect.stringMatching(/530 .*camera cannot log in/) });
    expect(by['smtp-recipient'].verdict).toBe('skipped');
    expect((by['smtp-sender'].details.transcript as string[]).some((l) => /^S: 530/.test(l))).toBe(true);
  });

  it('(c) a server that demands STARTTLS fails at MAIL FROM and says the camera cannot do TLS', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.tls.port, to: 'alerts@example.com' });
    expect(by['smtp-sender']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/530 5\.7\.0 Must issue a STARTTLS command first.*cannot do TLS/) });
  });

  it('(d) a server that refuses relaying fails RCPT TO for an outside recipient, and accepts a local one', async () => {
    const bad = await run({ host: '127.0.0.1', port: peers.relay.port, to: 'alerts@example.com' });
    expect(bad.by['smtp-sender'].verdict).toBe('pass');
    expect(bad.by['smtp-recipient']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/refuses to relay.*550 5\.7\.1 Relaying denied/), fix: expect.stringMatching(/allow-list/) });
    const good = await run({ host: '127.0.0.1', port: peers.relay.port, to: 'ops@site.lan' });
    expect(good.by['smtp-recipient'].verdict).toBe('pass');
  });

  it('(e) a port with nothing listening fails the connect step with "connection refused"', async () => {
    const { by } = await run({ host: '127.0.0.1', port: closedPort });
    expect(by['smtp-connect']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/Nothing listens.*refused/), article: 'port-25' });
    expect(by['smtp-greeting'].verdict).toBe('skipped');
  });

  it('skips the recipient check without --to, after testing MAIL FROM', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.accept.port });
    expect(by['smtp-sender'].verdict).toBe('pass');
    expect(by['smtp-recipient']).toMatchObject({ verdict: 'skipped', fix: expect.stringMatching(/--to/) });
  });
});

describe('SMTP checks never touch public servers', () => {
  it('refuses a name that resolves to a public address without connecting', async () => {
    const { by, dial } = await run({ host: 'mail.example.net', port: 25, to: 'a@b.com' });
    expect(by['smtp-resolve'].verdict).toBe('pass');
    expect(by['smtp-local']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/8\.8\.8\.8.*not on the local network.*LOCAL network SMTP server/) });
    expect(by['smtp-connect']).toMatchObject({ verdict: 'skipped', message: expect.stringMatching(/never connects to public/) });
    expect(dial.attempts).toEqual([]);
  });

  it('refuses a well-known provider by name, without a lookup and without connecting', async () => {
    const { by, dial, resolver: r } = await run({ host: 'smtp.gmail.com', port: 587, to: 'a@gmail.com' });
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'skipped', message: expect.stringMatching(/public mail service/) });
    expect(by['smtp-local']).toMatchObject({ verdict: 'fail', article: 'forward-gmail', message: expect.stringMatching(/gmail\.com.*Gmail or Office 365 cannot be used directly/) });
    expect(r.asked).toEqual([]);
    expect(dial.attempts).toEqual([]);
  });

  it('refuses a public IP literal and a name with any public address among local ones', async () => {
    for (const host of ['8.8.8.8', 'mixed.site.lan']) {
      const { by, dial } = await run({ host, port: 25 });
      expect(by['smtp-local'].verdict).toBe('fail');
      expect(dial.attempts).toEqual([]);
    }
  });

  it('reports an unresolvable name with the resolver that (did not) answer', async () => {
    const { by, dial } = await run({ host: 'nothing.site.lan', port: 25 });
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/no resolver answered \(ENOTFOUND\)/) });
    expect(by['smtp-local'].verdict).toBe('skipped');
    expect(dial.attempts).toEqual([]);
  });

  it('the probe itself refuses a public address', async () => {
    const dial = countingDialer();
    await expect(probeSmtp({ address: '1.1.1.1', port: 25, from: 'a@b.c', dial })).rejects.toThrow(/only talks to local/);
    expect(dial.attempts).toEqual([]);
  });

  it('warns when a camera is set to a loopback address (it points at itself)', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.accept.port, source: 'camera' });
    expect(by['smtp-local']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/camera itself/) });
  });
});

describe('dialogue edge cases', () => {
  it('fails the greeting when the server never sends a banner', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer((s) => s.on('error', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const results: CheckResult[] = [];
      await runSmtpChecks({ host: '127.0.0.1', port, source: 'flag', sendTest: false }, { resolver: resolver(), now: () => performance.now(), report: (x) => results.push(x), replyTimeoutMs: 200 });
      const g = results.find((r) => r.id === 'smtp-greeting')!;
      expect(g).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/stopped answering \(banner: no reply within/) });
    } finally {
      silent.close();
    }
  });

  it('falls back to HELO when EHLO is refused, and reads multi-line replies', async () => {
    const { createServer } = await import('node:net');
    const old = createServer((s) => {
      s.write('220-old.lan first line\r\n220 old.lan ready\r\n');
      s.on('data', (d) => {
        for (const line of d.toString().split('\r\n').filter(Boolean)) {
          if (line.startsWith('EHLO')) s.write('502 5.5.1 Command not implemented\r\n');
          else if (line.startsWith('HELO')) s.write('250 old.lan\r\n');
          else if (line.startsWith('MAIL')) s.write('250 ok\r\n');
          else if (line.startsWith('RSET')) s.write('250 ok\r\n');
          else if (line.startsWith('QUIT')) s.end('221 bye\r\n');
        }
      });
      s.on('error', () => {});
    });
    await new Promise<void>((r) => old.listen(0, '127.0.0.1', () => r()));
    const port = (old.address() as { port: number }).port;
    try {
      const p = await probeSmtp({ address: '127.0.0.1', port, from: 'a@b.lan' });
      expect(p.banner).toEqual({ code: 220, lines: ['old.lan first line', 'old.lan ready'] });
      expect(p.usedHelo).toBe(true);
      expect(p.mailFrom?.code).toBe(250);
      expect(p.transcript).toContain('C: HELO [127.0.0.1]');
    } finally {
      old.close();
    }
  });

  it('dot-stuffs DATA lines', () => {
    expect(dotStuff('a\n.b\n..c')).toBe('a\r\n..b\r\n...c\r\n');
  });
});
