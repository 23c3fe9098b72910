"""Export a trained checkpoint to ONNX (opset 17) with manifests, parity vectors
and model cards, into models/zoo/<id>/.

    cd models && /usr/bin/python3 -m restora_models.export --run v1-cpu [--out zoo]

Three graphs: restora-cue-encoder (image 128x128 -> cue tokens, severity),
restora-integrator (one decode step), restora-restorer (dynamic H, W).
"""
import argparse
import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see train.py
import hashlib
import json
import subprocess
import time

import numpy as np
import onnx
import torch

from . import semantics as S
from .checkpoint import load
from .data import MODELS_DIR
from .degradations import DAMAGE_TYPES
from .integrator_arch import CueStep, IntegratorStep
from .models import greedy_decode
from .prng import uniform_block
from .tokenizer import MAX_LEN
from . import model_card

VERSION = "1.7.0"  # v1.7-cpu: the restorer continued with more re-drawn damage levels and the ridge stand-in, steered with the decoded fade and cast (no restorer_tokens); tone 1.5 (tone-1.5a-cpu), cue encoder and integrator 1.3
GRAPHS = ("restora-cue-encoder", "restora-integrator", "restora-restorer")
DATA = [{"name": "Face Research Lab London Set (faces-flr), people 013-102, neutral + smiling front",
         "licence": "CC-BY 4.0",
         "attribution": "DeBruine, L. & Jones, B. (2017) Face Research Lab London Set, doi:10.6084/m9.figshare.5047666"},
        {"name": "BSDS500 train + test", "licence": "research use",
         "attribution": "Arbeláez, P., Maire, M., Fowlkes, C. & Malik, J. (2011) Contour Detection and Hierarchical "
                        "Image Segmentation, IEEE TPAMI (Berkeley Segmentation Dataset 500)"}]


def export_cli(argv, default_run, bench, export_fn, hardware="2-core x86-64 CPU (shared with other work), no GPU, PyTorch 1.13 CPU"):
    """The command line of a one-graph exporter (export_dejpeg, export_face_finder): --run, --out, --version,
    --metrics (the last JSON line of the named bench), --known-failures, --hardware; calls
    export_fn(run, out, hardware, version, metrics, known_failures) and prints the manifest's id and hash."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default=default_run)
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--metrics", help=f"the JSON line (last line) of {bench}")
    ap.add_argument("--known-failures", help="a Markdown file of measured failures, added to the card's limits")
    ap.add_argument("--hardware", default=hardware)
    args = ap.parse_args(argv)
    metrics = json.loads(open(args.metrics).read().strip().splitlines()[-1]) if args.metrics else None
    man = export_fn(args.run, args.out, args.hardware, args.version, metrics,
                    open(args.known_failures).read() if args.known_failures else "")
    print("exported", man["id"], man["sha256"])
    return man


def io(name, dtype, shape, layout=None, rng=None, doc=None):
    d = {"name": name, "dtype": dtype, "shape": shape}
    if layout:
        d["layout"] = layout
    if rng is not None:
        d["range"] = rng
    if doc:
        d["doc"] = doc
    return d


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def rand(seed, shape, lo=0.0, hi=1.0):
    n = int(np.prod(shape))
    return torch.from_numpy((lo + (hi - lo) * uniform_block(seed, n)).astype(np.float32).reshape(shape))


def flat(t):
    return [float(f"{v:.7g}") for v in t.detach().reshape(-1).tolist()]


def git_rev():
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=MODELS_DIR, stderr=subprocess.DEVNULL).decode().strip()
    except Exception:
        return "uncommitted"


def export_graph(module, args, path, inputs, outputs, dynamic, half_weights=False):
    torch.onnx.export(module, args, path, opset_version=17, input_names=inputs, output_names=outputs,
                      dynamic_axes=dynamic, do_constant_folding=True)
    if half_weights:
        store_half(path)
    onnx.checker.check_model(onnx.load(path))


HALF_SUFFIX = "__f16"


def round_half(module):
    """Round a module's float weights to float16 precision (kept as float32), so PyTorch computes exactly what
    a graph whose weights are stored as float16 (store_half) computes, and parity vectors stay exact."""
    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.is_floating_point():
                t.copy_(t.half().float())
    return module


def store_half(path, min_size=256):
    """Store the graph's large float32 weights as float16, each followed by a Cast back to float32: half the
    file, the same arithmetic (ONNX Runtime folds the casts when the session is made). Only weights that are
    float16-exact (round_half the module before export) are converted; any other constant stays float32, so
    the graph computes exactly what it did."""
    from onnx import TensorProto, helper, numpy_helper
    m = onnx.load(path)
    g = m.graph
    inits, casts = [], []
    for t in g.initializer:
        a = numpy_helper.to_array(t)
        if t.data_type == TensorProto.FLOAT and a.size >= min_size:
            h = a.astype(np.float16)
            if not np.array_equal(h.astype(np.float32), a):
                inits.append(t)
                continue
            inits.append(numpy_helper.from_array(h, t.name + HALF_SUFFIX))
            casts.append(helper.make_node("Cast", [t.name + HALF_SUFFIX], [t.name], to=TensorProto.FLOAT, name=t.name + "_cast"))
        else:
            inits.append(t)
    del g.initializer[:]
    g.initializer.extend(inits)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.save(m, path)


def write_model(out_dir, mid, task, inputs, outputs, params, training, metrics, extra, parity, card):
    d = os.path.join(out_dir, mid)
    path = os.path.join(d, "model.onnx")
    man = {"schema": 1, "id": mid, "version": VERSION, "task": task, "file": "model.onnx", "sha256": sha256(path),
           "opset": 17, "inputs": inputs, "outputs": outputs}
    man.update(extra)
    man.update({"params": params, "training": training, "metrics": metrics})
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
    with open(os.path.join(d, "parity.json"), "w") as f:
        json.dump(parity, f)
    with open(os.path.join(d, "MODEL_CARD.md"), "w") as f:
        f.write(card(man))
    return man


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", default="v1-cpu")
    ap.add_argument("--out", default=os.path.join(MODELS_DIR, "zoo"))
    ap.add_argument("--hardware", default="2-core x86-64 CPU (shared), no GPU, PyTorch 1.13 CPU")
    ap.add_argument("--only", default=",".join(GRAPHS),
                    help="comma-separated ids to write (a run that froze the integrator leaves its files as they are)")
    args = ap.parse_args(argv)
    only = set(args.only.split(","))
    torch.manual_seed(0)
    integ, rest, tok, st = load(args.run)
    cfg = st["config"]
    icfg, rcfg = integ.cfg, rest.cfg
    mpath = os.path.join(MODELS_DIR, "runs", args.run, "metrics.json")
    metrics = json.load(open(mpath)) if os.path.exists(mpath) else {}
    run_cfg = os.path.join("configs", cfg["name"] + ".json")
    training = {"data": DATA, "command": f"cd models && /usr/bin/python3 -m restora_models.train --config {run_cfg}",
                "config": run_cfg, "steps": st["step"], "wallSeconds": round(st["elapsed"]),
                "hardware": args.hardware, "sourceCommit": git_rev(), "runConfig": cfg}
    if cfg.get("init_from"):
        # fine-tuned from other runs: record the whole chain, first run first
        chain, prev_name, notes = [], cfg["init_from"], [cfg["note"]] if cfg.get("note") else []
        while prev_name:
            prev = torch.load(os.path.join(MODELS_DIR, "runs", prev_name, "last.pt"), map_location="cpu")
            pc = prev["config"]
            if prev.get("recovered"):
                # rebuilt from the shipped ONNX (recover.py): its manifest's record is the earlier history
                rt = prev["recovered"]["training"]
                chain = list(rt.get("initFrom", [])) + [{"run": f"models {prev['recovered']['version']}", "config": rt["config"],
                                                        "steps": rt["steps"] - sum(c["steps"] for c in rt.get("initFrom", [])),
                                                        "wallSeconds": rt["wallSeconds"] - sum(c["wallSeconds"] for c in rt.get("initFrom", [])),
                                                        "command": rt["command"]}] + chain
                notes = list(rt.get("notes", [])) + [f"Continued from models {prev['recovered']['version']} rebuilt from its shipped "
                                                     "ONNX files by restora_models.recover (checked against their parity vectors)."] + notes
                break
            chain.insert(0, {"run": prev_name, "config": os.path.join("configs", pc["name"] + ".json"),
                             "steps": prev["step"], "wallSeconds": round(prev["elapsed"])})
            notes = ([pc["note"]] if pc.get("note") else []) + notes
            prev_name = pc.get("init_from")
        rec = next((i for i, c in enumerate(chain) if c.get("command")), None)
        if rec is not None:
            # the recovered release's own command, then recover, the tone model (if any), and the runs after it
            cmds = [chain[rec]["command"], "/usr/bin/python3 -m restora_models.recover"]
            from .export_tone import tone_chain, train_tone_command
            cmds += [train_tone_command(c["config"]) for c in tone_chain(cfg.get("tone_from"))]  # and the runs it started from
            cmds += [f"/usr/bin/python3 -m restora_models.train --config {c['config']}" for c in chain[rec + 1:]]
            cmds.append(f"/usr/bin/python3 -m restora_models.train --config {run_cfg}")
            training["command"] = " && ".join(cmds)
        else:
            training["command"] = "cd models && " + " && ".join(
                f"/usr/bin/python3 -m restora_models.train --config {c}" for c in [c["config"] for c in chain] + [run_cfg])
        training["initFrom"] = chain
        training["notes"] = notes
        training["steps"] = sum(c["steps"] for c in chain) + st["step"]
        training["wallSeconds"] += sum(c["wallSeconds"] for c in chain)
    if cfg.get("stage2"):
        training["command"] += " && " + cfg["stage2"].removeprefix("cd models && ")
        training["stage2"] = {"what": "cue encoder + integrator tuned alone, restorer frozen (tune_integrator.py)",
                              "steps": cfg.get("stage2_steps"), "wallSeconds": cfg.get("stage2_seconds")}
        if cfg.get("stage2_cue_steps"):
            training["stage2"]["what"] = ("new cue encoder (CueEncoderV2) trained alone on the severity labels, then "
                                          "cue encoder + integrator tuned together, restorer frozen (tune_integrator.py)")
            training["stage2"]["cueSteps"] = cfg["stage2_cue_steps"]
        training["wallSeconds"] += int(cfg.get("stage2_seconds") or 0)
    for mid in GRAPHS:
        os.makedirs(os.path.join(args.out, mid), exist_ok=True)
    nparams = lambda m: int(sum(p.numel() for p in m.parameters()))
    sem_block = dict(S.manifest_block(), dq=icfg.dq, maxInstructionTokens=MAX_LEN, cues=icfg.cues, d=icfg.d,
                     tokenizer="tokenizer.json", cueImageSize=icfg.cue_size)

    # --- cue encoder
    cue = CueStep(integ).eval()
    cs = icfg.cue_size
    img = rand(11, (1, 3, cs, cs))
    path = os.path.join(args.out, "restora-cue-encoder", "model.onnx")
    with torch.no_grad():
        c_out, s_out = cue(img)
    if "restora-cue-encoder" in only:
        export_graph(cue, (img,), path, ["image"], ["cues", "severity"], None)
        write_model(args.out, "restora-cue-encoder", "cue-encoder",
                    [io("image", "float32", [1, 3, cs, cs], "NCHW", [0, 1],
                        "central 128x128 crop of the image at working resolution (see models/README.md)")],
                    [io("cues", "float32", [1, icfg.cues, icfg.d], doc="image-cue tokens for the integrator"),
                     io("severity", "float32", [1, len(DAMAGE_TYPES)], rng=[0, 1],
                        doc="estimated damage per type, order: " + ",".join(DAMAGE_TYPES))],
                    nparams(integ.cue_encoder), training, metrics.get("severity_head_mae") and
                    {"severity_head_mae": metrics["severity_head_mae"]} or {},
                    {"severityOrder": list(DAMAGE_TYPES), "cueArch": icfg.cue_arch},
                    {"seed": 11, "inputs": {"image": {"shape": list(img.shape), "data": flat(img)}},
                     "outputs": {"cues": {"shape": list(c_out.shape), "data": flat(c_out)},
                                 "severity": {"shape": list(s_out.shape), "data": flat(s_out)}}, "atol": 1e-4},
                    model_card.cue_encoder)

    # --- integrator (one decode step)
    step = IntegratorStep(integ).eval()
    text = "remove the scratches and keep the grain"
    ids = torch.tensor([tok.encode(text)], dtype=torch.long)
    sem = torch.tensor([[S.BOS, S.token_id(0, "high"), S.token_id(1, "low")]], dtype=torch.long)
    path = os.path.join(args.out, "restora-integrator", "model.onnx")
    if "restora-integrator" in only:
        export_graph(step, (c_out, ids, sem), path, ["cues", "instruction_ids", "semantic_ids"], ["logits", "queries"],
                     {"instruction_ids": {1: "L"}, "semantic_ids": {1: "T"}, "queries": {1: "T"}})
    with torch.no_grad():
        lg, qs = step(c_out, ids, sem)
        dec_sem, dec_q = greedy_decode(integ, c_out, ids)
    decode_vector = {"text": text, "instruction_ids": ids[0].tolist(), "cues": "outputs.cues of restora-cue-encoder/parity.json",
                     "semantic_ids": dec_sem[0].tolist(), "values": S.ids_to_values(dec_sem[0].tolist()),
                     "queries": {"shape": list(dec_q.shape), "data": flat(dec_q)}}
    imetrics = {k: metrics[k] for k in ("slots_heldout_paraphrases", "slots_generated_instructions") if k in metrics}
    if "restora-integrator" in only:
        write_model(args.out, "restora-integrator", "integrator",
                    [io("cues", "float32", [1, icfg.cues, icfg.d], doc="restora-cue-encoder output 'cues'"),
                     io("instruction_ids", "int64", [1, "L"], doc="tokenizer.json ids, starts with <s>=1, L<=64"),
                     io("semantic_ids", "int64", [1, "T"], doc="BOS=0 then the semantic tokens generated so far, T<=K+1")],
                    [io("logits", "float32", [1, S.VOCAB_SIZE], doc="next semantic token logits (restrict to the slot's id range)"),
                     io("queries", "float32", [1, "T", icfg.dq], doc="latent query at every semantic position")],
                    nparams(integ) - nparams(integ.cue_encoder), training, imetrics, {"semantics": sem_block, "arch": icfg.to_dict()},
                    {"inputs": {"cues": {"shape": list(c_out.shape), "data": flat(c_out)},
                                "instruction_ids": {"shape": list(ids.shape), "data": ids[0].tolist()},
                                "semantic_ids": {"shape": list(sem.shape), "data": sem[0].tolist()}},
                     "outputs": {"logits": {"shape": list(lg.shape), "data": flat(lg)},
                                 "queries": {"shape": list(qs.shape), "data": flat(qs)}},
                     "decode": decode_vector, "atol": 1e-4},
                    model_card.integrator)
        src = os.path.join(MODELS_DIR, "zoo", "restora-integrator")
        for fn in ("tokenizer.json",):
            dst = os.path.join(args.out, "restora-integrator", fn)
            if os.path.abspath(dst) != os.path.abspath(os.path.join(src, fn)):
                with open(os.path.join(src, fn)) as a, open(dst, "w") as b:
                    b.write(a.read())

    # --- restorer
    path = os.path.join(args.out, "restora-restorer", "model.onnx")
    img = rand(21, (1, 3, 24, 40))
    q = dec_q
    export_graph(rest.eval(), (img, q), path, ["image", "queries"], ["restored"],
                 {"image": {2: "H", 3: "W"}, "restored": {2: "H", 3: "W"}})
    with torch.no_grad():
        out = rest(img, q)
    rmetrics = {k: v for k, v in metrics.items() if k.startswith(("bsds500", "faces", "controls", "protocol", "step"))}
    extra = {"tile": {"size": 256, "overlap": 32, "multiple": rcfg.multiple}, "arch": rcfg.to_dict()}
    if cfg.get("tone_from"):
        # trained on tone-corrected input: the engine must run restora-tone first (and refuses the restorer without it)
        from .export_tone import TONE_ID, export_tone
        tman = export_tone(cfg["tone_from"], args.out, VERSION, args.hardware, metrics.get("tone"))
        extra["preprocess"] = {"tone": TONE_ID, "toneSha256": tman["sha256"], **(
            {"restorerTokens": cfg["restorer_tokens"]} if cfg.get("restorer_tokens") else {})}
        training["toneRun"] = cfg["tone_from"]
    write_model(args.out, "restora-restorer", "restorer",
                [io("image", "float32", [1, 3, "H", "W"], "NCHW", [0, 1]),
                 io("queries", "float32", [1, S.K, icfg.dq], doc="integrator queries at the K generated semantic tokens")],
                [io("restored", "float32", [1, 3, "H", "W"], "NCHW", [0, 1])],
                nparams(rest), training, rmetrics, extra,
                {"inputs": {"image": {"shape": list(img.shape), "data": flat(img)},
                            "queries": {"shape": list(q.shape), "data": flat(q)}},
                 "outputs": {"restored": {"shape": list(out.shape), "data": flat(out)}}, "atol": 1e-4},
                model_card.restorer)
    print("exported to", args.out)


if __name__ == "__main__":
    main()
