#!/usr/bin/env python3
"""Opens N hostile connections to a summa coordinator, each announcing a large frame and sending most of it, then
reports how many the coordinator still holds open and its resident memory (VmRSS, VmHWM) from /proc.

    python3 scripts/hostile-clients.py --pid PID --port PORT [--connections 400] [--bytes 1000000]
"""
import argparse, socket, time

parser = argparse.ArgumentParser()
parser.add_argument("--pid", type=int, required=True)
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--connections", type=int, default=400)
parser.add_argument("--bytes", type=int, default=1_000_000, help="bytes each connection announces and (almost) sends")
args = parser.parse_args()

def memory():
    fields = dict(line.split(":", 1) for line in open(f"/proc/{args.pid}/status"))
    return {k: fields[k].strip() for k in ("VmRSS", "VmHWM")}

print("before:", memory())
sockets = []
for _ in range(args.connections):
    s = socket.create_connection(("127.0.0.1", args.port))
    s.setblocking(False)
    try:
        s.send(args.bytes.to_bytes(4, "big") + b"\0" * (args.bytes - 1))
    except (BlockingIOError, ConnectionError):
        pass
    sockets.append(s)
time.sleep(2)
def still_open(s):
    """Reads what the coordinator sent (its header) up to the end: a connection it closed ends in b"" or a reset."""
    try:
        while s.recv(65536):
            pass
        return False
    except BlockingIOError:
        return True
    except ConnectionError:
        return False

held = sum(still_open(s) for s in sockets)
print(f"{args.connections} hostile connections of {args.bytes} bytes: {held} still open after 2 s;", memory())
