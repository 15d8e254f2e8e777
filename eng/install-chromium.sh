#!/usr/bin/env bash
# Installs Debian's chromium for the headless browser checks (the dashboard's trace page, the run report), quietly and
# only when it is missing. Needs root (or sudo) and the Debian package registry; nothing is downloaded from elsewhere.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null
fi
# Another script may hold the package lock (the tests install several packages): wait for it.
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
