#!/usr/bin/env bash
# The trainer's GPU benchmark (docs/benchmarks.md): tree packing vs the naive expansion, a small model trained fully
# and the Qwen3-4B shape with LoRA, the real `train` command and the server on CUDA. Results: $OUT_DIR/bench.json.
# Usage: scripts/gpu-bench.sh [OUT_DIR]   (python3 with torch, transformers and peft; a CUDA device)
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/gpu-bench}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
python3 -c 'import torch, transformers, peft; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)' | tee -a "$out/gpu.txt"
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD/trainer" PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
timeout "${BENCH_TIMEOUT_S:-420}" python3 -m agent_dagger_trainer bench --out "$out/work" --profile gpu 2>&1 | tee "$out/bench.log"
status=$?
cp "$out/work/bench.json" "$out/bench.json" 2>/dev/null
exit $status
