#!/usr/bin/env bash
# Install (if missing) and start RabbitMQ (Debian package, no systemd) and Azurite blob (npm), loopback only, and wait
# until both accept requests. Idempotent: when both already run it only checks them. Run as root.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); . "$HERE/services-env.sh"
t0=$SECONDS; log() { echo "[services-up +$((SECONDS-t0))s] $*"; }
fail() { echo "[services-up] FAILED: $*" >&2; exit 1; }

# ---------- install RabbitMQ ----------
if ! command -v rabbitmq-server >/dev/null 2>&1; then
  log "apt-get install rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  # Without policy-rc.d the package's postinst starts a default node on 0.0.0.0:5672, which we must never expose.
  guard=
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; guard=1; fi
  apt-get update -q >/dev/null || fail "apt-get update"
  apt-get install -y -q --no-install-recommends rabbitmq-server >/dev/null || fail "apt-get install rabbitmq-server"
  if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# ---------- RabbitMQ configuration ----------
mkdir -p "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
# Users come from a definitions file imported at every boot, before the AMQP listener opens, so "port open" already
# means "users exist". With definitions present the node seeds neither guest nor "/": list them explicitly.
definitions=$(
  echo '{"users":['
  echo "  {\"name\":\"$RMQ_USER\",\"password\":\"$RMQ_PASS\",\"tags\":[\"administrator\"]},"
  echo '  {"name":"guest","password":"guest","tags":["administrator"]}],'
  echo ' "vhosts":['; sep=; for vh in / $RMQ_VHOSTS; do echo "  $sep{\"name\":\"$vh\"}"; sep=,; done; echo ' ],'
  echo ' "permissions":['; sep=
  for vh in / $RMQ_VHOSTS; do for u in "$RMQ_USER" guest; do
    echo "  $sep{\"user\":\"$u\",\"vhost\":\"$vh\",\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}"; sep=,
  done; done
  echo ' ]}'
)
config="listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
loopback_users = none
consumer_timeout = $RMQ_CONSUMER_TIMEOUT_MS
load_definitions = $RMQ_DIR/definitions.json
log.console = false
log.file.level = info"
if [ "$RMQ_MANAGEMENT" = 1 ]; then plugins='[rabbitmq_management].'; else plugins='[].'; fi

definitions_changed=; config_changed=
[ "$(cat "$RMQ_DIR/definitions.json" 2>/dev/null)" = "$definitions" ] || definitions_changed=1
[ "$(cat "$RMQ_DIR/rabbitmq.conf" 2>/dev/null)" = "$config" ] && [ "$(cat "$RMQ_DIR/enabled_plugins" 2>/dev/null)" = "$plugins" ] || config_changed=1
printf '%s\n' "$definitions" > "$RMQ_DIR/definitions.json"
printf '%s\n' "$config" > "$RMQ_DIR/rabbitmq.conf"
printf '%s\n' "$plugins" > "$RMQ_DIR/enabled_plugins"
chown -R rabbitmq:rabbitmq "$RMQ_DIR"   # the /usr/sbin wrappers run the node as user rabbitmq (su)

# ---------- start RabbitMQ ----------
rmq_started=
if rmq_node_alive; then
  log "RabbitMQ node $RABBITMQ_NODENAME already running"
  if [ -n "$config_changed" ]; then
    log "WARNING: rabbitmq.conf or plugins changed; the running node keeps the old ones until eng/rabbitmq-restart.sh"
  fi
  if [ -n "$definitions_changed" ]; then
    log "re-importing changed definitions"
    rabbitmqctl -q import_definitions "$RMQ_DIR/definitions.json" >/dev/null || fail "rabbitmqctl import_definitions"
  fi
else
  log "starting RabbitMQ"
  rmq_start || fail "could not start RabbitMQ"
  rmq_started=1
fi

# ---------- install Azurite (while the Erlang node boots) ----------
installed=$(node -p "require('$AZ_DIR/pkg/node_modules/azurite/package.json').version" 2>/dev/null || true)
if [ ! -x "$AZ_BIN" ] || [ "$installed" != "$AZURITE_VERSION" ]; then
  log "npm install azurite@$AZURITE_VERSION"
  mkdir -p "$AZ_DIR/pkg"
  npm install --prefix "$AZ_DIR/pkg" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null \
    || fail "npm install azurite@$AZURITE_VERSION"
fi

# ---------- start Azurite ----------
if azurite_alive; then
  log "Azurite already running (pid $(cat "$AZ_DIR/azurite.pid"))"
elif port_open "$AZURITE_BLOB_PORT"; then
  fail "port $AZURITE_BLOB_PORT is taken by a process that eng/services-up.sh did not start"
else
  mkdir -p "$AZ_DIR/data"
  extra=(--location "$AZ_DIR/data"); [ "$AZURITE_IN_MEMORY" = 1 ] && extra=(--inMemoryPersistence)
  log "starting Azurite blob on 127.0.0.1:$AZURITE_BLOB_PORT"
  setsid nohup "$AZ_BIN" --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" "${extra[@]}" \
      --silent --skipApiVersionCheck --loose --disableTelemetry > "$AZ_DIR/azurite.log" 2>&1 < /dev/null &
  echo $! > "$AZ_DIR/azurite.pid"
fi

# ---------- wait for both ----------
if [ -n "$rmq_started" ] || ! port_open "$RMQ_PORT"; then
  rmq_wait_ready || fail "RabbitMQ is not ready (logs in $RABBITMQ_LOG_BASE)"
fi
log "RabbitMQ ready: amqp://$RMQ_USER:$RMQ_PASS@127.0.0.1:$RMQ_PORT/ (vhosts: /${RMQ_VHOSTS:+ $RMQ_VHOSTS}; guest/guest also works)"

code=000
for i in $(seq 1 120); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AZURITE_BLOB_PORT/" || true)
  [ "$code" != 000 ] && break   # any HTTP answer (400 on "/") means it is serving
  azurite_alive || break
  sleep 0.25
done
if [ "$code" = 000 ]; then
  echo "[services-up] Azurite log:" >&2; cat "$AZ_DIR/azurite.log" >&2 2>/dev/null || true
  fail "Azurite is not answering on 127.0.0.1:$AZURITE_BLOB_PORT"
fi
log "Azurite ready: UseDevelopmentStorage=true (http://127.0.0.1:$AZURITE_BLOB_PORT/devstoreaccount1)"
