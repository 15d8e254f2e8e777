#!/usr/bin/env bash
# Installs Debian's python3-pika, the RabbitMQ client the Python example client (eng/clients/python) uses and the
# tests run it with, quietly and only when missing. Needs root (or sudo) and the Debian package registry.
set -euo pipefail
if /usr/bin/python3 -c "import pika" >/dev/null 2>&1; then
  exit 0
fi
SUDO=$([ "$(id -u)" -eq 0 ] && echo "" || echo "sudo")
export DEBIAN_FRONTEND=noninteractive
if ! apt-cache show python3-pika >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null
fi
$SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends python3-pika >/dev/null
/usr/bin/python3 -c "import pika"
