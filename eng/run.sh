#!/usr/bin/env bash
# The main job: installs Fashion-MNIST if needed, builds the CLI (Release) and runs the whole Deep Model Assembling
# pipeline on it (PT → 4 × MT → assemble → FT) on the CPU. Extra arguments go to `cloudassembly run`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash eng/install-dataset.sh
dotnet build services/Cli -c Release -nologo -v:q -clp:ErrorsOnly
# The main job needs no servers: its blobs go to ./cloudassembly/ unless --store says otherwise, even in a shell that
# exported CLOUDASSEMBLY_STORE for the cluster commands (every --store falls back to it).
unset CLOUDASSEMBLY_STORE
exec services/Cli/bin/Release/net10.0/cloudassembly run "$@"
