#!/usr/bin/env bash
# Stop what services-up.sh started. Idempotent; ends only the processes it recorded or registered.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); . "$HERE/services-env.sh"
if azurite_alive; then
  pid=$(cat "$AZ_DIR/azurite.pid")
  kill -TERM "$pid"   # SIGTERM: background jobs of a script ignore SIGINT
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  echo "[services-down] Azurite stopped"
fi
rm -f "$AZ_DIR/azurite.pid"
if rmq_node_alive; then
  rabbitmqctl -q shutdown >/dev/null 2>&1 || kill -TERM "$(cat "$RABBITMQ_PID_FILE")"   # shutdown waits for the OS process
  echo "[services-down] RabbitMQ node $RABBITMQ_NODENAME stopped"
fi
# epmd outlives the node; -kill refuses while any Erlang node is still registered, so it never stops someone else's.
command -v epmd >/dev/null 2>&1 && epmd -kill >/dev/null 2>&1
exit 0
