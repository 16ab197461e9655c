/**
 * Doctor benchmark, loopback only:
 *  1. the camera-like SMTP dialogue (connect, banner, EHLO, MAIL FROM, RCPT TO, RSET, QUIT) against smtp-server;
 *  2. one SNTP query against a responder whose clock runs 42 s ahead: latency and the offset error;
 *  3. a full `doctor` run (camera via the simulator, its SMTP server, NTP, relay checks) end to end.
 * Timing is reported, never asserted. Bounded: a hard stop after 2 minutes.
 */
import { percentile, writeResultsSection } from './lib/results';
import { silentLogger } from '../electron/services/common/logger';
import { startCamera } from '../electron/simulator/index';
import { factoryState } from '../electron/simulator/state';
import { DoctorService } from '../electron/services/diagnostics/doctor-service';
import { StaticResolver } from '../electron/services/diagnostics/resolver';
import { probeSmtp } from '../electron/services/diagnostics/smtp-probe';
import { querySntp } from '../electron/services/diagnostics/sntp-client';
import { startSmtpPeer, startSntpPeer } from '../electron/services/diagnostics/test-peers';

const SMTP_RUNS = 300;
const SNTP_RUNS = 300;
const DOCTOR_RUNS = 20;
const OFFSET_MS = 42_000;

const hardStop = setTimeout(() => {
  process.stderr.write('doctor bench: hard time limit reached, stopping\n');
  process.exit(1);
}, 120_000);
hardStop.unref();

const fmt = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms, p95 ${percentile(xs, 95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;

const smtp = await startSmtpPeer('accept');
const ntp = await startSntpPeer({ offsetMs: OFFSET_MS });
const st = factoryState('BenchCam', 'admin', 'admin');
st.general.smtpServer = 'relay.site.lan';
st.general.ntpServer = 'ntp.site.lan';
st.analytics.behaviours['camera-sabotage'] = { active: true, sensitivity: 10 };
const cam = await startCamera({ address: '127.0.1.150', prefillHandlers: 5, initialState: { general: st.general, analytics: st.analytics } });

try {
  const dialogue: number[] = [];
  for (let i = 0; i < SMTP_RUNS; i++) {
    const t0 = performance.now();
    const r = await probeSmtp({ address: '127.0.0.1', port: smtp.port, from: 'cam@site.lan', to: 'ops@site.lan' });
    if (r.rcptTo?.code !== 250) throw new Error(`unexpected SMTP result: ${r.transcript.join(' | ')}`);
    dialogue.push(performance.now() - t0);
  }

  const sntp: number[] = [];
  const offsetErr: number[] = [];
  for (let i = 0; i < SNTP_RUNS; i++) {
    const t0 = performance.now();
    const r = await querySntp({ address: '127.0.0.1', port: ntp.port });
    sntp.push(performance.now() - t0);
    offsetErr.push(Math.abs(r.offsetMs - OFFSET_MS));
  }

  const doctor = new DoctorService({
    resolver: new StaticResolver({ 'relay.site.lan': ['127.0.0.1'], 'ntp.site.lan': ['127.0.0.1'] }),
    log: silentLogger,
    cameraSmtpPort: smtp.port,
    bindProbe: async () => 'ok',
  });
  const full: number[] = [];
  let verdicts = '';
  for (let i = 0; i < DOCTOR_RUNS; i++) {
    const t0 = performance.now();
    // The camera's NTP server is probed on 123 by default; point it at the responder explicitly.
    const r = await doctor.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, ntpServer: { host: 'ntp.site.lan', port: ntp.port }, sendTest: false });
    full.push(performance.now() - t0);
    verdicts = `${r.counts.pass} pass, ${r.counts.warn} warn, ${r.counts.fail} fail, ${r.counts.skipped} skipped`;
  }

  const lines = [
    `| Measurement | Runs | Result |`,
    `| --- | ---: | --- |`,
    `| SMTP dialogue connect → QUIT (smtp-server on 127.0.0.1; it holds its banner 100 ms to catch early talkers) | ${SMTP_RUNS} | ${fmt(dialogue)} |`,
    `| SNTP query (responder on 127.0.0.1) | ${SNTP_RUNS} | ${fmt(sntp)} |`,
    `| SNTP offset error (true offset ${OFFSET_MS / 1000} s) | ${SNTP_RUNS} | p50 ${percentile(offsetErr, 50).toFixed(3)} ms, max ${Math.max(...offsetErr).toFixed(3)} ms |`,
    `| Full doctor run (simulated camera + SMTP + NTP + relay checks; ${verdicts}) | ${DOCTOR_RUNS} | ${fmt(full)} |`,
  ];
  const body = lines.join('\n');
  process.stdout.write(body + '\n');
  writeResultsSection('doctor', 'Doctor', `${body}\n\nRun: \`node --import tsx bench/doctor.bench.ts\`. Loopback peers only; timings are informative, not pass/fail.`);
} finally {
  await cam.stop();
  await smtp.close();
  await ntp.close();
}
