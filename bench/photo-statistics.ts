/**
 * The photo statistics the engine decides by, over folders of photos: what the do-no-harm thresholds are
 * set from. Per folder: how many photos the tone stage counts as monochrome or toned, how many colour photos
 * the unasked fading rules would stretch once the integrator reads them as faded (the rule for monochrome
 * prints and the stricter one for colour photos, electron/engine/semantic/tone-policy.ts), and the measured
 * colour noise (electron/engine/steering/texture.ts hasColourNoise) as min / median / max in 1/255.
 *   node --import tsx bench/photo-statistics.ts DIR [DIR...] [--limit N]
 * Prints a line per folder, then one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeImage } from '../electron/engine/pipeline/image-io.js';
import { toUnitFloat } from '../electron/engine/pipeline/image-buffer.js';
import { chromaBeyondTint, looksFaded, lumaPercentiles } from '../electron/engine/semantic/tone-policy.js';
import { toneThumbnail } from '../electron/engine/semantic/tone.js';
import { measureNoise } from '../electron/engine/steering/steer.js';
import { MEASURED_COLOUR_NOISE } from '../electron/engine/steering/texture.js';

const IMAGE = /\.(jpe?g|png|tiff?|webp)$/i;

async function main() {
  const argv = process.argv.slice(2);
  let limit = Infinity;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--limit') limit = Number(argv[++i]);
    else dirs.push(argv[i]!);
  }
  if (!dirs.length) throw new Error('usage: photo-statistics.ts DIR [DIR...] [--limit N]');
  const out = [];
  for (const dir of dirs) {
    const files = fs.readdirSync(dir).filter((n) => IMAGE.test(n) && !/restored/.test(n)).sort().slice(0, limit);
    let mono = 0, colour = 0, monoRule = 0, colourRule = 0, noisy = 0;
    const chroma: number[] = [];
    for (const name of files) {
      // decoded as the engine decodes a photo (upright, sRGB, alpha aside)
      const { rgb8, width, height } = await decodeImage(path.join(dir, name));
      const rgb = toUnitFloat(rgb8);
      const thumb = toneThumbnail(rgb, width, height, 128);
      const isMono = chromaBeyondTint(thumb).residual < 0.02;
      const [lo, hi] = lumaPercentiles(thumb, [0.005, 0.995]) as [number, number];
      if (isMono) mono++;
      else {
        colour++;
        if (looksFaded(true, lo, hi)) monoRule++;
        if (looksFaded(false, lo, hi)) colourRule++;
      }
      const levels = measureNoise(rgb, width, height);
      chroma.push(levels.chroma * 255);
      if (levels.chroma >= MEASURED_COLOUR_NOISE) noisy++;
    }
    chroma.sort((a, b) => a - b);
    const row = {
      dir,
      photos: files.length,
      monochrome: mono,
      colour,
      colourStretchedByMonoRule: monoRule,
      colourStretchedByColourRule: colourRule,
      colourNoise255: { min: +chroma[0]!.toFixed(2), median: +chroma[chroma.length >> 1]!.toFixed(2), max: +chroma[chroma.length - 1]!.toFixed(2) },
      measuredColourNoise: noisy,
    };
    out.push(row);
    console.log(`${dir}: ${files.length} photos, ${mono} monochrome/toned, ${colour} colour; fading rule for prints would stretch ${monoRule} colour photos, the colour rule ${colourRule}; colour noise ${row.colourNoise255.min}/${row.colourNoise255.median}/${row.colourNoise255.max} of 255 (min/median/max), ${noisy} at or above ${(MEASURED_COLOUR_NOISE * 255).toFixed(1)}`);
  }
  console.log(JSON.stringify({ bench: 'photo-statistics', folders: out }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
