/** Small real images for engine tests, made with sharp. */
import sharp from 'sharp';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** A photo-like image: gradient, shapes and noise, so restorers have something to do. */
export async function writeTestPhoto(file: string, width = 320, height = 240, seed = 1): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const inCircle = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 4) ** 2;
      const base = [120 + 100 * (x / width), 90 + 80 * (y / height), inCircle ? 200 : 60];
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, base[c]! + (rnd() - 0.5) * 40));
    }
  await sharp(data, { raw: { width, height, channels: 3 } }).toFile(file);
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
