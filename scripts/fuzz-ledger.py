#!/usr/bin/env python3
"""The fuzzing ledger: what every long run of a harness added up to (Fuzz/ledger.tsv), and the table of it in
Fuzz/README.md. scripts/fuzz.sh --ledger calls it; by hand:

    python3 scripts/fuzz-ledger.py record HARNESS LIBFUZZER_LOG    # append one run's row
    python3 scripts/fuzz-ledger.py render                          # rewrite the README's table from the rows

A row is one run: its date, the harness, executions, exec/s, libFuzzer's cov and ft at the end, how many of the
run's executions came after its last new feature (a NEW line), and how many after its last new coverage (a NEW line
whose cov, the count of edges, went up). Runs add up: a harness is done at 10 million executions in all with no new
coverage over its last million (counted across runs, since each run starts from the corpus the last one merged into
Fuzz/corpus). Features (ft) also count how often each edge ran, in buckets, and in the harnesses that resume inputs
from kept states or remembered results that depends on what the process ran before (see Fuzz/README.md), so their
quiet stretch is shown but not required. Rows written before that column existed count their last new feature as
their last new coverage: a lower bound.
"""
import datetime, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEDGER = os.path.join(ROOT, "Fuzz", "ledger.tsv")
README = os.path.join(ROOT, "Fuzz", "README.md")
COLUMNS = ["date", "harness", "executions", "exec_per_s", "cov", "ft", "since_new", "since_cov"]
TARGET, QUIET = 10_000_000, 1_000_000
BEGIN, END = "<!-- ledger: begin (scripts/fuzz-ledger.py render) -->", "<!-- ledger: end -->"


def parse_log(path):
    """Executions, exec/s, cov, ft, and executions since the last NEW line and since the last rise of cov, from a
    libFuzzer log."""
    executions = speed = cov = ft = None
    last_new = last_rise = 0
    most = -1
    for line in open(path, errors="replace"):
        match = re.match(r"#(\d+)\s+(NEW|DONE|INITED|REDUCE|pulse)\s+cov: (\d+) ft: (\d+)", line)
        if match:
            count, event = int(match.group(1)), match.group(2)
            cov, ft = int(match.group(3)), int(match.group(4))
            if event in ("NEW", "INITED"):
                last_new = count
                if cov > most:
                    most, last_rise = cov, count
        if line.startswith("stat::number_of_executed_units:"):
            executions = int(line.split(":")[-1])
        if line.startswith("stat::average_exec_per_sec:"):
            speed = int(line.split(":")[-1])
    if executions is None or cov is None:
        sys.exit("fuzz-ledger.py: %s holds no final libFuzzer statistics" % path)
    return executions, speed or 0, cov, ft, max(0, executions - last_new), max(0, executions - last_rise)


def rows():
    if not os.path.exists(LEDGER):
        return []
    lines = [line.rstrip("\n").split("\t") for line in open(LEDGER) if line.strip()]
    return [dict(zip(COLUMNS, line)) for line in lines[1:]]


def record(harness, log):
    executions, speed, cov, ft, since_new, since_cov = parse_log(log)
    new_file = not os.path.exists(LEDGER)
    with open(LEDGER, "a") as out:
        if new_file:
            out.write("\t".join(COLUMNS) + "\n")
        row = [datetime.date.today().isoformat(), harness, executions, speed, cov, ft, since_new, since_cov]
        out.write("\t".join(map(str, row)) + "\n")


def totals():
    """Per harness: runs, executions in all, the last run's cov and ft, executions since the last new feature and
    since the last new coverage."""
    result = {}
    for row in rows():
        entry = result.setdefault(row["harness"], {"runs": 0, "executions": 0, "quiet": 0, "quiet_cov": 0})
        executions, since_new = int(row["executions"]), int(row["since_new"])
        since_cov = int(row.get("since_cov") or since_new)
        entry["runs"] += 1
        entry["executions"] += executions
        # A run with nothing new extends the quiet stretch of the runs before it; one with something new restarts it.
        entry["quiet"] = entry["quiet"] + executions if since_new == executions else since_new
        entry["quiet_cov"] = entry["quiet_cov"] + executions if since_cov == executions else since_cov
        entry.update(cov=row["cov"], ft=row["ft"], date=row["date"], speed=row["exec_per_s"])
    return result


def render():
    lines = [BEGIN, "", "| harness | runs | executions in all | last run | exec/s | cov | ft | executions since new coverage "
             "| since a new feature | done |", "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for harness, entry in sorted(totals().items()):
        done = entry["executions"] >= TARGET and entry["quiet_cov"] >= QUIET
        lines.append("| `%s` | %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            harness, entry["runs"], format(entry["executions"], ","), entry["date"], entry["speed"], entry["cov"],
            entry["ft"], format(entry["quiet_cov"], ","), format(entry["quiet"], ","), "yes" if done else "no"))
    lines += ["", END]
    text = open(README).read()
    if BEGIN in text:
        start, end = text.index(BEGIN), text.index(END) + len(END)
        text = text[:start] + "\n".join(lines) + text[end:]
    else:
        text = text.rstrip("\n") + "\n\n## Ledger\n\n" + "\n".join(lines) + "\n"
    open(README, "w").write(text)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "record":
        record(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2 and sys.argv[1] == "render":
        render()
    else:
        sys.exit(__doc__)
