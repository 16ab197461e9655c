/**
 * The camera's e-mail sender (docs/camera.md §6): plain SMTP to the configured server (resolved by DNS when it is a
 * name) on the simulator's SMTP port, EHLO with the device name, no AUTH, no STARTTLS even if offered, one
 * MAIL FROM and one RCPT TO. A refusal (4xx/5xx) or connection failure is logged and never retried.
 */
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import nodemailer from 'nodemailer';
import type { Logger } from '../services/common/logger';
import type { SimHandler, SimResolver, SimSendLogEntry, SimSmtpFaults } from './types';
import { snapshotJpeg } from './jpeg';

/** The event that caused a mail. */
export interface MailEvent {
  source: string;
  sourceType: string;
  /** e.g. "active", or the behaviour that fired. */
  state: string;
  cameraTimeMs: number;
}

/** Camera facts the mail needs. */
export interface MailerContext {
  deviceName(): string;
  smtpServer(): string;
  ip: string;
  mac: string;
  model: string;
  smtpPort: number;
  resolver: SimResolver;
  faults(): SimSmtpFaults;
  logger: Logger;
}

/** Default resolver: the system's DNS lookup, IPv4 first. */
export const systemResolver: SimResolver = async (hostname) => (await lookup(hostname, { family: 0 })).address;

/** The EHLO name: the device name when it is a valid host label, else the address literal (RFC 5321 §4.3). */
export function ehloName(deviceName: string, ip: string): string {
  return /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(deviceName) ? deviceName : `[${ip}]`;
}

/** The raw event data block appended to the body when "Attach Raw Event Data" is ticked. */
export function rawEventBlock(ctx: { deviceName(): string; ip: string; mac: string; model: string }, ev: MailEvent): string {
  return [
    '--- Raw Event Data ---',
    `Source: ${ev.source}`,
    `Type: ${ev.sourceType}`,
    `State: ${ev.state}`,
    `Time: ${new Date(ev.cameraTimeMs).toISOString()}`,
    `Camera: ${ctx.deviceName()} (${ctx.model}, ${ctx.ip}, ${ctx.mac})`,
    '--- End Raw Event Data ---',
  ].join('\r\n');
}

/** Sends one handler's mail for one event; never throws, always returns the log entry. */
export async function sendHandlerMail(ctx: MailerContext, h: SimHandler, ev: MailEvent): Promise<SimSendLogEntry> {
  const server = ctx.smtpServer();
  const entry: SimSendLogEntry = {
    time: new Date(ev.cameraTimeMs).toISOString(),
    handler: h.name,
    source: ev.source,
    smtpServer: server,
    smtpPort: ctx.smtpPort,
    from: h.from,
    to: h.to,
    subject: h.subject,
    ok: false,
    response: '',
  };
  const f = ctx.faults();
  if (!server) {
    entry.response = 'No SMTP Server is set in General Settings; the camera cannot send e-mail.';
    return entry;
  }
  if (f.refuse) {
    entry.response = 'Simulator fault: the camera mail sender is disabled (faults.smtp.refuse).';
    return entry;
  }
  if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
  let address: string;
  try {
    address = isIP(server) ? server : await ctx.resolver(server);
  } catch (e) {
    entry.response = `DNS lookup of ${server} failed: ${e instanceof Error ? e.message : String(e)}`;
    ctx.logger.warn(`sim camera ${ctx.ip}: ${entry.response}`);
    return entry;
  }
  entry.smtpAddress = address;
  const timeout = f.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: address,
    port: ctx.smtpPort,
    secure: false,
    // Legacy Sarix firmware has no TLS and no login (docs/camera.md §1): never STARTTLS, never AUTH.
    ignoreTLS: true,
    name: ehloName(ctx.deviceName(), ctx.ip),
    // A real camera's mail comes from its own address (the relay's allow-list and the commissioning test run
    // match on it), so bind the camera's address when the server is reachable over the same address family.
    localAddress: isIP(address) === isIP(ctx.ip) ? ctx.ip : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
  });
  const text = (h.message || '') + (h.rawEventData ? `\r\n\r\n${rawEventBlock(ctx, ev)}\r\n` : '');
  try {
    const info = await transport.sendMail({
      envelope: { from: h.from, to: [h.to] },
      from: h.from,
      to: h.to,
      subject: h.subject,
      date: new Date(ev.cameraTimeMs),
      text,
      attachments: h.jpegSnapshot ? [{ filename: 'snapshot.jpg', content: snapshotJpeg(), contentType: 'image/jpeg' }] : undefined,
    });
    entry.ok = true;
    entry.response = info.response;
    entry.messageId = info.messageId;
  } catch (e) {
    const err = e as Error & { responseCode?: number; response?: string };
    entry.responseCode = err.responseCode;
    entry.response = err.response ?? err.message;
    ctx.logger.warn(`sim camera ${ctx.ip}: mail for handler ${h.name} to ${server}:${ctx.smtpPort} failed (not retried): ${entry.response}`);
  } finally {
    transport.close();
  }
  return entry;
}
