#!/usr/bin/env bash
# Installs MPICH (libmpich.so.12 and mpiexec) if missing: CPU ranks in separate processes run under `mpiexec -n W`.
set -euo pipefail
LIB=/usr/lib/$(uname -m)-linux-gnu/libmpich.so.12
if command -v mpiexec >/dev/null && [ -e "$LIB" ]; then
  exit 0
fi
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "[install-mpi] apt-get install mpich"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends mpich >/dev/null
[ -e "$LIB" ] || { echo "mpich did not install $LIB" >&2; exit 1; }
