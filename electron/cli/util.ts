/** Shared helpers of the `sarix` command: usage errors (exit 2), output and clean shutdown. */
import { InvalidArgumentError } from 'commander';
import { localized } from './i18n';

/** A bad flag or argument: printed as a clear error, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure after the arguments were accepted: printed, exit code 1 (or the given one). */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** Commander option parser for an integer within a range. */
export function intOption(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(localized('cli.usage.wholeNumber', { flag: name, value: v }));
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(localized('cli.usage.between', { flag: name, min, max, value: n }));
    return n;
  };
}

/** Commander option parser for a positive number of seconds. */
export function secondsOption(name: string, max = 3600) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(localized('cli.usage.seconds', { flag: name, max, value: v }));
    return n;
  };
}

/** Parses `HOST:PORT` (IPv6 in brackets) into parts; throws a UsageError naming the flag. */
export function parseHostPort(flag: string, value: string, defaultPort?: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value);
  if (!m) throw new UsageError(localized('cli.usage.hostPort', { flag, value }));
  const port = m[2] !== undefined ? Number(m[2]) : defaultPort;
  if (port === undefined) throw new UsageError(localized('cli.usage.needsPort', { flag, value }));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(localized('cli.usage.portRange', { flag, value: m[2] }));
  return { host: m[1], port };
}

/** Prints one JSON value on its own line. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/**
 * Resolves when the process gets SIGINT or SIGTERM (the long-running commands wait on it, then close cleanly).
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
