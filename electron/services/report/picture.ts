/**
 * The evidence picture: the test e-mail's JPEG snapshot, scaled once when it is recorded so that every report
 * embeds it as it is (a PDF embeds JPEG bytes without re-encoding). At 400 px on the longest side and quality 75
 * a camera frame is 15–40 KB, which keeps a 50-camera PDF well under 2 MB and the journal export small, while the
 * picture still shows what the camera saw. The original's SHA-256 and size are kept, so the picture can be
 * matched to the mail stored in the relay. Decoding uses jpeg-js under the same caps as the relay's thumbnails
 * (camera snapshots are untrusted input).
 */
import jpeg from 'jpeg-js';
import { downscaleRgba } from '../relay/reader';
import { sha256Hex } from './site-journal';

/** Longest side of an evidence picture, px. */
export const EVIDENCE_MAX_PX = 400;
/** JPEG quality of an evidence picture. */
export const EVIDENCE_QUALITY = 75;

/** A scaled picture. */
export interface ScaledPicture {
  jpeg: Buffer;
  width: number;
  height: number;
  original: { sha256: string; bytes: number };
}

/** Scales a JPEG to fit `max` px; undefined when it cannot be decoded within the caps. */
export function scaleEvidence(original: Buffer, max = EVIDENCE_MAX_PX, quality = EVIDENCE_QUALITY): ScaledPicture | undefined {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(original, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 50, maxMemoryUsageInMB: 256, tolerantDecoding: true });
  } catch {
    return undefined;
  }
  if (!img.width || !img.height) return undefined;
  const small = downscaleRgba(img, max);
  const out = Buffer.from(jpeg.encode({ width: small.width, height: small.height, data: small.data }, quality).data);
  return { jpeg: out, width: small.width, height: small.height, original: { sha256: sha256Hex(original), bytes: original.length } };
}
