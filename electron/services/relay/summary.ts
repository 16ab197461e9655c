/**
 * The index summary of one message, computed at intake: headers and the attachment list only, never decoded
 * bodies. Two paths: `summarizeBuffer` finds the MIME structure with native Buffer.indexOf (boundaries, header
 * blocks) and parses every header with mailsplit's Headers and libmime, so a 50 KB JPEG message costs a few
 * dozen native searches instead of a JavaScript loop over every byte; it hands anything unusual (no boundary,
 * deep nesting) to `summarizeMessage`, the MIME splitter under mailparser (mailsplit), which also reads
 * streams. For scale: a full mailparser parse costs 2.3 ms per 50 KB message, mailsplit 0.4–1.5 ms, the
 * indexOf path a few tens of microseconds; at hundreds of messages a second on 2 cores that matters.
 */
import { Headers, Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import type { Readable, Transform } from 'node:stream';
import type { AttachmentInfo } from '../../../shared/domain/relay';
import { sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import { cleanAttachmentName } from './attachment-name';

/** What the index needs from a message's content. */
export interface ContentSummary {
  headerFrom: string;
  subject: string;
  date?: string;
  messageId: string;
  attachments: AttachmentInfo[];
  /** The parser limit the message exceeds (it could never be opened), e.g. "more than 1000 MIME parts". */
  overLimit?: string;
}

/**
 * The limits of the MIME splitter under mailparser (mailsplit's defaults, passed explicitly so the intake check
 * and the reader agree): a message over them fails to parse, so intake refuses it before the 250.
 */
export const MIME_LIMITS = { maxChildNodes: 1000, maxHeadSize: 1024 * 1024 } as const;

/** The same limit as describeMimeLimit, keyed for a message shown in the technician's language (the parser's own words as a fallback). */
export function mimeLimitMessage(e: unknown): SubMessage | string | undefined {
  const err = e as { code?: string; message?: string } | undefined;
  if (err?.code !== 'EMAXLEN') return undefined;
  if (/child nodes/i.test(err.message ?? '')) return sub('errors.MESSAGE_TOO_COMPLEX.limitParts', { max: String(MIME_LIMITS.maxChildNodes) });
  if (/header size/i.test(err.message ?? '')) return sub('errors.MESSAGE_TOO_COMPLEX.limitHeader', { mib: String(MIME_LIMITS.maxHeadSize / 1024 / 1024) });
  return err.message ?? sub('errors.MESSAGE_TOO_COMPLEX.limitOther');
}

/** The technician's words for a splitter limit error (mailsplit's EMAXLEN messages), or undefined for other errors. */
export function describeMimeLimit(e: unknown): string | undefined {
  const err = e as { code?: string; message?: string } | undefined;
  if (err?.code !== 'EMAXLEN') return undefined;
  if (/child nodes/i.test(err.message ?? '')) return `more than ${MIME_LIMITS.maxChildNodes} MIME parts (or parts nested that deep)`;
  if (/header size/i.test(err.message ?? '')) return `a header block over ${MIME_LIMITS.maxHeadSize / 1024 / 1024} MiB (e.g. one very long header line)`;
  return err.message ?? 'a MIME limit';
}

interface PartState {
  filename: string;
  contentType: string;
  encoding: string;
  isAttachment: boolean;
  encodedBytes: number;
  whitespace: number;
}

function decodeHeader(raw: string): string {
  try {
    return libmime.decodeWords(raw).replace(/\s+/g, ' ').trim();
  } catch {
    return raw.trim();
  }
}

/** Decoded size of a body from its encoded byte count (base64 loses a quarter; QP is close to 1:1). */
function decodedSize(p: PartState): number {
  if (p.encoding === 'base64') return Math.max(0, Math.floor(((p.encodedBytes - p.whitespace) * 3) / 4));
  return p.encodedBytes;
}

/** Summarises a message from its raw bytes (a Buffer or a stream of them). Never throws on malformed MIME. */
export function summarizeMessage(source: Buffer | Readable): Promise<ContentSummary> {
  return new Promise((resolve) => {
    const splitter = new Splitter({ ...MIME_LIMITS });
    const parts: PartState[] = [];
    const out: ContentSummary = { headerFrom: '', subject: '', messageId: '', attachments: [] };
    let current: PartState | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      out.attachments = parts.filter((p) => p.isAttachment).map((p) => ({ filename: cleanAttachmentName(p.filename), contentType: p.contentType, size: decodedSize(p) }));
      resolve(out);
    };
    splitter.on('data', (chunk: SplitterChunk) => {
      if (chunk.type === 'node') {
        const node = chunk;
        if (node.root && node.headers) {
          const h = node.headers;
          out.headerFrom = decodeHeader(h.getFirst('from'));
          out.subject = decodeHeader(h.getFirst('subject'));
          out.messageId = h.getFirst('message-id').trim();
          const d = Date.parse(h.getFirst('date'));
          if (Number.isFinite(d)) out.date = new Date(d).toISOString();
        }
        current = undefined;
        if (node.multipart) return;
        const contentType = node.contentType || 'text/plain';
        const isAttachment = node.disposition === 'attachment' || !!node.filename || (!/^text\//i.test(contentType) && !node.root);
        current = { filename: node.filename || '', contentType, encoding: node.encoding || '7bit', isAttachment, encodedBytes: 0, whitespace: 0 };
        parts.push(current);
      } else if (chunk.type === 'body' && current) {
        const v = chunk.value;
        current.encodedBytes += v.length;
        if (current.encoding === 'base64') {
          for (let i = 0; i < v.length; i++) {
            const c = v[i];
            if (c === 13 || c === 10 || c === 32 || c === 9 || c === 61) current.whitespace++;
          }
        }
      }
    });
    // The splitter's typings only declare the 'data' event; it is a plain Transform otherwise.
    const stream = splitter as unknown as Transform;
    stream.on('end', finish);
    stream.on('error', (e: unknown) => {
      out.overLimit = describeMimeLimit(e);
      // pipe() stops on the error but leaves the source open (a file descriptor, for a stored message).
      if (!Buffer.isBuffer(source)) source.destroy();
      finish();
    });
    if (Buffer.isBuffer(source)) splitter.end(source);
    else {
      source.on('error', () => {
        splitter.end();
      });
      source.pipe(splitter);
    }
  });
}

const MAX_DEPTH = 8;
const MAX_PARTS = 200;
/**
 * A header block bigger than this goes to the splitter, which applies the parser's own header limit. The splitter
 * counts each header line as at least 64 bytes, so a block of b bytes costs at most 65·b: 8 KiB stays well under
 * its 1 MiB whatever the line lengths (a camera's headers are a few hundred bytes).
 */
const MAX_FAST_HEADER = 8 * 1024;

interface HeaderView {
  getFirst(key: string): string;
}

/**
 * Line breaks in a base64 body written with one line length (what every encoder does: 76 characters per line),
 * found by checking each expected line end by position instead of searching every byte; undefined when the
 * layout is irregular. A stray break that keeps the layout would go unseen, costing under a byte of the size
 * shown in the index (the full parse on opening a message is exact).
 */
function uniformBreaks(buf: Buffer, start: number, end: number): number | undefined {
  const first = buf.indexOf(10, start);
  if (first <= start || first >= end) return undefined;
  const eol = buf[first - 1] === 13 ? 2 : 1;
  const stride = first + 1 - start;
  if (stride <= eol) return undefined;
  let pos = first;
  let lines = 1;
  while (pos + stride < end) {
    pos += stride;
    if (buf[pos] !== 10 || (eol === 2 && buf[pos - 1] !== 13)) return undefined;
    lines++;
  }
  const lf = buf.indexOf(10, pos + 1);
  const cr = buf.indexOf(13, pos + 1);
  if ((lf >= 0 && lf < end) || (cr >= 0 && cr < end)) return undefined;
  return lines * eol;
}

/** Decoded size of a base64 body from its raw bytes: characters other than CR/LF, minus padding. */
function base64Size(buf: Buffer, start: number, end: number): number {
  let breaks = uniformBreaks(buf, start, end);
  if (breaks === undefined) {
    breaks = 0;
    for (let i = buf.indexOf(10, start); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) breaks++;
    for (let i = buf.indexOf(13, start); i >= 0 && i < end; i = buf.indexOf(13, i + 1)) breaks++;
  }
  let pad = 0;
  for (let i = end - 1; i >= start && pad < 2; i--) {
    const c = buf[i];
    if (c === 10 || c === 13 || c === 32 || c === 9) continue;
    if (c === 61) pad++;
    else break;
  }
  const chars = end - start - breaks;
  return Math.max(0, Math.floor((chars * 3) / 4) - pad);
}

/** Where a header block ends: the index of the empty line's end, and the body start. */
function headerEnd(buf: Buffer, start: number, end: number): { headEnd: number; bodyStart: number } {
  if (buf[start] === 13 && buf[start + 1] === 10) return { headEnd: start, bodyStart: start + 2 };
  if (buf[start] === 10) return { headEnd: start, bodyStart: start + 1 };
  // Both searches stay inside the part, and the LF-only search stops at the CRLF one: searching "\n\n" in a CRLF
  // message would otherwise scan the whole rest of the message for every part.
  const part = buf.subarray(start, end);
  const crlf = part.indexOf('\r\n\r\n');
  const lf = (crlf >= 0 ? part.subarray(0, crlf) : part).indexOf('\n\n');
  if (lf >= 0) return { headEnd: start + lf + 1, bodyStart: start + lf + 2 };
  if (crlf >= 0) return { headEnd: start + crlf + 2, bodyStart: start + crlf + 4 };
  return { headEnd: end, bodyStart: end };
}

class NeedsFullParse extends Error {}

/**
 * Summarises a message held in memory. Uses native searches for the MIME structure and falls back to the full
 * splitter when the structure is unusual (deep, many parts, big headers: so the splitter, with the parser's own
 * limits, judges anything near them); never throws on malformed MIME.
 */
export async function summarizeBuffer(buf: Buffer): Promise<ContentSummary> {
  try {
    const out: ContentSummary = { headerFrom: '', subject: '', messageId: '', attachments: [] };
    let parts = 0;
    const walk = (start: number, end: number, depth: number, isRoot: boolean): void => {
      if (depth > MAX_DEPTH || ++parts > MAX_PARTS) throw new NeedsFullParse();
      const { headEnd, bodyStart } = headerEnd(buf, start, end);
      if (headEnd - start > MAX_FAST_HEADER) throw new NeedsFullParse();
      const h: HeaderView = new Headers(buf.subarray(start, headEnd));
      if (isRoot) {
        out.headerFrom = decodeHeader(h.getFirst('from'));
        out.subject = decodeHeader(h.getFirst('subject'));
        out.messageId = h.getFirst('message-id').trim();
        const d = Date.parse(h.getFirst('date'));
        if (Number.isFinite(d)) out.date = new Date(d).toISOString();
      }
      const ct = libmime.parseHeaderValue(h.getFirst('content-type') || 'text/plain');
      const contentType = (ct.value || 'text/plain').toLowerCase();
      if (contentType.startsWith('multipart/')) {
        const boundary = ct.params.boundary;
        if (!boundary) throw new NeedsFullParse();
        const delim = Buffer.from('--' + boundary);
        // Delimiter lines start a line: the first may open the body, the rest follow a line break.
        let pos = buf.indexOf(delim, bodyStart);
        if (pos < 0 || pos >= end) throw new NeedsFullParse();
        for (;;) {
          const after = pos + delim.length;
          if (buf[after] === 45 && buf[after + 1] === 45) return; // closing delimiter
          const lineEnd = buf.indexOf(10, after);
          if (lineEnd < 0 || lineEnd >= end) throw new NeedsFullParse();
          let next = pos;
          do {
            next = buf.indexOf(delim, next + 1);
          } while (next >= 0 && next < end && buf[next - 1] !== 10);
          if (next < 0 || next >= end) throw new NeedsFullParse();
          const partEnd = buf[next - 2] === 13 ? next - 2 : next - 1;
          walk(lineEnd + 1, Math.max(lineEnd + 1, partEnd), depth + 1, false);
          pos = next;
        }
      }
      if (contentType === 'message/rfc822') throw new NeedsFullParse();
      const cd = libmime.parseHeaderValue(h.getFirst('content-disposition') || '');
      const rawName = cd.params.filename || ct.params.name || '';
      const filename = rawName ? cleanAttachmentName(decodeHeader(rawName)) : '';
      const disposition = (cd.value || '').toLowerCase();
      const isAttachment = disposition === 'attachment' || !!rawName || (!contentType.startsWith('text/') && !isRoot);
      if (!isAttachment) return;
      const encoding = h.getFirst('content-transfer-encoding').trim().toLowerCase();
      const size = encoding === 'base64' ? base64Size(buf, bodyStart, end) : Math.max(0, end - bodyStart);
      out.attachments.push({ filename, contentType, size });
    };
    walk(0, buf.length, 0, true);
    return out;
  } catch {
    return summarizeMessage(buf);
  }
}
