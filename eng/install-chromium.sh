#!/usr/bin/env bash
# Installs Debian's chromium for the headless browser checks (the dashboard's trace page, the run report), quietly and
# only when it is missing. Needs root (or sudo) and the Debian package registry; nothing is downloaded from elsewhere.
set -euo pipefail
# fonts-liberation: the report's figures (ScottPlot) draw their text with a system font.
if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/liberation ]; then
  exit 0
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null
fi
# Another script may hold the package lock (the tests install several packages): wait for it.
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends chromium fonts-liberation >/dev/null
command -v chromium >/dev/null
