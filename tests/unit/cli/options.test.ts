import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../../electron/cli/args.js';
import { COMMANDS, knownOptions, nearestOption, unknownOptionMessage } from '../../../electron/cli/options.js';

const parseFor = (command: string, argv: string[]) =>
  parseArgs(argv, new Set(COMMANDS[command]!.valued), { names: new Set(knownOptions(command)), unknown: (n) => unknownOptionMessage(command, n) });

test('a typo gets the nearest option of that command; nonsense gets none', () => {
  assert.equal(nearestOption('instrution', knownOptions('restore')), 'instruction');
  assert.equal(nearestOption('fidelty', knownOptions('restore')), 'fidelity');
  assert.equal(nearestOption('ouptut', knownOptions('restore')), 'output', 'a transposition is one edit');
  assert.equal(nearestOption('longedge', knownOptions('export')), 'long-edge');
  assert.equal(nearestOption('bogus', knownOptions('restore')), null);
  assert.equal(nearestOption('x', knownOptions('restore')), null);
  assert.throws(() => parseFor('restore', ['a.jpg', '--instrution', 'keep the grain']), /^Error: unknown option --instrution; did you mean --instruction\? See restora restore --help\.$/);
  assert.throws(() => parseFor('restore', ['--bogus']), /unknown option --bogus\. See restora restore --help/);
});

test('options are per command: one of another command is refused and named as such', () => {
  assert.throws(() => parseFor('import', ['dir', '--instruction', 'x']), /unknown option --instruction for import \(it is an option of restore\)/);
  assert.throws(() => parseFor('list', ['-o', 'out']), /unknown option --output for list \(it is an option of restore, export, adapters\)/);
  const ok = parseFor('export', ['1', '2', '-o', 'out', '--naming', '{n} {name}', '--long-edge=800', '--metadata', 'none', '--json']);
  assert.deepEqual(ok.positional, ['1', '2']);
  assert.equal(ok.flags.get('long-edge'), '800');
  assert.equal(ok.flags.get('json'), true);
});

test('a switch given a value, and a valued option followed by another option, are refused', () => {
  assert.throws(() => parseFor('restore', ['--library=3']), /--library takes no value/);
  assert.throws(() => parseFor('restore', ['a.jpg', '--instruction', '--json']), /--instruction needs a value/);
  // Without the command's table (internal uses), parsing stays permissive.
  assert.equal(parseArgs(['--anything'], new Set()).flags.get('anything'), true);
});

test('every command has help naming each of its options', () => {
  for (const [name, spec] of Object.entries(COMMANDS)) {
    assert.match(spec.help, new RegExp(`restora ${name}`), name);
    for (const o of [...spec.valued, ...spec.switches]) assert.ok(spec.help.includes(`--${o}`) || (o === 'output' && spec.help.includes('-o ')), `${name} --help mentions --${o}`);
  }
});
