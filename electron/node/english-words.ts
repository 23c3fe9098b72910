/**
 * Whether a lower-case word is an English word, from the word list of the `word-list` npm package (MIT; 274,000
 * words, inflections included), read the first time it is asked. The instruction parser uses it so that typo
 * correction leaves real words alone (electron/shared/instructions/normalise.ts, `useDictionary`). Without the
 * package every answer is false, and the parser corrects as it did before.
 */
import fs from 'node:fs';
import wordListPath from 'word-list';

let words: Set<string> | null = null;

function load(): Set<string> {
  if (words) return words;
  try {
    words = new Set(fs.readFileSync(wordListPath, 'utf8').split('\n'));
  } catch {
    words = new Set();
  }
  return words;
}

export function isEnglishWord(word: string): boolean {
  return load().has(word);
}
