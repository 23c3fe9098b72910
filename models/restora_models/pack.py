"""Write a compact training pack (models/pack/sources.npz, <= 50 MB) for a lent GPU
machine that cannot see ../shared/data: every training source image, prepared
(faces resized to 576 px, bsds500 at native size) and stored as quality-95 JPEG
bytes. data.patch_cache() builds its crops from the pack when the shared data
is absent (or when RESTORA_PACK=1).

    cd models && /usr/bin/python3 -m restora_models.pack

The pack is gitignored: it is derived from the training data, never committed.
"""
import io
import json
import os

import numpy as np
from PIL import Image

from .data import MODELS_DIR, bsds_files, face_files

PACK = os.path.join(MODELS_DIR, "pack", "sources.npz")


def _jpeg(img):
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=95, subsampling=0)
    return np.frombuffer(buf.getvalue(), np.uint8)


FACE_SIDE = 576


def image_key(path):
    """The image's key in models/data's JSON files: "neutral_front/013_03.jpg", "train/2092.jpg"."""
    return "/".join(path.split(os.sep)[-2:])


def main():
    blobs, is_face, names = [], [], []
    for f in face_files("train"):
        blobs.append(_jpeg(Image.open(f).convert("RGB").resize((FACE_SIDE, FACE_SIDE), Image.BICUBIC)))
        is_face.append(True)
        names.append(image_key(f))
    for f in bsds_files("train"):
        blobs.append(_jpeg(Image.open(f).convert("RGB")))
        is_face.append(False)
        names.append(image_key(f))
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    os.makedirs(os.path.dirname(PACK), exist_ok=True)
    np.savez(PACK, data=np.concatenate(blobs), offsets=offsets, is_face=np.array(is_face), names=np.array(names))
    meta = {"images": len(blobs), "faces": int(sum(is_face)), "bytes": os.path.getsize(PACK),
            "source": "faces-flr people 013-102 (CC-BY 4.0, DeBruine & Jones 2017) + bsds500 train/test (research use)"}
    assert meta["bytes"] <= 50e6, meta
    with open(os.path.join(os.path.dirname(PACK), "pack.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(json.dumps(meta))


def load_sources(with_names=False):
    """[(PIL.Image, is_face)] from the pack; with_names, [(PIL.Image, is_face, name)] (faces at FACE_SIDE px:
    their 1350-px landmarks scale by FACE_SIDE / 1350)."""
    z = np.load(PACK)
    data, off = z["data"], z["offsets"]
    names = z["names"] if "names" in z.files else [""] * (len(off) - 1)
    out = []
    for i in range(len(off) - 1):
        img = Image.open(io.BytesIO(data[off[i]:off[i + 1]].tobytes())).convert("RGB")
        out.append((img, bool(z["is_face"][i]), str(names[i])) if with_names else (img, bool(z["is_face"][i])))
    return out


if __name__ == "__main__":
    main()
