#!/usr/bin/env python3
"""Times `summa join` end to end: both sides as processes on loopback, each under /usr/bin/time -v, on generated lists
of N identifiers (recipient) and N rows of identifier, amount and segment (contributor) overlapping by half.
Prints a Markdown table: wall time of the join (the recipient's process, which starts first and ends last), CPU seconds per side, peak
resident memory per side, and bytes each way (frames, as each side logs them at the end).

    python3 Benchmarks/join-bench.py --summa .build/release/summa --rows 10000 100000 1000000
"""
import argparse, os, random, re, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--summa", default=".build/release/summa")
parser.add_argument("--rows", type=int, nargs="+", default=[10000])
parser.add_argument("--keep", action="store_true", help="also group by a segment column of 4 values")
parser.add_argument("--port", type=int, default=7490)
args = parser.parse_args()
summa = os.path.abspath(args.summa)
work = tempfile.mkdtemp(prefix="summa-join-bench-")

def run(command, **kwargs):
    return subprocess.run(command, cwd=work, check=True, capture_output=True, text=True, **kwargs)

for name in ("shop", "bank"):
    run([summa, "identity", "--name", name, "--out", f"{name}.id", "--public-out", f"{name}.pub"])

def measures(stderr):
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    cpu = float(re.search(r"User time \(seconds\): (\S+)", stderr).group(1)) + float(re.search(r"System time \(seconds\): (\S+)", stderr).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr).group(1)) / 1024
    sent = re.search(r"ended: (\d+) bytes sent, (\d+) bytes received", stderr)
    return seconds, cpu, rss, (int(sent.group(1)), int(sent.group(2))) if sent else (0, 0)

print("| rows × rows | matches | wall s | recipient CPU s | contributor CPU s | recipient peak MB | contributor peak MB | recipient → contributor MB | contributor → recipient MB |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for n in args.rows:
    random.seed(n)
    with open(os.path.join(work, "a.csv"), "w") as f:
        f.write("email\n")
        f.writelines(f"user{i}@example.com\n" for i in range(n))
    with open(os.path.join(work, "b.csv"), "w") as f:
        f.write("email,amount,segment\n")
        f.writelines(f"user{i}@example.com,{random.randint(0, 100000) / 100:.2f},s{i % 4}\n" for i in range(n // 2, n // 2 + n))
    keep = ["--keep", "segment"] if args.keep else []
    listener = subprocess.Popen(
        ["/usr/bin/time", "-v", summa, "join", "--listen", f"127.0.0.1:{args.port}", "--ids", "a.csv", "--id-column", "email",
         "--identity", "shop.id", "--peer", "bank.pub"], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The recipient reads and hashes its list before it listens.
    early = ""
    while "listening on" not in early:
        line = listener.stderr.readline()
        if not line:
            sys.exit(f"the recipient did not listen: {early}")
        early += line
    contributor = run(["/usr/bin/time", "-v", summa, "join", "--connect", f"127.0.0.1:{args.port}", "--ids", "b.csv",
                       "--id-column", "email", "--column", "amount", "--identity", "bank.id", "--peer", "shop.pub"] + keep)
    out, err = listener.communicate()
    err = early + err
    if listener.returncode != 0:
        sys.exit(f"the recipient failed: {err}")
    matches = re.search(r"intersection: (\d+)", out).group(1)
    # The recipient starts first (it reads its list before listening) and ends last: its elapsed time is the join's.
    wall, rcpu, rrss, (rsent, rreceived) = measures(err)
    _, ccpu, crss, _ = measures(contributor.stderr)
    print(f"| {n:,} × {n:,} | {int(matches):,} | {wall:.1f} | {rcpu:.1f} | {ccpu:.1f} | {rrss:.0f} | {crss:.0f} | {rsent / 1e6:.1f} | {rreceived / 1e6:.1f} |", flush=True)
    args.port += 1
