#!/usr/bin/env bash
# Training-step throughput of `cloudassembly bench` beside the same ViT and step written in PyTorch (vit_step.py),
# same model, batch and device, in one run; prints a table with the ratio ours / PyTorch.
#   eng/bench/train-step.sh [--model M] [--batch B] [--device cpu|cuda] [--amp 0|1] [--steps N] [--classes C]
#                           [--bin PATH] [--python PY] [--variants fp32,amp,bf16,compile] [--libtorch DIR]
#                           [--neighbour busy]
# --neighbour busy runs one busy-loop process beside both measurements (a CPU neighbour) and stops it at the end.
# On the CPU, Debian's PyTorch is measured with OpenBLAS (libopenblas0-pthread, installed here if missing): without it
# Debian's PyTorch falls back to the generic reference BLAS, which no PyTorch user on Debian would keep.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODEL=vit_base_patch16_224 BATCH=256 DEVICE=cuda AMP=1 STEPS=20 CLASSES=1000 PY=python3 VARIANTS= LIBTORCH= NEIGHBOUR=
BIN=$HERE/../../services/Cli/bin/Release/net10.0/cloudassembly
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL=$2;; --batch) BATCH=$2;; --device) DEVICE=$2;; --amp) AMP=$2;; --steps) STEPS=$2;;
    --classes) CLASSES=$2;; --bin) BIN=$2;; --python) PY=$2;; --variants) VARIANTS=$2;; --libtorch) LIBTORCH=$2;;
    --neighbour) NEIGHBOUR=$2;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac; shift 2
done
[ -n "$VARIANTS" ] || { [ "$AMP" = 1 ] && VARIANTS=amp,bf16,compile || VARIANTS=fp32; }
[ "$DEVICE" = cpu ] && VARIANTS=${VARIANTS//,compile/}
if [ "$DEVICE" = cpu ] && ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  $([ "$(id -u)" = 0 ] || echo sudo) apt-get install -y --no-install-recommends libopenblas0-pthread >&2
fi
if [ "$NEIGHBOUR" = busy ]; then
  sh -c 'while :; do :; done' &
  NEIGHBOUR_PID=$!
  trap 'kill "$NEIGHBOUR_PID"' EXIT
  echo "beside one busy-loop process (pid $NEIGHBOUR_PID)"
elif [ -n "$NEIGHBOUR" ]; then
  echo "--neighbour takes 'busy'" >&2; exit 2
fi
ours=$("$BIN" bench --model "$MODEL" --batch_size "$BATCH" --device "$DEVICE" --use_amp "$AMP" --steps "$STEPS" \
        --nb_classes "$CLASSES" ${LIBTORCH:+--libtorch "$LIBTORCH"})
echo "$ours" | sed 's/^/  /'
ours_ips=$(echo "$ours" | awk '/train step:/ {print $3}')
echo
printf '%-28s %10s %10s %14s\n' "$MODEL b$BATCH $DEVICE" "img/s" "ms/step" "ours / this"
printf '%-28s %10.1f %10s %14s\n' "cloudassembly (amp=$AMP)" "$ours_ips" "$(echo "$ours" | awk -F'[()]' '/train step:/ {print $2}' | awk '{print $1}')" "1.00"
"$PY" "$HERE/vit_step.py" --model "$MODEL" --batch "$BATCH" --device "$DEVICE" --steps "$STEPS" --classes "$CLASSES" \
    --variants "$VARIANTS" | while read -r name ips ms; do
  printf '%-28s %10.1f %10.1f %14.2f\n' "$name" "$ips" "$ms" "$(awk -v a="$ours_ips" -v b="$ips" 'BEGIN {print a / b}')"
done
