#!/usr/bin/env python3
"""Packed vector sessions on one machine: ℓ = 3, 5, 10 parties each contributing N values (10⁴ and 10⁵ by default)
through `summa coordinate --length N --bound 1 --scale 4` and `summa party --vector`, over loopback TLS.

    python3 Benchmarks/vector-sessions.py [--parties 3,5,10] [--lengths 10000,100000] [--bits 2048] [--summa PATH]
                                          [--proofs both|on|off] [--work-dir DIR]

For each ℓ it deals a key once (`summa deal --bits`, t = ⌊ℓ/2⌋ + 1), then for each N writes every party's vector
(values in [−1, 1] at 4 decimals, a fixed seed), runs the coordinator and the ℓ parties at once, each under
/usr/bin/time -v, and checks the coordinator's sums against the script's own. It reports the session's wall time
(start of the coordinator to its result; every process shares this machine's cores, so it is the sum of everyone's
work spread over them), the CPU time of one party and of the coordinator, their peak RSS, and the bytes on the wire
per party (the coordinator's count of bytes sent and received, over ℓ). With --proofs both (the default) each
session runs twice, with range proofs (every value proven in ±1, the default under --bound) and without
(--no-range-proofs: a proof of plaintext knowledge per ciphertext), and the table gives the ratio.
"""
import argparse, json, os, random, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def resources(stderr):
    stats = dict(re.findall(r"^\s*(.+?): (.+)$", stderr, re.M))
    cpu = float(stats.get("User time (seconds)", 0)) + float(stats.get("System time (seconds)", 0))
    return cpu, int(stats.get("Maximum resident set size (kbytes)", 0)) / 1024


def session(summa, keys, parties, length, vectors, paths, proofs):
    """One session of `parties` parties contributing `vectors` (written to `paths`), with range proofs or without."""
    started = time.time()
    coordinator = subprocess.Popen(
        ["/usr/bin/time", "-v", summa, "coordinate", "--listen", "127.0.0.1:0", "--key",
         os.path.join(keys, "coordinator.json"), "--timeout", "3600", "--length", str(length), "--bound", "1",
         "--scale", "4", "--json"] + ([] if proofs == "on" else ["--no-range-proofs"]), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    port = None
    lines = []
    while port is None:
        line = coordinator.stderr.readline()
        if not line:
            sys.exit("the coordinator ended before listening: " + "".join(lines))
        lines.append(line)
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        port = found and found.group(1)
    party_processes = [
        subprocess.Popen(["/usr/bin/time", "-v", summa, "party", "--connect", f"127.0.0.1:{port}", "--key",
                          os.path.join(keys, f"party-{index + 1}.json"), "--vector", path, "--timeout", "3600",
                          "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for index, path in enumerate(paths)
    ]
    # Not communicate(): it reads the raw pipes, losing what readline() above already buffered (the line after
    # "listening on"). Standard output is small; standard error is a few log lines.
    out, err = coordinator.stdout.read(), coordinator.stderr.read()
    coordinator.wait()
    wall = time.time() - started
    party_errors = [p.communicate()[1] for p in party_processes]
    err = "".join(lines) + err
    if coordinator.returncode != 0:
        sys.exit(f"ℓ = {parties}, N = {length}: the session failed: {err[-2000:]}")
    sums = json.loads(out)["sums"]
    expected = [sum(column) for column in zip(*vectors)]
    if [round(float(s) * 10_000) for s in sums] != expected:
        sys.exit(f"ℓ = {parties}, N = {length}: the sums are wrong")
    received, sent = map(int, re.search(r"(\d+) bytes received, (\d+) bytes sent", err).groups())
    coordinator_cpu, coordinator_rss = resources(err)
    party_cpu, party_rss = max(resources(e) for e in party_errors)
    print(f"ℓ = {parties}, N = {length}, proofs {proofs}: {wall:.1f} s", file=sys.stderr)
    return (parties, length, proofs, wall, party_cpu, party_rss, coordinator_cpu, coordinator_rss, (received + sent) / parties)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parties", default="3,5,10")
    parser.add_argument("--lengths", default="10000,100000")
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--summa", default=os.path.join(ROOT, ".build-static/release/summa"))
    parser.add_argument("--proofs", choices=["both", "on", "off"], default="both")
    parser.add_argument("--work-dir")
    options = parser.parse_args()
    work = options.work_dir or tempfile.mkdtemp(prefix="summa-vectors-")
    os.makedirs(work, exist_ok=True)
    summa = options.summa
    # Keys below 2048 bits (a quick check of the script) need the test option, and the environment's consent.
    insecure = ["--insecure-test-key"] if options.bits < 2048 else []
    if insecure:
        os.environ["SUMMA_INSECURE_TEST_KEYS"] = "1"
    rows = []
    for parties in map(int, options.parties.split(",")):
        keys = os.path.join(work, f"keys-{parties}")
        if not os.path.exists(os.path.join(keys, "public.json")):
            started = time.time()
            subprocess.run([summa, "deal", "--parties", str(parties), "--threshold", str(parties // 2 + 1), "--bits",
                            str(options.bits), "--out-dir", keys, "--force", *insecure], check=True, capture_output=True)
            print(f"dealt {parties} shares at {options.bits} bits in {time.time() - started:.0f} s", file=sys.stderr)
        for length in map(int, options.lengths.split(",")):
            random.seed(parties * 1_000_003 + length)
            vectors = [[random.randint(-10_000, 10_000) for _ in range(length)] for _ in range(parties)]
            paths = []
            for index, vector in enumerate(vectors):
                path = os.path.join(work, f"v-{parties}-{length}-{index + 1}.txt")
                with open(path, "w") as out:
                    out.write("".join(f"{'-' if v < 0 else ''}{abs(v) // 10_000}.{abs(v) % 10_000:04d}\n" for v in vector))
                paths.append(path)
            for proofs in (["on", "off"] if options.proofs == "both" else [options.proofs]):
                rows.append(session(summa, keys, parties, length, vectors, paths, proofs))
    print(f"{options.bits}-bit keys, values in [-1, 1] at 4 decimals (bound 1), {os.cpu_count()} cores shared by every process\n")
    print(f"{'ℓ':>3} {'N':>7} {'proofs':>7} {'wall s':>8} {'party CPU s':>12} {'party MiB':>10} {'coord. CPU s':>13} {'coord. MiB':>11} {'bytes/party':>12}")
    for parties, length, proofs, wall, pcpu, prss, ccpu, crss, per_party in rows:
        print(f"{parties:>3} {length:>7} {proofs:>7} {wall:8.1f} {pcpu:12.1f} {prss:10.1f} {ccpu:13.1f} {crss:11.1f} {per_party / 2**20:10.2f} MiB")
    runs = {(row[0], row[1], row[2]): row for row in rows}
    for (parties, length, proofs), on in runs.items():
        off = runs.get((parties, length, "off"))
        if proofs == "on" and off:
            print(f"ℓ = {parties}, N = {length}: with range proofs / without: wall ×{on[3] / off[3]:.1f}, "
                  f"party CPU ×{on[4] / off[4]:.1f}, coordinator CPU ×{on[6] / off[6]:.1f}, bytes ×{on[8] / off[8]:.1f}")
    if not options.work_dir:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
