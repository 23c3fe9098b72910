/**
 * Fits NIQE's natural-scene model: the mean and covariance of the 36 patch
 * features over the sharpest patches (mean local σ above 0.75 × the image's
 * sharpest, as in the reference implementation) of clean photographs.
 *
 *   node --import tsx bench/fit-niqe-model.ts [DIR] [OUT]
 *
 * DIR defaults to ../shared/data/bsds500/train (200 clean natural photos),
 * OUT to devkit/metrics/niqe-model.json (committed; devkit/metrics/niqe.ts loads it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { grey255, niqeFeatures, selectSharpRows, NIQE_FEATURES } from '../devkit/metrics/niqe.js';
import { covariance, meanRows } from '../devkit/metrics/linalg.js';
import { toUnitFloat } from '../electron/engine/pipeline/image-buffer.js';

const PATCH = 96;
async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(here, '..');
  const dir = path.resolve(process.argv[2] ?? path.join(root, '../shared/data/bsds500/train'));
  const out = path.resolve(process.argv[3] ?? path.join(root, 'devkit', 'metrics', 'niqe-model.json'));
  const files = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const all: number[][] = [];
  for (const f of files) {
    const { data, info } = await sharp(path.join(dir, f)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const rgb = toUnitFloat(data);
    const { rows, sharpness } = niqeFeatures(grey255(rgb), info.width, info.height, PATCH);
    all.push(...selectSharpRows(rows, sharpness));
  }
  const round = (v: number) => Number(v.toPrecision(8));
  const model = {
    doc: 'NIQE natural-scene model: mean and covariance of the 36 patch features (devkit/metrics/niqe.ts) over sharp 96x96 patches. Written by bench/fit-niqe-model.ts.',
    source: `${path.relative(path.resolve(root, '..'), dir)} (${files.length} images; Berkeley Segmentation Dataset 500, Arbelaez et al. 2011, research use)`,
    patch: PATCH,
    patches: all.length,
    mu: meanRows(all, NIQE_FEATURES).map(round),
    cov: covariance(all, NIQE_FEATURES).map((r) => r.map(round)),
  };
  fs.writeFileSync(out, JSON.stringify(model) + '\n');
  console.log(`NIQE model: ${all.length} patches from ${files.length} images in ${dir} → ${out}`);
}

await main();
