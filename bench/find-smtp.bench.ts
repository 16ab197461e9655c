/**
 * Mail-server finder benchmark, loopback only: a /24 (127.0.12.0/24, 254 addresses) with four SMTP servers placed
 * on it, walked with the default bounds (16 at once, 20 per second) and with the widest (64 at once, 200 per
 * second), plus the DNS part (MX, SRV, names) through a DNS fixture. Reported: the time for the whole search and
 * what the bounds looked like from the network's side (peak connections open at once, most starts in any one
 * second). Timing is reported, never asserted. Bounded: a hard stop after 3 minutes.
 */
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { FindMailServersRequestSchema, type FindMailServersRequestInput, type MailServerReport } from '../shared/domain/mail-servers';
import { silentLogger } from '../electron/services/common/logger';
import { startSmtpPeer, type SmtpPeer } from '../electron/services/diagnostics/test-peers';
import { tcpDialer } from '../electron/services/diagnostics/smtp-probe';
import { MailServerFinder } from '../electron/services/mailservers/mail-server-finder';
import { startDnsFixture } from '../electron/services/mailservers/test-dns-server';
import { percentile, writeResultsSection } from './lib/results';

const hardStop = setTimeout(() => {
  process.stderr.write('find-smtp bench: hard time limit reached, stopping\n');
  process.exit(1);
}, 180_000);
hardStop.unref();

const NET = '127.0.12';
const peers: SmtpPeer[] = [];
const first = await startSmtpPeer('accept', { host: `${NET}.10`, name: 'mail.site.test', banner: 'Postfix' });
const port = first.port;
peers.push(
  first,
  await startSmtpPeer('require-auth', { host: `${NET}.20`, port, name: 'ex01.site.test', banner: 'Microsoft ESMTP MAIL Service ready', authReply: { code: 530, message: '5.7.1 Client was not authenticated' } }),
  await startSmtpPeer('refuse-relay', { host: `${NET}.30`, port, name: 'smtp.site.test', banner: 'Exim 4.96', localDomain: 'site.test' }),
  await startSmtpPeer('accept', { host: `${NET}.200`, port, name: 'diskstation.site.test', banner: 'Postfix' }),
);
const dns = await startDnsFixture(
  {
    mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }, { exchange: 'ex01.site.test', priority: 20 }] },
    srv: { '_submission._tcp.site.test': [{ name: 'mail.site.test', port: 587, priority: 0, weight: 1 }] },
    addresses: { 'mail.site.test': [`${NET}.10`], 'ex01.site.test': [`${NET}.20`], 'smtp.site.test': [`${NET}.30`] },
  },
  { address: `${NET}.253` },
);

/** A dialer that dials for real and records when each connection started and how many were open at once. */
function measuringDialer() {
  const starts: number[] = [];
  let open = 0;
  let peak = 0;
  const dial = (address: string, p: number): Socket => {
    starts.push(performance.now());
    const s = tcpDialer(address, p);
    open++;
    peak = Math.max(peak, open);
    s.once('close', () => open--);
    return s;
  };
  return { dial, starts, peak: () => peak };
}

/** Most connection starts inside any one-second window. */
function maxPerSecond(starts: number[]): number {
  const s = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i] - s[j] >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

interface Row {
  label: string;
  totalMs: number;
  scanMs: number;
  tried: number;
  answered: number;
  peak: number;
  perSecond: number;
  verdicts: string;
}

async function run(label: string, input: FindMailServersRequestInput): Promise<Row> {
  const m = measuringDialer();
  let scanDone = 0;
  const f = new MailServerFinder({ log: silentLogger, hostsFile: async () => new Map(), dial: m.dial, siteDns: async () => ({ domains: ['site.test'], nameservers: [{ address: dns.address, port: dns.port }], from: 'bench' }) });
  const t0 = performance.now();
  let scanStart = t0;
  const report: MailServerReport = await f.find(FindMailServersRequestSchema.parse({ port, ...input }), {
    onProgress: (p) => {
      if (p.kind === 'step' && p.step === 'scan') scanStart = performance.now();
      if (p.kind === 'step' && p.step === 'test') scanDone = performance.now();
    },
  });
  const totalMs = performance.now() - t0;
  const verdicts = report.servers.map((s) => `${s.address?.split('.').pop()}:${s.verdict.status}`).join(' ');
  const scanStarts = m.starts.filter((t) => t >= scanStart && (!scanDone || t < scanDone));
  return {
    label,
    totalMs,
    scanMs: (scanDone || performance.now()) - scanStart,
    tried: report.scan?.tried ?? 0,
    answered: report.scan?.answered ?? 0,
    peak: m.peak(),
    perSecond: maxPerSecond(scanStarts),
    verdicts,
  };
}

try {
  const rows: Row[] = [];
  rows.push(await run('default bounds (16 at once, 20/s)', { subnets: [`${NET}.0/24`] }));
  for (let i = 0; i < 3; i++) rows.push(await run(`widest bounds (64 at once, 200/s), run ${i + 1}`, { subnets: [`${NET}.0/24`], limits: { concurrency: 64, ratePerSecond: 200 } }));
  const dnsOnly: number[] = [];
  for (let i = 0; i < 10; i++) dnsOnly.push((await run('DNS only', {})).totalMs);

  const table = [
    '| run | search total | subnet walk | tried | answered | peak open | most starts in 1 s | verdicts (last octet) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${(r.totalMs / 1000).toFixed(2)} s | ${(r.scanMs / 1000).toFixed(2)} s | ${r.tried} | ${r.answered} | ${r.peak} | ${r.perSecond} | ${r.verdicts} |`),
  ].join('\n');
  const body = `### Walking ${NET}.0/24 (254 addresses, 4 SMTP servers on it, 2 of them also named by MX)
${table}

The pace is the bound that matters on a site network: with the defaults a /24 takes about 254 / 20 = 12.7 s by
design, and no second saw more than ${rows[0].perSecond} connection starts (bound: 20); at most ${rows[0].peak} connections were open
at once (bound: 16, plus the dialogues with the servers found).

Load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' / ')} on the shared machine (the widest pace is a ceiling; timers under
load do not reach it).

### DNS only (MX + _submission SRV of site.test, names, 2 servers tested), 10 runs
p50 ${percentile(dnsOnly, 50).toFixed(1)} ms, p95 ${percentile(dnsOnly, 95).toFixed(1)} ms.

Run: \`node --import tsx bench/find-smtp.bench.ts\`.`;
  process.stdout.write(body + '\n');
  writeResultsSection('find-smtp', 'Mail-server finder', body);
} finally {
  for (const p of peers) await p.close();
  await dns.close();
}
