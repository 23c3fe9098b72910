"""Train the face finder (face_finder_arch.py) on aged group-photo crops (face_finder_data.py):
    cd models && nice -n 10 /usr/bin/python3 -m restora_models.train_face_finder --config configs/face-finder-1-cpu.json [--resume] [--out DIR]

Loss: the penalty-reduced focal loss of centre-point detection on the heat map (cells near a face's centre are
punished less for firing), L1 on the log box size and the centre offset at each face's centre cell; places of a
scene that may show a face of its own are left out. Validation: recall and precision at the shipped threshold on
fixed held-out crops (people 001-012 on BSDS500 val scenes), a face found when a box overlaps it by IoU >= 0.3.
"""
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py

import numpy as np
import torch

from .data import MODELS_DIR
from .face_finder_arch import FaceFinderConfig, FaceFinderNet, decode
from .face_finder_data import batch, load_scenes, load_sprites, val_set
from .loop import Loop, compact_copy, start_from, trainer_setup

DEFAULTS = dict(steps=10 ** 9, time_limit_s=3600, batch=16, crop=192, lr=2e-3, weight_decay=1e-4, warmup=200,
                log_every=25, val_every=500, ckpt_every_s=120, threads=2, seed=0, arch={}, init_from=None,
                val_crops=48, threshold=0.3, size_weight=0.1, offset_weight=1.0)


def focal(logits, heat, weight):
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = heat.eq(1).float()
    neg = (1 - pos) * weight
    lp = -(torch.log(p) * (1 - p) ** 2 * pos).sum()
    ln = -(torch.log(1 - p) * p ** 2 * (1 - heat) ** 4 * neg).sum()
    return (lp + ln) / pos.sum().clamp(min=1)


def iou(a, b):
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    return inter / max(1e-9, a[2] * a[3] + b[2] * b[3] - inter)


def score(found, faces, ignored):
    """(matched true faces, false detections) at IoU >= 0.3; detections on ignored places count as neither."""
    used, false = set(), 0
    for d in found:
        best, bi = 0.0, -1
        for i, f in enumerate(faces):
            v = iou(d, f)
            if i not in used and v > best:
                best, bi = v, i
        if best >= 0.3:
            used.add(bi)
        elif not any(iou(d, g) >= 0.2 for g in ignored):
            false += 1
    return len(used), false


@torch.no_grad()
def validate(net, val, threshold):
    net.eval()
    dev = next(net.parameters()).device
    truth = matched = false = found = 0
    for y, faces, ign in val:
        out = net(torch.from_numpy(y)[None, None].to(dev))
        boxes = decode(*[o.cpu() for o in out], threshold=threshold)
        m, fp = score(boxes, faces, ign)
        truth += len(faces); matched += m; false += fp; found += m + fp
    net.train()
    return dict(recall=matched / max(1, truth), precision=matched / max(1, found), false_per_crop=false / len(val))


def main(argv=None):
    args, cfg, dev = trainer_setup(argv, DEFAULTS, "after every checkpoint also write face-finder.pt (weights, architecture, step) and the log here")
    net = FaceFinderNet(FaceFinderConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in cfg["arch"].items()})).to(dev)
    opt = torch.optim.AdamW(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    run_dir = os.path.join(MODELS_DIR, "runs", cfg["name"])
    step, elapsed = start_from(cfg, net, opt, run_dir, args.resume, dev, MODELS_DIR)
    sprites, scenes = load_sprites("train"), load_scenes("train")
    if cfg.get("max_files"):
        sprites, scenes = sprites[:cfg["max_files"]], scenes[:cfg["max_files"]]
    val = val_set(cfg["val_crops"])
    rng = np.random.default_rng(cfg["seed"] * 1000 + step)
    print(f"{sum(p.numel() for p in net.parameters())} parameters; {len(sprites)} people, {len(scenes)} scenes; device {dev}", flush=True)

    def one_step(_):
        y, heat, weight, wh, off, has = (t.to(dev) for t in batch(sprites, scenes, rng, cfg["batch"], cfg["crop"]))
        logits, size, offset = net(y)
        n = has.sum().clamp(min=1)
        l_heat = focal(logits, heat, weight)
        l_size = ((size - wh).abs() * has).sum() / n
        l_off = ((offset - off).abs() * has).sum() / n
        loss = l_heat + cfg["size_weight"] * l_size + cfg["offset_weight"] * l_off
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return dict(loss=loss.item(), heat=l_heat.item(), size=l_size.item(), offset=l_off.item())

    def state():
        return dict(model=net.state_dict(), opt=opt.state_dict(), arch=net.cfg.to_dict())

    copy_out = compact_copy(args.out, "face-finder.pt", net, run_dir) if args.out else None
    loop = Loop(cfg, run_dir, opt, [cfg["lr"]], state, step, elapsed, after_checkpoint=copy_out, digits=(4, 3))
    return loop.run(one_step, lambda: validate(net, val, cfg["threshold"]))


if __name__ == "__main__":
    main()
