#!/usr/bin/env node
// Draws the app icon (build/icon.png, 512×512 RGBA) from code, so the packaging resource is reproducible and
// needs no image tools: a blue rounded tile with a white camera lens and a red "recording" dot.
// electron-builder derives the Windows .ico and macOS .icns from this PNG. Run: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';

const SIZE = 512;

/** PNG chunk: length, type, data, CRC-32 of type+data (PNG spec §5.3). */
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit, colour type 6, filter 0 on every row). */
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Coverage of a shape at one pixel by 4×4 supersampling, for smooth edges.
function coverage(x, y, inside) {
  let n = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) n++;
  return n / 16;
}

const c = SIZE / 2;
const dist = (x, y, cx, cy) => Math.hypot(x - cx, y - cy);
const tile = (x, y) => {
  const r = 96;
  const m = 24;
  const qx = Math.max(m + r - x, 0, x - (SIZE - m - r));
  const qy = Math.max(m + r - y, 0, y - (SIZE - m - r));
  return Math.hypot(qx, qy) <= r;
};
// Layers, back to front: [shape, [r, g, b]].
const layers = [
  [tile, [28, 78, 140]],
  [(x, y) => dist(x, y, c, c + 10) <= 150, [245, 247, 250]],
  [(x, y) => dist(x, y, c, c + 10) <= 112, [36, 44, 58]],
  [(x, y) => dist(x, y, c, c + 10) <= 64, [70, 120, 190]],
  [(x, y) => dist(x, y, c - 22, c - 12) <= 18, [235, 242, 255]],
  [(x, y) => dist(x, y, c + 118, c - 118) <= 30, [220, 40, 40]],
];

const px = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let [r, g, b, a] = [0, 0, 0, 0];
    for (const [shape, [lr, lg, lb]] of layers) {
      const k = coverage(x, y, shape);
      if (k === 0) continue;
      // "over" compositing with straight alpha.
      const na = k + a * (1 - k);
      r = (lr * k + r * a * (1 - k)) / na;
      g = (lg * k + g * a * (1 - k)) / na;
      b = (lb * k + b * a * (1 - k)) / na;
      a = na;
    }
    const o = (y * SIZE + x) * 4;
    px[o] = Math.round(r);
    px[o + 1] = Math.round(g);
    px[o + 2] = Math.round(b);
    px[o + 3] = Math.round(a * 255);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL('../build/icon.png', import.meta.url), encodePng(SIZE, SIZE, px));
  process.stdout.write('wrote build/icon.png (512x512)\n');
}
