"""Reads TensorBoard event files with TensorBoard's own protos, as compiled by protoc, independently of the writer.

Usage: read_events.py GENERATED_DIR LOGDIR. Every record's length and data CRCs (masked CRC-32C, computed here bit by
bit) are checked; every file must start with file_version "brain.Event:2". Prints one JSON object: for each event
file (path relative to LOGDIR) its file version and its scalars as [tag, step, value, wall_time].
"""
import json
import os
import struct
import sys

sys.path.insert(0, sys.argv[1])
from tensorboard.compat.proto import event_pb2  # noqa: E402


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283, "this reader's CRC-32C is wrong"


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    at = 0
    while at < len(data):
        header = data[at:at + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[at + 8:at + 12])
        if masked(header) != length_crc:
            raise SystemExit(f"{path}: record at {at}: length CRC mismatch")
        body = data[at + 12:at + 12 + length]
        (body_crc,) = struct.unpack("<I", data[at + 12 + length:at + 16 + length])
        if len(body) != length or masked(body) != body_crc:
            raise SystemExit(f"{path}: record at {at}: data CRC mismatch")
        yield body
        at += 16 + length


files = []
for root, _, names in os.walk(sys.argv[2]):
    for name in sorted(names):
        if "tfevents" not in name:
            continue
        path = os.path.join(root, name)
        events = [event_pb2.Event.FromString(r) for r in records(path)]
        if not events or events[0].WhichOneof("what") != "file_version" or events[0].file_version != "brain.Event:2":
            raise SystemExit(f"{path}: the first event is not file_version brain.Event:2")
        scalars = [[v.tag, e.step, v.simple_value, e.wall_time] for e in events[1:] for v in e.summary.value
                   if v.WhichOneof("value") == "simple_value"]
        files.append({"path": os.path.relpath(path, sys.argv[2]), "fileVersion": events[0].file_version, "scalars": scalars})
print(json.dumps({"files": sorted(files, key=lambda f: f["path"])}))
