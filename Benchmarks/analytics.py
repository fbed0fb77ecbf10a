#!/usr/bin/env python3
"""The analyses' scale figures: `summa` on a million CSV rows grouped by a 12-level encrypted category, grouped by a
12-group kept column, and fitted by a 4-column regression.

    python3 Benchmarks/analytics.py [--rows 1000000] [--work-dir DIR] [--summa PATH] [--key-kind fast-decryption|standard]

It writes a CSV of --rows rows (region r01…r12, amount, fee, qty, rate; a fixed seed), computes the exact sums per
region and an exact least-squares fit itself (Python's fractions over the rows), makes a 2048-bit key with
`summa keygen` (--fast-decryption by default: its encryption and decryption are the fastest Summa has), and runs each
command under /usr/bin/time -v (wall time, CPU time, peak resident set size):

- category: `encrypt --category region --levels r01,…,r12 --column amount`, `sum`, `decrypt`;
- kept: `encrypt --keep region --column amount`, `sum --by region`, `decrypt`;
- regression: `encrypt --column amount --column fee --column qty --column rate --squares --products all`,
  `regress --y amount --x fee --x qty --x rate` (it sums and decrypts).

Every per-region count and sum printed must equal the script's, to the cent, and every regression coefficient the
exact fit rounded to 6 decimals. It prints a table of the steps and the commands it ran, and exits 1 if a check fails.
"""
import argparse, json, os, random, re, shlex, subprocess, sys, tempfile
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGIONS = [f"r{i:02d}" for i in range(1, 13)]
COMMANDS = []


def run(label, arguments, steps):
    """Runs summa under /usr/bin/time -v; records wall, CPU and peak RSS; returns its standard output."""
    COMMANDS.append(" ".join(shlex.quote(a) for a in arguments))
    process = subprocess.run(["/usr/bin/time", "-v"] + arguments, capture_output=True, text=True)
    if process.returncode != 0:
        sys.exit(f"{label} failed: {process.stderr[-2000:]}")
    stats = dict(re.findall(r"^\s*(.+?): (.+)$", process.stderr, re.M))
    wall = stats["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
    seconds = sum(float(part) * 60 ** index for index, part in enumerate(reversed(wall)))
    cpu = float(stats["User time (seconds)"]) + float(stats["System time (seconds)"])
    steps.append((label, seconds, cpu, int(stats["Maximum resident set size (kbytes)"]) / 1024))
    return process.stdout


def cents(text):
    whole, _, part = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((part + "00")[:2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--work-dir")
    parser.add_argument("--summa", default=os.path.join(ROOT, ".build-static/release/summa"))
    parser.add_argument("--key-kind", choices=["fast-decryption", "standard"], default="fast-decryption")
    options = parser.parse_args()
    work = options.work_dir or tempfile.mkdtemp(prefix="summa-analytics-")
    os.makedirs(work, exist_ok=True)
    summa = options.summa
    path = lambda name: os.path.join(work, name)

    # The data, and what the answers must be.
    random.seed(14)
    per_region = {region: [0, 0] for region in REGIONS}
    sums = {name: Fraction(0) for name in ["1", "fee", "qty", "rate", "amount"]}
    cross = {}
    names = ["1", "fee", "qty", "rate", "amount"]
    with open(path("data.csv"), "w") as out:
        out.write("region,amount,fee,qty,rate\n")
        for _ in range(options.rows):
            fee, qty, rate = random.randint(0, 2000), random.randint(1, 50), random.randint(0, 1000)
            amount = 300 + 12 * fee - 150 * qty + 3 * rate + random.randint(-5000, 5000)
            region = REGIONS[random.randrange(12)]
            out.write(f"{region},{amount / 100:.2f},{fee / 100:.2f},{qty},{rate / 1000:.3f}\n")
            per_region[region][0] += 1
            per_region[region][1] += amount
            row = {"1": 1, "fee": Fraction(fee, 100), "qty": qty, "rate": Fraction(rate, 1000), "amount": Fraction(amount, 100)}
            for i, a in enumerate(names):
                for b in names[i:]:
                    cross[(a, b)] = cross.get((a, b), 0) + row[a] * row[b]
    steps = []
    key = ["--fast-decryption"] if options.key_kind == "fast-decryption" else []
    run("keygen", [summa, "keygen", "--bits", "2048", *key, "--out", path("private.json"), "--public-out", path("public.json")], steps)
    public, private = path("public.json"), path("private.json")
    failures = []

    def check_table(text, label):
        for region, (count, total) in per_region.items():
            line = next((l for l in text.splitlines() if l.startswith(region + " ")), None)
            cells = line.split() if line else []
            if len(cells) < 3 or int(cells[1]) != count or cents(cells[2]) != total:
                failures.append(f"{label}: {region} expected {count} rows and {total} cents, got {line!r}")

    levels = ",".join(REGIONS)
    run("category: encrypt", [summa, "encrypt", "--quiet", "--key", public, "--column", "amount", "--category", "region",
                              "--levels", levels, path("data.csv"), "--out", path("category.bin")], steps)
    run("category: sum", [summa, "sum", "--quiet", path("category.bin"), "--out", path("category.json")], steps)
    check_table(run("category: decrypt", [summa, "decrypt", "--key", private, path("category.json")], steps), "category")

    run("kept: encrypt", [summa, "encrypt", "--quiet", "--key", public, "--column", "amount", "--keep", "region",
                          path("data.csv"), "--out", path("kept.bin")], steps)
    run("kept: sum --by", [summa, "sum", "--quiet", path("kept.bin"), "--by", "region", "--out", path("kept.json")], steps)
    check_table(run("kept: decrypt", [summa, "decrypt", "--key", private, path("kept.json")], steps), "kept")

    run("regression: encrypt", [summa, "encrypt", "--quiet", "--key", public, "--column", "amount", "--column", "fee",
                                "--column", "qty", "--column", "rate", "--squares", "--products", "all",
                                path("data.csv"), "--out", path("regression.bin")], steps)
    fit = json.loads(run("regression: regress", [summa, "regress", "--quiet", path("regression.bin"), "--private-key", private,
                                                 "--y", "amount", "--x", "fee", "--x", "qty", "--x", "rate", "--json"], steps))
    # The exact fit from the rows' sums (normal equations in fractions).
    x = ["1", "fee", "qty", "rate"]
    at = lambda a, b: cross[(a, b)] if (a, b) in cross else cross[(b, a)]
    matrix = [[at(a, b) for b in x] + [at(a, "amount")] for a in x]
    for column in range(4):
        pivot = matrix[column][column]
        matrix[column] = [v / pivot for v in matrix[column]]
        for row in range(4):
            if row != column:
                factor = matrix[row][column]
                matrix[row] = [v - factor * w for v, w in zip(matrix[row], matrix[column])]
    for coefficient, exact in zip(fit["coefficients"], (matrix[i][4] for i in range(4))):
        if abs(Fraction(coefficient["estimate"]) - exact) > Fraction(1, 2_000_000):
            failures.append(f"regression: {coefficient['term']} is {coefficient['estimate']}, exactly {float(exact)}")

    sizes = {name: os.path.getsize(path(name)) for name in ["data.csv", "category.bin", "kept.bin", "regression.bin"]}
    print(f"{options.rows:,} rows, 2048-bit {options.key_kind} key, {os.cpu_count()} cores\n")
    print(f"{'step':24} {'wall s':>9} {'CPU s':>9} {'peak RSS MiB':>13}")
    for label, wall, cpu, rss in steps:
        print(f"{label:24} {wall:9.1f} {cpu:9.1f} {rss:13.1f}")
    print("\nfiles: " + ", ".join(f"{name} {size / 2**20:.1f} MiB" for name, size in sizes.items()))
    print("\ncommands:\n" + "\n".join("  " + c for c in COMMANDS))
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        sys.exit(1)
    print("\nevery per-region count and sum exact; every coefficient the exact fit to 6 decimals")


if __name__ == "__main__":
    main()
