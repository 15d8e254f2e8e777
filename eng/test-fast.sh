#!/usr/bin/env bash
# The fast subset: tests that need no broker, no storage service, no root and no GPU (the run state machine as a table,
# hostile specs and checkpoints, pointer fencing on a folder store). Seconds, not minutes; run it before the full eng/test.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
dotnet build tests/CloudAssembly.Orchestration.Tests/CloudAssembly.Orchestration.Tests.csproj -c Release -nologo -v:q -clp:ErrorsOnly
dotnet build tests/CloudAssembly.Model.Tests/CloudAssembly.Model.Tests.csproj -c Release -nologo -v:q -clp:ErrorsOnly
dotnet test tests/CloudAssembly.Orchestration.Tests -c Release --no-build "$@"
dotnet test tests/CloudAssembly.Model.Tests -c Release --no-build --filter "FullyQualifiedName~HostileCheckpointTests" "$@"
