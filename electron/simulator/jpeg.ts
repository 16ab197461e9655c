/** The camera's snapshot: a real 640x360 JPEG test pattern (colour bars over a gradient), encoded once with jpeg-js. */
import jpeg from 'jpeg-js';

let cached: Buffer | undefined;

const BARS: [number, number, number][] = [
  [192, 192, 192],
  [192, 192, 0],
  [0, 192, 192],
  [0, 192, 0],
  [192, 0, 192],
  [192, 0, 0],
  [0, 0, 192],
];

/** Width and height of the snapshot. */
export const SNAPSHOT_SIZE = { width: 640, height: 360 } as const;

/** The snapshot JPEG (shared by every simulated camera; encoding costs ~20 ms once). */
export function snapshotJpeg(): Buffer {
  if (cached) return cached;
  const { width, height } = SNAPSHOT_SIZE;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      let rgb: [number, number, number];
      if (y < (height * 2) / 3) rgb = BARS[Math.floor((x * BARS.length) / width)];
      else {
        const g = Math.round((x / (width - 1)) * 255);
        rgb = [g, g, g];
      }
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
  cached = jpeg.encode({ data, width, height }, 80).data;
  return cached;
}
