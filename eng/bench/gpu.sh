#!/usr/bin/env bash
# Runs on the GPU machine (PyTorch installed, no .NET), from the repository root, after eng/bench/publish-gpu.sh here:
# checks that CUDA libtorch loads through PyTorch's torch/lib, then ViT-B/16 batch 256 bf16 training-step throughput,
# ours beside PyTorch eager and torch.compile, as one table.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
export LD_LIBRARY_PATH=$LIB:${LD_LIBRARY_PATH:-}
BIN=$HERE/../../artifacts/gpu/cloudassembly
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'
bash "$HERE/train-step.sh" --bin "$BIN" --libtorch "$LIB" --device cuda --model vit_base_patch16_224 --batch 256 --amp 1 --steps "${STEPS:-30}"
