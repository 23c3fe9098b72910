"""Write the cross-language test vectors for the degradation recipe sampler.

    cd models && /usr/bin/python3 -m restora_models.vectors
"""
import json
import os

from .data import MODELS_DIR
from .degradations import SEVERITIES, labels, sample_recipe
from .prng import Mulberry32

PATH = os.path.join(MODELS_DIR, "zoo", "degradation_vectors.json")


def build():
    prng = []
    for seed in (0, 1, 42, 123456789, 4294967295):
        g = Mulberry32(seed)
        prng.append({"seed": seed, "first": [g.next() for _ in range(5)]})
    vec = []
    for i, seed in enumerate([0, 1, 2, 3, 7, 42, 99, 1000, 31337, 65535, 123456, 999999, 2 ** 31 - 1,
                              2 ** 31, 2 ** 32 - 1, 17, 271828, 314159, 8675309, 5]):
        sev = SEVERITIES[i % 3]
        r = sample_recipe(seed, sev)
        vec.append({"seed": seed, "severity": sev, "recipe": r, "labels": labels(r)})
    return {"doc": "models/degradations.md", "mulberry32": prng, "vectors": vec}


def main():
    os.makedirs(os.path.dirname(PATH), exist_ok=True)
    with open(PATH, "w") as f:
        json.dump(build(), f, indent=1)
    print("wrote", PATH)


if __name__ == "__main__":
    main()
