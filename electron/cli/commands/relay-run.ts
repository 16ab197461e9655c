/** The implementation of `sarix relay` (loaded only when the command runs). */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { isAppFailure } from '../../../shared/ipc/result';
import { defaultUserDataPath } from '../../services/common/user-data';
import { parseForwardUrl, redact } from '../../services/relay/index';
import { failureText, localized } from '../i18n';
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
  if (opts.forwardPasswordEnv && opts.forwardPasswordFile) throw new UsageError(localized('cli.usage.passwordEnvAndFile'));
  if (opts.forwardPasswordEnv) {
    const v = env[opts.forwardPasswordEnv];
    if (!v) throw new UsageError(localized('cli.usage.passwordEnvUnset', { name: opts.forwardPasswordEnv }));
    return v;
  }
  if (opts.forwardPasswordFile) {
    const text = await readFile(opts.forwardPasswordFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(localized('cli.usage.passwordFileUnreadable', { file: opts.forwardPasswordFile, reason: e.code ?? e.message }));
    });
    const first = text.split(/\r?\n/)[0];
    if (!first) throw new UsageError(localized('cli.usage.passwordFileEmpty', { file: opts.forwardPasswordFile }));
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
      throw new UsageError(`--forward: ${isAppFailure(e) ? failureText(e) : String(e)}`);
    }
    if (opts.forwardCa) {
      const pem = await readFile(opts.forwardCa, 'utf8').catch(() => {
        throw new UsageError(localized('cli.usage.forwardCaUnreadable', { file: opts.forwardCa }));
      });
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(localized('cli.usage.forwardCaNotPem', { file: opts.forwardCa }));
      forward.caPem = pem;
    }
    if (opts.forwardInsecure) forward.verifyCertificate = false;
    if (opts.forwardRewriteFrom) forward.rewriteFrom = opts.forwardRewriteFrom;
    const password = await forwardPasswordFrom(opts);
    if (password !== undefined) {
      if (forward.password) throw new UsageError(localized('cli.usage.forwardTwoPasswords'));
      forward.password = password;
    }
    if (opts.forwardAllowPlainPassword) forward.allowPasswordWithoutTls = true;
  } else if (opts.forwardCa || opts.forwardInsecure || opts.forwardRewriteFrom || opts.forwardPasswordEnv || opts.forwardPasswordFile || opts.forwardAllowPlainPassword) {
    throw new UsageError(localized('cli.usage.forwardOptionsNeedForward'));
  }
  const dataDir = resolve(opts.data ?? join(defaultUserDataPath(), 'relay'));
  const services = await cliServices({ scope: 'relay' }, { relayDataDir: dataDir });
  const { relay } = services;
  const busy = restWhenIdle();
  for (const e of ['message-received', 'session-closed', 'session-refused'] as const) relay.events.on(e, busy);
  relay.events.on('message-received', (m) => {
    if (opts.json) printJson({ id: m.id, from: m.from, to: m.to, subject: m.subject, clientIp: m.clientIp, size: m.size, attachments: m.attachments });
    else process.stdout.write(`${localized('cli.relay.received', { time: new Date().toISOString(), clientIp: m.clientIp, from: m.from, to: m.to.join(', '), subject: m.subject, size: m.size, attachments: m.attachments.length, id: m.id })}\n`);
  });
  relay.events.on('session-refused', (r) => process.stderr.write(`${localized('cli.relay.refused', { clientIp: r.clientIp, reason: r.reason })}\n`));
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
    if (isAppFailure(e)) throw new CliFailure(failureText(e), e.code === 'VALIDATION' ? 2 : 1);
    throw e;
  }
  const shownHost = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  const listening = { address: `${shownHost}:${bound.port}`, dir: dataDir, allowed: allow.join(', ') || localized('cli.relay.nobody') };
  process.stderr.write(`${opts.forward ? localized('cli.relay.listeningForward', { ...listening, forward: redact(opts.forward) }) : localized('cli.relay.listening', listening)}\n`);
  if (allow.length === 0) process.stderr.write(`${localized('cli.relay.noAllow')}\n`);
  await untilSignal();
  await services.dispose();
}
