"""Preference optimisation of the refiner: recovery of the base policy, the stochastic sampler's probabilities,
group advantages, a tiny run end to end (base file untouched) and the preference model (seconds on a CPU)."""
import hashlib
import json
import os
import shutil

import numpy as np
import torch

from restora_models import lrpo, train, train_lrpo
from restora_models.data import MODELS_DIR
from restora_models.preference import PreferenceConfig, PreferenceNet, accuracy, bt_loss, load_picks
from restora_models.refiner_arch import Refiner, RefinerConfig, sample

TINY = os.path.join(MODELS_DIR, "configs", "lrpo-tiny.json")


def tiny_refiner(dq=64, seed=0):
    """A tiny refiner whose output depends on its input (the real one starts as the identity)."""
    torch.manual_seed(seed)
    m = Refiner(RefinerConfig(patch=2, width=8, levels=[1], mid=1, emb=16, heads=2, dq=dq))
    for p in m.ending.parameters():
        torch.nn.init.normal_(p, std=0.05)
    for blk in [b for level in m.enc for b in level]:
        torch.nn.init.normal_(blk.film.weight, std=0.3)
    return m.eval()


def test_recovered_refiner_reproduces_the_shipped_parity_vectors():
    from restora_models.recover_refiner import main, parity_error
    path = main(["--name", "pytest-recovered-refiner"])
    try:
        st = torch.load(path)
        assert {"refiner", "refiner_cfg", "config", "step", "elapsed", "base_run", "recovered"} <= set(st)
        m = Refiner(RefinerConfig(**st["refiner_cfg"])).eval()
        m.load_state_dict(st["refiner"])
        par = json.load(open(os.path.join(MODELS_DIR, "zoo", "restora-refiner", "parity.json")))
        assert parity_error(m, par) < 1e-4
        assert sum(p.numel() for p in m.parameters()) == 469776
    finally:
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def test_step_logprob_is_the_gaussian_log_density_and_eta_zero_is_the_engine_sampler():
    x, mean = torch.randn(3, 3, 5, 7), torch.randn(3, 3, 5, 7)
    ref = torch.distributions.Normal(mean, 0.02).log_prob(x).flatten(1).mean(1)
    assert torch.allclose(lrpo.gaussian_logprob(x, mean, 0.02), ref, atol=1e-4)
    m = tiny_refiner()
    cond, q, eps = torch.rand(2, 3, 16, 16), torch.randn(2, 11, 64), torch.randn(2, 3, 16, 16)
    out, traj = lrpo.rollout(m, cond, q, eps, 0.7, 4, 1.5, 0.0 + 1e-9, torch.Generator().manual_seed(0))
    assert torch.allclose(out, sample(m, cond, q, eps, 0.7, 4, 1.5), atol=1e-5)
    out, traj = lrpo.rollout(m, cond, q, eps, 0.7, 4, 1.5, 0.5, torch.Generator().manual_seed(0))
    assert len(traj) == 3 and not torch.allclose(out, sample(m, cond, q, eps, 0.7, 4, 1.5))
    for st in traj:   # the recorded probability is the one the weights give the recorded step
        with torch.no_grad():
            assert torch.allclose(lrpo.step_logprob(m, st, cond, q, 1.5, 0.5), st["logp"], atol=1e-4)
    # the step keeps the total noise at s * t': its mean moves towards the prediction, its sigma is eta s t'
    assert [round(st["sigma"], 6) for st in traj] == [round(0.5 * 0.1 * t, 6) for t in (0.225, 0.15, 0.075)]


def test_group_advantages_are_zero_mean_per_group_and_noisier_steps_weigh_more():
    r = torch.tensor([1.0, 2.0, 3.0, 0.1, 0.1, 0.4, 5.0, 5.0, 5.0])
    for std in ("group", "global"):
        a = lrpo.group_advantages(r, 3, std=std).view(3, 3)
        assert torch.allclose(a.mean(1), torch.zeros(3), atol=1e-5)
        assert a[0, 2] > 0 > a[0, 0] and torch.all(a[2] == 0)
    assert torch.all(lrpo.group_advantages(torch.randn(40) * 100, 8, clip=5.0).abs() <= 5.0)
    w = lrpo.noise_level_weights([0.3, 0.2, 0.1])
    assert abs(sum(w) / 3 - 1) < 1e-9 and w[0] > w[1] > w[2]


def test_an_update_improves_the_policy_on_its_own_rollout():
    m = tiny_refiner()
    base = [p.detach().clone() for p in m.parameters()]
    g = torch.Generator().manual_seed(1)
    cond, gt = torch.rand(2, 3, 16, 16), torch.rand(2, 3, 16, 16)
    q = torch.randn(2, 11, 64)
    G = 4
    rep = lambda t: t.repeat_interleave(G, 0)
    out, traj = lrpo.rollout(m, rep(cond), rep(q), torch.randn(8, 3, 16, 16, generator=g), 0.7, 4, 1.0, 0.5, g)
    reward = -(out - rep(gt)).abs().flatten(1).mean(1)
    roll = dict(cond=cond, q=q, gt=gt, cond_g=rep(cond), q_g=rep(q), traj=traj, adv=lrpo.group_advantages(reward, G))
    cfg = dict(train_lrpo.DEFAULTS, guidance=1.0, ppo_epochs=3, w_gt=0.0, w_l2=0.0)
    with torch.no_grad():
        before = train_lrpo.surrogate(m, roll, cfg).item()
    opt = torch.optim.Adam(m.parameters(), lr=1e-4)
    train_lrpo.update(m, opt, base, roll, cfg, g)
    with torch.no_grad():
        after = train_lrpo.surrogate(m, roll, cfg).item()
    assert abs(before) < 1e-3 and after < before - 1e-3, (before, after)   # 3 epochs: about -0.007


def test_tiny_lrpo_run_changes_the_weights_reports_and_exports_but_never_touches_the_base(tmp_path):
    base_dir = os.path.join(MODELS_DIR, "runs", "pytest-lrpo-base")
    run_dir = os.path.join(MODELS_DIR, "runs", "lrpo-tiny")
    for d in (base_dir, run_dir):
        shutil.rmtree(d, ignore_errors=True)
    try:
        base = dict(json.load(open(os.path.join(MODELS_DIR, "configs", "tiny.json"))), name="pytest-lrpo-base", steps=1)
        (tmp_path / "base.json").write_text(json.dumps(base))
        assert train.main(["--config", str(tmp_path / "base.json")]) == 1
        ref = tiny_refiner(dq=16)
        ref_path = tmp_path / "base-refiner.pt"
        torch.save(dict(refiner=ref.state_dict(), refiner_cfg=ref.cfg.to_dict(), step=0, elapsed=0.0, config={},
                        base_run="pytest-lrpo-base", base_step=1), ref_path)
        sha = hashlib.sha256(ref_path.read_bytes()).hexdigest()

        def cfg(steps):
            p = tmp_path / f"lrpo-{steps}.json"
            p.write_text(json.dumps(dict(json.load(open(TINY)), base_refiner=str(ref_path), steps=steps)))
            return str(p)
        assert train_lrpo.main(["--config", cfg(2), "--out", str(tmp_path / "out")]) == 2
        assert train_lrpo.main(["--config", cfg(3), "--resume"]) == 3
        assert hashlib.sha256(ref_path.read_bytes()).hexdigest() == sha
        lines = [json.loads(l) for l in open(os.path.join(run_dir, "log.jsonl"))]
        assert [l["step"] for l in lines if "loss" in l] == [1, 2, 3]
        st = torch.load(os.path.join(run_dir, "last.pt"))
        moved = sum(((st["refiner"][k] - v) ** 2).sum().item() for k, v in ref.state_dict().items())
        assert moved > 0 and st["base_refiner_sha256"] == sha
        rep = json.load(open(os.path.join(run_dir, "report.json")))
        for name in ("fast", "base", "tuned"):
            assert {"reward", "psnr", "ssim", "niqe"} <= set(rep[name]["all"])
        assert rep["base"]["all"]["entropy"] > 0 and "entropy" in rep["tuned_minus_base"]["all"]
        assert (tmp_path / "out" / "refiner.pt").exists() and (tmp_path / "out" / "log.jsonl").exists()
        man = json.load(open(os.path.join(run_dir, "zoo", "restora-refiner", "manifest.json")))
        assert man["version"] == "1.1.0" and man["metrics"]["report"]["tuned"]["all"]["psnr"] == rep["tuned"]["all"]["psnr"]
        assert man["training"]["steps"] == 3
    finally:
        for d in (base_dir, run_dir):
            shutil.rmtree(d, ignore_errors=True)


def test_preference_model_learns_a_separable_pair_set():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)

    def pairs(n):
        out = []
        for _ in range(n):
            clean = torch.nn.functional.interpolate(torch.rand(1, 3, 4, 4), size=24, mode="bilinear", align_corners=False)[0]
            noisy = (clean + 0.15 * torch.from_numpy(rng.standard_normal(clean.shape).astype(np.float32))).clamp(0, 1)
            out.append((clean, noisy, clean))
        return out
    train_pairs, held = pairs(128), pairs(64)
    net = PreferenceNet(PreferenceConfig(width=8))
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    for i in range(60):
        b = [train_pairs[j] for j in rng.integers(0, len(train_pairs), 16)]
        loss = bt_loss(net(torch.stack([x[0] for x in b])), net(torch.stack([x[1] for x in b])))
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert accuracy(net.eval(), held) >= 0.95


def test_picks_neither_and_contradictions_are_dropped(tmp_path):
    picks = [dict(input="/a.jpg", instructionA="", instructionB="keep the grain", choice="A"),
             dict(input="/b.jpg", instructionA="x", instructionB="y", choice="a"),
             dict(input="/b.jpg", instructionA="x", instructionB="y", choice="b"),
             dict(input="/c.jpg", instructionA="x", instructionB="y", choice="neither"),
             dict(input="/d.jpg", choice="maybe")]
    p = tmp_path / "config.json"
    p.write_text(json.dumps({"name": "run", "picks": picks}))
    ok, notes = load_picks(str(p))
    assert [x["input"] for x in ok] == ["/a.jpg"] and ok[0]["choice"] == "a"
    assert any("contradictory" in n for n in notes) and any("malformed" in n for n in notes)
