/**
 * Reading stored mail on demand: a full mailparser parse (text, headers, attachments) and small JPEG thumbnails.
 *
 * Thumbnails are made here, not in the UI: the JPEG is decoded with jpeg-js under resolution and memory caps
 * (camera snapshots are untrusted input), box-downscaled to at most 160 px and re-encoded as a ~5 KB JPEG data
 * URL, cached on disk. An inbox of hundreds of 200 KB–1 MB snapshots then costs kilobytes per row over IPC and
 * in the renderer instead of megabytes, and each image is decoded once, not on every render.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { failure } from '../../../shared/i18n/messages';
import { FILE_MODE, privateDir } from './private-files';
import { mimeLimitMessage, MIME_LIMITS } from './summary';

/** Longest side of a thumbnail in pixels. */
export const THUMB_MAX = 160;

/**
 * Parses a raw message fully (text and attachments decoded). A message over the MIME limits (which intake
 * refuses, but an older store may hold) fails with MESSAGE_TOO_COMPLEX: it can still be downloaded raw or deleted.
 */
export async function parseFull(raw: Buffer, id?: string): Promise<ParsedMail> {
  try {
    // Loaded on first use: the parser and its dependencies are ~25 MB of memory that intake never needs.
    const { simpleParser } = await import('mailparser');
    return await simpleParser(raw, { ...MIME_LIMITS, skipHtmlToText: false, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, maxHtmlLengthToParse: 2 * 1024 * 1024 } as Parameters<typeof simpleParser>[1]);
  } catch (e) {
    const limit = mimeLimitMessage(e);
    if (limit) throw failure('MESSAGE_TOO_COMPLEX', id ? 'errors.MESSAGE_TOO_COMPLEX.cannotShow' : 'errors.MESSAGE_TOO_COMPLEX.cannotShowThis', { id, limit }, String(e));
    throw e;
  }
}

/** Area-average downscale of RGBA pixels to fit `max` on the longest side. */
export function downscaleRgba(src: { width: number; height: number; data: Uint8Array }, max: number): { width: number; height: number; data: Uint8Array } {
  const scale = Math.min(1, max / Math.max(src.width, src.height));
  const w = Math.max(1, Math.round(src.width * scale));
  const h = Math.max(1, Math.round(src.height * scale));
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * src.height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * src.width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let yy = y0; yy < y1; yy++) {
        let i = (yy * src.width + x0) * 4;
        for (let xx = x0; xx < x1; xx++, i += 4) {
          r += src.data[i];
          g += src.data[i + 1];
          b += src.data[i + 2];
          n++;
        }
      }
      const o = (y * w + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

/** A thumbnail JPEG of a JPEG, or undefined when it cannot be decoded within the caps. */
export async function makeThumbnail(jpegBytes: Buffer, max = THUMB_MAX): Promise<Buffer | undefined> {
  // Loaded on first use, like the parser: only opening a message needs it.
  const jpeg = (await import('jpeg-js')).default;
  try {
    const img = jpeg.decode(jpegBytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 256, tolerantDecoding: true });
    const small = downscaleRgba(img, max);
    return jpeg.encode({ width: small.width, height: small.height, data: small.data }, 70).data;
  } catch {
    return undefined;
  }
}

/** Disk cache of thumbnails, keyed by message id and attachment index. */
export class ThumbnailCache {
  constructor(private readonly dir: string) {}

  /** Makes an existing thumbnail folder private (one left by an older version); creates nothing. */
  async tighten(): Promise<void> {
    if (await stat(this.dir).catch(() => undefined)) await privateDir(this.dir);
  }

  /** The thumbnail as a data URL, made once and then read from disk. */
  async get(messageId: string, index: number, jpegBytes: () => Buffer): Promise<string | undefined> {
    const file = join(this.dir, `${messageId}-${index}.jpg`);
    let thumb: Buffer | undefined = await readFile(file).catch(() => undefined);
    if (!thumb) {
      thumb = await makeThumbnail(jpegBytes());
      if (!thumb) return undefined;
      await privateDir(this.dir);
      await writeFile(file, thumb, { mode: FILE_MODE }).catch(() => undefined);
    }
    return `data:image/jpeg;base64,${thumb.toString('base64')}`;
  }
}
