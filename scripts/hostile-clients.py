#!/usr/bin/env python3
"""Opens N hostile connections to a summa coordinator, then reports how many the coordinator still holds open and
its resident memory (VmRSS, VmHWM) from /proc. Each connection either announces a large frame in the clear and sends
most of it (--mode frame: not TLS, refused at once), or starts a TLS record of the largest size and sends all but its
last bytes (--mode partial-tls: the most a stranger can make the coordinator buffer before its handshake fails or
its authentication deadline passes).

    python3 scripts/hostile-clients.py --pid PID --port PORT [--connections 400] [--mode frame|partial-tls]
        [--bytes 1000000]
"""
import argparse, socket, time

parser = argparse.ArgumentParser()
parser.add_argument("--pid", type=int, required=True)
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--connections", type=int, default=400)
parser.add_argument("--bytes", type=int, default=1_000_000, help="bytes each frame announces and (almost) sends")
parser.add_argument("--mode", choices=["frame", "partial-tls"], default="frame")
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
        if args.mode == "frame":
            s.send(args.bytes.to_bytes(4, "big") + b"\0" * (args.bytes - 1))
        else:  # a handshake record of 2^14 bytes, one byte short
            s.send(bytes([0x16, 0x03, 0x01, 0x40, 0x00]) + b"\1" * (2**14 - 1))
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
what = f"{args.bytes}-byte frames" if args.mode == "frame" else "partial 16 KiB TLS records"
print(f"{args.connections} hostile connections sending {what}: {held} still open after 2 s;", memory())
