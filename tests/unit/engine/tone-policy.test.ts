import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readToneWords } from '../../../electron/engine/semantic/tone-words.js';
import { chromaBeyondTint, composeTone, decideTone, levelsMatrix, RESTORE_CHROMA, saturationMatrix } from '../../../electron/engine/semantic/tone-policy.js';
import { applyTone } from '../../../electron/engine/semantic/tone.js';

/** A 32×32 HWC thumbnail: a colourful gradient, or the same toned by a tint of its luma. */
function thumb(kind: 'colour' | 'sepia' | 'faded'): Float32Array {
  const n = 32, out = new Float32Array(n * n * 3);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const p = (y * n + x) * 3, r = x / (n - 1), g = y / (n - 1), b = 1 - (x + y) / (2 * n - 2);
      const l = 0.299 * r + 0.587 * g + 0.114 * b;
      const rgb = kind === 'colour' ? [r, g, b] : kind === 'sepia' ? [l * 1.1, l * 0.97, l * 0.75] : [0.35 + 0.35 * r, 0.35 + 0.35 * g, 0.3 + 0.35 * b];
      out.set(rgb.map((v) => Math.min(1, v)), p);
    }
  return out;
}

const decoded = { fade: 'off', cast: 'fix', colour: 'keep' };
const noModel = null;

test('instruction words: tone asked for, kept, or not mentioned', () => {
  assert.equal(readToneWords('').tone, undefined);
  assert.equal(readToneWords('remove the scratches but keep the grain').tone, undefined);
  assert.equal(readToneWords('remove the scratches and the white dust specks').tone, undefined);
  assert.equal(readToneWords('remove the blue pen marks').tone, undefined);
  assert.equal(readToneWords('keep the warm sepia tone').tone, 'keep');
  assert.equal(readToneWords("don't change the colours").tone, 'keep');
  assert.equal(readToneWords('make it neutral black and white').tone, 'bw');
  assert.equal(readToneWords('convert to greyscale please').tone, 'bw');
  assert.equal(readToneWords('remove the yellow cast').tone, 'neutral');
  assert.equal(readToneWords('fix the white balance').tone, 'neutral');
  assert.equal(readToneWords('restore the colours of this faded photo').tone, 'restore');
  assert.equal(readToneWords('warm it up a little').tone, 'warm');
  assert.equal(readToneWords('restore the contrast').fade, 'fix');
  assert.equal(readToneWords('leave the fading as it is').fade, 'leave');
});

test('no words about colour: a colour photo and a sepia print keep their colours exactly', async () => {
  for (const kind of ['colour', 'sepia'] as const) {
    const d = await decideTone({ instruction: '', thumb: thumb(kind), decoded, learned: noModel });
    assert.equal(d.matrix, null, kind);
    assert.deepEqual(d.actions, ['kept']);
  }
});

test('the learned tone model runs only when the words ask for the colours back', async () => {
  let calls = 0;
  const learned = async () => {
    calls++;
    return Float32Array.from([1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.9, 0]);
  };
  await decideTone({ instruction: 'remove the scratches', thumb: thumb('colour'), decoded, learned });
  assert.equal(calls, 0);
  const d = await decideTone({ instruction: 'restore the colours', thumb: thumb('colour'), decoded, learned });
  assert.equal(calls, 1);
  assert.deepEqual(d.actions, ['restored']);
});

test('"make it neutral" turns a toned print neutral grey; "black and white" any photo', async () => {
  for (const [instruction, kind, action] of [['make it neutral', 'sepia', 'grey'], ['make it black and white', 'colour', 'black-and-white']] as const) {
    const d = await decideTone({ instruction, thumb: thumb(kind), decoded, learned: noModel });
    assert.deepEqual(d.actions, [action]);
    const out = applyTone(thumb(kind), d.matrix!);
    for (let p = 0; p < out.length; p += 3) assert.ok(Math.abs(out[p]! - out[p + 1]!) < 1e-5 && Math.abs(out[p + 1]! - out[p + 2]!) < 1e-5);
  }
});

test('fading is stretched when the integrator reads it as heavy and the tones are compressed, never against "leave"', async () => {
  const faded = thumb('faded');
  const d = await decideTone({ instruction: '', thumb: faded, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.deepEqual(d.actions, ['levels']);
  const low = await decideTone({ instruction: '', thumb: faded, decoded: { ...decoded, fade: 'low' }, learned: noModel });
  assert.equal(low.matrix, null);
  const leave = await decideTone({ instruction: 'leave the fading', thumb: faded, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.equal(leave.matrix, null);
  // the same gain on every channel: hue kept
  const m = d.matrix!;
  assert.ok(m[0] === m[5] && m[5] === m[10] && m[3] === m[7] && m[7] === m[11]);
});

test('lifted blacks under whites that still reach paper white are not called fading unless asked', async () => {
  // a portrait on a light backdrop: darkest tones at 0.2, whites at 1.0 (the integrator reads such photos as
  // faded once JPEG has damaged them)
  const lifted = thumb('colour').map((_, i) => 0.2 + 0.8 * (Math.floor(i / 3) % 32) / 31);
  const d = await decideTone({ instruction: '', thumb: lifted, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.equal(d.matrix, null);
  const asked = await decideTone({ instruction: 'fix the fading', thumb: lifted, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.ok(asked.actions.includes('levels'));
});

test('a muted colour photo read as faded keeps its tones unless asked; the same tones on a toned print are stretched', async () => {
  // tones 0.17–0.88, the range of a foggy forest scene (bsds500 109053), in colour and as a sepia print
  const muted = (kind: 'colour' | 'sepia') => thumb(kind === 'colour' ? 'colour' : 'sepia').map((v, i) => {
    const l = 0.17 + 0.71 * (Math.floor(i / 3) % 32) / 31;
    if (kind === 'sepia') return [l * 1.06, l * 0.98, l * 0.85][i % 3]!;
    return Math.min(1, Math.max(0, l + 0.12 * (v - 0.5)));
  });
  const colour = muted('colour');
  assert.ok(chromaBeyondTint(colour).residual >= 0.02);
  const d = await decideTone({ instruction: '', thumb: colour, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.equal(d.matrix, null);
  assert.deepEqual(d.actions, ['kept']);
  const asked = await decideTone({ instruction: 'fix the fading', thumb: colour, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.ok(asked.actions.includes('levels'));
  // a colour photo whose blacks are lifted far (0.3) is faded, read as such
  const washed = colour.map((v) => 0.3 + 0.6 * v);
  assert.ok(chromaBeyondTint(washed).residual >= 0.02);
  const w = await decideTone({ instruction: '', thumb: washed, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.deepEqual(w.actions, ['levels']);
  const sepia = muted('sepia');
  assert.ok(chromaBeyondTint(sepia).residual < 0.02);
  const s = await decideTone({ instruction: '', thumb: sepia, decoded: { ...decoded, fade: 'high' }, learned: noModel });
  assert.deepEqual(s.actions, ['levels']);
});

test('levels, composition and the monochrome test', () => {
  const m = levelsMatrix(0.2, 0.7, 1)!;
  assert.ok(Math.abs(m[0]! * 0.2 + m[3]! - 0.02) < 1e-6 && Math.abs(m[0]! * 0.7 + m[3]! - 0.98) < 1e-6);
  assert.equal(levelsMatrix(0.01, 0.99, 0.5), null);
  const twice = composeTone(m, m);
  assert.ok(Math.abs(twice[0]! - m[0]! * m[0]!) < 1e-6);
  assert.ok(chromaBeyondTint(thumb('sepia')).residual < 0.02);
  assert.ok(chromaBeyondTint(thumb('colour')).residual > 0.05);
});

test('"remove the cast" on a colour photo takes out half of the tint the tone model leaves', async () => {
  // A colour photo under a warm cast, and a tone model that restores colour but deepens the cast.
  const cast = thumb('colour').map((v, i) => Math.min(1, v * [1.15, 1, 0.8][i % 3]!));
  const deepen = async () => Float32Array.from([1.1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0.9, 0]);
  const tint = (t: Float32Array) => {
    const mean = [0, 0, 0];
    for (let i = 0; i < t.length; i++) mean[i % 3]! += t[i]! / (t.length / 3);
    return mean[0]! - mean[2]!;
  };
  const d = await decideTone({ instruction: 'remove the colour cast', thumb: cast, decoded, learned: deepen });
  assert.deepEqual(d.actions, ['neutralised']);
  assert.ok(d.learned);
  const before = tint(cast), learnedOnly = tint(applyTone(Float32Array.from(cast), await deepen())), after = tint(applyTone(Float32Array.from(cast), d.matrix!));
  assert.ok(after < before && after < 0.6 * learnedOnly, `R−B ${before.toFixed(3)} → learned ${learnedOnly.toFixed(3)} → ${after.toFixed(3)}`);
  // "restore the colours": the tone model's reading, lifted only where it would leave less colour beyond the tint than the photo had.
  const restored = await decideTone({ instruction: 'restore the colours', thumb: cast, decoded, learned: deepen });
  assert.deepEqual(restored.actions, ['restored']);
  const beyond = (t: Float32Array) => chromaBeyondTint(t).residual;
  assert.ok(beyond(applyTone(Float32Array.from(cast), restored.matrix!)) >= 0.99 * beyond(cast));
});

test('"restore the colours": a faded colour photo comes back more colourful; a sepia print gets the tone model alone', async () => {
  const faded = thumb('faded');
  const colour = (t: Float32Array) => chromaBeyondTint(t).residual;
  const c0 = colour(faded);
  // A tone model that takes colour out (a desaturating matrix): the colours come back a third stronger than the photo had them.
  const washes = async () => saturationMatrix(0.85);
  const d1 = await decideTone({ instruction: 'bring back the faded colours', thumb: faded, decoded, learned: washes });
  const c1 = colour(applyTone(Float32Array.from(faded), d1.matrix!));
  assert.ok(c1 >= 0.99 * RESTORE_CHROMA * c0 && c1 <= 1.1 * RESTORE_CHROMA * c0, `${c0.toFixed(4)} → ${c1.toFixed(4)}`);
  assert.ok(d1.because.some((b) => /lifted ×/.test(b)), d1.because.join('; '));
  // One that gives colour back (as on the fading it was trained on): its reading stands. No model: never weaker.
  const gives = async () => saturationMatrix(1.2);
  const d2 = await decideTone({ instruction: 'bring back the faded colours', thumb: faded, decoded, learned: gives });
  assert.deepEqual(Array.from(d2.matrix!), Array.from(await gives()));
  const d3 = await decideTone({ instruction: 'bring back the faded colours', thumb: faded, decoded, learned: null });
  assert.ok(colour(applyTone(Float32Array.from(faded), d3.matrix!)) >= 0.99 * c0);
  // Luma is what the lift keeps: grey stays grey, a pixel's luma is unchanged.
  const sat = saturationMatrix(1.5);
  const grey = applyTone(Float32Array.from([0.4, 0.4, 0.4, 0.6, 0.4, 0.3]), sat);
  assert.ok(Math.abs(grey[0]! - 0.4) < 1e-6 && Math.abs(grey[1]! - 0.4) < 1e-6, 'grey stays grey');
  const y = 0.299 * 0.6 + 0.587 * 0.4 + 0.114 * 0.3;
  assert.ok(Math.abs(0.299 * grey[3]! + 0.587 * grey[4]! + 0.114 * grey[5]! - y) < 1e-5, 'luma kept');
  assert.ok(Math.abs(grey[3]! - y - 1.5 * (0.6 - y)) < 1e-5, 'distance from luma ×1.5');
  // A sepia print: the tone model's reading alone (it takes the yellowing out), no lift.
  const sepia = thumb('sepia');
  const model = async () => Float32Array.from([0.9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1.2, 0]);
  const d = await decideTone({ instruction: 'restore the original colours', thumb: sepia, decoded, learned: model });
  assert.deepEqual(Array.from(d.matrix!), Array.from(await model()));
});
