"""Instruction generator: random intents, each rendered in one of many phrasings.

An intent is {"damage": {slot: "fix"|"leave"}, "only": bool, "grain", "cast",
"colour", "scope", "fidelity", "strength"} (missing key = the instruction is
silent about it). semantics.target_values() turns intent + image labels into
the target slot values.
"""
import random

DAMAGE_WORDS = {
    "scratches": ["scratches", "the scratches", "scratch marks", "creases", "the creases", "cracks",
                  "dust", "dust and scratches", "spots", "the tears and creases", "blemishes", "specks",
                  "the white lines", "fold marks", "stains and spots", "the dust spots"],
    "noise": ["noise", "the noise", "digital noise", "speckle noise", "colour noise", "the noisy look",
              "sensor noise", "static"],
    "blur": ["blur", "the blur", "blurriness", "softness", "the fuzziness", "the out of focus look",
             "motion blur", "the pixelation"],
    "jpeg": ["jpeg artifacts", "compression artifacts", "blocky artifacts", "the blockiness",
             "jpeg blocks", "compression noise", "the jpeg mess", "artefacts"],
    "fade": ["fading", "the faded look", "the washed out look", "low contrast", "the haze",
             "the dull contrast"],
}
FIX_VERBS = ["remove {}", "get rid of {}", "clean up {}", "fix {}", "repair {}", "take out {}",
             "reduce {}", "eliminate {}", "erase {}", "correct {}", "please remove {}", "can you remove {}"]
FIX_SPECIAL = {"blur": ["sharpen it", "make it sharper", "deblur", "unblur it", "enhance the details",
                        "make it crisp", "sharpen the image", "bring it into focus"],
               "fade": ["restore the contrast", "boost the contrast", "make it less washed out",
                        "bring back the contrast", "revive the faded tones", "make it less faded"],
               "scratches": ["repair the damage", "heal the scratches", "remove the dust"]}
LEAVE_VERBS = ["don't touch {}", "leave {} alone", "do not remove {}", "no need to fix {}", "ignore {}",
               "leave {} as is", "keep {}", "don't fix {}"]
LEAVE_SPECIAL = {"blur": ["don't sharpen it", "no sharpening", "do not sharpen"],
                 "fade": ["keep the contrast as it is", "don't change the contrast"]}
ONLY_VERBS = ["only remove {}", "just fix {}", "{} only", "fix nothing but {}", "only fix {}",
              "just remove {}", "remove only {}"]
GENERIC = ["restore this photo", "fix this old picture", "clean it up", "restore", "enhance",
           "repair the photograph", "make it look better", "fix everything", "improve the image",
           "restore the old photo", "clean up this scan", "fix it", "make this old photo look good",
           "restore my grandmother's photo", "repair this image", "bring this photo back to life"]
PHRASES = {
    ("grain", "keep"): ["keep the grain", "keep the film grain", "preserve the grain", "don't remove the grain",
                        "leave the film grain", "retain the grainy texture", "i like the grain, keep it",
                        "keep it grainy", "keep the grain structure", "the grain should stay"],
    ("grain", "remove"): ["remove the grain", "get rid of the film grain", "smooth out the grain", "no grain",
                          "remove film grain", "make it less grainy", "degrain it"],
    ("cast", "keep"): ["keep the sepia tone", "keep the sepia", "preserve the warm tint",
                       "leave the colour tone as is", "don't change the tint", "keep the toning",
                       "keep the vintage tint", "keep the yellow tone"],
    ("cast", "fix"): ["fix the colour cast", "remove the yellow tint", "correct the colours", "neutralise the sepia",
                      "fix the white balance", "remove the sepia", "remove the colour cast", "fix the tint",
                      "correct the discoloration"],
    ("colour", "bw"): ["make it black and white", "keep it black and white", "convert to grayscale",
                       "keep it monochrome", "in black & white", "don't colourise it", "greyscale please",
                       "make it b&w", "turn it into black and white", "keep it grey"],
    ("colour", "keep"): ["keep the colours", "keep it in colour", "don't make it black and white",
                         "preserve the colours", "keep it colourful"],
    ("scope", "faces"): ["only the faces", "just the faces", "focus on the faces", "restore the faces only",
                         "faces only", "only on people's faces", "just do the face", "only the face"],
    ("scope", "background"): ["only the background", "just the background", "background only",
                              "everything except the faces", "only the scenery", "not the faces, just the rest"],
    ("fidelity", "keep_identity"): ["keep the faces as they are", "don't change the faces", "preserve identity",
                                    "make sure they still look like themselves", "keep facial features unchanged",
                                    "no face changes", "keep the identity", "faithful to the faces",
                                    "don't alter their faces"],
    ("strength", "gentle"): ["gently", "a light touch", "subtle", "just a little", "lightly", "don't overdo it",
                             "minimal changes", "be conservative", "go easy", "a gentle restoration"],
    ("strength", "strong"): ["strongly", "aggressively", "as much as possible", "heavy restoration",
                             "go all out", "maximum cleanup", "make it look brand new", "strong restoration",
                             "really clean it"],
}
SPELLINGS = [("colour", "color"), ("grey", "gray"), ("neutralise", "neutralize"), ("colourise", "colorize"),
             ("artefacts", "artifacts"), ("colourful", "colorful")]


def sample_intent(rng, mono=False, empty_p=0.2):
    """rng: random.Random. mono: the input is black-and-white (then 'keep colours' is never sampled).
    empty_p: how often the intent is empty (the plain "restore it" most restorations are)."""
    if rng.random() < empty_p:
        return {}
    it = {}
    if rng.random() < 0.55:
        slots = rng.sample(list(DAMAGE_WORDS), rng.choice([1, 1, 1, 2, 2, 3]))
        it["damage"] = {s: "fix" for s in slots}
        if rng.random() < 0.35:
            it["only"] = True
        elif rng.random() < 0.3:
            rest = [s for s in DAMAGE_WORDS if s not in slots]
            it["damage"][rng.choice(rest)] = "leave"
    elif rng.random() < 0.25:
        it["damage"] = {rng.choice(list(DAMAGE_WORDS)): "leave"}
    for key, opts in (("grain", [("keep", .22), ("remove", .08)]), ("cast", [("keep", .1), ("fix", .1)]),
                      ("colour", [("bw", .1), ("keep", .05)]), ("scope", [("faces", .08), ("background", .06)]),
                      ("fidelity", [("keep_identity", .12)]), ("strength", [("gentle", .12), ("strong", .12)])):
        u = rng.random()
        acc = 0.0
        for val, p in opts:
            acc += p
            if u < acc:
                it[key] = val
                break
    if mono and it.get("colour") == "keep":
        del it["colour"]
    return it


def render(intent, rng):
    """A natural-ish sentence for the intent."""
    if not intent:
        return rng.choice(["", "", "", " ", "restore", "fix"]) if rng.random() < 0.3 else ""
    clauses = []
    dmg = intent.get("damage", {})
    fixes = [s for s, v in dmg.items() if v == "fix"]
    leaves = [s for s, v in dmg.items() if v == "leave"]
    if fixes:
        if intent.get("only"):
            words = " and ".join(rng.choice(DAMAGE_WORDS[s]) for s in fixes)
            clauses.append(rng.choice(ONLY_VERBS).format(words))
        else:
            parts = []
            for s in fixes:
                if s in FIX_SPECIAL and rng.random() < 0.4:
                    parts.append(rng.choice(FIX_SPECIAL[s]))
                else:
                    parts.append(rng.choice(FIX_VERBS).format(rng.choice(DAMAGE_WORDS[s])))
            clauses.append(" and ".join(parts))
    elif rng.random() < 0.5:
        clauses.append(rng.choice(GENERIC))
    for s in leaves:
        if s in LEAVE_SPECIAL and rng.random() < 0.4:
            clauses.append(rng.choice(LEAVE_SPECIAL[s]))
        else:
            clauses.append(rng.choice(LEAVE_VERBS).format(rng.choice(DAMAGE_WORDS[s])))
    for key in ("grain", "cast", "colour", "scope", "fidelity", "strength"):
        if key in intent:
            clauses.append(rng.choice(PHRASES[(key, intent[key])]))
    rng.shuffle(clauses)
    sep = rng.choice([", ", ". ", " and ", "; ", ", "])
    text = sep.join(clauses)
    for uk, us in SPELLINGS:
        if rng.random() < 0.5:
            text = text.replace(uk, us)
    if rng.random() < 0.3:
        text = text[:1].upper() + text[1:]
    if rng.random() < 0.2:
        text = "please " + text
    if rng.random() < 0.3:
        text += rng.choice([".", "!", " please", " thanks", "."])
    return text


def corpus(n, seed=0):
    rng = random.Random(seed)
    return [render(sample_intent(rng), rng) for _ in range(n)]
