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

/** A PNG whose header claims `width`×`height` pixels but holds almost no data: a decompression bomb's calling card. */
export function bombPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A small real JPEG (about 700 bytes of noise) whose frame header is rewritten
 * to claim `width`×`height` pixels: the file ends long before that many pixels
 * could be coded, so any decoder that believes the header pads it with grey.
 */
export async function lyingJpeg(width: number, height: number): Promise<Buffer> {
  const noise = Buffer.alloc(24 * 24 * 3);
  let s = 7;
  for (let i = 0; i < noise.length; i++) noise[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  const real = await sharp(noise, { raw: { width: 24, height: 24, channels: 3 } }).jpeg({ quality: 60 }).toBuffer();
  const sof = real.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no baseline frame header');
  const out = Buffer.from(real);
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}
