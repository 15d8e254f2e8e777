#!/usr/bin/env bash
# Publishes a self-contained `cloudassembly` for a GPU machine that has PyTorch but no .NET: TorchSharp only
# (TorchBackend=external; libtorch comes from PyTorch's torch/lib at run time), one compressed file plus its native
# libraries, into artifacts/gpu (small enough to carry to the device machine).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
rm -rf "$ROOT/artifacts/gpu"
dotnet publish "$ROOT/services/Cli" -c Release -r linux-x64 --self-contained -p:TorchBackend=external \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -p:DebugType=none -o "$ROOT/artifacts/gpu" -nologo -v:q
du -sh "$ROOT/artifacts/gpu"; ls -la "$ROOT/artifacts/gpu"
