/**
 * The small HTTP helpers the simulated camera's web server shares between its routes: bounded body reading,
 * draining, redirects, cookies and the plain answers (HTML, 413). Node's http module only; no camera state.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest request body the camera reads; a bigger one is answered 413 (the real camera's lighttpd has a limit too). */
export const MAX_BODY = 256 * 1024;

/** The whole request body as UTF-8, or undefined when it is over MAX_BODY. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and discards the request body, so keep-alive connections stay usable after an early answer. */
export async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  req.resume();
  await new Promise<void>((r) => {
    req.once('end', r);
    req.once('close', r);
  });
}

/** Answers a redirect with no body. */
export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location, 'Content-Length': 0 });
  res.end();
}

/** Answers an HTML page that is never cached (the camera's setup pages carry form tokens). */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

/** Answers 413 and closes the connection. */
export function tooLarge(res: ServerResponse): void {
  res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
  res.end('Request body too large.');
}

/** The first value of a header that may repeat. */
export function header1(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The cookies of a Cookie header by name (the last one wins). */
export function parseCookies(h: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (h ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
