import json
import os

from restora_models.tokenizer import BYTE_BASE, MAX_LEN, START, Tokenizer

ZOO = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "zoo", "restora-integrator")
tok = Tokenizer.load(os.path.join(ZOO, "tokenizer.json"))


def test_any_string_encodes_within_bounds():
    for s in ["", " ", "x" * 10000, "去除划痕", "😀👍🏽", "\u0000\u200b", "Ｆｕｌｌ", "remove " * 1000]:
        ids = tok.encode(s)
        assert ids[0] == START and 1 <= len(ids) <= MAX_LEN
        assert all(0 <= i < tok.size for i in ids)
    assert tok.encode("") == [START]
    assert len(tok.encode("x" * 10000)) == MAX_LEN


def test_case_and_width_normalised_and_words_known():
    assert tok.encode("KEEP THE GRAIN") == tok.encode("keep the grain") == tok.encode("ｋｅｅｐ the grain")
    assert len(tok.encode("remove the scratches")) == 4  # <s> + three whole words


def test_unknown_script_falls_back_to_utf8_bytes():
    assert tok.encode("划") == [START] + [BYTE_BASE + b for b in "划".encode("utf-8")]


def test_committed_vectors_match():
    with open(os.path.join(ZOO, "tokenizer_vectors.json")) as f:
        vec = json.load(f)["vectors"]
    assert len(vec) >= 40
    for v in vec:
        assert tok.encode(v["text"]) == v["ids"], v["text"]
