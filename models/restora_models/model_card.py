"""MODEL_CARD.md text for each exported model, filled from its manifest."""
import json

COMMON_DATA = """## Training data

- **Face Research Lab London Set** (faces-flr), people 013-102, neutral and smiling
  front views — CC-BY 4.0. Attribution: DeBruine, L. & Jones, B. (2017) *Face Research
  Lab London Set*, doi:10.6084/m9.figshare.5047666. People 001-012 are held out (never
  trained on) and used for validation.
- **BSDS500** train + test (Arbeláez, Maire, Fowlkes & Malik, 2011, *Contour Detection and
  Hierarchical Image Segmentation*, IEEE TPAMI) — research use. bsds500/val is held out.
- No real old photographs were used for training. Degraded inputs are synthesised from
  the clean images (models/degradations.md); instructions are generated
  (restora_models/instructions.py).
"""


def _training(m):
    t = m["training"]
    return f"""## How it was trained

- Command: `{t['command']}` (config `models/{t['config']}`), then
  `cd models && /usr/bin/python3 -m restora_models.evaluate --run <name>` and
  `cd models && /usr/bin/python3 -m restora_models.export --run <name>`.
- Steps: {t['steps']} joint steps{(' + ' + str(t['stage2']['steps']) + ' integrator-only steps (stage 2, restorer frozen)') if t.get('stage2') else ''}, wall time {t['wallSeconds']} s in all, hardware: {t['hardware']}.
- Source commit at export: `{t['sourceCommit']}`.
- The cue encoder, integrator and restorer are trained jointly (teacher forcing):
  Charbonnier(restorer output, instruction-dependent target) + w_ce x cross-entropy on
  the semantic tokens + w_aux x L1 on the severity head (0.1/0.1 for v1-cpu; 0.5/0.3 in
  the v1.1-cpu fine-tune).{_chain(t)}
"""


def _chain(t):
    if not t.get("initFrom"):
        return ""
    stages = ", then ".join(f"`{c['config']}` ({c['steps']} steps, {c['wallSeconds']} s)" for c in t["initFrom"])
    own = t["steps"] - sum(c["steps"] for c in t["initFrom"])
    text = (f"\n- Stages: {stages}, then `{t['config']}` ({own} steps), each starting from the previous one's "
            "weights with a fresh optimiser and schedule. The fine-tunes condition the restorer on re-drawn damage "
            "*levels* half of the time (`level_noise`, semantics.noisy_levels: a level the image decided may become "
            "any level that still means \"fix\"; an \"off\" the instruction asked for never changes; "
            "`level_noise_all`: all free damage slots share one drawn level), so the restorer judges the amount of "
            "damage from the pixels and an integrator that misreads the level cannot make it over-process.")
    for n in t.get("notes", []):
        text += f"\n- {n}"
    return text


def _metrics(m):
    mt = m.get("metrics", {})
    out = "## Measured (held-out data)\n\n"
    rows = [(k, v) for k, v in mt.items() if k.startswith(("bsds500_val_", "faces_heldout_"))]
    if rows:
        out += ("Whole pipeline (cue crop, greedy decode of the empty instruction, restorer), "
                "PSNR (RGB, dB) / SSIM (luma) against the clean image; the last two columns are PSNR against "
                "what the empty instruction asks for (same as clean except black-and-white inputs stay "
                "black-and-white):\n\n"
                "| set | n | PSNR in | PSNR out | gain | SSIM in | SSIM out | PSNR in vs target | PSNR out vs target |\n"
                "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
        for k, v in rows:
            out += (f"| {k} | {v['n']} | {v['psnr_in']:.2f} | {v['psnr_out']:.2f} | {v['gain_db']:+.2f} | "
                    f"{v['ssim_in']:.3f} | {v['ssim_out']:.3f} | {v.get('psnr_in_vs_target', float('nan')):.2f} | "
                    f"{v.get('psnr_out_vs_target', float('nan')):.2f} |\n")
        out += "\n"
    for k in ("slots_heldout_paraphrases", "slots_generated_instructions"):
        if k in mt:
            v = mt[k]
            out += (f"- {k}: all slots {v['all_slots']:.3f}, slots the instruction specifies "
                    f"{v['specified_slots']:.3f}, exact sequence {v['exact_sequence']:.3f} ({v['samples']} samples)\n")
    return out + "\nAll measured values:\n\n```json\n" + json.dumps(mt, indent=1) + "\n```\n"


def _header(m, what):
    return f"# {m['id']} {m['version']}\n\n{what}\n\nFile `model.onnx`, sha256 `{m['sha256']}`, opset {m['opset']}, {m['params']:,} parameters.\n\n"


def _gain(m, key):
    v = m.get("metrics", {}).get(key)
    return f"{v['gain_db']:+.2f} dB" if isinstance(v, dict) and "gain_db" in v else "not measured"


def _size(m):
    a = m.get("arch") or {}
    if "enc" in a and "dec" in a:
        blocks = sum(a["enc"]) + a["mid"] + sum(a["dec"])
        w = a["width"]   # doubled at every encoder level
        return f"the restorer is tiny ({m['params']:,} parameters, widths {w}-{w * 2 ** len(a['enc'])}, {blocks} NAF blocks)"
    return "the restorer is tiny (under a million parameters)"


def known(m):
    g = lambda k: _gain(m, k)
    return f"""## Known limitations

- Small models trained on a shared 2-core CPU, far from converged:
  {_size(m)}, and it has seen {m['training']['steps']:,} steps of 16 crops in all.
- Measured by `evaluate` (python protocol, gain over the input): bsds500/val light
  {g('bsds500_val_light')}, medium {g('bsds500_val_medium')} (**goal +2.5 dB: missed**), severe
  {g('bsds500_val_severe')}; held-out faces light {g('faces_heldout_light')}, medium
  {g('faces_heldout_medium')} (goal +3 dB), severe {g('faces_heldout_severe')}. The app's own
  TypeScript pipeline (`npm run bench:quality`) uses other seeds; see models/README.md.
- Most of the gain is global tone (restora-tone). Behind a perfect colour matrix the
  restorer's local work (noise, JPEG, scratches, dust, blur) adds only a few tenths of a dB on
  bsds500/val medium: it removes scratches and dust visibly, but barely denoises or deblurs.
- The tone model cannot tell a naturally flat or strongly coloured photo from a faded or
  tinted one and corrects both (photos with nothing global to fix lose about 1.3 dB on the
  100 bsds500/val photos of bench:quality medium); per-channel tints are mostly left.
- With the damage levels of the recipe instead of those the integrator decodes, the
  restorer does about 1.1 dB better on the training script's held-out crops (validation
  `val_psnr_tf` against `val_psnr_out`): misread damage levels cost more than its size.
- When the integrator reads every damage as "high" on a photo with moderate damage, the
  restorer over-processes: on bsds500/val 361010 (polo players) it erases the thin white
  sticks, the ball and the leg bands as if they were scratches and leaves doubled edges on the
  horses (1.6: -4.0 dB behind the tone model; 1.7, trained with more re-drawn levels:
  -4.8 dB). On the 100 bsds500/val medium photos of bench:quality the decoded damage levels
  match the recipe's on 59% of the damage slots.
- Damage levels read from the image: the 1.3 cue encoder gets the off/low/high level of each
  damage slot right 70-74% of the time on 300 held-out crops; off vs low noise is mostly
  confused, and film grain strength is barely read.
- The colour slot is wrong ~10% of the time when the instruction is silent (it can turn a
  colour photo grey); an explicit "keep the colours" / "black and white" works.
- Grain keep vs remove is NOT learned (see `controls` in the metrics).
- Trained on synthetic damage only; real scratches, stains, torn corners, halftone and
  heavy blur on real old photos are out of distribution.
- No colourisation: black-and-white inputs stay black-and-white.
- `scope` (faces/background) and `fidelity` tokens do not change the restorer's
  training target; the app implements them (face crops / masks / blending).
"""


def restorer(m):
    tone = m.get("preprocess", {}).get("tone")
    pre = (f"\n\n**Input must first pass through `{tone}`** (the manifest's `preprocess.tone`): one colour "
           "matrix per photo for fading and casts, judged from the whole photo; this restorer was trained on "
           "tone-corrected input and the engine refuses to run it without that model." if tone else "")
    toks = m.get("preprocess", {}).get("restorerTokens")
    if toks:
        pre += (" Behind it, the restorer is steered with " + ", ".join(f"{k} \"{v}\"" for k, v in toks.items()) +
                " fixed (a second decode, `preprocess.restorerTokens`): the colour is done, leave it.")
    return _header(m, "Instruction-conditioned restorer: a small NAFNet-style U-Net (widths 16-32-64-128, "
                      "InstructIR-style gating at every level, cross-attention from the bottleneck to the K latent "
                      "queries of restora-integrator). Output = clamp(input + correction, 0, 1)." + pre) + """## Use

Inputs: `image` float32 NCHW [1,3,H,W] in 0..1 (any H, W; padded inside to a multiple of
8 by edge replication and cropped back — the manifest's `tile.multiple`), and `queries`
float32 [1,K,Dq] from restora-integrator (the queries at the K generated tokens). Output
`restored` [1,3,H,W] in 0..1. For large photos tile with the manifest's tile size and
overlap; the same queries are used for every tile.

""" + COMMON_DATA + "\n" + _training(m) + "\n" + _metrics(m) + "\n" + known(m)


def integrator(m):
    return _header(m, "Semantic integrator after Pref-Restore, scaled down: a 4-layer causal transformer over "
                      "[cue tokens ; instruction tokens ; BOS ; semantic tokens]. One call = one decode step. "
                      "The hidden states at the semantic positions go through a connector "
                      "(Linear, GELU, Linear, RMSNorm) and become the restorer's latent queries.") + """## Use

See models/README.md ("Decode loop"). Tokenizer: tokenizer.json (algorithm in
models/tokenizer.md, test vectors in tokenizer_vectors.json). `parity.json` holds one
step's inputs/outputs and a full decode (`decode`) for checking a port.

""" + COMMON_DATA + "\n" + _training(m) + "\n" + _metrics(m) + "\n" + known(m) + """- Instructions are English; other languages fall back to bytes and are mostly ignored
  (the image cues then decide).
- Slot accuracy on hand-written paraphrases is lower than on generated phrasings.
"""


def cue_encoder(m):
    arch = ("a small CNN (stride-1 stem, four stride-2 stages with GroupNorm, mean + standard-deviation "
            "pooling added to every cue token; CueEncoderV2 in integrator_arch.py)" if m.get("cueArch") == "v2"
            else "a small strided CNN")
    return _header(m, f"Cue encoder: {arch} over a 128x128 crop of the degraded image. Produces the image-cue "
                      "tokens for restora-integrator and an auxiliary per-damage severity estimate (0..1) the app "
                      "can show as analysis/suggestions.") + """## Use

Input `image` [1,3,128,128] float32 0..1: the central 128x128 crop of the image at the
resolution it will be restored at (if a side is shorter than 128, first resize so the
short side is 128, bilinear). Outputs `cues` [1,Nc,d] (feed to restora-integrator) and
`severity` [1,8] in the order given by `severityOrder`.

""" + COMMON_DATA + "\n" + _training(m) + "\n" + _metrics(m) + "\n" + known(m) + """- A single central crop can miss damage elsewhere in the photo.
"""


def tone(m):
    t = m["training"]
    mt = m.get("metrics", {})
    rows = ""
    for k, v in mt.items():
        if isinstance(v, dict) and "psnr_in" in v:
            rows += f"| {k} | {v['n']} | {v['psnr_in']:.2f} | {v['psnr_tone']:.2f} | {v['psnr_tone'] - v['psnr_in']:+.2f} | {v.get('psnr_oracle', float('nan')):.2f} |\n"
    table = ("| set | n | PSNR in | PSNR after tone | gain | best possible 3x4 affine |\n| --- | --- | --- | --- | --- | --- |\n" + rows
             if rows else "Not measured at export.\n")
    return _header(m, "Tone model: one global 3x4 colour matrix per photo (fading, sepia, colour casts), judged from a "
                      "small copy of the whole photo and the integrator's latent queries. The app applies it to the "
                      "whole photo before restora-restorer, which was trained on its output.") + f"""## Use

Inputs: `image` float32 NCHW [1,3,S,S] in 0..1 — the whole photo resized to S x S, aspect
ignored, by area averaging (each output pixel the mean of its input rectangle, as
`adaptive_avg_pool2d`; bilinear when the photo is smaller than S) — and `queries`
[1,K,Dq] from restora-integrator for the instruction (they carry "keep the sepia",
"leave the fading", "gently"). Output `matrix` [1,3,4]: `y = M[:, :3] @ rgb + M[:, 3]`,
clamped to 0..1, the same matrix for every tile and face crop of the photo.

Architecture (`tone_arch.py`): a 3-layer CNN on a 32x32 average-pooled copy with mean +
standard-deviation pooling, fixed statistics (channel means, colour covariance,
percentiles 1-99 of R, G, B and luma after a 4x4 average), the flattened queries through a
linear layer, and a 3-layer MLP whose last layer starts at zero (identity matrix).

""" + COMMON_DATA + f"""
## How it was trained

- Command: `{t['command']}`, under the frozen cue encoder and integrator of `{t['baseRun']}`
  (models 1.3 rebuilt from its ONNX files by `restora_models.recover`).
- Samples (`tone_data.py`): whole training photos at 256x256, a random 65-100% view of each
  degraded and turned into its instruction-dependent target (batches.make_sample) at 256 px,
  both area-averaged to 128 px, as the app's thumbnail; queries greedy-decoded from the
  generated instruction and the photo, as in the app, so it learns how far to trust them.
  {t.get('samples', 16000)} samples rendered once, rotated and mirrored at random in training.
- Loss: {'the mean over photos of log(MSE) (minus the mean PSNR, what the benchmarks report)' if t.get('loss') == 'log_mse' else 'MSE'}
  between the tone-corrected thumbnail and the target thumbnail, batch 64, AdamW (weight
  decay 0.05), cosine schedule over the time limit.{''.join(f" Started from `{c['run']}` ({c['steps']} steps, {c['wallSeconds']} s, loss {c['loss']})." for c in t.get('initFrom', []))}
- Steps: {t['steps']}, wall time {t['wallSeconds']} s (plus the sample rendering), hardware: {t['hardware']}.
- Source commit at export: `{t['sourceCommit']}`.

## Measured (held-out data, empty instruction)

{table}
## Known limitations

- One matrix per photo: uneven fading (a corner bleached more than the rest) or a cast
  that changes across the photo is corrected on average only.
- It is trained on the synthetic fade/sepia/tint of models/degradations.md; real faded
  prints (magenta shifts of old colour film, yellowed paper) are out of distribution.
- It cannot tell a naturally flat, misty or strongly coloured photo from a faded or tinted
  one. On the 100 bsds500/val photos of `bench:quality --severity medium` (its seeds, the
  PyTorch pipeline): photos with no fade, cast or black-and-white lose 1.30 dB (24.48 ->
  23.18; tone 1.4: -1.71), faded ones gain 3.59 dB (17.08 -> 20.67 of a possible 22.60),
  tinted ones without fade gain 0.48 dB of a possible 3.11. A beige vase on a grey wall
  (227092) is read as faded by the cue encoder and stretched: -11 dB.
- Which tint is a cast and which is the scene (a sunset, a green wall) is ambiguous from
  the pixels. "Keep the sepia tone" / "keep the colour cast" in the instruction (cast:
  keep) keeps the tint (tests/integration/tone-restore.test.ts).
"""


def _independent_table(rows):
    if not rows:
        return "Not measured: export was run without `--metrics` (the JSON lines of `npm run bench:quality`).\n"
    out = ("| data | family | severity | n | input | classical | restorer | gain | vs classical | goals |\n"
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    for r in rows:
        p = r["psnr"]
        goals = "; ".join(f"{k} {'met' if g['pass'] else '**missed**'} ({g['value']})" for k, g in r["goals"].items() if "pass" in g)
        out += (f"| {r['data']} | {r['family']} | {r['severity']} | {r['images']} | {p['input']:.2f} | {p['classical']:.2f} | "
                f"{p['restorer']:.2f} | {r['gainDb']:+.2f} | {r['edgeDb']:+.2f} | {goals} |\n")
    return out


def restorer2(m):
    """Models 2: the restorer trained on blind, second-order degradations (train_restorer.py)."""
    t, mt, a = m["training"], m.get("metrics", {}), m["arch"]
    ind = mt.get("independent", [])
    missed = [f"{r['data']} {r['family']}/{r['severity']} {k}" for r in ind for k, g in r["goals"].items() if "pass" in g and not g["pass"]]
    met = sum(1 for r in ind for g in r["goals"].values() if "pass" in g and g["pass"])
    speed = mt.get("speed")
    chain = "".join(f"\n  - `{c['config']}`: {c['steps']} steps, {c['wallSeconds']} s" for c in t.get("initFrom", []))
    text = _header(m, "Restorer (models 2): a NAFNet-style U-Net of width "
                   f"{a['width']}, {len(a['enc'])} levels (encoder blocks {a['enc']}, middle {a['mid']}, decoder {a['dec']}), "
                   "steered by the integrator's K latent queries: FiLM gating at every level, cross-attention at the "
                   "bottleneck, and channel attention computed from the queries (`sca: query`) instead of NAFNet's "
                   "global average pool, so nothing depends on the tile size. Input: the photo after the tone stage; "
                   "output: the restored photo, same size. It removes local damage — blur and lost resolution, noise "
                   "and grain, JPEG artefacts — and keeps the photo's global tone (sepia, monochrome, fading are the "
                   "tone stage's job).")
    text += COMMON_DATA.replace("No real old photographs were used for training. Degraded inputs are synthesised from\n  the clean images (models/degradations.md); instructions are generated\n  (restora_models/instructions.py).",
                                "No real old photographs were used for training. Degraded inputs are synthesised from the clean\n  images by `restora_models/blind_degradations.py`; instructions are generated (`restora_models/instructions.py`).")
    text += f"""
## How it was trained

- Command: `{t['command']}` (config `models/{t['config']}`), then
  `cd models && /usr/bin/python3 -m restora_models.export_restorer --run {t['runConfig']['name']} --version {m['version']} --metrics …`.
- {t['steps']} steps in all, {t['wallSeconds']} s of wall time, hardware: {t['hardware']}.{chain}
- Source commit at export: `{t['sourceCommit']}`.
- Frozen steering: the cue encoder and integrator of `{t['integratorFrom']}` read each degraded crop and the
  instruction (empty for {100 - round(100 * t['runConfig'].get('instruction_p', 0.2))}% of samples, a generated one
  otherwise) and greedily decode the semantic tokens; their hidden states are the queries.
- Degradations (`{t['degradations']}`): a global "look" on both input and target ({round(100 * t['runConfig'].get('degradations', {}).get('p_look', 0.45))}% of samples: sepia, monochrome, faded, tinted)
  so the tone is kept; clean samples whose target is the input; otherwise blur (isotropic, anisotropic,
  generalised Gaussian, plateau, sinc) → resize (area, bilinear, bicubic, Lanczos, box, Hamming, nearest) →
  noise (Gaussian, Poisson-like, film grain) → JPEG, sometimes in random order, half the time twice (second
  order), resized back up to the original size.
- Loss: minus the mean PSNR of the batch (10·log10(MSE + 1e-5)); AdamW, warmup + cosine; the exported weights
  are the exponential moving average (decay {t['runConfig'].get('ema', 0.999)}).

## Measured: the independent benchmark

`npm run bench:quality -- --gt DIR [--faces] --family all --severity medium` (bench/degradations/families.ts:
degradations implemented separately from the training ones: other kernels, sharp's resize and JPEG). PSNR (RGB,
dB) means; "gain" is restorer − input, "vs classical" restorer − the classical median + unsharp baseline. For
`clean` and `toned` the input *is* the target, so the restorer column is the distance from the input.

{_independent_table(ind)}
Goals met: {met}; missed: {len(missed)}{(' — ' + '; '.join(missed)) if missed else ''}.
"""
    if speed:
        text += "\n## Speed\n\n```json\n" + json.dumps(speed, indent=1) + "\n```\n"
    text += "\n## Known failures\n\n" + (mt.get("knownFailures") or "None recorded at export.") + "\n"
    return text


def _face_table(fb):
    """The face restoration benchmark's means: one row per case and arm."""
    if not fb:
        return "Not measured at export.\n"
    rows = ["| case | arm | PSNR in the face box (dB) | identity distance | texture (HF / clean) | colour shift (8-bit) | face found |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    names = {"input": "input", "photo": "no face pass", "restorer": "photo's restorer", "face": "this model"}
    for case, arms in fb["results"].items():
        for arm in ("input", "photo", "restorer", "face"):
            if arm in arms:
                r = arms[arm]
                found = f"{r['found']:.2f}" if "found" in r else "–"
                rows.append(f"| {case} | {names[arm]} | {r['psnr']:.2f} | {r['identity']:.3f} | {r['texture']:.2f} | {r['colour']:.1f} | {found} |")
    return "\n".join(rows) + f"\n\n{fb['portraits']} held-out portraits at {fb['size']} px; seconds per restore {json.dumps(fb.get('secondsPerRestore'))}.\n"


def face_restorer(m):
    """The face restorer: the restorer fine-tuned on aligned faces (train_restorer.py, patches faces-aligned)."""
    t, mt, a = m["training"], m.get("metrics", {}), m["arch"]
    chain = "".join(f"\n  - `{c['config']}`: {c['steps']} steps, {c['wallSeconds']} s" for c in t.get("initFrom", []))
    text = _header(m, "Face restorer: the restorer's network (a NAFNet-style U-Net of width "
                   f"{a['width']}, steered by the integrator's K latent queries) fine-tuned on faces aligned as the app "
                   "aligns them (five landmarks to the FFHQ template, a 512 px crop). The face pass runs it on each "
                   "aligned face under the same reading of the photo as the restorer (same queries, same tone stage); "
                   "only its change to the crop is warped back and added to the photo's face.")
    text += """## Training data

- **Face Research Lab London Set** (faces-flr), people 013-102, neutral and smiling front views — CC-BY 4.0.
  Attribution: DeBruine, L. & Jones, B. (2017) *Face Research Lab London Set*, doi:10.6084/m9.figshare.5047666.
  Each portrait is aligned with the landmarks the app's own detector found on it
  (`models/data/faces-flr-landmarks.json`), at the template's scale and ±12 %; 128 px crops from brow to chin.
  People 001-012 are held out (never trained on): validation and the benchmark below.
- It starts from the shipped restorer, itself trained on BSDS500 train + test and the same faces (see its card).
- No real old photographs were used for training. Degraded inputs are synthesised by
  `restora_models/blind_degradations.py`; instructions are generated (`restora_models/instructions.py`).
"""
    text += f"""
## How it was trained

- Command: `{t['command']}` (config `models/{t['config']}`), then
  `cd models && /usr/bin/python3 -m restora_models.export_restorer --run {t['runConfig']['name']} --version {m['version']} --face --face-metrics …`.
- {t['steps']} steps in all (the restorer's included), {t['wallSeconds']} s of wall time, hardware: {t['hardware']}.{chain}
- Source commit at export: `{t['sourceCommit']}`.
- Loss: minus the mean PSNR of the batch; AdamW, warmup + cosine; exported weights are the exponential moving
  average (decay {t['runConfig'].get('ema', 0.999)}).

## Measured: `npm run bench:faces:restore`

Held-out portraits degraded by the old-photo recipe and by the independent families (bench/degradations), restored by
the app's engine with the faces restored by the photo's restorer and by this model, in the same run. Against the clean
portrait, in the face box: PSNR; identity (face descriptor distance, lower is closer; face-api's same-person threshold
is 0.6); texture (high-frequency energy over the clean face's: 1 is kept, below 1 smoothed); colour shift of the box's
mean; face found: share of outputs where the detector (one pass) finds a face over the true one.

{_face_table(mt.get('faces'))}"""
    text += "\n## Known failures\n\n" + (mt.get("knownFailures") or "None recorded at export.") + "\n"
    return text
