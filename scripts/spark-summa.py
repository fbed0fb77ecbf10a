#!/usr/bin/env python3
"""Encrypts columns of a large CSV file with `summa` on Apache Spark, one partition per task, and merges the
partitions' encrypted sums into one aggregate that the key holder decrypts:

    spark-submit [--master URL] scripts/spark-summa.py data.csv --key public.json --column amount [--column fee]
        [--scale DECIMALS] [--skip-empty] [--fast] [--summa PATH] [--partitions N] --out-dir OUT
    summa decrypt --key private.json OUT/sum.json

Each task writes its partition's rows, after the header, to a CSV file of its own, encrypts it with
`summa encrypt --key public.json --scale S` and sums that with `summa sum`; the driver keeps the partial sums in
OUT/partials/ and merges them with `summa sum` into OUT/sum.json (sums of sums: Paillier is additive). The summa
binary and the public key travel to the executors with SparkContext.addFile; the private key is never needed, and
a private key given as --key is refused so that it is not copied to every executor.

Without --scale, a first pass over the data finds the most decimals of any cell of the columns, which becomes the
scale of every partition: `summa encrypt` would otherwise choose each column's scale from its own partition, and
packed sums of different scales do not merge. `summa encrypt --scale` sets one scale for all columns, so a column
with fewer decimals is shown with trailing zeros; nothing is rounded.

The CSV is read as summa reads it (RFC 4180, a header row): rows go through Python's csv module, and a quoted field
that holds line breaks and straddles two partitions is given whole to the first of them. Errors name the partition
(numbered from 0, as in Spark's UI) and give summa's own message, with the line of the original file; the job then
exits with status 1. Run with plain `python3` (pyspark from PyPI), it runs in Spark's local mode. docs/scale.md
tells how to run it on a cluster.
"""
import argparse
import csv
import glob
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pyspark import SparkConf, SparkContext, SparkFiles


class SparkSummaError(Exception):
    """A failure in one line: summa's message, naming the partition when a task failed. A task's error reaches the
    driver inside Spark's, which the driver searches for this class's name."""


def parse_arguments():
    parser = argparse.ArgumentParser(
        description="Encrypt CSV columns with summa on Spark and merge the partitions' encrypted sums.")
    parser.add_argument("csv", help="the CSV file (with a header row); a path every executor can read")
    parser.add_argument("--key", required=True, help="the public key file (never the private key)")
    parser.add_argument("--column", action="append", required=True, help="a column to encrypt (repeat for several)")
    parser.add_argument("--scale", type=int, help="decimals to keep (default: the most decimals in the columns)")
    parser.add_argument("--skip-empty", action="store_true", help="leave out empty cells instead of failing")
    parser.add_argument("--fast", action="store_true",
                        help="summa encrypt --fast: each task draws a DJN base of its own (about 10x less work; see "
                             "docs/security.md for the assumption)")
    parser.add_argument("--summa", default="summa", help="the summa binary, built for the executors (default: summa on PATH)")
    parser.add_argument("--partitions", type=int,
                        help="at least this many partitions (default: 4 per core Spark has, so that a slow task does "
                             "not hold up the job)")
    parser.add_argument("--master", help="Spark master URL (default: spark-submit's --master, or local[*])")
    parser.add_argument("--out-dir", required=True,
                        help="where to write sum.json (the merged sum) and partials/ (each partition's sum)")
    return parser.parse_args()


def fail(message):
    print(f"spark-summa: {message}", file=sys.stderr)
    sys.exit(1)


def run(command):
    """Runs summa and returns the finished process, or raises SparkSummaError with summa's own message."""
    what = f"summa {command[1]}"
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:  # a binary for another OS or architecture, or no binary at all
        raise SparkSummaError(f"cannot run {command[0]} ({error.strerror}): summa must be built for this machine")
    if result.returncode != 0:
        message = result.stderr.strip().removeprefix("Error: ")
        if result.returncode < 0:
            message = f"killed by signal {-result.returncode}" + (f": {message}" if message else "")
        raise SparkSummaError(f"{what}: {message or f'exit status {result.returncode}'}")
    return result


# --- Reading the CSV as summa does ------------------------------------------------------------------------------
# Spark splits a text file into partitions at line breaks, but a quoted field may hold line breaks of its own. In
# RFC 4180 a quote inside a quoted field is doubled, so a line ends inside a quoted field exactly when the quotes
# counted from the start of the file up to it are odd. A partition that starts inside a quoted field hands the
# lines up to the one that closes it to the partition before it, which owns that record.

def quote_parity(lines):
    """A partition's line count and whether it holds an odd number of quotes."""
    count = parity = 0
    for line in lines:
        count += 1
        parity ^= line.count('"') & 1
    return [(count, parity)]


def lines_closing_a_quote(lines):
    """The lines of a partition that starts inside a quoted field, up to the one that closes it, and whether one
    does (when none does, the whole partition belongs to a record of an earlier partition)."""
    taken, parity = [], 1
    for line in lines:
        taken.append(line)
        parity ^= line.count('"') & 1
        if parity == 0:
            return [(taken, True)]
    return [(taken, False)]


def is_blank(row):
    """A line summa takes for blank: no field, or one field of spaces and tabs."""
    return not row or (len(row) == 1 and not row[0].strip(" \t"))


def records(index, lines, plan):
    """The records of partition `index` (the header first in partition 0) as Python's csv module parses them, from
    the partition's lines without those an earlier partition took and with those it takes from later ones."""
    drop, extra = plan[index]
    lines = itertools.chain(itertools.islice(lines, drop, None), extra)
    if index == 0:
        first = next(lines, None)
        lines = itertools.chain([] if first is None else [first.removeprefix("\ufeff")], lines)
    csv.field_size_limit(sys.maxsize)  # summa has no limit on a field's size
    # Spark removes line breaks: put one back so that a quoted field spanning lines keeps its line break.
    return csv.reader(line + "\n" for line in lines)


def partition_rows(index, lines, plan):
    """The rows of partition `index`: its records, the header left out."""
    rows = records(index, lines, plan)
    if index == 0:
        next(rows, None)
    return rows


def decimals(cell):
    """The decimals of a cell summa reads as a number ("-12.50": 2), or 0 for a cell summa will refuse itself."""
    match = re.fullmatch(r"[+-]?[0-9]+(?:\.([0-9]+))?", cell.strip(" \t"))
    return len(match.group(1) or "") if match else 0


def main():
    args = parse_arguments()
    summa = shutil.which(args.summa)
    if summa is None:
        fail(f"no summa binary at {args.summa}: build one with `swift build -c release` and give it with --summa")
    if not os.path.isfile(args.key):
        fail(f"{args.key}: no such file")
    if args.scale is not None and args.scale < 0:
        fail("--scale must be 0 or more")
    if len(set(args.column)) != len(args.column):
        fail("a column is given twice with --column")
    try:
        inspected = run([summa, "inspect", args.key]).stdout
    except SparkSummaError as error:
        fail(error)
    if inspected.startswith("kind: private key"):
        fail(f"{args.key} is a private key: give the public key (summa keygen --public-out), which is all that "
             "encryption needs, so that the private key is not copied to every executor")

    # Spark's console progress bar redraws a line on stderr with carriage returns; this script's own message, the
    # last line of stderr, must stand alone on its line.
    conf = SparkConf().setAppName("spark-summa").set("spark.ui.showConsoleProgress", "false")
    if args.master:
        conf.setMaster(args.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    sc = SparkContext(conf=conf)
    try:
        merged = encrypt_and_sum(sc, args, summa)
    except SparkSummaError as error:
        fail(error)
    except Exception as error:
        # A task's SparkSummaError reaches the driver inside Spark's error, after the task's traceback.
        found = re.search(r"SparkSummaError: (.*)", str(error))
        if not found:
            raise
        fail(found.group(1))
    finally:
        sc.stop()
    print(merged.stderr.strip(), file=sys.stderr)


def encrypt_and_sum(sc, args, summa):
    sc.addFile(summa)
    sc.addFile(args.key)
    summa_name, key_name = os.path.basename(summa), os.path.basename(args.key)
    lines = sc.textFile(args.csv, minPartitions=args.partitions or 4 * sc.defaultParallelism)
    partitions = lines.getNumPartitions()

    # Where each partition starts, and which lines belong to a record that an earlier partition began.
    counts, parities = zip(*lines.mapPartitions(quote_parity).collect())
    starts_open, open_quote = [], 0
    for parity in parities:
        starts_open.append(open_quote)
        open_quote ^= parity
    first_line = list(itertools.accumulate(counts, initial=1))
    opened = [index for index in range(partitions) if starts_open[index]]
    closing = dict(zip(opened, sc.runJob(lines, lines_closing_a_quote, opened))) if opened else {}
    plan = [(0, []) for _ in range(partitions)]
    owner = 0
    for index in range(partitions):
        if index in closing:
            taken, closed = closing[index]
            plan[owner][1].extend(taken)
            plan[index] = (len(taken), [])
            if closed:
                owner = index
        else:
            owner = index

    # The header, then for each partition whether it holds rows, the blank lines it ends with, and the most
    # decimals in each column. summa ignores blank lines at the end of a file only, so a partition's trailing blank
    # lines move to the start of the next partition that holds rows, where summa judges them as in the whole file.
    header = sc.runJob(lines, lambda part: [next(records(0, part, plan), None)], [0])[0]
    trimmed = [name.strip(" \t") for name in header or []]
    positions = [trimmed.index(name) for name in args.column if name in trimmed]
    need_scale = args.scale is None

    def survey(index, part):
        has_rows, blanks, most = False, 0, 0
        for row in partition_rows(index, part, plan):
            if is_blank(row):
                blanks += 1
                continue
            has_rows, blanks = True, 0
            if need_scale:
                most = max([most] + [decimals(row[p]) for p in positions if p < len(row)])
        return [(has_rows, blanks, most)]

    surveyed = lines.mapPartitionsWithIndex(survey).collect()
    carried, blanks_before = [], 0
    for has_rows, trailing, _ in surveyed:
        carried.append(blanks_before)
        blanks_before = trailing + (0 if has_rows else blanks_before)
    scale = args.scale if args.scale is not None else max(most for _, _, most in surveyed)
    if args.scale is None:
        print(f"spark-summa: --scale {scale}, the most decimals in column(s) {', '.join(args.column)}", file=sys.stderr)
    # The line of the original file at which each partition's rows start, after the header's lines.
    header_lines = 1 + sum(name.count("\n") for name in header or [])
    data_line = [header_lines + 1] + [first_line[i] + plan[i][0] - carried[i] for i in range(1, partitions)]

    options = [option for name in args.column for option in ("--column", name)] + ["--scale", str(scale)]
    if args.skip_empty:
        options.append("--skip-empty")
    if args.fast:
        options.append("--fast")
    csv_path, key_path = args.csv, args.key

    def encrypt(index, part):
        binary, key = SparkFiles.get(summa_name), SparkFiles.get(key_name)
        with tempfile.TemporaryDirectory(prefix="spark-summa-") as folder:
            part_csv = os.path.join(folder, f"part-{index:05d}.csv")

            def original(message):
                """summa's message with the original file, its lines and the key as the user named them."""
                def line(match):
                    number = int(match.group(1))
                    return f"{csv_path}:{number if number <= header_lines else data_line[index] + number - header_lines - 1}"
                message = re.sub(re.escape(part_csv) + r":(\d+)", line, message)
                return message.replace(part_csv, csv_path).replace(key, key_path)

            with open(part_csv, "w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file, lineterminator="\n")
                if header is not None:
                    writer.writerow(header)
                writer.writerows([[]] * carried[index])
                pending = []  # blank rows count only when a row follows them in this partition
                for row in partition_rows(index, part, plan):
                    if is_blank(row):
                        pending.append(row)
                        continue
                    writer.writerows(pending)
                    pending = []
                    writer.writerow(row)
            encrypted = os.path.join(folder, f"part-{index:05d}.enc")
            partial = os.path.join(folder, f"sum-{index:05d}.json")
            try:
                run([binary, "encrypt", "--key", key, *options, part_csv, "--out", encrypted])
                run([binary, "sum", encrypted, "--out", partial])
            except SparkSummaError as error:
                raise SparkSummaError(f"partition {index} of {partitions}: {original(str(error))}") from None
            with open(partial, "rb") as file:
                return [(index, file.read())]

    partials = lines.mapPartitionsWithIndex(encrypt).collect()

    folder = os.path.join(args.out_dir, "partials")
    os.makedirs(folder, exist_ok=True)
    for stale in glob.glob(os.path.join(folder, "sum-*.json")):  # from an earlier run with more partitions
        os.remove(stale)
    paths = []
    for index, content in partials:
        paths.append(os.path.join(folder, f"sum-{index:05d}.json"))
        with open(paths[-1], "wb") as file:
            file.write(content)
    try:
        return run([summa, "sum", *paths, "--out", os.path.join(args.out_dir, "sum.json")])
    except SparkSummaError as error:
        raise SparkSummaError(f"merging the partial sums: {error}") from None


if __name__ == "__main__":
    main()
