#!/usr/bin/env bash
# Installs Debian's chromium (and a font for it) if missing: the report test opens report.html in it, headless.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/liberation ]; then
  exit 0
fi
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "[install-chromium] apt-get install chromium fonts-liberation"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends chromium fonts-liberation >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "chromium did not install" >&2; exit 1; }
