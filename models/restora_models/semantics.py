"""The semantic token vocabulary the integrator generates, and the rule that maps
(degradation labels of the image, instruction intent) to the target sequence.

K slots, always generated in this order, one token per slot. The semantic
vocabulary is BOS, EOS, then every slot's values in slot order, so a slot's
tokens are a contiguous id range (decoding restricts logits to it).
"""
SLOTS = (
    ("scratches", ("off", "low", "high")),   # scratches, creases, dust and spots
    ("noise", ("off", "low", "high")),
    ("blur", ("off", "low", "high")),        # blur and low resolution
    ("jpeg", ("off", "low", "high")),
    ("fade", ("off", "low", "high")),
    ("cast", ("fix", "keep")),               # sepia / colour cast
    ("grain", ("remove", "keep")),
    ("colour", ("keep", "bw")),              # bw: output black-and-white
    ("scope", ("all", "faces", "background")),
    ("fidelity", ("free", "keep_identity")),
    ("strength", ("normal", "gentle", "strong")),
)
K = len(SLOTS)
SLOT_NAMES = tuple(s for s, _ in SLOTS)
DAMAGE_SLOTS = ("scratches", "noise", "blur", "jpeg", "fade")
BOS, EOS = 0, 1
SLOT_OFFSETS = []
_o = 2
for _, vals in SLOTS:
    SLOT_OFFSETS.append(_o)
    _o += len(vals)
VOCAB_SIZE = _o
# Which recipe ops each damage slot covers (kept in the target when the slot is "off").
SLOT_OPS = {"scratches": ("scratches", "dust"), "noise": ("noise",), "blur": ("blur", "downsample"),
            "jpeg": ("jpeg",), "fade": ("fade",)}


def level(v):
    return "off" if v < 0.05 else ("low" if v < 0.4 else "high")


def token_id(slot_index, value):
    return SLOT_OFFSETS[slot_index] + SLOTS[slot_index][1].index(value)


def slot_range(slot_index):
    return SLOT_OFFSETS[slot_index], SLOT_OFFSETS[slot_index] + len(SLOTS[slot_index][1])


def target_values(lab, intent):
    """lab: labels() of the recipe; intent: dict from instructions.py.
    Instruction overrides; the image decides what is wrong where it is silent."""
    off = instructed_off(intent)
    vals = {}
    for s in DAMAGE_SLOTS:   # off where the instruction says so; else the image says how much
        vals[s] = "off" if s in off else level(lab[s])
    vals["cast"] = intent.get("cast") or "fix"
    vals["grain"] = intent.get("grain") or "remove"
    vals["colour"] = intent.get("colour") or ("bw" if lab["mono"] > 0.5 else "keep")
    vals["scope"] = intent.get("scope") or "all"
    vals["fidelity"] = intent.get("fidelity") or "free"
    vals["strength"] = intent.get("strength") or "normal"
    return vals


def noisy_levels(vals, intent, rng, p, p_all=0.0):
    """A copy of vals whose damage *levels* are re-drawn with probability p, used for
    the restorer's conditioning only (the integrator is still trained on vals).
    A level the image decided may become any level that still means "fix"
    (low <-> high; off -> off/low/high when the image has none of that damage), so
    the restorer learns to judge the amount from the pixels and an integrator that
    over- or under-estimates damage cannot make it over-process. "off" asked for by
    the instruction ("leave the scratches") is never changed.
    With probability p_all every re-drawable slot gets one shared level instead (low or
    high): a mis-reading integrator tends to call *all* damage "high" at once, a
    combination independent draws almost never produce on a lightly damaged image."""
    out = dict(vals)
    free = [s for s in DAMAGE_SLOTS if s not in instructed_off(intent)]
    if p_all > 0 and rng.random() < p_all:
        shared = rng.choice(("low", "high"))
        for s in free:
            out[s] = shared
        return out
    for s in free:
        if rng.random() < p:
            out[s] = rng.choice(("off", "low", "high") if vals[s] == "off" else ("low", "high"))
    return out


def instructed_off(intent):
    """Damage slots the instruction itself sets to "off": "leave the fading", or "only fix X" for the others."""
    dmg = intent.get("damage", {})
    return {s for s in DAMAGE_SLOTS if dmg.get(s) == "leave" or (intent.get("only") and dmg.get(s) is None)}


def values_to_ids(vals):
    return [token_id(i, vals[name]) for i, name in enumerate(SLOT_NAMES)]


def ids_to_values(ids):
    out = {}
    for i, (name, values) in enumerate(SLOTS):
        out[name] = values[ids[i] - SLOT_OFFSETS[i]]
    return out


def kept_ops(vals):
    """Ops of the recipe that stay in the restorer's target image."""
    keep = set()
    for s in DAMAGE_SLOTS:
        if vals[s] == "off":
            keep.update(SLOT_OPS[s])
    if vals["cast"] == "keep":
        keep.add("cast")
    if vals["grain"] == "keep":
        keep.add("grain")
    if vals["colour"] == "bw":
        keep.add("mono")
    return keep


def manifest_block():
    return {"K": K, "slots": [{"name": n, "values": list(v), "firstId": SLOT_OFFSETS[i]}
                              for i, (n, v) in enumerate(SLOTS)],
            "bosId": BOS, "eosId": EOS, "vocabSize": VOCAB_SIZE}
