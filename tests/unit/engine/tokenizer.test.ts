import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Tokenizer } from '../../../electron/engine/semantic/tokenizer.js';
import { shippedModelsDir } from '../../../electron/node/app-paths.js';

const dir = path.join(shippedModelsDir(), 'restora-integrator');
const spec = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'));
const vectors = JSON.parse(fs.readFileSync(path.join(dir, 'tokenizer_vectors.json'), 'utf8')).vectors as Array<{ text: string; ids: number[] }>;

test('the TypeScript tokenizer matches the Python one on every test vector', () => {
  const tok = new Tokenizer(spec);
  assert.ok(vectors.length >= 30);
  for (const v of vectors) assert.deepEqual(tok.encode(v.text), v.ids, JSON.stringify(v.text.slice(0, 60)));
});

test('any input gives 1..64 ids starting with <s>', () => {
  const tok = new Tokenizer(spec);
  for (const text of ['', '   ', '💥'.repeat(5000), 'x'.repeat(16_384), '\u0000\u200b\ufeff', 'İSTANBUL ﬁx', 'فوٹو ٹھیک کریں', '修复划痕']) {
    const ids = tok.encode(text);
    assert.equal(ids[0], 1);
    assert.ok(ids.length >= 1 && ids.length <= 64);
    assert.ok(ids.every((i) => Number.isInteger(i) && i >= 1 && i < spec.vocabBase + spec.vocab.length));
  }
});
