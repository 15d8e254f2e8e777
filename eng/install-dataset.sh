#!/usr/bin/env bash
# Installs Fashion-MNIST from Debian's dataset-fashion-mnist (IDX files in /usr/share/datasets/fashion-mnist) if missing.
set -euo pipefail
DIR=/usr/share/datasets/fashion-mnist
if [ -f "$DIR/train-images-idx3-ubyte.gz" ] && [ -f "$DIR/t10k-labels-idx1-ubyte.gz" ]; then
  exit 0
fi
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "[install-dataset] apt-get install dataset-fashion-mnist"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends dataset-fashion-mnist >/dev/null
[ -f "$DIR/train-images-idx3-ubyte.gz" ] || { echo "dataset-fashion-mnist did not install $DIR" >&2; exit 1; }
