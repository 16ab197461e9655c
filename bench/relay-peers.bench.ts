/**
 * The relay next to its peers, side by side in one run (issue 18's targets): the relay as a built CLI, MailDev 3
 * (no fsync), a private Postfix 3.7 that keeps the mail queued (fsyncs its queue file) and the same Postfix
 * storing only (mail put on hold). The load is Postfix's smtp-source with a ~70 KB camera alarm mail with a JPEG,
 * in three modes: 20 reused connections, a new connection per message (20 at a time: what cameras do) and one
 * connection (latency). Servers alternate within each round (the order rotates between rounds) with a fresh
 * instance each, so a busy machine slows them alike; ratios are medians of per-round ratios. Every server must
 * store every message. Then RSS/PSS with 10,000 stored messages: after ingest, at rest, and after a restart.
 * Everything on 127.0.0.1; the peers are fetched into a temporary folder (bench/lib/peers.ts). Linux + root.
 * Run: node --import tsx bench/relay-peers.bench.ts   (or npm run bench -- peers)
 * Env: PEER_ROUNDS (default 6), PEER_REUSE/PEER_NEW/PEER_SINGLE (messages per mode, default 2000/1000/300),
 *      PEER_SERVERS (default "relay maildev postfix postfix_hold"), PEER_10K=0 skips the 10,000-message phase,
 *      PEER_MAILDEV_10K=0 skips MailDev in it, SARIX_PEER_TOOLS (where the peers are installed).
 */
// Long on purpose: main is the run itself, phase after phase in the order the figures are recorded (rounds of the three modes per server, then RSS with 10,000 stored, then the table); its helpers start, stop and feed the servers, and splitting the phases would only pass the same state (work folder, peers, message file, results) from one to the next.
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResultsSection } from './lib/results';
import { alarmMessage, countFiles, cpuTicks, memory, peersUnavailable, postfixInstance, preparePeers, relayCli, smtpSource, startProcess, stopTree, TOOLS, waitPort } from './lib/peers';

type Server = 'relay' | 'maildev' | 'postfix' | 'postfix_hold';
type Mode = 'reuse' | 'newconn' | 'single';
const MODES: Mode[] = ['reuse', 'newconn', 'single'];
const ROUNDS = Number(process.env.PEER_ROUNDS ?? 6);
const SESS = 20;
const WARMUP = 100;
const COUNT: Record<Mode, number> = { reuse: Number(process.env.PEER_REUSE ?? 2000), newconn: Number(process.env.PEER_NEW ?? 1000), single: Number(process.env.PEER_SINGLE ?? 300) };
const SERVERS = (process.env.PEER_SERVERS ?? 'relay maildev postfix postfix_hold').split(/\s+/).filter(Boolean) as Server[];
const TICK_MS = 10; // USER_HZ 100
const LABEL: Record<Server, string> = {
  relay: 'relay (built CLI; file + directory fsync before 250)',
  maildev: 'MailDev 3 (no fsync)',
  postfix: 'Postfix 3.7 (fsyncs the queue file; mail stays queued)',
  postfix_hold: 'Postfix 3.7, storing only (mail on hold)',
};

interface Row {
  round: number;
  server: Server;
  mode: Mode;
  msgs: number;
  stored: number;
  wallS: number;
  rate: number;
  cpuMsPerMsg: number;
  load1: number;
}

const log = (m: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

interface Running {
  server: Server;
  proc: ChildProcess;
  port: number;
  data: string;
  stored: () => number;
}

async function main(): Promise<void> {
  const why = peersUnavailable();
  if (why) {
    console.log(`relay-peers: skipped: ${why}.`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'relay-peers-'));
  // Postfix's daemons run as the postfix user and must reach their queue under this folder.
  chmodSync(work, 0o755);
  const running = new Set<ChildProcess>();
  try {
    let peers: { postfix: string; maildev: string };
    try {
      peers = preparePeers(log);
    } catch (e) {
      // Offline, or no Debian mirror / npm registry reachable: nothing to compare with. Not a failure of the relay.
      console.log(`relay-peers: skipped: Postfix or MailDev could not be fetched (${String((e as Error).message).split('\n')[0]}). It needs \`apt-get download postfix\` and \`npm install maildev@3\` to work once (kept in ${TOOLS}; SARIX_PEER_TOOLS moves it).`);
      return;
    }
    const { postfix: pf, maildev } = peers;
    const cli = relayCli();
    log(`relay: ${cli.how}`);
    // smtp-source -F sends each line of the file followed by CRLF, so the file itself has bare LF line ends.
    const message = await alarmMessage();
    const msgFile = join(work, 'alarm.eml');
    writeFileSync(msgFile, message.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    mkdirSync(join(work, 'data'), { mode: 0o755 });

    const start = async (server: Server, tag: string, data = join(work, 'data', `${server}-${tag}`), fresh = true): Promise<Running> => {
      if (fresh) rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true, mode: 0o755 });
      const port = await freePort();
      let proc: ChildProcess;
      let stored: () => number;
      if (server === 'relay') {
        proc = startProcess(process.execPath, [cli.script, 'relay', '--listen', `127.0.0.1:${port}`, '--data', data, '--allow', '127.0.0.0/8', '--json'], `${data}-${tag}`);
        stored = () => countFiles([join(data, 'maildir', 'new'), join(data, 'maildir', 'cur')]);
      } else if (server === 'maildev') {
        const web = await freePort();
        proc = startProcess(process.execPath, [maildev, '--smtp', String(port), '--ip', '127.0.0.1', '--web', String(web), '--web-ip', '127.0.0.1', '--mail-directory', data, '--silent'], `${data}-${tag}`);
        await waitPort(web, 300, proc);
        stored = () => countFiles([data], (n) => n.endsWith('.eml'));
      } else {
        const conf = postfixInstance(pf, data, port, server === 'postfix_hold' ? 'hold' : 'defer');
        proc = startProcess(join(pf, 'usr', 'lib', 'postfix', 'sbin', 'master'), ['-c', conf, '-d'], `${data}-${tag}`, { ...process.env, LD_LIBRARY_PATH: join(pf, 'usr', 'lib', 'postfix') });
        const q = join(data, 'queue');
        stored = () => countFiles(['incoming', 'active', 'deferred', 'hold'].map((d) => join(q, d)));
      }
      running.add(proc);
      await waitPort(port, 300, proc).catch((e: Error) => {
        throw new Error(`${server} did not start: ${e.message}; ${readFileSync(`${data}-${tag}.err`, 'utf8').trim().split('\n').slice(-3).join(' | ')}`);
      });
      return { server, proc, port, data, stored };
    };
    const stop = async (r: Running) => {
      await stopTree(r.proc);
      running.delete(r.proc);
    };
    const send = async (r: Running, mode: Mode, msgs: number) => {
      const flags = mode === 'newconn' ? [] : ['-d'];
      const sessions = mode === 'single' ? 1 : SESS;
      const res = await smtpSource(pf, ['-s', String(sessions), '-m', String(msgs), ...flags, '-F', msgFile, '-f', 'cam1@site.local', '-t', 'tech@site.local', `127.0.0.1:${r.port}`]);
      if (res.code !== 0) log(`WARN: smtp-source exited ${res.code} for ${r.server}/${mode}: ${res.output.trim().split('\n').slice(-2).join(' | ')}`);
    };

    const rows: Row[] = [];
    log(`rounds ${ROUNDS}, servers ${SERVERS.join(' ')}, messages per mode ${MODES.map((m) => `${m} ${COUNT[m]}`).join(', ')}, ${SESS} sessions, ${message.length} B message; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    const loads: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Rotate the order so no server always runs first (or right after the same neighbour).
      const order = SERVERS.map((_, i) => SERVERS[(i + round - 1) % SERVERS.length]);
      for (const server of order) {
        const r = await start(server, `r${round}`);
        await send(r, 'reuse', WARMUP); // untimed warm-up: JIT, lazily loaded modules, Postfix's process pool
        for (const mode of MODES) {
          const before = r.stored();
          const c0 = cpuTicks(r.proc.pid!);
          const t0 = performance.now();
          await send(r, mode, COUNT[mode]);
          const wallS = (performance.now() - t0) / 1000;
          const c1 = cpuTicks(r.proc.pid!);
          let stored = r.stored() - before;
          for (let i = 0; i < 40 && stored < COUNT[mode]; i++) {
            await new Promise((res) => setTimeout(res, 100));
            stored = r.stored() - before;
          }
          const load1 = loadavg()[0];
          loads.push(load1);
          rows.push({ round, server, mode, msgs: COUNT[mode], stored, wallS, rate: COUNT[mode] / wallS, cpuMsPerMsg: ((c1 - c0) * TICK_MS) / COUNT[mode], load1 });
          log(`r${round} ${server} ${mode}: ${f(COUNT[mode] / wallS)} msg/s, stored ${stored}/${COUNT[mode]}, CPU ${f(((c1 - c0) * TICK_MS) / COUNT[mode], 2)} ms/msg, load ${load1.toFixed(1)}`);
        }
        await stop(r);
        rmSync(r.data, { recursive: true, force: true });
      }
    }

    // RSS with 10,000 stored messages: after ingest, at rest (idle writer threads gone), after a restart.
    const rss10k: Array<{ server: Server; stored: number; ingest: ReturnType<typeof memory>; rest: ReturnType<typeof memory>; restart: ReturnType<typeof memory>; restartS: number }> = [];
    if (process.env.PEER_10K !== '0') {
      for (const server of (['relay', 'maildev'] as Server[]).filter((s) => s === 'relay' || process.env.PEER_MAILDEV_10K !== '0')) {
        const data = join(work, 'data', `${server}-10k`);
        let r = await start(server, '10k', data);
        for (let k = 0; k < 5; k++) await send(r, 'reuse', 2000);
        let stored = r.stored();
        for (let i = 0; i < 50 && stored < 10_000; i++) {
          await new Promise((res) => setTimeout(res, 100));
          stored = r.stored();
        }
        const ingest = memory(r.proc.pid!);
        await new Promise((res) => setTimeout(res, 15_000));
        const rest = memory(r.proc.pid!);
        await stop(r);
        const t0 = performance.now();
        r = await start(server, '10k-again', data, false);
        const restartS = (performance.now() - t0) / 1000;
        await new Promise((res) => setTimeout(res, 3000));
        const restart = memory(r.proc.pid!);
        await stop(r);
        rss10k.push({ server, stored, ingest, rest, restart, restartS });
        log(`10k ${server}: stored ${stored}; RSS ${f(ingest.rssKb / 1024)} MB after ingest, ${f(rest.rssKb / 1024)} MB at rest, ${f(restart.rssKb / 1024)} MB after restart (${f(restartS, 1)} s)`);
        rmSync(data, { recursive: true, force: true });
      }
    }

    // ---------- report ----------
    const get = (round: number, s: Server, m: Mode) => rows.find((x) => x.round === round && x.server === s && x.mode === m);
    const rounds = [...new Set(rows.map((x) => x.round))];
    const ratio = (peer: Server, m: Mode) => {
      const per = rounds.map((rd) => {
        const a = get(rd, 'relay', m);
        const b = get(rd, peer, m);
        return a && b ? a.rate / b.rate : NaN;
      });
      return { med: median(per), per };
    };
    const lines: string[] = [];
    lines.push(`Command: \`node --import tsx bench/relay-peers.bench.ts\` (or \`npm run bench -- peers\`). ${rounds.length} rounds; in each, every server ran fresh in turn (order rotated per round): ${COUNT.reuse} messages over ${SESS} reused connections, ${COUNT.newconn} with a new connection per message (${SESS} at a time), ${COUNT.single} over one connection, after an untimed warm-up of ${WARMUP}. Load: Postfix's smtp-source, ${message.length} B alarm mail with a ${f(message.length / 1024)} KB JPEG-bearing MIME body. Relay: ${cli.how}. Loopback only.`);
    lines.push('');
    lines.push(`Load average (1 min) while measuring: median ${f(median(loads), 1)}, range ${f(Math.min(...loads), 1)}–${f(Math.max(...loads), 1)} on 2 cores shared with other work.`);
    lines.push('');
    lines.push('### Medians (msg/s; one connection: ms per message)');
    lines.push('');
    lines.push('| server | 20 reused connections | new connection per message | one connection, ms/msg | server CPU ms/msg (reused / new / one) | stored / sent |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const s of SERVERS) {
      const rate = (m: Mode) => median(rounds.map((rd) => get(rd, s, m)?.rate ?? NaN));
      const cpu = (m: Mode) => median(rounds.map((rd) => get(rd, s, m)?.cpuMsPerMsg ?? NaN));
      const mine = rows.filter((x) => x.server === s);
      lines.push(`| ${LABEL[s]} | ${f(rate('reuse'))} | ${f(rate('newconn'))} | ${f(1000 / rate('single'), 2)} | ${f(cpu('reuse'), 2)} / ${f(cpu('newconn'), 2)} / ${f(cpu('single'), 2)} | ${mine.reduce((n, x) => n + x.stored, 0)} / ${mine.reduce((n, x) => n + x.msgs, 0)} |`);
    }
    if (SERVERS.includes('relay')) {
      lines.push('');
      lines.push('### Ratios relay ÷ peer (msg/s, above 1 = relay faster): median of per-round ratios [each round]');
      lines.push('');
      lines.push('| relay ÷ | 20 reused connections | new connection per message | one connection | target |');
      lines.push('|---|---|---|---|---|');
      for (const p of SERVERS.filter((s) => s !== 'relay')) {
        const target = p === 'maildev' ? 2 : 1;
        const cells = MODES.map((m) => {
          const r = ratio(p, m);
          return `**${f(r.med, 2)}** ${r.med >= target ? '✓' : '✗'} [${r.per.map((x) => f(x, 2)).join(', ')}]`;
        });
        lines.push(`| ${LABEL[p]} | ${cells.join(' | ')} | ≥ ${target} |`);
      }
    }
    const memoryStart = lines.length;
    if (rss10k.length) {
      lines.push('');
      lines.push('### Memory with 10,000 stored messages (sum over the server\'s processes)');
      lines.push('');
      lines.push('| server | stored | RSS / PSS after ingest (MB) | RSS / PSS at rest, 15 s later (MB) | RSS / PSS after restart on the same data (MB) | restart until listening (s) |');
      lines.push('|---|---:|---:|---:|---:|---:|');
      const mb = (m: { rssKb: number; pssKb: number }) => `${f(m.rssKb / 1024)} / ${f(m.pssKb / 1024)}`;
      for (const r of rss10k) lines.push(`| ${LABEL[r.server]} | ${r.stored} | ${mb(r.ingest)} | ${mb(r.rest)} | ${mb(r.restart)} | ${f(r.restartS, 1)} |`);
      const relay = rss10k.find((r) => r.server === 'relay');
      if (relay) lines.push(`\nRelay RSS target < 150 MB with 10,000 stored: ${Math.max(relay.rest.rssKb, relay.restart.rssKb) / 1024 < 150 ? 'met' : 'missed'} at rest and after restart (${f(relay.rest.rssKb / 1024)} / ${f(relay.restart.rssKb / 1024)} MB); right after ingest ${f(relay.ingest.rssKb / 1024)} MB.`);
    }
    const memoryLines = lines.slice(memoryStart);
    lines.push('');
    lines.push('### Per round (msg/s)');
    lines.push('');
    lines.push(`| round | load1 | ${MODES.flatMap((m) => SERVERS.map((s) => `${s} ${m}`)).join(' | ')} |`);
    lines.push(`|---:|---:|${MODES.flatMap(() => SERVERS.map(() => '---:')).join('|')}|`);
    for (const rd of rounds) lines.push(`| ${rd} | ${f(get(rd, 'relay', 'reuse')?.load1 ?? NaN, 1)} | ${MODES.flatMap((m) => SERVERS.map((s) => f(get(rd, s, m)?.rate ?? NaN))).join(' | ')} |`);
    const body = lines.join('\n');
    console.log(body);
    // A memory-only run (PEER_ROUNDS=0: no speed rounds; RSS does not need a quiet machine) records its own section
    // and leaves the speed run of record alone.
    if (process.env.PEER_NO_RECORD !== '1') {
      if (rounds.length) writeResultsSection('relay-peers', 'Relay next to Postfix and MailDev', body + '\n\n' + readNotes());
      else if (memoryLines.length) writeResultsSection('relay-memory', 'Relay memory with 10,000 stored (memory-only run)', [`Command: \`PEER_ROUNDS=0 PEER_SERVERS=relay npm run bench -- peers\` (add PEER_MAILDEV_10K=0 to skip MailDev). Relay: ${cli.how}.`, ...memoryLines].join('\n'));
    }
    writeFileSync(join(tmpdir(), 'relay-peers-last.json'), JSON.stringify({ rows, rss10k }, null, 1));
  } finally {
    for (const p of running) await stopTree(p);
    rmSync(work, { recursive: true, force: true });
  }
}

/** The hand-written notes kept under the generated tables (bench/relay-peers.notes.md), if any. */
function readNotes(): string {
  try {
    return readFileSync(new URL('./relay-peers.notes.md', import.meta.url), 'utf8').trim();
  } catch {
    return '';
  }
}

await main();
