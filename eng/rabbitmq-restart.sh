#!/usr/bin/env bash
# Stop the RabbitMQ node that services-up.sh started and start it again with the same data, configuration and
# definitions; returns once the AMQP port accepts connections again. Fault tests use it to restart the broker mid-run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd); . "$HERE/services-env.sh"
t0=$SECONDS; log() { echo "[rabbitmq-restart +$((SECONDS-t0))s] $*"; }
[ -f "$RABBITMQ_CONFIG_FILE" ] || { echo "[rabbitmq-restart] FAILED: no $RABBITMQ_CONFIG_FILE; run eng/services-up.sh first" >&2; exit 1; }
if rmq_node_alive; then
  log "stopping node $RABBITMQ_NODENAME"
  rabbitmqctl -q shutdown >/dev/null   # waits until the node's OS process has exited
fi
# The listener closes before the VM exits; wait for the port too so the start below cannot see our own old socket.
for i in $(seq 1 40); do port_open "$RMQ_PORT" || break; sleep 0.25; done
log "starting node $RABBITMQ_NODENAME"
rmq_start || { echo "[rabbitmq-restart] FAILED: could not start RabbitMQ" >&2; exit 1; }
rmq_wait_ready || { echo "[rabbitmq-restart] FAILED: RabbitMQ did not come back (logs in $RABBITMQ_LOG_BASE)" >&2; exit 1; }
log "RabbitMQ ready on 127.0.0.1:$RMQ_PORT"
