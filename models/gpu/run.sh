#!/usr/bin/env bash
# One command for a lent GPU machine (the device tool; see models/README.md "On a lent GPU machine"):
#   bash models/gpu/run.sh            (from the repository root, with models/pack carried; writes to $OUT)
#   JOB=damage bash models/gpu/run.sh (the damage detector instead: configs/damage-gpu.json, $OUT/damage.pt;
#                                      back here: train_damage --config configs/damage-gpu.json --adopt FILE)
#   JOB=dejpeg bash models/gpu/run.sh (the JPEG artefact remover: configs/dejpeg-gpu.json from the committed
#                                      checkpoint, 8 minutes, $OUT/dejpeg.pt and the log every minute; back here:
#                                      copy $OUT/dejpeg.pt to checkpoints/ and start a CPU config from it (init_from).
#                                      Smoke test: OUT=/tmp/o PYTHON=/usr/bin/python3 JOB=dejpeg CONFIG=configs/dejpeg-tiny.json)
#   JOB=detail bash models/gpu/run.sh (the detail restorer for blur and lost resolution: configs/detail-gpu.json,
#                                      from the committed checkpoint when there is one, 8 minutes, $OUT/detail.pt and
#                                      the log every minute; back here: copy $OUT/detail.pt to checkpoints/ and start a
#                                      CPU config from it (init_from). Smoke test: OUT=/tmp/o PYTHON=/usr/bin/python3
#                                      JOB=detail CONFIG=configs/detail-tiny.json bash models/gpu/run.sh)
#   JOB=face-finder bash models/gpu/run.sh (the face finder: configs/face-finder-gpu.json from the committed
#                                      checkpoint, 8 minutes, $OUT/face-finder.pt and the log every minute; its crops
#                                      are composed from the pack's faces and scenes. Back here: copy
#                                      $OUT/face-finder.pt to checkpoints/ and start a CPU config from it (init_from).
#                                      Smoke test: OUT=/tmp/o PYTHON=/usr/bin/python3 JOB=face-finder
#                                      CONFIG=configs/face-finder-tiny.json bash models/gpu/run.sh)
#   JOB=lrpo bash models/gpu/run.sh   (preference optimisation of the refiner: recover the restorer run and the
#                                      shipped refiner, train the preference model (configs/preference-gpu.json,
#                                      90 s), then train_lrpo (configs/lrpo-gpu.json) writing $OUT/refiner.pt, the
#                                      log and report_base.json every minute and report.json + zoo/ at the end;
#                                      CONFIG / PREF_CONFIG override the configs, e.g. the smoke ones on a CPU:
#                                      OUT=/tmp/o PYTHON=/usr/bin/python3 JOB=lrpo CONFIG=configs/lrpo-smoke.json
#                                      PREF_CONFIG=configs/preference-smoke.json bash models/gpu/run.sh)
#                                      Back here: $OUT/zoo/restora-refiner is the exported candidate; if the run was
#                                      cut short, copy $OUT/refiner.pt to runs/lrpo-gpu/last.pt with $OUT/report*.json
#                                      and run export_lrpo --run lrpo-gpu (it refuses without report.json)
#   JOB=refiner2 bash models/gpu/run.sh (the refiner behind restorer 2: recover the restorer run and the shipped
#                                      refiner, then train_refiner2 (configs/refiner-2-gpu.json) for 8 minutes,
#                                      copying runs/refiner-2-gpu/last.pt to $OUT/refiner.pt with the log every minute.
#                                      Smoke test on a CPU: OUT=/tmp/o PYTHON=/usr/bin/python3 JOB=refiner2
#                                      CONFIG=configs/refiner-2-smoke.json bash models/gpu/run.sh. Back here: copy
#                                      $OUT/refiner.pt to runs/refiner-2-gpu/last.pt and go on with --resume)
# Rebuilds the shipped models' run (recover), then continues the restorer for 8 minutes at batch 64,
# writing a compact checkpoint (restorer.pt, float16 EMA weights) and the log to $OUT every minute.
# Back here: /usr/bin/python3 -m restora_models.train_restorer --config configs/restorer-2-gpu.json --adopt FILE
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1 RESTORA_PACK=1
OUT=${OUT:?set OUT to the folder that comes back}
JOB=${JOB:-restorer}
PY=${PYTHON:-python3}   # there, the python3 that holds PyTorch; here PYTHON=/usr/bin/python3
nvidia-smi -L 2>/dev/null || true
if [ "$JOB" = damage ]; then
  CONFIG=${CONFIG:-configs/damage-gpu.json}
  timeout 540 "$PY" -m restora_models.train_damage --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  exit 0
fi
if [ "$JOB" = dejpeg ]; then
  CONFIG=${CONFIG:-configs/dejpeg-gpu.json}
  timeout 540 "$PY" -m restora_models.train_dejpeg --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  exit 0
fi
if [ "$JOB" = detail ]; then
  CONFIG=${CONFIG:-configs/detail-gpu.json}
  timeout 540 "$PY" -m restora_models.train_detail --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  exit 0
fi
if [ "$JOB" = face-finder ]; then
  CONFIG=${CONFIG:-configs/face-finder-gpu.json}
  timeout 540 "$PY" -m restora_models.train_face_finder --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  exit 0
fi
if [ "$JOB" = lrpo ]; then
  CONFIG=${CONFIG:-configs/lrpo-gpu.json}
  PREF_CONFIG=${PREF_CONFIG:-configs/preference-gpu.json}
  "$PY" -m restora_models.recover
  "$PY" -m restora_models.recover_refiner
  "$PY" -c "from restora_models.data import patch_cache; patch_cache(128)"   # from the pack, outside the timeouts
  timeout 120 "$PY" -m restora_models.train_preference --config "$PREF_CONFIG" 2>&1 | tee "$OUT/preference.log"
  # the rest of the 9 minutes; the last compact checkpoint in $OUT survives a timeout
  timeout 300 "$PY" -m restora_models.train_lrpo --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  name=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['name'])" "$CONFIG")
  [ -d "runs/$name/zoo" ] && cp -r "runs/$name/zoo" "$OUT/" || true
  exit 0
fi
if [ "$JOB" = refiner2 ]; then
  CONFIG=${CONFIG:-configs/refiner-2-gpu.json}
  "$PY" -m restora_models.recover
  "$PY" -m restora_models.recover_refiner
  "$PY" -c "from restora_models.data import patch_cache; patch_cache(128)"   # from the pack, outside the timeout
  timeout 480 "$PY" -m restora_models.train_refiner2 --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
  exit 0
fi
CONFIG=${CONFIG:-configs/restorer-2-gpu.json}
"$PY" -m restora_models.recover
timeout 540 "$PY" -m restora_models.train_restorer --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
