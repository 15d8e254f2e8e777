#!/usr/bin/env python3
"""Submit, follow and cancel CloudAssembly runs from Python, over RabbitMQ, without .NET.

The contract (docs/messages.md): one fanout exchange per message type, named after it
("CloudAssembly.Contracts:SubmitRun"); the body is MassTransit's JSON envelope
(content type application/vnd.masstransit+json) whose "message" follows docs/schemas/<Type>.schema.json.
Every message carries AMQP's user-id (RabbitMQ checks it is the connection's user): the run belongs to it,
and only it (or an operator) may cancel it.

    cloudassembly_client.py submit --broker amqp://user:pass@host:5672/vhost --run-id r1 --spec spec.json --follow
    cloudassembly_client.py cancel --broker ... --run-id r1 --reason "not needed"
    cloudassembly_client.py follow --broker ... --run-id r1

Exit codes: 0 the run completed (or the command was sent), 2 it failed, was cancelled or refused, 3 no outcome in time.
"""
import argparse
import json
import sys
import time
import urllib.parse
import uuid
from datetime import datetime, timezone

import pika

CONTRACTS = "CloudAssembly.Contracts"
OUTCOMES = ("RunCompleted", "RunFailed", "RunCancelled", "RunRejected")
FOLLOWED = ("PhaseStarted", "PhaseCompleted", "PhaseFailed", "PhasePreempted") + OUTCOMES


def connect(broker):
    params = pika.URLParameters(broker)
    return pika.BlockingConnection(params), urllib.parse.unquote(urllib.parse.urlparse(broker).username or "guest")


def declare(channel, message_type):
    # As MassTransit declares a message type's exchange: fanout, durable.
    exchange = f"{CONTRACTS}:{message_type}"
    channel.exchange_declare(exchange=exchange, exchange_type="fanout", durable=True)
    return exchange


def publish(channel, user, message_type, message):
    exchange = declare(channel, message_type)
    envelope = {
        "messageId": str(uuid.uuid4()),
        "conversationId": str(uuid.uuid4()),
        "messageType": [f"urn:message:{CONTRACTS}:{message_type}"],
        "message": message,
        "sentTime": datetime.now(timezone.utc).isoformat(),
        "headers": {},
    }
    channel.basic_publish(
        exchange=exchange,
        routing_key="",
        body=json.dumps(envelope).encode("utf-8"),
        properties=pika.BasicProperties(
            content_type="application/vnd.masstransit+json", delivery_mode=2, user_id=user, message_id=envelope["messageId"]
        ),
    )


def watch_queue(channel):
    # A queue of our own, gone with the connection; its name matches the submitter's broker permissions (*_watch_*).
    queue = f"python_watch_{uuid.uuid4().hex[:12]}"
    channel.queue_declare(queue=queue, exclusive=True, auto_delete=True)
    for message_type in FOLLOWED:
        channel.queue_bind(queue=queue, exchange=declare(channel, message_type))
    return queue


def follow(channel, queue, run_id, timeout):
    deadline = time.monotonic() + timeout
    for method, properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=1):
        if time.monotonic() > deadline:
            print(f"no outcome for run {run_id} within {timeout} s", file=sys.stderr)
            return 3
        if body is None:
            continue
        envelope = json.loads(body)
        message = envelope.get("message", {})
        if message.get("runId") != run_id:
            continue
        message_type = envelope["messageType"][0].rsplit(":", 1)[-1]
        detail = message.get("phase") or message.get("reason") or ""
        print(f"{message_type} {detail}".rstrip(), flush=True)
        if message_type in OUTCOMES:
            return 0 if message_type == "RunCompleted" else 2
    return 3


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("submit", "cancel", "follow"))
    parser.add_argument("--broker", required=True, help="amqp://user:pass@host:5672/vhost")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--spec", help="the run's spec as JSON (cloudassembly spec init writes one)")
    parser.add_argument("--reason", default="cancelled from Python")
    parser.add_argument("--follow", action="store_true", help="after submitting, follow the run to its outcome")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()

    connection, user = connect(args.broker)
    channel = connection.channel()
    try:
        if args.command == "cancel":
            publish(channel, user, "CancelRun", {"runId": args.run_id, "reason": args.reason})
            print(f"CancelRun sent for {args.run_id} as broker user {user}")
            return 0
        queue = watch_queue(channel)
        if args.command == "submit":
            if not args.spec:
                parser.error("submit needs --spec FILE")
            with open(args.spec, encoding="utf-8") as f:
                spec = json.load(f)
            publish(channel, user, "SubmitRun", {"runId": args.run_id, "spec": spec})
            print(f"SubmitRun sent for {args.run_id} as broker user {user}", flush=True)
            if not args.follow:
                return 0
        return follow(channel, queue, args.run_id, args.timeout)
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
