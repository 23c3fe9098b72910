import random

from restora_models import semantics as S
from restora_models.instructions import corpus, render, sample_intent

LAB = dict(scratches=0.6, noise=0.3, blur=0.0, jpeg=0.5, fade=0.0, cast=0.4, grain=0.5, mono=1.0)


def test_image_decides_when_instruction_is_silent():
    v = S.target_values(LAB, {})
    assert (v["scratches"], v["noise"], v["blur"], v["jpeg"], v["fade"]) == ("high", "low", "off", "high", "off")
    assert v["colour"] == "bw" and v["grain"] == "remove" and v["cast"] == "fix" and v["scope"] == "all"


def test_instruction_overrides():
    v = S.target_values(LAB, {"damage": {"noise": "fix"}, "only": True, "grain": "keep", "strength": "gentle"})
    assert v["noise"] == "low" and v["scratches"] == "off" and v["jpeg"] == "off"
    assert v["grain"] == "keep" and v["strength"] == "gentle"
    assert {"scratches", "dust", "jpeg", "grain", "mono"} <= S.kept_ops(v) and "noise" not in S.kept_ops(v)
    assert S.target_values(LAB, {"damage": {"jpeg": "leave"}})["jpeg"] == "off"


def test_ids_round_trip_and_ranges():
    v = S.target_values(LAB, {"scope": "faces"})
    ids = S.values_to_ids(v)
    assert len(ids) == S.K and S.ids_to_values(ids) == v
    for i, t in enumerate(ids):
        lo, hi = S.slot_range(i)
        assert lo <= t < hi and t not in (S.BOS, S.EOS)


def test_generator_produces_varied_text():
    texts = corpus(500, seed=1)
    assert len(set(texts)) > 300 and "" in texts
    rng = random.Random(0)
    for _ in range(200):
        assert sample_intent(rng, mono=True).get("colour") != "keep"
        render(sample_intent(rng), rng)


def test_noisy_levels_never_turn_a_fix_into_leave_or_touch_what_was_asked():
    rng = random.Random(3)
    intent = {"damage": {"jpeg": "leave", "noise": "fix"}}
    v = S.target_values(LAB, intent)
    seen = {s: set() for s in S.DAMAGE_SLOTS}
    for _ in range(400):
        n = S.noisy_levels(v, intent, rng, 1.0)
        for s in S.DAMAGE_SLOTS:
            seen[s].add(n[s])
        assert {k: n[k] for k in S.SLOT_NAMES if k not in S.DAMAGE_SLOTS} == \
               {k: v[k] for k in S.SLOT_NAMES if k not in S.DAMAGE_SLOTS}
    assert seen["jpeg"] == {"off"}                        # asked to leave: never re-drawn
    assert seen["scratches"] == seen["noise"] == {"low", "high"}   # present damage: still "fix"
    assert seen["blur"] == {"off", "low", "high"}         # absent damage: any level
    assert S.noisy_levels(v, intent, rng, 0.0) == v


def test_noisy_levels_shared_level_covers_all_free_slots_only():
    rng = random.Random(5)
    intent = {"damage": {"fade": "leave"}}
    v = S.target_values(LAB, intent)
    for _ in range(50):
        n = S.noisy_levels(v, intent, rng, 0.5, p_all=1.0)
        free = [n[s] for s in S.DAMAGE_SLOTS if s != "fade"]
        assert len(set(free)) == 1 and free[0] in ("low", "high") and n["fade"] == "off"
