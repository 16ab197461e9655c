/** The implementation of `sarix relay` (loaded only when the command runs). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { isAppFailure } from '../../../shared/ipc/result';
import { defaultUserDataPath } from '../../services/common/user-data';
import { parseForwardUrl, redact } from '../../services/relay/index';
import { cliServices } from '../services';
import { CliFailure, parseHostPort, printJson, UsageError, untilSignal } from '../util';
import type { RelayCliOptions } from './relay';

/** Is a listen host a loopback address (then local clients are allowed by default)? */
function isLoopbackHost(host: string): boolean {
  return /^127\./.test(host) || host === '::1' || host === 'localhost';
}

/** Runs the relay until SIGINT/SIGTERM, printing each accepted message. */
export async function runRelay(opts: RelayCliOptions): Promise<void> {
  // Port 0 (any free port) is valid here, unlike in the shared HOST:PORT parser: tests and scripts use it.
  const anyPort = /:0$/.test(opts.listen);
  const parsed = parseHostPort('--listen', anyPort ? opts.listen.replace(/:0$/, ':1') : opts.listen, 25);
  const host = parsed.host;
  const port = anyPort ? 0 : parsed.port;
  const allow = [...opts.allow];
  if (allow.length === 0 && isLoopbackHost(host)) allow.push('127.0.0.0/8', '::1');
  let forward;
  if (opts.forward) {
    try {
      forward = parseForwardUrl(opts.forward);
    } catch (e) {
      throw new UsageError(`--forward: ${isAppFailure(e) ? e.message : String(e)}`);
    }
    if (opts.forwardCa) {
      const pem = await readFile(opts.forwardCa, 'utf8').catch(() => {
        throw new UsageError(`--forward-ca: cannot read ${opts.forwardCa}; give the path of a PEM certificate file.`);
      });
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--forward-ca: ${opts.forwardCa} is not a PEM certificate.`);
      forward.caPem = pem;
    }
    if (opts.forwardInsecure) forward.verifyCertificate = false;
    if (opts.forwardRewriteFrom) forward.rewriteFrom = opts.forwardRewriteFrom;
  } else if (opts.forwardCa || opts.forwardInsecure || opts.forwardRewriteFrom) {
    throw new UsageError('--forward-ca, --forward-insecure and --forward-rewrite-from need --forward.');
  }
  const dataDir = resolve(opts.data ?? join(defaultUserDataPath(), 'relay'));
  const services = await cliServices({ scope: 'relay' }, { relayDataDir: dataDir });
  const { relay } = services;
  relay.events.on('message-received', (m) => {
    if (opts.json) printJson({ id: m.id, from: m.from, to: m.to, subject: m.subject, clientIp: m.clientIp, size: m.size, attachments: m.attachments });
    else process.stdout.write(`${new Date().toISOString()}  ${m.clientIp}  ${m.from} -> ${m.to.join(', ')}  "${m.subject}"  ${m.size} bytes, ${m.attachments.length} attachment(s)  [${m.id}]\n`);
  });
  relay.events.on('session-refused', (r) => process.stderr.write(`refused ${r.clientIp}: ${r.reason}\n`));
  let bound;
  try {
    bound = await relay.start({
      listenAddress: host,
      port,
      allowAllInterfaces: !!opts.allInterfaces,
      allow,
      acceptAnyAuth: !!opts.acceptAnyAuth,
      maxMessageBytes: opts.maxSize,
      forward,
    });
  } catch (e) {
    await services.dispose();
    if (isAppFailure(e)) throw new CliFailure(e.message, e.code === 'VALIDATION' ? 2 : 1);
    throw e;
  }
  const shownHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  process.stderr.write(
    `Relay listening on ${shownHost}:${bound.port}; mail in ${dataDir}; allowed: ${allow.join(', ') || 'nobody'}` +
      (opts.forward ? `; forwarding to ${redact(opts.forward)}` : '') +
      '. Press Ctrl+C to stop.\n',
  );
  if (allow.length === 0) process.stderr.write('warning: no --allow given, so every client is refused; add --allow <camera IP or CIDR, e.g. 192.168.0.0/24>.\n');
  await untilSignal();
  await services.dispose();
}
