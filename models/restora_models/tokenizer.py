"""Instruction tokenizer: NFKC + ASCII lowercase, word pieces, greedy longest-match
subwords, UTF-8 byte fallback. Trained (vocabulary chosen by frequency) on the
generated instruction corpus. Algorithm spelled out in models/tokenizer.md.

Run `python -m restora_models.tokenizer` to (re)train and write the zoo files.
"""
import collections
import json
import os
import unicodedata

PAD, START = 0, 1
N_SPECIAL = 3            # <pad>, <s>, <unk> (unk never emitted: bytes cover everything)
BYTE_BASE = N_SPECIAL    # ids 3..258 are the bytes 0x00..0xFF
MAX_LEN = 64
PUNCT = list(",.;:!?'&-/()\"")


def normalize(text):
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _is_word_char(c):
    return ("a" <= c <= "z") or ("0" <= c <= "9")


def pieces(text):
    """Runs of [a-z0-9] are words; whitespace separates; any other code point stands alone."""
    out, cur = [], []
    for c in normalize(text):
        if _is_word_char(c):
            cur.append(c)
            continue
        if cur:
            out.append("".join(cur))
            cur = []
        if not c.isspace():
            out.append(c)
    if cur:
        out.append("".join(cur))
    return out


class Tokenizer:
    def __init__(self, vocab):
        """vocab: list of strings, index = id - BYTE_BASE - 256 offset handled here."""
        self.vocab = list(vocab)
        self.index = {s: i + BYTE_BASE + 256 for i, s in enumerate(self.vocab)}
        self.max_piece = max(len(s.replace("##", "")) for s in self.vocab)

    @property
    def size(self):
        return BYTE_BASE + 256 + len(self.vocab)

    def _word(self, w):
        if w in self.index:
            return [self.index[w]]
        ids, i = [], 0
        while i < len(w):
            for j in range(min(len(w), i + self.max_piece), i, -1):
                key = w[i:j] if i == 0 else "##" + w[i:j]
                if key in self.index:
                    ids.append(self.index[key])
                    i = j
                    break
            else:  # cannot happen for [a-z0-9] (all single chars are in the vocab); kept for safety
                ids.extend(BYTE_BASE + b for b in w[i].encode("utf-8"))
                i += 1
        return ids

    def encode(self, text):
        ids = [START]
        for p in pieces(text):
            if p in self.index:
                ids.append(self.index[p])
            elif _is_word_char(p[0]):
                ids.extend(self._word(p))
            else:
                ids.extend(BYTE_BASE + b for b in p.encode("utf-8"))
            if len(ids) >= MAX_LEN:
                break
        return ids[:MAX_LEN]

    def to_json(self):
        return {"type": "restora-wordpiece-bytes", "version": 1, "normalize": "NFKC+ascii-lower",
                "maxLen": MAX_LEN, "padId": PAD, "startId": START, "unkId": 2, "byteBase": BYTE_BASE,
                "vocabBase": BYTE_BASE + 256, "vocab": self.vocab}

    @classmethod
    def from_json(cls, d):
        return cls(d["vocab"])

    @classmethod
    def load(cls, path):
        with open(path) as f:
            return cls.from_json(json.load(f))


def train(texts, size=1200):
    words = collections.Counter(p for t in texts for p in pieces(t) if _is_word_char(p[0]))
    base = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(d) for d in range(10)]
    vocab = base + ["##" + c for c in base] + PUNCT
    whole = [w for w, n in words.most_common() if n >= 3 and len(w) > 1]
    sub = collections.Counter()
    for w, n in words.items():
        for ln in range(2, min(7, len(w))):
            sub[w[:ln]] += n * ln
            for i in range(1, len(w) - ln + 1):
                sub["##" + w[i:i + ln]] += n * ln
    budget = size - len(vocab)
    whole = whole[: budget * 2 // 3]
    seen = set(vocab) | set(whole)
    rest = [s for s, _ in sub.most_common() if s not in seen][: budget - len(whole)]
    return Tokenizer(vocab + whole + rest)


VECTOR_STRINGS = [
    "", " ", "restore", "Remove the scratches and keep the grain.", "KEEP IT BLACK AND WHITE",
    "only the faces, gently", "scrathces pls!!", "Entferne die Kratzer", "去除划痕", "修复照片 please",
    "😀 fix it 👍🏽", "café crème", "Ｆｕｌｌｗｉｄｔｈ ＴＥＸＴ", "ﬁx the ﬂaws", "tab\tand\nnewline",
    "don't sharpen", "colour vs color", "grey/gray", "b&w", "100% more contrast", "a" * 200,
    "remove " * 100, "x" * 10000, "İstanbul ǅ", "ÀÉÎÕÜ àéîõü", "\u0000null\u0000", "زخرفة", "ночь",
    "emoji only 🎞️📷", "mixed: noise+blur=jpeg?", "(parentheses) [brackets] {braces}",
    "restore-the-photo_now", "1890s photo of my great-grandfather", "keep   the    grain",
    "\u200bzero\u200bwidth", "ß and ẞ", "Ω ≈ ç √ ∫", "le grain, gardez-le", "sepia→neutral",
    "FIX JPEG ARTEFACTS!!!",
]


def main():
    from .instructions import corpus
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(here, "zoo", "restora-integrator")
    os.makedirs(out, exist_ok=True)
    tok = train(corpus(200000, seed=1234))
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tok.to_json(), f, ensure_ascii=False, indent=0)
    vec = [{"text": s, "ids": tok.encode(s)} for s in VECTOR_STRINGS]
    with open(os.path.join(out, "tokenizer_vectors.json"), "w") as f:
        json.dump({"tokenizer": "tokenizer.json", "vectors": vec}, f, ensure_ascii=False)
    print("vocab", tok.size, "->", out)


if __name__ == "__main__":
    main()
