import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs, flagList, flagNumber, flagString } from '../../../electron/cli/args.js';

test('parses positionals, valued flags, short flags and --key=value', () => {
  const a = parseArgs(['a.jpg', 'dir', '-o', 'out', '--instruction', 'fix it', '--fidelity=0.5', '--json'], new Set(['output', 'instruction', 'fidelity']));
  assert.deepEqual(a.positional, ['a.jpg', 'dir']);
  assert.equal(flagString(a, 'output'), 'out');
  assert.equal(flagString(a, 'instruction'), 'fix it');
  assert.equal(flagNumber(a, 'fidelity'), 0.5);
  assert.equal(a.flags.get('json'), true);
});

test('reports a missing value and a non-number clearly', () => {
  assert.throws(() => parseArgs(['--instruction'], new Set(['instruction'])), /needs a value/);
  assert.throws(() => flagNumber(parseArgs(['--seed', 'abc'], new Set(['seed'])), 'seed'), /must be a number/);
});

test('a repeated valued flag keeps every value in order', () => {
  const a = parseArgs(['x.jpg', '--set', 'grain=keep', '--set=tone=keep', '--set', 'faces.sharpness=crisp'], new Set(['set']));
  assert.deepEqual(flagList(a, 'set'), ['grain=keep', 'tone=keep', 'faces.sharpness=crisp']);
  assert.deepEqual(flagList(a, 'output'), []);
});
