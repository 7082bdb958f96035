#!/usr/bin/env bash
# The trainer's GPU benchmark (docs/benchmarks.md): the Qwen3-4B shape with LoRA on ≈ 13k- and ≈ 60k-token
# tree-packed trajectories, block-sparse (FlexAttention) and dense tree masks side by side — tokens/s, MFU, peak
# memory — plus tree = naive on the device with each mask, the real `train` command on CUDA and the server answering
# with the adapter it wrote. Results: $OUT_DIR/bench.json (kept as far as it got if the time limit cuts it short).
# Usage: scripts/gpu-bench.sh [OUT_DIR]   (a CUDA device; python with torch, transformers and peft: $PYTHON, else
# the project venv when there is one, else python3). BENCH_TIMEOUT_S (default 570) bounds the whole run;
# BENCH_PEAK_TFLOPS overrides the bf16 peak the MFU is computed against.
set -uo pipefail
cd "$(dirname "$0")/.."
out="${1:-runs/gpu-bench}"
python="${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}"
mkdir -p "$out"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
"$python" -c 'import torch, transformers, peft; print("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)' | tee -a "$out/gpu.txt"
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD/trainer" PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
timeout "${BENCH_TIMEOUT_S:-570}" "$python" -m agent_dagger_trainer bench --out "$out/work" --profile gpu 2>&1 | tee "$out/bench.log"
status=$?
cp "$out/work/bench.json" "$out/bench.json" 2>/dev/null
exit $status
