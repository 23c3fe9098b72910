#!/usr/bin/env bash
# One command for a lent GPU machine (the device tool; see models/README.md "On a lent GPU machine"):
#   bash models/gpu/run.sh            (from the repository root, with models/pack carried; writes to $OUT)
# Rebuilds the shipped models' run (recover), then continues the restorer for 8 minutes at batch 64,
# writing a compact checkpoint (restorer.pt, float16 EMA weights) and the log to $OUT every minute.
# Back here: /usr/bin/python3 -m restora_models.train_restorer --config configs/restorer-2-gpu.json --adopt FILE
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1 RESTORA_PACK=1
OUT=${OUT:?set OUT to the folder that comes back}
CONFIG=${CONFIG:-configs/restorer-2-gpu.json}
PY=${PYTHON:-python3}   # there, the python3 that holds PyTorch; here PYTHON=/usr/bin/python3
nvidia-smi -L 2>/dev/null || true
"$PY" -m restora_models.recover
timeout 540 "$PY" -m restora_models.train_restorer --config "$CONFIG" --out "$OUT" 2>&1 | tee "$OUT/console.log"
