#!/usr/bin/env python3
"""TNO's dealer-free Paillier key generation (`tno.mpc.protocols.distributed_keygen`, PyPI), the peer of
`summa coordinate --keygen`, run the way its README's distributed example runs it: one Python process per party,
talking HTTP on loopback, at the library's default parameters (40 biprimality tests, 40 bits of statistical
security for its integer sharings, trial division below 2000; Summa's are 64, 128 and 2²⁰).

    .build-tno-venv/bin/python Benchmarks/tno-keygen.py [--parties 3] [--bits 1024] [--runs 1] [--cap 3600]

(the venv: python3 -m venv .build-tno-venv && .build-tno-venv/bin/pip install tno.mpc.protocols.distributed_keygen)
Each run reports its wall time (start of the processes to the last one's key) or that it hit the cap.
"""
import argparse, asyncio, os, socket, statistics, subprocess, sys, time


def party(index, parties, bits, base_port):
    from tno.mpc.communication import Pool
    from tno.mpc.protocols.distributed_keygen import DistributedPaillier

    pool = Pool()
    pool.add_http_server(base_port + index)
    for other in range(parties):
        if other != index:
            pool.add_http_client(f"party{other}", "localhost", base_port + other)
    corruption_threshold = (parties - 1) // 2  # TNO's t: at most t corrupt, n ≥ 2t + 1
    scheme = asyncio.get_event_loop().run_until_complete(
        DistributedPaillier.from_security_parameter(pool, corruption_threshold, bits, 2000, 40, 40, distributed=True))
    print(f"n bits: {scheme.public_key.n.bit_length()}", flush=True)
    asyncio.get_event_loop().run_until_complete(pool.shutdown())


def free_base_port(parties):
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + parties < 65000:
            return base


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=3)
    parser.add_argument("--bits", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--cap", type=float, default=3600)
    parser.add_argument("--party", type=int)
    parser.add_argument("--base-port", type=int)
    args = parser.parse_args()
    if args.party is not None:
        return party(args.party, args.parties, args.bits, args.base_port)
    walls = []
    for run in range(1, args.runs + 1):
        base = free_base_port(args.parties)
        started = time.time()
        processes = [subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--party", str(i), "--parties", str(args.parties), "--bits",
             str(args.bits), "--base-port", str(base)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for i in range(args.parties)]
        capped = False
        for process in processes:
            remaining = args.cap - (time.time() - started)
            try:
                process.wait(timeout=max(remaining, 0.1))
            except subprocess.TimeoutExpired:
                capped = True
                break
        wall = time.time() - started
        if capped:
            for process in processes:
                process.kill()
            print(f"| TNO | {args.parties} | {args.bits} | {run} | > {args.cap:.0f} (stopped at the cap) |", flush=True)
            continue
        outputs = [process.communicate() for process in processes]
        if any(process.returncode != 0 for process in processes):
            sys.exit("a TNO party failed:\n" + "".join(out + err for out, err in outputs))
        walls.append(wall)
        print(f"| TNO | {args.parties} | {args.bits} | {run} | {wall:.1f} |", flush=True)
    if walls:
        print(f"| TNO | {args.parties} | {args.bits} | median | {statistics.median(walls):.1f} |", flush=True)


if __name__ == "__main__":
    main()
