#!/usr/bin/env bash
# The test command: installs and starts what the tests need (Fashion-MNIST, MPICH, RabbitMQ, Azurite, the manifest
# validator, Chromium, protoc), builds the solution (Release), runs every test project one after the other and ends with a
# plain "N passed, N failed" line.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash eng/install-dataset.sh || exit 1
bash eng/install-mpi.sh || exit 1
bash eng/services-up.sh || exit 1
bash eng/k8s-tools.sh || exit 1
bash eng/install-chromium.sh || exit 1
bash eng/install-protobuf.sh || exit 1
bash eng/install-pika.sh || exit 1
RESULTS=$ROOT/artifacts/test-results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
if ! dotnet build CloudAssembly.sln -c Release -nologo -v:q -clp:ErrorsOnly; then
  echo "0 passed, 1 failed (the build failed)"
  exit 1
fi
dotnet test CloudAssembly.sln -c Release --no-build -m:1 --logger trx --results-directory "$RESULTS" "$@"
status=$?
read -r passed failed < <(cat "$RESULTS"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' |
  sed -E 's/.* passed="([0-9]+)".* failed="([0-9]+)".*/\1 \2/' | awk '{p+=$1; f+=$2} END {print p+0, f+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
exit "$status"
