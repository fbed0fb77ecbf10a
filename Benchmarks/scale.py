#!/usr/bin/env python3
"""Issue #12's scale targets: `summa` on a million CSV rows, packed and unpacked, against python-paillier.

    python3 Benchmarks/scale.py [--rows 1000000] [--columns 10] [--no-pack-rows 20000] [--phe-values 5000]
                                [--work-dir DIR] [--summa PATH] [--skip-full] [--json OUT]

It writes a CSV of --rows rows of --columns amount columns (c1, c2, …; decimals with two places, from a fixed seed)
and computes the exact column sums itself, makes a 2048-bit fast key with `summa keygen --fast`, and runs each
command of the job under /usr/bin/time -v (peak resident set size), measuring its wall and CPU time:

- full: `summa encrypt` (packed, the default) of every column, `summa sum`, `summa decrypt --json`;
- sample: the same on the first --no-pack-rows rows, packed and with `--no-pack`: unpacked encryption of the whole
  file would take hours here, so the packed/unpacked ratios compare the two on the same sample;
- phe: python-paillier 1.5 with gmpy2 (from compare-peers.py's venv) encrypting the first --phe-values values
  (rounded up to whole rows) one by one as pheutil does, under the same modulus n, writing pheutil's ciphertext
  objects as one JSON list; pinned to CPU 0. Its per-value figures are extrapolated from that sample.

summa runs on every core the script may use. Ratios are per value and use CPU time (user + system), that is per
core, so they do not depend on how many cores each side used. Every decrypted sum must equal the script's own
exact sum, to the cent, and every count the number of rows. The script reads the encrypted files only for their
size. It ends with a table of the steps, a table of the targets with PASS or MISS, and the commands it ran; it exits
with status 1 when a target is missed or a step fails.

Without --summa it builds the release `summa` in .build-release (incremental: a no-op when up to date). Without
--work-dir it works in a new folder under /tmp and removes it when every target passed; the full run writes about
0.5 GB there. --skip-full runs only the samples (which never exceed --rows rows), for a quick check.
"""
import argparse, dataclasses, importlib.util, json, math, os, random, resource, shlex, shutil, subprocess, sys
import tempfile, time
from fractions import Fraction

BENCHMARKS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCHMARKS)
SEED = 12  # issue #12: any fixed seed makes the data, and so the sums, the same in every run
KEY_BITS = 2048
MIN_PHE_VALUES = 2_000  # fewer would make the per-value extrapolation too sensitive to start-up costs
KIB_PER_MIB = 1024

# Goals of issue #12.
MAX_BYTES_PER_VALUE = 60
MAX_RSS_MIB = 256
MIN_NO_PACK_SLOWDOWN = 8
MIN_ENCRYPT_SPEEDUP_OVER_PHE = 80
MIN_SIZE_RATIO_OVER_PHE = 20

PHE_JOB = r'''"""python-paillier doing `summa encrypt`'s job value by value, as a pheutil user would.

    python phe_encrypt.py summa-public-key.json data.csv out.json

Reads every cell of the CSV, encrypts each as pheutil does (float, encoded by phe's EncodedNumber) and writes
pheutil's ciphertext objects {"v": ciphertext, "e": exponent} as one JSON list.
"""
import csv, json, sys
import phe
from phe import util

key_path, csv_path, out_path = sys.argv[1:]
if not util.HAVE_GMP:
    sys.exit("python-paillier is not using gmpy2: it would be measured slower than its users see it")
# Summa's public key file holds n as a decimal string: the same modulus as summa's runs.
with open(key_path) as f:
    public = phe.PaillierPublicKey(int(json.load(f)["n"]))
with open(csv_path, newline="") as f:
    rows = csv.reader(f)
    next(rows)  # the header
    values = [float(cell) for row in rows for cell in row]
encrypted = [public.encrypt(value) for value in values]
with open(out_path, "w") as f:
    json.dump([{"v": str(number.ciphertext()), "e": number.exponent} for number in encrypted], f)
'''


class Failure(Exception):
    """A step that could not run or whose output is unusable: the run stops."""


@dataclasses.dataclass
class Step:
    name: str
    command: list
    wall: float  # seconds
    cpu: float  # user + system seconds, summed over cores
    rss_kib: int  # peak resident set size
    values: int | None = None  # values processed, for per-value rates
    output_bytes: int | None = None  # size of the encrypted file written
    stdout: str = dataclasses.field(default="", repr=False)

    @property
    def cpu_per_value(self):
        return self.cpu / self.values

    @property
    def bytes_per_value(self):
        return self.output_bytes / self.values

    def summary(self):
        result = {"name": self.name, "command": shlex.join(self.command), "wallSeconds": self.wall,
                  "cpuSeconds": self.cpu, "peakRSSKiB": self.rss_kib}
        if self.values:
            result.update(values=self.values, cpuMicrosecondsPerValue=self.cpu_per_value * 1e6)
        if self.output_bytes is not None:
            result.update(outputBytes=self.output_bytes, bytesPerValue=self.bytes_per_value)
        return result


@dataclasses.dataclass
class Dataset:
    path: str
    rows: int
    sums: list  # exact column sums in cents


def load_compare_phe():
    """compare-peers.py owns the venv with phe 1.5 and gmpy2 (.build-bench-venv); its file name is not a module name,
    so it is loaded by path."""
    sys.dont_write_bytecode = True  # no __pycache__ in the work tree
    spec = importlib.util.spec_from_file_location("compare_peers", os.path.join(BENCHMARKS, "compare-peers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_summa():
    """The release build in its own scratch path, apart from the debug builds in .build."""
    build = ["swift", "build", "-c", "release", "--scratch-path", os.path.join(ROOT, ".build-release")]
    subprocess.check_call(build + ["--product", "summa"], cwd=ROOT, stdout=sys.stderr)
    bin_path = subprocess.check_output(build + ["--show-bin-path"], cwd=ROOT, text=True)
    return os.path.join(bin_path.strip(), "summa")


def amount_cents(rng):
    """An amount in cents: magnitudes spread evenly on a log scale from a cent to a million, one in five negative."""
    cents = int(10 ** rng.uniform(0, 8))
    return -cents if rng.random() < 0.2 else cents


def format_cents(cents):
    units, hundredths = divmod(abs(cents), 100)
    return "%s%d.%02d" % ("-" if cents < 0 else "", units, hundredths)


def write_datasets(files, names, seed):
    """Writes each (path, rows) of `files` as the first `rows` rows of one deterministic stream of rows; returns
    their Datasets with the exact column sums of their rows."""
    rng = random.Random(seed)
    sums = [0] * len(names)
    datasets = []
    handles = [(open(path, "w", buffering=1 << 20), rows, path) for path, rows in sorted(files, key=lambda f: f[1])]
    try:
        for handle, _, _ in handles:
            handle.write(",".join(names) + "\n")
        for index in range(handles[-1][1]):
            row = [amount_cents(rng) for _ in names]
            line = ",".join(map(format_cents, row)) + "\n"
            for column, cents in enumerate(row):
                sums[column] += cents
            for handle, rows, path in handles:
                if index < rows:
                    handle.write(line)
                if index + 1 == rows:
                    datasets.append(Dataset(path, rows, list(sums)))
    finally:
        for handle, _, _ in handles:
            handle.close()
    return {dataset.path: dataset for dataset in datasets}


def peak_rss_kib(path):
    """The peak resident set size in KiB from GNU time's -v report."""
    fields = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            fields[key] = value
    try:
        return int(fields["Maximum resident set size (kbytes)"])
    except (KeyError, ValueError):
        raise Failure("%s: not a report of /usr/bin/time -v" % path)


def run_step(work, name, command, values=None, output=None):
    """Runs `command` under /usr/bin/time -v. Its standard output, error and time report are kept in `work` as
    NAME.out, NAME.err and NAME.time; `output` is the encrypted file whose size is measured."""
    print("[%s] %s" % (name, shlex.join(command)), file=sys.stderr, flush=True)
    paths = {kind: os.path.join(work, "%s.%s" % (name, kind)) for kind in ("out", "err", "time")}
    with open(paths["out"], "w") as out, open(paths["err"], "w") as err:
        # CPU time from the children's rusage: microseconds, where GNU time prints hundredths of a second, too coarse
        # for the short packed sums. It includes /usr/bin/time's own share, about a millisecond.
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        status = subprocess.call(["/usr/bin/time", "-v", "-o", paths["time"]] + command,
                                 stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        after, wall = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter() - start
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    with open(paths["out"]) as out, open(paths["err"]) as err:
        stdout, stderr = out.read(), err.read()
    if status != 0:
        raise Failure("%s exited with status %d: %s\n%s" % (name, status, shlex.join(command), stderr.strip()[-3000:]))
    if output and not os.path.isfile(output):
        raise Failure("%s wrote no %s: %s" % (name, output, shlex.join(command)))
    output_bytes = os.path.getsize(output) if output else None
    return Step(name, command, wall, cpu, peak_rss_kib(paths["time"]), values, output_bytes, stdout)


def check_sums(step, dataset, names):
    """How the decrypted sums and counts (`summa decrypt --json`) differ from the exact ones; empty when they agree."""
    try:
        report = json.loads(step.stdout)
    except ValueError as error:
        raise Failure("%s: the output is not JSON (%s): %r" % (step.name, error, step.stdout[:200]))
    problems = []
    for name, cents in zip(names, dataset.sums):
        column = report.get(name) if isinstance(report, dict) else None
        if not isinstance(column, dict):
            problems.append("%s: not in the decryption" % name)
            continue
        if column.get("count") != dataset.rows:
            problems.append("%s: count %r, expected %d" % (name, column.get("count"), dataset.rows))
        reported = column.get("sum")
        try:
            exact = isinstance(reported, str) and Fraction(reported) == Fraction(cents, 100)
        except ValueError:
            exact = False
        if not exact:
            problems.append("%s: sum %r, expected %s" % (name, reported, format_cents(cents)))
    return problems


def summa_job(summa, work, prefix, dataset, names, keys, pack):
    """encrypt, sum and decrypt one CSV; returns the three steps and the differences from the exact sums."""
    encrypted = os.path.join(work, prefix + ".enc")
    aggregate = os.path.join(work, prefix + "-sum.json")
    values = dataset.rows * len(names)
    encrypt_command = [summa, "encrypt", "--key", keys["public"]]
    for name in names:
        encrypt_command += ["--column", name]
    if not pack:
        encrypt_command.append("--no-pack")
    encrypt_command += [dataset.path, "--out", encrypted]
    steps = [
        run_step(work, prefix + "-encrypt", encrypt_command, values=values, output=encrypted),
        run_step(work, prefix + "-sum", [summa, "sum", encrypted, "--out", aggregate], values=values),
        run_step(work, prefix + "-decrypt", [summa, "decrypt", "--key", keys["private"], aggregate, "--json"]),
    ]
    return steps, check_sums(steps[2], dataset, names)


def phe_job(work, dataset, names, keys):
    """python-paillier's encryption of the dataset, on CPU 0."""
    job = os.path.join(work, "phe_encrypt.py")
    with open(job, "w") as f:
        f.write(PHE_JOB)
    encrypted = os.path.join(work, "phe.json")
    command = ["taskset", "-c", "0", sys.executable, job, keys["public"], dataset.path, encrypted]
    return run_step(work, "phe-encrypt", command, values=dataset.rows * len(names), output=encrypted)


def measure(args, sample_rows, phe_rows, summa, work):
    """Runs every step; returns the steps, the exact-sum differences by job, and the notes for the reader."""
    names = ["c%d" % (index + 1) for index in range(args.columns)]
    files = {"sample": (os.path.join(work, "sample.csv"), sample_rows),
             "phe": (os.path.join(work, "phe-sample.csv"), phe_rows)}
    if not args.skip_full:
        files["full"] = (os.path.join(work, "data.csv"), args.rows)
    sizes = ", ".join("%s: %d rows" % (os.path.basename(path), rows) for path, rows in files.values())
    print("writing %s (seed %d)" % (sizes, SEED), file=sys.stderr, flush=True)
    by_path = write_datasets(files.values(), names, SEED)
    datasets = {kind: by_path[path] for kind, (path, _) in files.items()}

    keys = {"private": os.path.join(work, "private.json"), "public": os.path.join(work, "public.json")}
    steps = [run_step(work, "keygen", [summa, "keygen", "--fast", "--bits", str(KEY_BITS), "--out", keys["private"],
                                       "--public-out", keys["public"], "--force"])]
    problems = {}
    jobs = [("sample", "sample", True), ("sample-no-pack", "sample", False)]
    if not args.skip_full:
        jobs.insert(0, ("full", "full", True))
    for prefix, kind, pack in jobs:
        job_steps, problems[prefix] = summa_job(summa, work, prefix, datasets[kind], names, keys, pack)
        steps += job_steps
    steps.append(phe_job(work, datasets["phe"], names, keys))

    notes = [
        "data: amounts with two decimals from seed %d, written by this script, which sums them exactly in cents"
        % SEED,
        "summa ran on %d cores, python-paillier on CPU 0; ratios use CPU time (user + system) per value, i.e. per core"
        % len(os.sched_getaffinity(0)),
        "--no-pack ran on a sample, the first %d rows (%d values), and is compared with the packed run of the same "
        "sample" % (sample_rows, sample_rows * args.columns),
        "python-paillier's figures are extrapolated per value from a sample of %d values (%d rows), same modulus n as "
        "summa's key" % (phe_rows * args.columns, phe_rows),
    ]
    if args.skip_full:
        notes.append("--skip-full: no full run; the packed figures come from the %d-row sample" % sample_rows)
    return steps, problems, notes


def evaluate(steps, problems, columns):
    """The targets of issue #12, each with what was measured and whether it passed."""
    by_name = {step.name: step for step in steps}
    packed = by_name.get("full-encrypt", by_name["sample-encrypt"])
    phe = by_name["phe-encrypt"]
    targets = []

    def target(name, measured, goal, passed):
        targets.append({"target": name, "measured": measured, "goal": goal, "pass": passed})

    target("packed file size (%s)" % packed.name, "%.1f B/value" % packed.bytes_per_value,
           "≤ %d B/value" % MAX_BYTES_PER_VALUE, packed.bytes_per_value <= MAX_BYTES_PER_VALUE)
    summa_steps = [step for step in steps if step is not phe]
    largest = max(summa_steps, key=lambda step: step.rss_kib)
    over = [step.name for step in summa_steps if step.rss_kib > MAX_RSS_MIB * KIB_PER_MIB]
    target("peak RSS of every summa step", "%.1f MiB at most (%s)%s" % (
               largest.rss_kib / KIB_PER_MIB, largest.name, "; over: " + ", ".join(over) if over else ""),
           "≤ %d MiB" % MAX_RSS_MIB, not over)
    for job, differences in problems.items():
        target("%s: decrypted sums and counts exact" % job, "; ".join(differences) or "all %d columns" % columns,
               "exact to the cent", not differences)
    for operation in ("encrypt", "sum"):
        slow, fast = by_name["sample-no-pack-" + operation], by_name["sample-" + operation]
        ratio = slow.cpu_per_value / fast.cpu_per_value
        target("--no-pack %s slower than packed, per value (sample)" % operation, "%.1f×" % ratio,
               "≥ %d×" % MIN_NO_PACK_SLOWDOWN, ratio >= MIN_NO_PACK_SLOWDOWN)
    speedup = phe.cpu_per_value / packed.cpu_per_value
    target("packed encrypt (%s) faster than phe, per value per core" % packed.name, "%.1f×" % speedup,
           "≥ %d×" % MIN_ENCRYPT_SPEEDUP_OVER_PHE, speedup >= MIN_ENCRYPT_SPEEDUP_OVER_PHE)
    size_ratio = phe.bytes_per_value / packed.bytes_per_value
    target("packed file (%s) smaller than phe's, per value" % packed.name, "%.1f×" % size_ratio,
           "≥ %d×" % MIN_SIZE_RATIO_OVER_PHE, size_ratio >= MIN_SIZE_RATIO_OVER_PHE)
    return targets


def print_report(steps, targets, notes):
    print("\n| step | values | wall s | CPU s | CPU µs/value | peak RSS MiB | file bytes | bytes/value |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for step in steps:
        per_value = "%.1f" % (step.cpu_per_value * 1e6) if step.values else ""
        size = ("%d | %.1f" % (step.output_bytes, step.bytes_per_value)) if step.output_bytes is not None else " | "
        print("| %s | %s | %.2f | %.3f | %s | %.1f | %s |" % (step.name, step.values or "", step.wall, step.cpu,
                                                            per_value, step.rss_kib / KIB_PER_MIB, size))
    print("\n| target | measured | goal | result |")
    print("| --- | --- | --- | --- |")
    for target in targets:
        print("| %s | %s | %s | %s |" % (target["target"], target["measured"], target["goal"],
                                         "PASS" if target["pass"] else "MISS"))
    print()
    for note in notes:
        print("- " + note)
    print("\nCommands run:")
    for step in steps:
        print("    " + shlex.join(step.command))


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=positive, default=1_000_000, help="rows of the full CSV (default 1000000)")
    parser.add_argument("--columns", type=positive, default=10, help="amount columns c1, c2, … (default 10)")
    parser.add_argument("--no-pack-rows", type=positive, default=20_000,
                        help="rows of the sample run both packed and with --no-pack (default 20000)")
    parser.add_argument("--phe-values", type=positive, default=5_000,
                        help="values python-paillier encrypts, rounded up to whole rows (default 5000, at least %d)"
                             % MIN_PHE_VALUES)
    parser.add_argument("--work-dir", help="folder for the data, keys and outputs, made if missing and kept (default: a new folder "
                                           "under /tmp, removed when every target passed)")
    parser.add_argument("--summa", help="the summa binary (default: build the release one in .build-release)")
    parser.add_argument("--skip-full", action="store_true", help="run only the samples")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON to OUT")
    args = parser.parse_args()
    if args.work_dir:
        try:
            os.makedirs(args.work_dir, exist_ok=True)
        except OSError as error:
            parser.error("--work-dir %s: %s" % (args.work_dir, error.strerror))
    if args.summa and not os.access(args.summa, os.X_OK):
        parser.error("--summa %s: not an executable file" % args.summa)
    # The samples are the first rows of the data.
    sample_rows = min(args.no_pack_rows, args.rows)
    phe_rows = min(math.ceil(args.phe_values / args.columns), args.rows)
    if phe_rows * args.columns < MIN_PHE_VALUES:
        parser.error("python-paillier's sample would have %d values (%d rows × %d columns): at least %d are needed"
                     % (phe_rows * args.columns, phe_rows, args.columns, MIN_PHE_VALUES))
    load_compare_phe().ensure_venv()  # the first time, creates the venv and runs this script again inside it

    try:
        summa = os.path.abspath(args.summa) if args.summa else build_summa()
    except subprocess.CalledProcessError as error:
        sys.exit("error: %s exited with status %d (--summa PATH runs another binary)"
                 % (shlex.join(error.cmd), error.returncode))
    work = os.path.abspath(args.work_dir) if args.work_dir else tempfile.mkdtemp(prefix="summa-scale-")
    try:
        steps, problems, notes = measure(args, sample_rows, phe_rows, summa, work)
    except Failure as failure:
        sys.exit("error: %s\n(the files are in %s)" % (failure, work))
    targets = evaluate(steps, problems, args.columns)
    print_report(steps, targets, notes)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"parameters": {"rows": args.rows, "columns": args.columns, "noPackRows": args.no_pack_rows,
                                      "pheValues": args.phe_values, "skipFull": args.skip_full, "seed": SEED,
                                      "keyBits": KEY_BITS, "summa": summa},
                       "steps": [step.summary() for step in steps], "targets": targets, "notes": notes}, f, indent=2)
    passed = all(target["pass"] for target in targets)
    if not args.work_dir:
        if passed:
            shutil.rmtree(work)
        else:
            print("\nThe files are kept in %s for a look at what missed" % work)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
