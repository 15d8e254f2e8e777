#!/usr/bin/env bash
# Installs Debian's protoc and Python protobuf for the TensorBoard check (the report's event files are read back with
# TensorBoard's own protos, compiled by protoc), quietly and only when missing. Needs root (or sudo) and the Debian
# package registry; nothing is downloaded from elsewhere.
set -euo pipefail
if command -v protoc >/dev/null 2>&1 && /usr/bin/python3 -c "import google.protobuf" >/dev/null 2>&1; then
  exit 0
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show protobuf-compiler >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null
fi
# Another script may hold the package lock (the tests install several packages): wait for it.
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends protobuf-compiler python3-protobuf >/dev/null
command -v protoc >/dev/null
