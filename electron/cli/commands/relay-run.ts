/** The implementation of `sarix relay` (loaded only when the command runs). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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

/**
 * The forwarding password from --forward-password-env or --forward-password-file, if given: a password on the
 * command line is visible to every local user in the process list.
 */
export async function forwardPasswordFrom(opts: Pick<RelayCliOptions, 'forwardPasswordEnv' | 'forwardPasswordFile'>, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (opts.forwardPasswordEnv && opts.forwardPasswordFile) throw new UsageError('Give --forward-password-env or --forward-password-file, not both.');
  if (opts.forwardPasswordEnv) {
    const v = env[opts.forwardPasswordEnv];
    if (!v) throw new UsageError(`--forward-password-env: the environment variable ${opts.forwardPasswordEnv} is not set or empty.`);
    return v;
  }
  if (opts.forwardPasswordFile) {
    const text = await readFile(opts.forwardPasswordFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`--forward-password-file: cannot read ${opts.forwardPasswordFile} (${e.code ?? e.message}); give the path of a file that holds the password.`);
    });
    const first = text.split(/\r?\n/)[0];
    if (!first) throw new UsageError(`--forward-password-file: ${opts.forwardPasswordFile} is empty; its first line must be the password.`);
    return first;
  }
  return undefined;
}

/**
 * Lets V8 favour memory over speed while the relay is idle, and speed again at the next session. A burst of mail
 * grows V8's heap (the young generation to 32 MB) and V8 gives it back only when it collects with memory reduction
 * in mind; `--optimize-for-size` makes its idle-time collections do that. Measured with the built CLI, 10,000
 * messages from 20 connections: RSS 15 s after the burst about 157 MB without, about 125 MB with (bench/RESULTS.md,
 * relay-peers), at no cost while mail flows (the flag is off then). The flag only steers V8's heuristics and is
 * read where they run, so switching it while running is safe; the relay is the only service in this process.
 * Returns a function to call on every relay event.
 */
function restWhenIdle(idleMs = 5000): () => void {
  let last = Date.now();
  let isResting = false;
  setInterval(() => {
    if (isResting || Date.now() - last < idleMs) return;
    isResting = true;
    setFlagsFromString('--optimize-for-size');
  }, idleMs / 2).unref();
  return () => {
    last = Date.now();
    if (!isResting) return;
    isResting = false;
    setFlagsFromString('--no-optimize-for-size');
  };
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
    const password = await forwardPasswordFrom(opts);
    if (password !== undefined) {
      if (forward.password) throw new UsageError('--forward already has a password; give it in the URL or with --forward-password-env/--forward-password-file, not both.');
      forward.password = password;
    }
    if (opts.forwardAllowPlainPassword) forward.allowPasswordWithoutTls = true;
  } else if (opts.forwardCa || opts.forwardInsecure || opts.forwardRewriteFrom || opts.forwardPasswordEnv || opts.forwardPasswordFile || opts.forwardAllowPlainPassword) {
    throw new UsageError('--forward-ca, --forward-insecure, --forward-rewrite-from and --forward-password-* need --forward.');
  }
  const dataDir = resolve(opts.data ?? join(defaultUserDataPath(), 'relay'));
  const services = await cliServices({ scope: 'relay' }, { relayDataDir: dataDir });
  const { relay } = services;
  const busy = restWhenIdle();
  for (const e of ['message-received', 'session-closed', 'session-refused'] as const) relay.events.on(e, busy);
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
