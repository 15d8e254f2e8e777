#!/usr/bin/env bash
# Input-pipeline throughput: `cloudassembly bench loader` beside a torchvision + PIL baseline (loader_baseline.py)
# reading the same pre-resized JPEG shards of real photographs with the same DeiT training transform at 224, each with
# 1 and 2 decode threads (ours) or DataLoader worker processes (baseline), in one run; prints a table.
#   eng/bench/loader.sh [--threads 1,2] [--cache DIR] [--bin PATH] [--python PY] [--per-photo N] [--photos 'GLOB']
# The photographs are the nature set of Debian's mate-backgrounds (gnome-backgrounds 43 holds 3D renders, which
# compress and decode unlike photos). Crops are made and built into shards once, under --cache.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
THREADS=1,2 CACHE=${HOME}/.cache/cloudassembly-bench PY=/usr/bin/python3 PER_PHOTO=256
PHOTOS='/usr/share/backgrounds/mate/nature/*.jpg'
BIN=$HERE/../../services/Cli/bin/Release/net10.0/cloudassembly
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS=$2;; --cache) CACHE=$2;; --bin) BIN=$2;; --python) PY=$2;; --per-photo) PER_PHOTO=$2;; --photos) PHOTOS=$2;;
    *) echo "unknown argument $1" >&2; exit 2;;
  esac; shift 2
done
if ! compgen -G "$PHOTOS" >/dev/null || ! "$PY" -c 'import PIL, torchvision' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q mate-backgrounds gnome-backgrounds python3-pil python3-torchvision >/dev/null
fi
[ -x "$BIN" ] || dotnet build "$HERE/../../services/Cli" -c Release -nologo -v:q -clp:ErrorsOnly

# (a) crops of real photographs, ImageNet-style folders, then shards pre-resized to a shorter side of 375 (500x375 for 4:3)
if [ ! -f "$CACHE/photos/.done" ]; then
  rm -rf "$CACHE/photos"
  # shellcheck disable=SC2086
  "$PY" "$HERE/loader_photos.py" --photos $PHOTOS --out "$CACHE/photos" --train "$PER_PHOTO"
  touch "$CACHE/photos/.done"
fi
"$BIN" dataset build --source "$CACHE/photos" --name photos --version v1 --store "$CACHE/store" --resize 375 --quality 90 | sed 's/^/  /'
SHARDS=$CACHE/store/cloudassembly/datasets/photos/v1

# (b) ours, (c) the baseline, (d) ours with repeated augmentation (3 copies of each image share one decode)
ours=$("$BIN" bench loader --store "$CACHE/store" --name photos --version v1 --threads ${THREADS//,/ } --cache "$CACHE/shard-cache")
echo "$ours" | sed 's/^/  /'
base=$("$PY" "$HERE/loader_baseline.py" --shards "$SHARDS" --workers "$THREADS")
echo "$base" | sed 's/^/  /'
ra=$("$BIN" bench loader --store "$CACHE/store" --name photos --version v1 --threads ${THREADS//,/ } --repeats 3 --cache "$CACHE/shard-cache" | grep '^threads')

echo
printf '%-8s | %-31s | %-31s | %-9s | %s\n' "" "ours (cloudassembly)" "torchvision + PIL" "ours/base" "ours, RA x3"
printf '%-8s | %8s  %10s  %9s | %8s  %10s  %9s | %9s | %s\n' threads img/s img/s/core img/CPU-s img/s img/s/core img/CPU-s "per core" img/s/core
for t in ${THREADS//,/ }; do
  o=$(echo "$ours" | awk -v t="$t:" '$1 == "threads" && $2 == t {print $3, $5, $9}')
  b=$(echo "$base" | awk -v t="$t:" '$1 == "workers" && $2 == t {print $3, $5, $9}')
  r=$(echo "$ra" | awk -v t="$t:" '$2 == t {print $5}')
  read -r oi oc ou <<<"$o"; read -r bi bc bu <<<"$b"
  printf '%-8s | %8.1f  %10.1f  %9.1f | %8.1f  %10.1f  %9.1f | %9.2f | %10.1f\n' "$t" "$oi" "$oc" "$ou" "$bi" "$bc" "$bu" \
    "$(awk -v a="$oc" -v b="$bc" 'BEGIN {print a / b}')" "$r"
done
