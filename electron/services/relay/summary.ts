/**
 * The index summary of one message, computed at intake: headers and the attachment list only. It uses the MIME
 * splitter under mailparser (mailsplit) without decoding bodies, about 6x cheaper than a full mailparser parse
 * (0.4 ms vs 2.3 ms for a 50 KB JPEG message), which matters at hundreds of messages a second on 2 cores.
 */
import { Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import libmime from 'libmime';
import type { Readable, Transform } from 'node:stream';
import type { AttachmentInfo } from '../../../shared/domain/relay';

/** What the index needs from a message's content. */
export interface ContentSummary {
  headerFrom: string;
  subject: string;
  date?: string;
  messageId: string;
  attachments: AttachmentInfo[];
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
    const splitter = new Splitter({ maxChildNodes: 1000 });
    const parts: PartState[] = [];
    const out: ContentSummary = { headerFrom: '', subject: '', messageId: '', attachments: [] };
    let current: PartState | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      out.attachments = parts.filter((p) => p.isAttachment).map((p) => ({ filename: p.filename, contentType: p.contentType, size: decodedSize(p) }));
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
    stream.on('error', finish);
    if (Buffer.isBuffer(source)) splitter.end(source);
    else {
      source.on('error', () => {
        splitter.end();
      });
      source.pipe(splitter);
    }
  });
}
