"""loop.py, the training loop every trainer runs on: schedule, logging, checkpoints and resume."""
import json
import os

import torch

from restora_models.loop import Loop, lr_factor

CFG = dict(steps=6, time_limit_s=60, warmup=2, log_every=2, val_every=3, ckpt_every_s=1e9)


def test_warmup_then_a_cosine_over_steps_or_seconds_whichever_is_further():
    assert lr_factor(CFG, 0, 0) == 0.5 and lr_factor(CFG, 1, 0) == 1.0
    assert lr_factor(CFG, 2, 0) > lr_factor(CFG, 4, 0) > lr_factor(CFG, 6, 0) == 0.02
    assert abs(lr_factor(CFG, 2, 30) - lr_factor(CFG, 3, 0)) < 1e-9      # half the time = half the steps
    assert lr_factor(CFG, 2, 60) == 0.02                                   # a time-boxed run still anneals


def run(tmp_path, steps, start=0):
    w = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([w], lr=0.1)
    cfg = dict(CFG, steps=steps)
    ckpt = os.path.join(tmp_path, "last.pt")
    if start:
        st = torch.load(ckpt)
        w.data.copy_(st["w"]), opt.load_state_dict(st["opt"])
        start, elapsed = st["step"], st["elapsed"]
    else:
        elapsed = 0.0
    lrs = []

    def step(i):
        lrs.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        (w - 1).pow(2).sum().backward()
        opt.step()
        return dict(loss=(w - 1).pow(2).item())

    loop = Loop(cfg, str(tmp_path), opt, [0.1], lambda: dict(w=w.detach().clone(), opt=opt.state_dict()), start, elapsed)
    return loop.run(step, lambda: dict(val=w.item())), lrs


def test_a_run_logs_validates_checkpoints_and_resumes_where_it_stopped(tmp_path):
    assert run(tmp_path, 4)[0] == 4
    st = torch.load(os.path.join(tmp_path, "last.pt"))
    assert st["step"] == 4 and st["config"]["steps"] == 4 and "w" in st
    n, lrs = run(tmp_path, 6, start=True)
    assert n == 6 and len(lrs) == 2                                             # only the steps left
    assert abs(lrs[0] - 0.1 * lr_factor(dict(CFG, steps=6), 4, 0)) < 1e-3      # the schedule goes on from step 4
    lines = [json.loads(l) for l in open(os.path.join(tmp_path, "log.jsonl"))]
    assert [l["step"] for l in lines if "loss" in l] == [2, 4, 6]               # every log_every steps
    assert [l["step"] for l in lines if "val" in l and not l.get("final")] == [3, 6]
    assert [l["step"] for l in lines if l.get("final")] == [4, 6]               # each run ends with a validation
    assert json.load(open(os.path.join(tmp_path, "config.json")))["steps"] == 6


def test_a_checkpoint_from_before_an_architecture_field_was_added_still_starts_a_run(tmp_path):
    """The committed JPEG remover's checkpoint predates DejpegConfig.factor; its architecture at the default
    factor is this config's, so a run (the GPU recipe's included) starts from it; another factor is refused."""
    from restora_models.dejpeg_arch import DejpegConfig, DejpegNet
    from restora_models.loop import start_from
    tiny = dict(width=8, blocks=1, tail=4)
    src = DejpegNet(DejpegConfig(**tiny))
    torch.save({"arch": tiny, "model": src.state_dict(), "step": 7}, tmp_path / "old.pt")
    net = DejpegNet(DejpegConfig(**tiny))
    opt = torch.optim.Adam(net.parameters())
    step, _ = start_from({"init_from": "old.pt"}, net, opt, str(tmp_path / "run"), False, torch.device("cpu"), str(tmp_path))
    assert step == 0
    for k, v in src.state_dict().items():
        assert torch.equal(net.state_dict()[k], v)
    other = DejpegNet(DejpegConfig(**tiny, factor=4))
    try:
        start_from({"init_from": "old.pt"}, other, torch.optim.Adam(other.parameters()), str(tmp_path / "r2"), False,
                   torch.device("cpu"), str(tmp_path))
    except SystemExit as e:
        assert "architecture" in str(e)
    else:
        raise AssertionError("a checkpoint of another architecture was accepted")
    torch.save({"arch": {**tiny, "depth": 3}, "model": src.state_dict(), "step": 7}, tmp_path / "newer.pt")
    try:
        start_from({"init_from": "newer.pt"}, net, opt, str(tmp_path / "r3"), False, torch.device("cpu"), str(tmp_path))
    except SystemExit as e:
        assert "architecture" in str(e)
    else:
        raise AssertionError("a checkpoint with an unknown architecture field was accepted")
