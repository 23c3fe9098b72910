/**
 * The instruction tokenizer, a bit-exact port of models/restora_models/tokenizer.py
 * (algorithm in models/tokenizer.md): NFKC, ASCII-only lowercasing, word runs of
 * [a-z0-9] matched greedily against a word-piece vocabulary, any other code
 * point as UTF-8 bytes. Never fails: any string gives 1..maxLen ids.
 */
export interface TokenizerSpec {
  type: 'restora-wordpiece-bytes';
  version: number;
  maxLen: number;
  startId: number;
  byteBase: number;
  vocabBase: number;
  vocab: string[];
}

// Python's str.isspace(), exactly (JS \s differs: it includes U+FEFF, excludes U+001C–U+001F).
const PY_SPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
  0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
  0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

function isWordChar(cp: number): boolean {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39);
}

export class Tokenizer {
  private readonly ids = new Map<string, number>();
  private readonly maxPiece: number;

  constructor(private readonly spec: TokenizerSpec) {
    if (spec.type !== 'restora-wordpiece-bytes') throw new Error(`Unsupported tokenizer type ${String(spec.type)}`);
    spec.vocab.forEach((piece, i) => this.ids.set(piece, spec.vocabBase + i));
    this.maxPiece = Math.max(1, ...spec.vocab.map((p) => p.replace(/^##/, '').length));
  }

  encode(text: string): number[] {
    const { maxLen, startId, byteBase } = this.spec;
    // Instructions are bounded by the contract (16k characters), so normalising all of it is cheap.
    const norm = text.normalize('NFKC').replace(/[A-Z]/g, (c) => c.toLowerCase());
    const out = [startId];
    const pieces: string[] = [];
    let word = '';
    for (const ch of norm) {
      const cp = ch.codePointAt(0)!;
      if (isWordChar(cp)) {
        word += ch;
        continue;
      }
      if (word) pieces.push(word), (word = '');
      if (!PY_SPACE.has(cp)) pieces.push(ch);
      if (pieces.length > maxLen * 2) break;
    }
    if (word) pieces.push(word);
    const encoder = new TextEncoder();
    for (const piece of pieces) {
      if (out.length >= maxLen) break;
      const whole = this.ids.get(piece);
      if (whole !== undefined) {
        out.push(whole);
      } else if (isWordChar(piece.codePointAt(0)!)) {
        let i = 0;
        while (i < piece.length && out.length < maxLen) {
          let matched = false;
          for (let j = Math.min(piece.length, i + this.maxPiece); j > i; j--) {
            const key = i === 0 ? piece.slice(i, j) : `##${piece.slice(i, j)}`;
            const id = this.ids.get(key);
            if (id !== undefined) {
              out.push(id);
              i = j;
              matched = true;
              break;
            }
          }
          if (!matched) throw new Error(`tokenizer vocabulary lacks a piece for "${piece.slice(i, i + 1)}"`);
        }
      } else {
        for (const b of encoder.encode(piece)) out.push(byteBase + b);
      }
    }
    return out.slice(0, maxLen);
  }
}
