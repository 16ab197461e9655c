/**
 * The tray icon, drawn in code as a PNG (like build/icon.png, scripts/make-icon.mjs), so no image file has to be
 * found at run time in a packaged app: a teal disc with a white lens; a red dot when there is something new
 * (unread camera mail or a refused camera); grey when the relay is not running. 32 × 32 px, which every platform
 * scales down for its tray. Plain Node (zlib); the caller turns the bytes into a nativeImage.
 */
import { crc32, deflateSync } from 'node:zlib';

/** What the icon shows. */
export type TrayIconState = 'stopped' | 'listening' | 'news';

const SIZE = 32;

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** RGBA pixels as a PNG (8-bit RGBA, filter 0 on every row; PNG spec §5.3, §11.2.2). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The tray icon for a state, as PNG bytes. */
export function trayIconPng(state: TrayIconState): Buffer {
  const px = Buffer.alloc(SIZE * SIZE * 4);
  const disc = state === 'stopped' ? [134, 142, 150] : [18, 184, 134];
  const put = (x: number, y: number, c: number[], a = 255) => {
    const i = (y * SIZE + x) * 4;
    px[i] = c[0];
    px[i + 1] = c[1];
    px[i + 2] = c[2];
    px[i + 3] = a;
  };
  const c = (SIZE - 1) / 2;
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const d = Math.hypot(x - c, y - c);
      if (d <= 15) put(x, y, disc, d > 14.2 ? 160 : 255);
      if (d <= 7) put(x, y, [255, 255, 255]);
      if (d <= 3.5) put(x, y, disc);
      if (state === 'news' && Math.hypot(x - 25, y - 6) <= 6) put(x, y, [250, 82, 82]);
    }
  }
  return encodePng(SIZE, SIZE, px);
}
