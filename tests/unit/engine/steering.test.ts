/**
 * The explicit operations behind each stated setting, on synthetic tiles: each must move the
 * property a user would look at in the asked direction, leave what was not asked alone, and be
 * deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { steerPlan, steerTile, measureNoise, type SteerPlan } from '../../../electron/engine/steering/steer.js';
import { gaussian, sub, toYcc, energy } from '../../../electron/engine/steering/planes.js';
import type { SlotSettings } from '../../../electron/shared/instructions/slots.js';
import { fullReadings } from '../../../electron/engine/steering/readings.js';
import { repairedSettings, withoutRepaired } from '../../../electron/engine/stages/steer.js';
import { gaussianBlock } from '../../../electron/engine/degradations/prng.js';

const W = 96, H = 96;

/** A smooth scene with a few soft edges (what a restorer would return). */
function scene(): Float32Array {
  const out = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const edge = x > 48 ? 0.25 : 0;
      const disc = Math.hypot(x - 30, y - 60) < 14 ? 0.2 : 0;
      const v = 0.3 + 0.2 * (y / H) + edge + disc;
      out.set([v * 1.05, v, v * 0.9], (y * W + x) * 3);
    }
  // Soften edges a little, as a real photo's are.
  const { y } = toYcc(out);
  const soft = gaussian(y, W, H, 1);
  for (let p = 0; p < W * H; p++) {
    const d = soft[p]! - y[p]!;
    for (let c = 0; c < 3; c++) out[p * 3 + c]! += d;
  }
  return out;
}
function withGrain(img: Float32Array, sigma: number, seed = 1): Float32Array {
  const g = gaussianBlock(seed, W * H);
  const out = Float32Array.from(img);
  for (let p = 0; p < W * H; p++) {
    const n = sigma * g[p]!;
    for (let c = 0; c < 3; c++) out[p * 3 + c]! += n;
  }
  return out;
}
const fine = (img: Float32Array) => {
  const { y } = toYcc(img);
  return energy(sub(y, gaussian(y, W, H, 0.8)));
};
const edges = (img: Float32Array) => {
  const { y } = toYcc(img);
  return energy(sub(gaussian(y, W, H, 0.8), gaussian(y, W, H, 3)));
};
const meanAbs = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;

function plan(words: Record<string, string>, decoded: Record<string, string> = {}, img?: Float32Array): SteerPlan {
  const s: SlotSettings = {};
  for (const [k, v] of Object.entries(words)) (s as Record<string, unknown>)[k] = { value: v, source: 'words' };
  return steerPlan(s, decoded, img ? measureNoise(img, W, H) : { luma: 0.01, chroma: 0.005, grain: Array(8).fill(0.01) });
}

test('grain: keep puts the input grain back, remove takes more out than reduce', () => {
  const clean = scene();
  const input = withGrain(clean, 0.03);
  const restored = withGrain(clean, 0.006, 2); // a restorer that denoised most of it
  const out = (v: string) => steerTile(input, restored, W, H, plan({ grain: v }, {}, input));
  const [keep, reduce, remove] = [out('keep'), out('reduce'), out('remove')];
  const eIn = fine(input);
  assert.ok(Math.abs(fine(keep) - eIn) / eIn < 0.1, `keep ${fine(keep)} vs input ${eIn}`);
  assert.ok(fine(keep) > fine(reduce) && fine(reduce) > fine(remove), `${fine(keep)} > ${fine(reduce)} > ${fine(remove)}`);
  assert.ok(fine(remove) < fine(restored), 'remove takes out more than the restorer did');
});

test('grain: remove takes out midtone grain even when the flattest blocks are a clean white border', () => {
  // Film grain lives in the midtones; a clipped white margin has none. One level from the flattest
  // blocks would read the margin and leave the grain; the level per brightness reads the midtones.
  const grainy = withGrain(scene(), 0.03);
  for (let y = 0; y < H; y++) for (let x = 0; x < 24; x++) grainy.set([1, 1, 1], (y * W + x) * 3);
  const levels = measureNoise(grainy, W, H);
  assert.ok(levels.luma < 0.005, `the flattest blocks: ${levels.luma}`);
  assert.ok(Math.max(...levels.grain) > 0.02, `per brightness: ${levels.grain.map((v) => v.toFixed(3)).join(' ')}`);
  const removed = steerTile(grainy, grainy, W, H, plan({ grain: 'remove' }, {}, grainy));
  assert.ok(fine(removed) < 0.3 * fine(grainy), `removed ${fine(removed)} vs ${fine(grainy)}`);
  assert.ok(edges(removed) > 0.5 * edges(grainy), 'edges stay');
});

test('grain keep does not bring back a repaired scratch', () => {
  const clean = scene();
  const input = withGrain(clean, 0.02);
  for (let x = 10; x < 80; x++) for (let c = 0; c < 3; c++) input[(40 * W + x) * 3 + c] = 0.95;
  const restored = Float32Array.from(clean);
  const kept = steerTile(input, restored, W, H, plan({ grain: 'keep' }, {}, input));
  const line = [...Array(70).keys()].reduce((s, i) => s + kept[(40 * W + 10 + i) * 3 + 1]!, 0) / 70;
  assert.ok(line < 0.8, `scratch row mean ${line.toFixed(3)}`);
});

test('sharpness: crisp > natural > soft in edge energy; blur leave keeps the input edges', () => {
  const input = scene();
  const restored = scene();
  const e = (v: string) => edges(steerTile(input, restored, W, H, plan({ sharpness: v })));
  assert.ok(e('crisp') > edges(restored) * 1.5 && edges(restored) > e('soft'), `${e('crisp')} ${edges(restored)} ${e('soft')}`);
  // A restorer that sharpened: "leave the blur" gives the input's edges back.
  const sharpened = steerTile(input, restored, W, H, plan({ sharpness: 'crisp' }));
  const left = steerTile(input, sharpened, W, H, plan({ blur: 'leave' }));
  assert.ok(Math.abs(edges(left) - edges(input)) / edges(input) < 0.05);
  assert.ok(edges(steerTile(input, restored, W, H, plan({ blur: 'fix' }))) > edges(restored));
});

test('dust and scratches: fix fills them from around, leave keeps them exactly', () => {
  const input = scene();
  const spots = [[20, 20], [70, 30], [40, 80]];
  for (const [x, y] of spots) for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) for (let c = 0; c < 3; c++) input[((y! + dy) * W + x! + dx) * 3 + c] = 0.97;
  for (let y = 5; y < 45; y++) for (let c = 0; c < 3; c++) input[(y * W + 60) * 3 + c] = 0.05;
  const restored = Float32Array.from(input); // the restorer missed them
  const fixed = steerTile(input, restored, W, H, plan({ dust: 'fix', scratches: 'fix' }));
  const clean = scene();
  for (const [x, y] of spots) assert.ok(Math.abs(fixed[(y! * W + x!) * 3]! - clean[(y! * W + x!) * 3]!) < 0.05, `speck at ${x},${y}`);
  assert.ok(Math.abs(fixed[(20 * W + 60) * 3]! - clean[(20 * W + 60) * 3]!) < 0.05, 'scratch');
  // leave: whatever the restorer did there is undone
  const cleaned = scene();
  const left = steerTile(input, cleaned, W, H, plan({ dust: 'leave', scratches: 'leave' }));
  assert.equal(left[(20 * W + 20) * 3], input[(20 * W + 20) * 3]);
  assert.equal(left[(20 * W + 60) * 3], input[(20 * W + 60) * 3]);
});

test('a stain is evened out, its texture kept', () => {
  const clean = withGrain(scene(), 0.01);
  const input = Float32Array.from(clean);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (Math.hypot(x - 60, y - 30) < 9) for (let c = 0; c < 3; c++) input[(y * W + x) * 3 + c]! -= c === 2 ? 0.2 : 0.12;
  const fixed = steerTile(input, input, W, H, plan({ blotches: 'fix' }));
  const at = (img: Float32Array) => img[(30 * W + 60) * 3]!;
  assert.ok(Math.abs(at(fixed) - at(clean)) < 0.5 * Math.abs(at(input) - at(clean)), `${at(input)} → ${at(fixed)} (clean ${at(clean)})`);
});

test('JPEG blocks are smoothed at the photo grid, real edges are not', () => {
  const input = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = x >= 48 ? 0.8 : 0.4 + 0.02 * ((Math.floor(x / 8) + Math.floor(y / 8)) % 2);
    input.set([v, v, v], (y * W + x) * 3);
  }
  const out = steerTile(input, input, W, H, plan({ jpeg: 'fix' }), { x: 0, y: 0 });
  const step = (img: Float32Array, x: number) => Math.abs(img[(4 * W + x) * 3]! - img[(4 * W + x - 1) * 3]!);
  assert.ok(step(out, 16) < 0.5 * step(input, 16), `block edge ${step(input, 16)} → ${step(out, 16)}`);
  assert.equal(step(out, 48), step(input, 48), 'a real edge is untouched');
});

test('colour noise: fix smooths it, leave keeps the input colour noise', () => {
  const clean = scene();
  const g = gaussianBlock(5, 2 * W * H);
  const input = Float32Array.from(clean);
  for (let p = 0; p < W * H; p++) {
    input[p * 3]! += 0.04 * g[2 * p]!;
    input[p * 3 + 2]! += 0.04 * g[2 * p + 1]!;
  }
  const chromaHF = (img: Float32Array) => {
    const { cb } = toYcc(img);
    return energy(sub(cb, gaussian(cb, W, H, 1.5)));
  };
  const fixed = steerTile(input, input, W, H, plan({ noise: 'fix' }, {}, input));
  assert.ok(chromaHF(fixed) < 0.5 * chromaHF(input));
  const left = steerTile(input, clean, W, H, plan({ noise: 'leave' }, {}, input));
  assert.ok(Math.abs(chromaHF(left) - chromaHF(input)) / chromaHF(input) < 0.1);
});

test('strength: gentle keeps half the change; strong runs the fixes the photo shows; black and white is grey', () => {
  const input = withGrain(scene(), 0.03);
  const restored = scene();
  const gentle = steerTile(input, restored, W, H, plan({ strength: 'gentle' }));
  assert.ok(Math.abs(meanAbs(gentle, input) - 0.5 * meanAbs(restored, input)) < 0.002);
  const strong = steerTile(input, restored, W, H, plan({ strength: 'strong' }, { grain: 'remove', noise: 'low', blur: 'low' }, input));
  assert.ok(meanAbs(strong, input) > meanAbs(restored, input), 'stronger: more change than the restorer alone');
  const grey = steerTile(input, restored, W, H, plan({ tone: 'bw' }));
  for (let p = 0; p < grey.length; p += 3) assert.ok(grey[p] === grey[p + 1] && grey[p + 1] === grey[p + 2]);
});

test('a numeric strength blends the restored tile toward the input: the change is that share of the full one', () => {
  const input = withGrain(scene(), 0.03);
  const restored = scene();
  const full = meanAbs(steerTile(input, restored, W, H, plan({ sharpness: 'crisp' })), input);
  let previous = -1;
  for (const x of ['0', '0.25', '0.5', '0.8', '1']) {
    const p = plan({ sharpness: 'crisp', strength: x });
    assert.equal(p.blend, Number(x));
    assert.equal(p.amount, 1, 'the operations themselves are those of the normal restoration');
    const change = meanAbs(steerTile(input, restored, W, H, p), input);
    assert.ok(Math.abs(change - Number(x) * full) < 0.002, `${x}: ${change} vs ${Number(x) * full}`);
    assert.ok(change > previous);
    previous = change;
  }
  assert.deepEqual(steerTile(input, restored, W, H, plan({ strength: '1' })), restored, 'strength 1 is the normal restoration');
});

test('colour noise the photo measurably has is removed with nothing stated; grey grain, clean photos and stated wishes are not touched', () => {
  const clean = scene();
  const g = gaussianBlock(9, clean.length);
  const noisy = Float32Array.from(clean);
  for (let q = 0; q < noisy.length; q++) noisy[q]! += 0.06 * g[q]!;
  const chromaHF = (img: Float32Array) => {
    const { cr } = toYcc(img);
    return energy(sub(cr, gaussian(cr, W, H, 1.5)));
  };
  const auto = plan({}, {}, noisy);
  assert.equal(auto.noise, 'fix');
  assert.ok(chromaHF(steerTile(noisy, noisy, W, H, auto)) < 0.5 * chromaHF(noisy));
  // the Restore panel says why: measured, not read
  const reading = fullReadings({}, { noise: 'off' }, null, measureNoise(noisy, W, H)).noise!;
  assert.equal(reading.value, 'fix');
  assert.match(reading.because ?? '', /colour noise measured/);
  // grey grain has no colour noise; a clean photo measures none
  assert.equal(plan({}, {}, withGrain(clean, 0.03)).noise, undefined);
  assert.equal(plan({}, {}, clean).noise, undefined);
  assert.deepEqual(steerTile(clean, clean, W, H, plan({}, {}, clean)), clean);
  // the words win: "keep the grain" or "leave the noise"
  assert.equal(plan({ grain: 'keep' }, {}, noisy).noise, undefined);
  assert.equal(plan({ noise: 'leave' }, {}, noisy).noise, 'leave');
  assert.equal(fullReadings({ grain: { value: 'keep', source: 'words' } }, { noise: 'off' }, null, measureNoise(noisy, W, H)).noise!.value, 'leave');
});

test('nothing stated: the restorer output passes through; every operation is deterministic', () => {
  const input = withGrain(scene(), 0.02);
  const restored = scene();
  assert.deepEqual(steerTile(input, restored, W, H, plan({})), restored);
  const p = plan({ grain: 'keep', dust: 'fix', scratches: 'leave', sharpness: 'crisp', noise: 'fix', jpeg: 'fix', blotches: 'fix' }, {}, input);
  assert.deepEqual(steerTile(input, restored, W, H, p, { x: 8, y: 16 }), steerTile(input, restored, W, H, p, { x: 8, y: 16 }));
});

test('withoutRepaired: the detector’s kinds (or a user’s mask: all) lose their explicit "fix"; "leave" and other operations stay', () => {
  const levels = { luma: 0.01, chroma: 0.005, grain: [] };
  const p = { dust: 'fix', scratches: 'fix', blotches: 'fix', noise: 'fix', bw: false, amount: 1, blend: 1, levels } as const;
  assert.deepEqual(withoutRepaired(p, { source: 'detected', kinds: ['scratch', 'dust'] }), { blotches: 'fix', noise: 'fix', bw: false, amount: 1, blend: 1, levels });
  assert.deepEqual(withoutRepaired(p, { source: 'user' }), { noise: 'fix', bw: false, amount: 1, blend: 1, levels });
  assert.deepEqual(withoutRepaired(p, { source: 'unavailable' }), p, 'no repair: the explicit operations are the only remover');
  assert.deepEqual(withoutRepaired(p, { source: 'off' }), p);
  assert.deepEqual(withoutRepaired({ ...p, dust: 'leave' }, { source: 'user' }).dust, 'leave', 'what the words keep is still put back');
});

test('repairedSettings: the settings of the detector’s kinds (tears are scratches), all three for a user’s mask, none without a repair', () => {
  assert.deepEqual([...repairedSettings({ source: 'detected', kinds: ['scratch', 'tear', 'blotch'] })].sort(), ['blotches', 'scratches']);
  assert.deepEqual([...repairedSettings({ source: 'user' })].sort(), ['blotches', 'dust', 'scratches']);
  assert.equal(repairedSettings({ source: 'off' }).size, 0, 'repair off');
  assert.equal(repairedSettings({ source: 'unavailable', kinds: ['scratch'] }).size, 0, 'no detector');
});
