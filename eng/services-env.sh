# Shared settings and helpers for services-up.sh, services-down.sh and rabbitmq-restart.sh (source it; every value
# can be overridden from the environment). To run rabbitmqctl by hand, source this first: the CLI tools must see the
# same node name and cookie as the server, or they look for rabbit@$(hostname) and report "not running".
: "${CI_SERVICES_DIR:=/tmp/cloudassembly-services}"  # all state, logs, pid files; must be traversable by user 'rabbitmq'
: "${RMQ_NODENAME:=rabbit@localhost}"                # not rabbit@$(hostname), which may not resolve; another name runs beside it
: "${RMQ_PORT:=5672}" "${RMQ_DIST_PORT:=25672}" "${RMQ_MGMT_PORT:=15672}"
: "${RMQ_USER:=app}" "${RMQ_PASS:=app-pass}"
: "${RMQ_VHOSTS:=}"                                  # extra vhosts, space-separated; "/" always exists; both users get full rights
: "${RMQ_MANAGEMENT:=1}"                             # 1 = rabbitmq_management on 127.0.0.1:$RMQ_MGMT_PORT
: "${RMQ_CONSUMER_TIMEOUT_MS:=3600000}"              # training never holds a delivery that long; the default 30 min is cut close
: "${AZURITE_VERSION:=3.35.0}"                       # the last release whose engines allow Node 20
: "${AZURITE_BLOB_PORT:=10000}"
: "${AZURITE_IN_MEMORY:=0}"                          # 1 = --inMemoryPersistence (nothing on disk)
export CI_SERVICES_DIR RMQ_NODENAME RMQ_PORT RMQ_DIST_PORT RMQ_MGMT_PORT RMQ_USER RMQ_PASS RMQ_VHOSTS RMQ_MANAGEMENT \
       RMQ_CONSUMER_TIMEOUT_MS AZURITE_VERSION AZURITE_BLOB_PORT AZURITE_IN_MEMORY
RMQ_DIR=$CI_SERVICES_DIR/rabbitmq
AZ_DIR=$CI_SERVICES_DIR/azurite
AZ_BIN=$AZ_DIR/pkg/node_modules/.bin/azurite-blob

# Read by rabbitmq-server and by rabbitmqctl / rabbitmq-diagnostics alike.
export RABBITMQ_NODENAME=$RMQ_NODENAME
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$RMQ_PORT RABBITMQ_DIST_PORT=$RMQ_DIST_PORT
export ERL_EPMD_ADDRESS=127.0.0.1                     # epmd (port 4369) on loopback only
export RABBITMQ_CONFIG_FILE=$RMQ_DIR/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$RMQ_DIR/enabled_plugins
export RABBITMQ_MNESIA_BASE=$RMQ_DIR/mnesia RABBITMQ_LOG_BASE=$RMQ_DIR/log RABBITMQ_PID_FILE=$RMQ_DIR/rabbit.pid
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A pid file outlives a crashed process, and here a killed process can linger as a zombie (PID 1 does not reap it),
# so "alive" means: the recorded pid runs the expected program and is not a zombie.
pid_alive() {
  local pid stat
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}
rmq_node_alive() { pid_alive "$RABBITMQ_PID_FILE" beam.smp; }
azurite_alive() { pid_alive "$AZ_DIR/azurite.pid" node; }

# rabbitmqctl await_startup fails at once before the node registers with epmd, so poll the AMQP port instead: the
# listener opens only at the end of boot, after the definitions import. Then confirm once through the CLI.
rmq_wait_ready() {
  local i seen=
  # The node writes its pid file only during prelaunch, so only a node that was seen alive can be declared dead.
  for i in $(seq 1 240); do
    port_open "$RMQ_PORT" && break
    if rmq_node_alive; then seen=1; elif [ -n "$seen" ]; then break; fi
    sleep 0.5
  done
  if ! port_open "$RMQ_PORT"; then
    echo "RabbitMQ did not open 127.0.0.1:$RMQ_PORT; last lines of $RABBITMQ_LOG_BASE:" >&2
    tail -n 30 "$RABBITMQ_LOG_BASE"/*.log >&2 2>/dev/null || true
    return 1
  fi
  for i in $(seq 1 20); do rabbitmq-diagnostics -q check_running >/dev/null 2>&1 && return 0; sleep 0.5; done
  rabbitmq-diagnostics -q check_running >&2
}

rmq_start() {
  if port_open "$RMQ_PORT"; then echo "port $RMQ_PORT is taken by something that is not node $RABBITMQ_NODENAME" >&2; return 1; fi
  rabbitmq-server -detached   # returns at once; the node boots in the background
}
