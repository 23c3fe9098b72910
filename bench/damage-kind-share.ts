/**
 * How much of a set of photos the damage detector marks, per kind, at several thresholds — to choose a kind's own
 * threshold (the manifest's semantics.kindThresholds) on clean training photos, where every mark is a false one:
 *   node --import tsx bench/damage-kind-share.ts --dir ../shared/data/bsds500/train [--limit 20] [--max-side 768]
 *        [--models DIR] [--thresholds 0.9,0.95,0.97,0.99]
 * Photos are scaled to --max-side first. Prints one line per threshold and one JSON line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scanModels } from '../electron/node/model-registry.js';
import { SessionCache } from '../electron/engine/session-cache.js';
import { detectDamage } from '../electron/engine/damage/detector.js';
import { findDamageDetector } from '../electron/engine/damage/find-detector.js';
import { DAMAGE_KINDS } from '../electron/engine/damage/mask.js';
import { loadRgb8 } from './image-files.js';

const a = { dir: '', limit: 20, maxSide: 768, models: path.resolve('models/zoo'), thresholds: [0.9, 0.95, 0.97, 0.99] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const v = () => argv[++i] ?? '';
  switch (argv[i]) {
    case '--dir': a.dir = v(); break;
    case '--limit': a.limit = Number(v()); break;
    case '--max-side': a.maxSide = Number(v()); break;
    case '--models': a.models = path.resolve(v()); break;
    case '--thresholds': a.thresholds = v().split(',').map(Number); break;
    default: throw new Error(`unknown argument ${argv[i]}`);
  }
}
if (!a.dir || !fs.existsSync(a.dir)) throw new Error(`--dir DIR is required and must exist (got "${a.dir}")`);
if (a.thresholds.some((t) => !(t > 0 && t < 1))) throw new Error('--thresholds must be probabilities between 0 and 1');

const model = findDamageDetector(scanModels([{ dir: a.models, source: 'user' }]));
if (!model) throw new Error(`no damage detector in ${a.models}`);
const loaded = await new SessionCache().get(model, 'cpu');
const files = fs.readdirSync(a.dir).filter((f) => /\.(jpe?g|png|tiff?|webp)$/i.test(f)).sort().slice(0, a.limit);
// share[t][k]: mean fraction of a photo marked as kind k at threshold t
const share = a.thresholds.map(() => DAMAGE_KINDS.map(() => 0));
for (const f of files) {
  const { rgb8, width, height } = await loadRgb8(path.join(a.dir, f), a.maxSide);
  for (const [i, threshold] of a.thresholds.entries()) {
    const bits = await detectDamage(loaded, rgb8, width, height, { threshold });
    for (const b of bits) for (let k = 0; k < DAMAGE_KINDS.length; k++) if (b & (1 << k)) share[i]![k]! += 1 / bits.length / files.length;
  }
}
const version = loaded.model.manifest?.version ?? '?';
console.log(`${model.id} ${version}: ${files.length} photos from ${a.dir}, share marked per kind (%)`);
for (const [i, t] of a.thresholds.entries()) console.log(`  ≥ ${t}: ${DAMAGE_KINDS.map((k, j) => `${k} ${(share[i]![j]! * 100).toFixed(2)}`).join(', ')}`);
console.log(JSON.stringify({ bench: 'damage-kind-share', model: { id: model.id, version }, dir: path.resolve(a.dir), photos: files.length,
  share: Object.fromEntries(a.thresholds.map((t, i) => [t, Object.fromEntries(DAMAGE_KINDS.map((k, j) => [k, Number(share[i]![j]!.toFixed(5))]))])) }));
