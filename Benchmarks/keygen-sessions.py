#!/usr/bin/env python3
"""Dealer-free key generation on one machine: ℓ parties and a coordinator, each a `summa` process, over loopback TLS.

    python3 Benchmarks/keygen-sessions.py [--parties 3,5,10] [--bits 2048] [--runs 3] [--summa PATH] [--batch N]

For each ℓ it makes ℓ + 1 identities and a roster (t = ⌈ℓ/2⌉, the largest with ℓ ≥ 2t − 1), then runs `summa coordinate
--keygen` and `summa party --keygen` for every party at once, `--runs` times, each process under /usr/bin/time -v.
It reports per run the wall time (start of the coordinator to its key; every process shares this machine's cores),
the batches and candidate pairs the parties went through, the candidates that reached a biprimality test, the bytes
on the wire per party (the coordinator's count, over ℓ), one party's CPU time and peak RSS, and the median wall time
per ℓ. Each run checks that every party printed the coordinator's key fingerprint.
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time


def resources(stderr):
    stats = dict(re.findall(r"^\s*(.+?): (.+)$", stderr, re.M))
    cpu = float(stats.get("User time (seconds)", 0)) + float(stats.get("System time (seconds)", 0))
    return cpu, int(stats.get("Maximum resident set size (kbytes)", 0)) / 1024


def run(summa, folder, parties, extra, insecure):
    started = time.time()
    coordinator = subprocess.Popen(
        ["/usr/bin/time", "-v", summa, "coordinate", "--keygen", "--roster", f"{folder}/roster.json", "--identity",
         f"{folder}/coordinator.json", "--out", f"{folder}/public.json", "--listen", "127.0.0.1:0", "--timeout", "3600"]
        + extra + insecure, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        line = coordinator.stderr.readline()
        if not line:
            sys.exit("the coordinator ended before listening")
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        port = match and match.group(1)
    processes = [subprocess.Popen(
        ["/usr/bin/time", "-v", summa, "party", "--keygen", "--roster", f"{folder}/roster.json", "--identity",
         f"{folder}/party-{i}.json", "--out", f"{folder}/share-{i}.json", "--connect", f"127.0.0.1:{port}", "--timeout", "3600"]
        + insecure, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(1, parties + 1)]
    outputs = [p.communicate() for p in processes]
    out, err = coordinator.communicate()
    wall = time.time() - started
    for p in [coordinator] + processes:
        if p.returncode != 0:
            sys.exit(f"a process failed:\n{out}{err}" + "".join(o + e for o, e in outputs))
    fingerprint = re.search(r"^key: (\S+)", out, re.M).group(1)
    assert all(re.search(r"^key: (\S+)", o, re.M).group(1) == fingerprint for o, _ in outputs), "parties disagree on the key"
    batches, pairs, tests = map(int, re.search(r"(\d+) batches, (\d+) candidate pairs, (\d+) biprimality tests", outputs[0][0]).groups())
    received, sent = map(int, re.search(r"(\d+) bytes received, (\d+) bytes sent", err).groups())
    cpu, rss = resources(outputs[0][1])
    return wall, batches, pairs, tests, (received + sent) / parties, cpu, rss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", default="3,5,10")
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int)
    parser.add_argument("--summa", default=".build/release/summa")
    args = parser.parse_args()
    summa = os.path.abspath(args.summa)
    insecure = ["--insecure-test-key"] if args.bits < 2048 else []
    env = dict(os.environ, SUMMA_INSECURE_TEST_KEYS="1") if insecure else os.environ
    os.environ.update(env)
    extra = ["--batch", str(args.batch)] if args.batch else []
    print(f"| parties | t | bits | run | wall s | batches | candidate pairs | biprimality tests | MB per party | party CPU s | party RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for parties in map(int, args.parties.split(",")):
        threshold = (parties + 1) // 2
        with tempfile.TemporaryDirectory() as folder:
            names = [f"party-{i}" for i in range(1, parties + 1)] + ["coordinator"]
            for name in names:
                subprocess.run([summa, "identity", "--name", name, "--out", f"{folder}/{name}.json", "--public-out",
                                f"{folder}/{name}.pub.json"], check=True, capture_output=True)
            subprocess.run([summa, "roster", "--coordinator", f"{folder}/coordinator.pub.json", "--threshold", str(threshold),
                            "--bits", str(args.bits), "--out", f"{folder}/roster.json"]
                           + sum([["--party", f"{folder}/party-{i}.pub.json"] for i in range(1, parties + 1)], []) + insecure,
                           check=True, capture_output=True)
            walls = []
            for number in range(1, args.runs + 1):
                for name in ["public.json"] + [f"share-{i}.json" for i in range(1, parties + 1)]:
                    if os.path.exists(f"{folder}/{name}"):
                        os.remove(f"{folder}/{name}")
                wall, batches, pairs, tests, per_party, cpu, rss = run(summa, folder, parties, extra, insecure)
                walls.append(wall)
                print(f"| {parties} | {threshold} | {args.bits} | {number} | {wall:.1f} | {batches} | {pairs} | {tests} | "
                      f"{per_party / 1e6:.1f} | {cpu:.1f} | {rss:.0f} |", flush=True)
            print(f"| {parties} | {threshold} | {args.bits} | median | {statistics.median(walls):.1f} | | | | | | |", flush=True)


if __name__ == "__main__":
    main()
