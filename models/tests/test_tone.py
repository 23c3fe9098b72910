"""The tone model, the restorer trained behind it, and rebuilding a run from its ONNX files."""
import json
import os
import shutil

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F

from restora_models import train
from restora_models.data import MODELS_DIR
from restora_models.tone_arch import Tone, ToneConfig, apply_tone, thumbnail

CFG = os.path.join(MODELS_DIR, "configs", "tiny.json")


def tiny_cfg(tmp_path, name, **over):
    cfg = dict(json.load(open(CFG)), name=name, **over)
    p = tmp_path / f"{name}.json"
    p.write_text(json.dumps(cfg))
    return str(p)


def test_untrained_tone_is_the_identity_and_it_learns_to_undo_a_fade():
    torch.manual_seed(0)
    tone = Tone(ToneConfig(size=32, width=8, k=11, dq=16, hidden=32))
    clean = torch.rand(8, 3, 32, 32)
    faded = 0.5 + (clean - 0.5) * 0.6 + torch.tensor([0.08, 0.05, -0.02])[None, :, None, None]
    q = torch.zeros(8, 11, 16)
    m = tone(faded, q)
    assert torch.allclose(m, torch.cat([torch.eye(3), torch.zeros(3, 1)], 1).expand(8, 3, 4))
    assert torch.equal(apply_tone(m, faded), faded.clamp(0, 1))
    opt = torch.optim.Adam(tone.parameters(), lr=3e-3)
    losses = []
    for _ in range(150):
        loss = F.mse_loss(apply_tone(tone(faded, q), faded), clean)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.2 * losses[0]


def test_tone_checkpoints_written_before_the_parametric_heads_were_removed_still_load():
    """Tone configs saved before issue #29 name `head: "matrix"`; the other heads went with tone-1.9p/pf."""
    old = dict(size=32, width=8, k=11, dq=16, hidden=32, depth=2, head="matrix")
    assert ToneConfig(**old) == ToneConfig(**{k: v for k, v in old.items() if k != "head"})
    assert "head" not in ToneConfig(**old).to_dict()
    with pytest.raises(ValueError):
        ToneConfig(**dict(old, head="param"))


def test_log_mse_tone_loss_is_minus_the_mean_psnr_up_to_a_constant():
    from restora_models.train_tone import tone_loss
    t = torch.rand(3, 3, 8, 8, generator=torch.Generator().manual_seed(0))
    y = t + torch.tensor([0.01, 0.1, 0.3])[:, None, None, None]
    per = ((y - t) ** 2).mean((1, 2, 3))
    assert torch.allclose(tone_loss(y, t, "log_mse"), torch.log(per + 1e-5).mean())
    assert torch.allclose(tone_loss(y, t, "mse"), per.mean())
    # in dB a small error on a photo that needed nothing counts about as much as a large one elsewhere: halving
    # the first photo's error lowers the log loss nearly as much as halving the third's; MSE barely notices it
    y2 = t + torch.tensor([0.005, 0.1, 0.3])[:, None, None, None]
    y3 = t + torch.tensor([0.01, 0.1, 0.15])[:, None, None, None]
    d_log2, d_log3 = (tone_loss(y, t, "log_mse") - tone_loss(z, t, "log_mse") for z in (y2, y3))
    d_mse2, d_mse3 = (tone_loss(y, t, "mse") - tone_loss(z, t, "mse") for z in (y2, y3))
    assert d_log2 > 0.7 * d_log3 > 0 and 0 < d_mse2 < 0.01 * d_mse3
    try:
        tone_loss(y, t, "l1")
        raise AssertionError("unknown loss accepted")
    except ValueError:
        pass


def test_best_matrix_is_exact_on_colour_and_sane_on_black_and_white():
    from restora_models.tone_arch import best_matrix
    g = torch.Generator().manual_seed(0)
    x = torch.rand(2, 3, 32, 32, generator=g)
    m = torch.tensor([[1.2, 0.1, 0.0, 0.05], [0.0, 0.9, 0.0, 0.02], [0.1, 0.0, 1.1, -0.03]])
    y = torch.einsum("ij,bjhw->bihw", m[:, :3], x) + m[:, 3, None, None]
    assert (best_matrix(x, y) - m).abs().max() < 1e-3
    # a grey photo whose channels differ only by JPEG-sized noise, and a grey target
    grey = torch.rand(1, 1, 32, 32, generator=g).repeat(1, 3, 1, 1)
    x = grey + 1e-4 * torch.randn(1, 3, 32, 32, generator=g)
    target = (grey * 0.8 + 0.1 + 0.02 * torch.randn(1, 1, 32, 32, generator=g)).clamp(0, 1)
    fit = best_matrix(x, target)
    assert fit[:, :, :3].abs().max() < 2.0                            # no large opposite weights
    other = (grey + 1e-4 * torch.randn(1, 3, 32, 32, generator=g))     # the same matrix on other noise
    err = lambda a: float(((apply_tone(fit, a) - target) ** 2).mean())
    assert err(other) < 1.5 * err(x) and err(x) < float(((x - target) ** 2).mean())


def test_thumbnail_is_an_area_average_of_the_whole_photo():
    x = torch.arange(2 * 3 * 6 * 4, dtype=torch.float32).reshape(2, 3, 6, 4)
    t = thumbnail(x, 2)
    assert t.shape == (2, 3, 2, 2)
    assert torch.allclose(t[0, 0, 0, 0], x[0, 0, :3, :2].mean())
    assert thumbnail(torch.rand(1, 3, 5, 9), 8).shape == (1, 3, 8, 8)   # smaller than the view: bilinear


def test_recover_tone_and_a_restorer_trained_behind_it(tmp_path):
    """A tiny run exported to ONNX is rebuilt by recover (same weights), a tone model trains
    under it, a restorer fine-tunes behind that tone model, and export writes restora-tone
    and a restorer manifest that requires it."""
    from restora_models import export, recover, train_tone
    from restora_models.checkpoint import load
    runs = os.path.join(MODELS_DIR, "runs")
    names = ("pytest-base", "pytest-rec", "pytest-tone", "pytest-tone2", "pytest-behind")
    for n in names:
        shutil.rmtree(os.path.join(runs, n), ignore_errors=True)
    try:
        assert train.main(["--config", tiny_cfg(tmp_path, "pytest-base", steps=2)]) == 2
        # Two training steps leave many parameters at equal values (LayerNorm weights all 1), which the ONNX
        # exporter stores once; a trained model's are all distinct, so give them distinct values first.
        path = os.path.join(runs, "pytest-base", "last.pt")
        st = torch.load(path)
        integ, rest, _, _ = load("pytest-base")
        g = torch.Generator().manual_seed(1)
        for key, mod in (("integrator", integ), ("restorer", rest)):
            with torch.no_grad():
                for p in mod.parameters():
                    p.add_(0.01 * torch.randn(p.shape, generator=g))
            st[key] = mod.state_dict()
        torch.save(st, path)
        zoo = tmp_path / "zoo"
        export.main(["--run", "pytest-base", "--out", str(zoo)])
        recover.main(["--zoo", str(zoo), "--name", "pytest-rec"])
        a, b = load("pytest-base"), load("pytest-rec")
        for k, v in a[1].state_dict().items():
            assert torch.equal(v, b[1].state_dict()[k]), k
        for k, v in a[0].state_dict().items():
            assert torch.allclose(v, b[0].state_dict()[k]), k

        tcfg = tmp_path / "pytest-tone.json"
        tcfg.write_text(json.dumps({"name": "pytest-tone", "base_run": "pytest-rec", "steps": 3, "batch": 2,
                                    "samples": 4, "val_samples": 2, "max_files": 2, "workers": 1,
                                    "val_every": 1000, "log_every": 1, "tone": {"width": 8, "hidden": 16}}))
        assert train_tone.main(["--config", str(tcfg)]) == 3
        # a second tone run continues the first with the log-MSE loss (init_run: its weights, a fresh optimiser)
        tcfg2 = tmp_path / "pytest-tone2.json"
        tcfg2.write_text(json.dumps(dict(json.loads(tcfg.read_text()), name="pytest-tone2", init_run="pytest-tone",
                                         loss="log_mse", steps=2)))
        assert train_tone.main(["--config", str(tcfg2)]) == 2
        assert train.main(["--config", tiny_cfg(tmp_path, "pytest-behind", steps=2, init_from="pytest-rec",
                                                tone_from="pytest-tone2", freeze_integrator=True)]) == 2
        before, after = load("pytest-rec"), load("pytest-behind")
        for k, v in before[0].state_dict().items():          # integrator frozen
            assert torch.equal(v, after[0].state_dict()[k]), k
        assert any(not torch.equal(v, after[1].state_dict()[k]) for k, v in before[1].state_dict().items())

        out = tmp_path / "zoo2"
        export.main(["--run", "pytest-behind", "--out", str(out), "--only", "restora-restorer"])
        rman = json.loads((out / "restora-restorer" / "manifest.json").read_text())
        tman = json.loads((out / "restora-tone" / "manifest.json").read_text())
        assert rman["preprocess"] == {"tone": "restora-tone", "toneSha256": tman["sha256"]}
        assert tman["task"] == "tone" and tman["inputs"][0]["shape"] == [1, 3, 128, 128]
        assert tman["outputs"][0]["shape"] == [1, 3, 4]
        cmd = rman["training"]["command"]
        assert "restora_models.recover" in cmd
        assert cmd.index("configs/pytest-tone.json") < cmd.index("configs/pytest-tone2.json") < cmd.index("configs/pytest-behind.json")
        assert tman["training"]["initFrom"][0]["run"] == "pytest-tone" and tman["training"]["steps"] == 5
        assert tman["training"]["loss"] == "log_mse" and tman["training"]["command"].count("train_tone") == 2
        assert not (out / "restora-integrator").joinpath("model.onnx").exists()
        onnx.checker.check_model(onnx.load(str(out / "restora-tone" / "model.onnx")))
        par = json.loads((out / "restora-tone" / "parity.json").read_text())
        assert np.array(par["outputs"]["matrix"]["data"]).shape == (12,)
        # recover rebuilds the tone run from the zoo too (GroupNorm affines from Mul/Add constants), with
        # the runs before it taken from its manifest, so a fresh machine can export behind it again
        from restora_models.export_tone import load_tone, tone_chain
        trained = {k: v.clone() for k, v in load_tone("pytest-tone2")[0].state_dict().items()}
        assert recover.recover_tone(str(out)) == "pytest-tone2"
        for k, v in load_tone("pytest-tone2")[0].state_dict().items():
            assert torch.allclose(v, trained[k]), k
        assert [c["run"] for c in tone_chain("pytest-tone2")] == ["pytest-tone", "pytest-tone2"]
        # ... and export behind it without the earlier runs' checkpoints
        shutil.rmtree(os.path.join(runs, "pytest-tone"))
        out3 = tmp_path / "zoo3"
        export.main(["--run", "pytest-behind", "--out", str(out3), "--only", "restora-restorer"])
        tman3 = json.loads((out3 / "restora-tone" / "manifest.json").read_text())
        for k in ("initFrom", "steps", "wallSeconds", "command"):
            assert tman3["training"][k] == tman["training"][k], k
    finally:
        for n in names:
            shutil.rmtree(os.path.join(runs, n), ignore_errors=True)
        cache = os.path.join(MODELS_DIR, ".cache")
        for f in os.listdir(cache) if os.path.isdir(cache) else []:
            if f.startswith("tone_") and "_pytest-rec_" in f:
                os.remove(os.path.join(cache, f))


def test_the_restorers_tone_stand_in_is_the_least_squares_matrix_taken_part_way():
    torch.manual_seed(0)
    target = torch.rand(4, 3, 16, 16)
    m = torch.tensor([[0.7, 0.1, 0.0, 0.1], [0.0, 0.8, 0.1, 0.05], [0.1, 0.0, 0.6, 0.15]])
    degraded = apply_tone(m.expand(4, 3, 4), target)          # a colour transform the matrix can undo
    full = train.oracle_tone(degraded, target, torch.Generator().manual_seed(1), (1.0, 1.0), 0.0)
    assert (full - target).abs().max() < 1e-3
    half = train.oracle_tone(degraded, target, torch.Generator().manual_seed(1), (0.5, 0.5), 0.0)
    err = lambda x: (x - target).pow(2).mean().item()
    assert err(full) < err(half) < err(degraded)


def test_a_run_trains_behind_the_stand_in_with_its_own_settings():
    """train.main builds the stand-in from the run's tone_oracle_mix / tone_oracle_noise (v1.4-cpu ran
    with the defaults because they were not passed)."""
    cfg = dict(train.DEFAULTS, tone_from="some-tone-run", tone_train="oracle", tone_oracle_mix=[0.9, 1.0],
               tone_oracle_noise=0.01, seed=3)
    tone = train.make_tone(cfg)
    assert isinstance(tone, train.OracleTone) and tone.mix == (0.9, 1.0) and tone.noise == 0.01
    assert train.make_tone(dict(cfg, tone_from=None)) is None


def test_the_gap_tool_seeds_photos_as_the_bench_does():
    from restora_models.gap import fnv1a32, kind
    assert fnv1a32("") == 0x811C9DC5 and fnv1a32("a") == 0xE40C292C   # FNV-1a 32-bit test vectors
    assert kind({"ops": [{"op": "fade"}, {"op": "mono"}, {"op": "cast", "kind": "sepia"}]}) == "mono+fade+sepia"
    assert kind({"ops": [{"op": "jpeg"}]}) == "none"
