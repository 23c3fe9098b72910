/**
 * Typo correction leaves real English words alone when the parser has the dictionary (the word list the engine
 * gives it, electron/node/english-words.ts): "freckles" is not "speckles", "scanning" not "staining".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInstruction, statedValues } from '../../../electron/shared/instructions/parse.js';
import { useDictionary } from '../../../electron/shared/instructions/normalise.js';
import { isEnglishWord } from '../../../electron/node/english-words.js';

const read = (text: string) => statedValues(parseInstruction(text));

test('with the dictionary, real words are not corrected into the words of a setting', () => {
  useDictionary(null);
  try {
    // Without it, these ordinary words became damage words.
    assert.deepEqual(read('remove the freckles'), { dust: 'fix' });
    assert.equal(read('the scanning made lines').blotches, 'fix');
    useDictionary(isEnglishWord);
    assert.deepEqual(read('remove the freckles'), {});
    assert.equal(read('the scanning made lines').blotches, undefined);
    assert.deepEqual(read('restore everything including the faces'), { scope: 'all' });
  } finally {
    useDictionary(null);
  }
});

test('with the dictionary, typos are still corrected, and so is another form of a lexicon word', () => {
  useDictionary(isEnglishWord);
  try {
    assert.deepEqual(read('remov the dusst'), { dust: 'fix' });
    assert.deepEqual(read('a gentler touch'), { strength: 'gentle' });
    assert.deepEqual(read('kep it sepia pls'), { tone: 'keep' });
    // Two letters swapped is a typo even where the slip spells a rare word.
    assert.deepEqual(read('contarst up'), { fading: 'fix' });
    assert.ok(isEnglishWord('freckles') && !isEnglishWord('dusst'));
  } finally {
    useDictionary(null);
  }
});
