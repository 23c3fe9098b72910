import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitInstruction } from '../../../electron/engine/semantic/instruction-split.js';

test('global and face parts are separated', () => {
  const s = splitInstruction('fix the scratches; keep the faces as they are');
  assert.equal(s.global, 'fix the scratches');
  assert.equal(s.faces, 'keep the faces as they are');
  assert.equal(s.keepFaces, true);
  assert.equal(s.keepIdentity, false);
  assert.equal(s.scope, 'all');
});

test('"make the faces sharper, don\'t change them" is all about faces, and keeps identity', () => {
  const s = splitInstruction("make the faces sharper, don't change them");
  assert.equal(s.global, '');
  assert.match(s.faces, /faces sharper/);
  assert.equal(s.keepFaces, false, 'the faces are to be restored');
  assert.equal(s.keepIdentity, true, 'but without changing who they are');
  assert.equal(s.scope, 'all');
});

test('scope words set the scope', () => {
  assert.equal(splitInstruction('only restore the faces').scope, 'faces');
  assert.equal(splitInstruction('just fix the background, leave the faces alone').scope, 'background');
  assert.equal(splitInstruction('remove the scratches but keep the grain').scope, 'all');
});

test('an instruction without faces stays global; empty stays empty', () => {
  assert.deepEqual(splitInstruction('remove the scratches but keep the grain'), { global: 'remove the scratches; keep the grain', faces: '', scope: 'all', keepFaces: false, keepIdentity: false });
  assert.deepEqual(splitInstruction(''), { global: '', faces: '', scope: 'all', keepFaces: false, keepIdentity: false });
});

test('huge and odd input does not break it', () => {
  const s = splitInstruction('!!! ;;; ' + 'scratch '.repeat(2000) + '顔を直して');
  assert.equal(typeof s.global, 'string');
});
