#!/usr/bin/env bash
# Data-parallel scaling on the CPU at one global batch: a small Fashion-MNIST ViT trained by 1 rank with 2 threads,
# 1 rank with 1 thread, 2 MPI processes with 1 thread each (mpiexec -n 2), and 2 thread ranks of one process with 1
# thread each. Prints each configuration's training img/s (the second epoch's, from log.txt) and its speed-up against
# 1 rank with 2 threads. Usage: [CLI=path/to/cloudassembly] eng/bench/data-parallel.sh [global batch, default 128] [training samples, default 6400]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BATCH=${1:-128}
SAMPLES=${2:-6400}
CLI=${CLI:-"$ROOT/services/Cli/bin/Release/net10.0/cloudassembly"}
[ -x "$CLI" ] || dotnet build "$ROOT/services/Cli/CloudAssembly.Cli.csproj" -c Release -nologo -v:q -clp:ErrorsOnly
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FLAGS=(train --phase E2E --model vit_mini_patch4_28 --divided_depths 2 2 2 2 --input-size 28 --data-set FMNIST
  --data-path /usr/share/datasets/fashion-mnist --epochs 2 --warmup-epochs 0 --train-limit "$SAMPLES" --eval-limit 256
  --num_workers 1 --no-repeated-aug --device cpu)
rate() { python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])['train_images_per_second'])" "$1/log.txt"; }
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$WORK/$name.time" "$@" --output_dir "$WORK/$name" >"$WORK/$name.out" 2>&1 ||
    { cat "$WORK/$name.out" >&2; exit 1; }
}
run one env OMP_NUM_THREADS=2 "$CLI" "${FLAGS[@]}" --batch_size "$BATCH"
run single env OMP_NUM_THREADS=1 "$CLI" "${FLAGS[@]}" --batch_size "$BATCH"
run mpi env OMP_NUM_THREADS=1 mpiexec -n 2 "$CLI" "${FLAGS[@]}" --batch_size $((BATCH / 2)) --world_size 2
run threads env OMP_NUM_THREADS=1 "$CLI" "${FLAGS[@]}" --batch_size $((BATCH / 2)) --devices cpu,cpu
BASE=$(rate "$WORK/one")
printf "%-38s %9s %11s %22s\n" "configuration (global batch $BATCH)" "img/s" "speed-up" "wall / user / sys (s)"
for name in one single mpi threads; do
  case $name in
    one) label="W=1, 2 intra-op threads" ;;
    single) label="W=1, 1 intra-op thread" ;;
    mpi) label="W=2 MPI processes x 1 thread" ;;
    threads) label="W=2 thread ranks x 1 thread" ;;
  esac
  r=$(rate "$WORK/$name")
  printf "%-38s %9.1f %10.2fx %22s\n" "$label" "$r" "$(python3 -c "print($r / $BASE)")" "$(tr ' ' '/' <"$WORK/$name.time")"
done
