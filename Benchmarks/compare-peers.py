#!/usr/bin/env python3
"""Summa against its Python peers, side by side on this machine: python-paillier (phe 1.5 with gmpy2), TNO's
tno.mpc.encryption_schemes.paillier and LightPHE.

    python3 Benchmarks/compare-peers.py [--bits 2048] [--seconds 2] [--rounds 3] [--cli-rows N] [--summa PATH] [--gmp 6.3]

It installs the peers from PyPI into .build-bench-venv (once), builds `summa` in release mode (or takes --summa),
makes a key with python-paillier and hands the same key (as pheutil's JWK) to `summa bench`. Each round runs every
operation for every library, rotating which goes first, so that all see the same machine load; the tables give the
median operations per second over the rounds and Summa's ratio to each. Single-core rows are pinned to CPU 0
(taskset and sched_setaffinity); rows marked "all cores" are not pinned.

The first table is Summa against python-paillier on the same key, operation by operation. The second puts the three
peers side by side on the four operations they all have (encrypt, decrypt, add, multiply by a scalar); TNO and
LightPHE make keys of their own of the same size (their costs do not depend on which key). Every peer encrypts,
decrypts and adds fresh, randomized ciphertexts: an unrandomized ciphertext multiplies faster, and c + c is a
squaring. --cli-rows adds whole jobs through the command line against a python-paillier script.

--gmp 6.3 adds a second Summa, the same code built against GMP 6.3.0 (scripts/build-with-gmp.sh, from PyPI's
cmeel-gmp), as a column beside the first in every table, and the GMP floor (Benchmarks/gmp-floor.c: one CRT half of
a decryption with mpz_powm and mpz_powm_sec) built against both: gmpy2's wheel, which python-paillier runs on,
bundles GMP 6.3.0, so only the second column compares like with like.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".build-bench-venv")


def ensure_venv():
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "phe==1.5.0", "gmpy2", "typing_extensions",
                               "tno.mpc.encryption_schemes.paillier==4.1.0", "lightphe==0.0.27"])
    os.execv(python, [python] + sys.argv)


def build_summa():
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "summa"], cwd=ROOT, stdout=sys.stderr)
    bin_path = subprocess.check_output(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, text=True)
    return os.path.join(bin_path.strip(), "summa")


def timed(body, seconds):
    """Operations per second of body() run repeatedly for about `seconds`."""
    body()  # warm up
    count, start = 0, time.perf_counter()
    while True:
        body()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sum-count", type=int, default=100_000)
    parser.add_argument("--batch-count", type=int, default=256)
    parser.add_argument("--only", action="append", default=[], help="run only the rows whose label contains this")
    parser.add_argument("--cli-rows", type=int, default=0,
                        help="also time whole jobs: `summa encrypt` / `summa decrypt` of a CSV column of this many rows "
                             "against a python-paillier script doing the same, both pinned to one core")
    parser.add_argument("--summa", help="a summa binary to use instead of building one (swift build -c release)")
    parser.add_argument("--no-peers", action="store_true", help="skip the table of the three peers")
    parser.add_argument("--gmp", choices=["6.3"], help="also run Summa built against this GMP (from PyPI), side by side")
    args = parser.parse_args()
    ensure_venv()
    import phe
    from phe import util
    print("python-paillier %s, gmpy2 in use: %s" % (phe.__version__, util.HAVE_GMP), file=sys.stderr)
    summa = os.path.abspath(args.summa) if args.summa else build_summa()
    # Every Summa binary in the run, labelled by the GMP it runs on (`summa --version` says).
    binaries = [summa]
    if args.gmp:
        binaries.append(subprocess.check_output(["bash", os.path.join(ROOT, "scripts", "build-with-gmp.sh")], text=True).strip())
    summas = [("Summa (GMP %s)" % gmp_of(binary), binary) for binary in binaries]
    print("Summa binaries: " + ", ".join("%s = %s" % pair for pair in summas), file=sys.stderr)

    public, private = phe.generate_paillier_keypair(n_length=args.bits)
    jwk_public = {"kty": "DAJ", "alg": "PAI-GN1", "key_ops": ["encrypt"], "n": util.int_to_base64(public.n), "kid": "bench"}
    jwk = {"kty": "DAJ", "key_ops": ["decrypt"], "p": util.int_to_base64(private.p),
           "q": util.int_to_base64(private.q), "pub": jwk_public, "kid": "bench"}
    key_file = tempfile.NamedTemporaryFile("w", suffix=".jwk", delete=False)
    json.dump(jwk, key_file)
    key_file.close()

    value = 1234.56
    enc = public.encrypt(value)
    distinct = [public.encrypt(value) for _ in range(256)]
    many = [distinct[i % len(distinct)] for i in range(args.sum_count)]
    state = {"total": enc}

    def add():
        state["total"] = state["total"] + enc

    phe_ops = {
        "encrypt": lambda: public.encrypt(value),
        "decrypt": lambda: private.decrypt(enc),
        "add": add,
        "scalar-multiply": lambda: enc * 7,
        "sum": lambda: sum(many[1:], many[0]),
        "batch-encrypt": lambda: [public.encrypt(value) for _ in range(args.batch_count)],
    }
    # A Summa fast-decryption key of the same size: python-paillier has no such keys, so its rows compare Summa under
    # that key with python-paillier under its own.
    fast_decryption_key = os.path.join(tempfile.mkdtemp(), "fast-decryption.json")
    subprocess.check_call([summa, "keygen", "--bits", str(args.bits), "--fast-decryption", "--out", fast_decryption_key],
                          stderr=subprocess.DEVNULL)
    # (label, summa op, summa count, phe op, pinned to one core[, summa key file])
    rows = [
        ("encrypt (public key)", "encrypt", 0, "encrypt", True),
        ("encrypt (key owner, CRT)", "encrypt-owner", 0, "encrypt", True),
        ("encrypt (fast, DJN; base drawn for phe's key)", "encrypt-fast", 0, "encrypt", True),
        ("encrypt (fast-decryption key)", "encrypt", 0, "encrypt", True, fast_decryption_key),
        ("decrypt (fast-decryption key, constant-time)", "decrypt", 0, "decrypt", True, fast_decryption_key),
        ("encrypt (from pool, online)", "encrypt-pool", 0, "encrypt", False),
        ("decrypt (constant-time)", "decrypt", 0, "decrypt", True),
        ("decrypt (CRT halves on 2 cores)", "decrypt-concurrent", 0, "decrypt", False),
        ("add", "add", 0, "add", True),
        ("scalar multiply (×7)", "scalar-multiply", 0, "scalar-multiply", True),
        ("sum of %d" % args.sum_count, "sum", args.sum_count, "sum", True),
        ("sum of %d (Summa on all cores, phe on one)" % args.sum_count, "sum-concurrent", args.sum_count, "sum", False),
        ("batch encrypt %d (1 core)" % args.batch_count, "batch-encrypt", args.batch_count, "batch-encrypt", True),
        ("batch encrypt %d (all cores)" % args.batch_count, "batch-encrypt", args.batch_count, "batch-encrypt", False),
    ]
    if args.only:
        rows = [row for row in rows if any(word in row[0] for word in args.only)]
    names = [name for name, _ in summas] + ["phe"]
    results = {row[0]: {name: [] for name in names} for row in rows}
    all_cpus = os.sched_getaffinity(0)

    def run_summa(op, count, pinned, key=None, binary=summa):
        command = [binary, "bench", "--key", key or key_file.name, "--op", op, "--seconds", str(args.seconds), "--json"]
        if count:
            command += ["--count", str(count)]
        if pinned:
            command = ["taskset", "-c", "0"] + command
        return json.loads(subprocess.check_output(command, text=True))["opsPerSecond"]

    def run_phe(op, pinned):
        os.sched_setaffinity(0, {0} if pinned else all_cpus)
        try:
            return timed(phe_ops[op], args.seconds)
        finally:
            os.sched_setaffinity(0, all_cpus)

    for round_index in range(args.rounds):
        for label, summa_op, count, phe_op, pinned, *key in rows:
            # Who goes first rotates every round, so that every side sees the same machine load.
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            for name in order:
                if name == "phe":
                    results[label][name].append(run_phe(phe_op, pinned))
                else:
                    binary = dict(summas)[name]
                    results[label][name].append(run_summa(summa_op, count, pinned, *(key or [None]), binary=binary))
            print("round %d: %s done" % (round_index + 1, label), file=sys.stderr)

    print("\n%d-bit key, %d rounds of %.1f s, median ops/s (phe 1.5 + gmpy2 %s in the same run)\n"
          % (args.bits, args.rounds, args.seconds, gmpy2_gmp()))
    print("| operation | " + " | ".join("%s ops/s" % name for name in names) + " | "
          + " | ".join("%s / phe" % name for name, _ in summas) + " |")
    print("| --- |" + " ---: |" * (2 * len(names) - 1))
    for label, *_ in rows:
        medians = {name: statistics.median(results[label][name]) for name in names}
        print("| %s | %s | %s |" % (label, " | ".join("%.4g" % medians[name] for name in names),
                                   " | ".join("%.2f×" % (medians[name] / medians["phe"]) for name, _ in summas)))
    if not args.no_peers:
        compare_peers(run_summa, summas, phe_ops, args)
    if args.gmp:
        gmp_floor(binaries, args)
    if args.cli_rows:
        compare_cli(summa, key_file.name, public, private, args)
    os.unlink(key_file.name)


def peer_operations(bits):
    """Encrypt, decrypt, add and multiply-by-7 closures for TNO's Paillier and LightPHE, each on a key of its own
    and on fresh, randomized ciphertexts (TNO with 2 decimals of precision, as Summa's 1234.56; LightPHE takes
    integers only)."""
    import warnings
    warnings.filterwarnings("ignore")  # TNO warns when a fresh ciphertext is used in an operation
    from tno.mpc.encryption_schemes.paillier import Paillier
    from lightphe import LightPHE
    tno = Paillier.from_security_parameter(key_length=bits, precision=2)
    light = LightPHE(algorithm_name="Paillier", key_size=bits)
    operations = {}
    for name, encrypt, decrypt in [
        ("TNO", lambda: tno.encrypt(1234.56), tno.decrypt),
        ("LightPHE", lambda: light.encrypt(plaintext=123456), light.decrypt),
    ]:
        fresh = encrypt()
        state = {"total": encrypt()}

        def add(state=state, fresh=fresh):
            state["total"] = state["total"] + fresh

        operations[name] = {
            "encrypt": encrypt,
            "decrypt": lambda decrypt=decrypt, fresh=fresh: decrypt(fresh),
            "add": add,
            "scalar-multiply": lambda fresh=fresh: fresh * 7,
        }
    return operations


def gmp_of(binary):
    """The GMP version a summa binary runs on, from `summa --version` ("0.1.0 (GMP 6.2.1)")."""
    version = subprocess.check_output([binary, "--version"], text=True).strip()
    return version.split("GMP ")[-1].rstrip(")") if "GMP " in version else "unknown"


def gmpy2_gmp():
    try:
        import gmpy2
        return "on GMP %s" % gmpy2.mp_version().split()[-1]
    except Exception:
        return ""


def gmp_floor(binaries, args):
    """Benchmarks/gmp-floor.c (one CRT half of a decryption: a 2048-bit modulus, a 1024-bit exponent) built against the
    GMP of each binary, pinned to one core, median seconds for 400 exponentiations over the rounds."""
    folder = tempfile.mkdtemp()
    source = os.path.join(ROOT, "Benchmarks", "gmp-floor.c")
    prefix = subprocess.check_output(
        ["bash", "-c", "cd .build-gmp-venv/lib/python3*/site-packages/cmeel.prefix && pwd"], cwd=ROOT, text=True).strip()
    builds = [("system GMP", ["gcc", "-O2", source, "-o", os.path.join(folder, "floor-system"), "-lgmp"]),
              ("GMP 6.3.0", ["gcc", "-O2", "-I", prefix + "/include", source, "-o", os.path.join(folder, "floor-63"),
                             "-L", prefix + "/lib", "-Wl,-rpath," + prefix + "/lib", "-lgmp"])]
    for _, command in builds:
        subprocess.check_call(command)
    programs = [os.path.join(folder, "floor-system"), os.path.join(folder, "floor-63")]
    times = {(program, mode): [] for program in programs for mode in ("powm", "powm_sec")}
    for round_index in range(args.rounds):
        for mode in ("powm", "powm_sec"):
            for program in (programs if round_index % 2 == 0 else programs[::-1]):
                start = time.perf_counter()
                subprocess.check_call(["taskset", "-c", "0", program, mode, "400"])
                times[(program, mode)].append(time.perf_counter() - start)
    print("\nThe GMP floor: 400 exponentiations with a 2048-bit modulus and a 1024-bit exponent, one core, median of %d rounds\n" % args.rounds)
    print("| operation | %s | %s | ratio |" % (builds[0][0], builds[1][0]))
    print("| --- | ---: | ---: | ---: |")
    for mode in ("powm", "powm_sec"):
        old, new = (statistics.median(times[(program, mode)]) for program in programs)
        print("| mpz_%s | %.2f s | %.2f s | %.2f× |" % (mode, old, new, old / new))


def compare_peers(run_summa, summas, phe_ops, args):
    """The four operations every peer has, each peer pinned to one core, rotating the order every round."""
    peers = peer_operations(args.bits)
    peers = {"phe": phe_ops, **peers}
    names = [name for name, _ in summas] + list(peers)
    operations = ["encrypt", "decrypt", "add", "scalar-multiply"]
    results = {op: {name: [] for name in names} for op in operations}
    all_cpus = os.sched_getaffinity(0)
    for round_index in range(args.rounds):
        for op in operations:
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            for name in order:
                if name in dict(summas):
                    results[op][name].append(run_summa(op, 0, True, binary=dict(summas)[name]))
                    continue
                os.sched_setaffinity(0, {0})
                try:
                    results[op][name].append(timed(peers[name][op], args.seconds))
                finally:
                    os.sched_setaffinity(0, all_cpus)
            print("peers round %d: %s done" % (round_index + 1, op), file=sys.stderr)
    print("\nThree peers, %d-bit keys, one core each, median ops/s of %d rounds of %.1f s\n" % (args.bits, args.rounds, args.seconds))
    ratio_names = [(summa, peer) for summa, _ in summas for peer in peers]
    print("| operation | " + " | ".join(names) + " | " + " | ".join("%s / %s" % pair for pair in ratio_names) + " |")
    print("| --- |" + " ---: |" * (len(names) + len(ratio_names)))
    for op in operations:
        medians = {name: statistics.median(results[op][name]) for name in names}
        ratios = " | ".join("%.2f×" % (medians[summa] / medians[peer]) for summa, peer in ratio_names)
        print("| %s | %s | %s |" % (op, " | ".join("%.4g" % medians[name] for name in names), ratios))


PHE_JOB = r"""
import csv, json, sys, phe
from phe import util
jwk = json.load(open(sys.argv[2]))
public = phe.PaillierPublicKey(util.base64_to_int(jwk["pub"]["n"]))
if sys.argv[1] == "encrypt":
    with open(sys.argv[3], newline="") as f:
        values = [float(row["amount"]) for row in csv.DictReader(f)]
    encrypted = [public.encrypt(v) for v in values]
    json.dump([{"v": str(e.ciphertext()), "e": e.exponent} for e in encrypted], open(sys.argv[4], "w"))
else:
    private = phe.PaillierPrivateKey(public, util.base64_to_int(jwk["p"]), util.base64_to_int(jwk["q"]))
    for item in json.load(open(sys.argv[3])):
        print(private.decrypt(phe.EncryptedNumber(public, int(item["v"]), item["e"])))
"""


def compare_cli(summa, key_path, public, private, args):
    """Whole jobs through the command line, pinned to one core, median wall time of the rounds."""
    folder = tempfile.mkdtemp()
    data = os.path.join(folder, "data.csv")
    with open(data, "w") as f:
        f.write("id,amount\n" + "".join("%d,%d.%02d\n" % (i, i * 37 % 10000, i % 100) for i in range(args.cli_rows)))
    job = os.path.join(folder, "phe_job.py")
    open(job, "w").write(PHE_JOB)
    public_path = os.path.join(folder, "public.jwk")
    json.dump(json.load(open(key_path))["pub"], open(public_path, "w"))
    fast_key = os.path.join(folder, "fast.json")
    subprocess.check_call([summa, "keygen", "--bits", str(args.bits), "--fast", "--out", fast_key], stderr=subprocess.DEVNULL)

    def wall(command):
        start = time.perf_counter()
        subprocess.check_call(["taskset", "-c", "0"] + command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    out = lambda name: os.path.join(folder, name)
    rows = args.cli_rows
    # Summa writes pheutil's ciphertexts, one per value, as the script does (--format phe); the last encryption row
    # is Summa's default, packed binary file, which python-paillier has no equivalent of.
    summa_encrypt = [summa, "encrypt", "--column", "amount", data, "--format", "phe", "--key"]
    phe_encrypt = [sys.executable, job, "encrypt", key_path, data, out("p.json")]
    jobs = [
        ("encrypt %d rows, pheutil key" % rows, summa_encrypt + [public_path, "--out", out("s.json")], phe_encrypt),
        ("encrypt %d rows, pheutil key, `--fast` (base drawn, table built)" % rows,
         summa_encrypt + [public_path, "--fast", "--out", out("d.json")], phe_encrypt),
        ("encrypt %d rows, Summa fast key (published base)" % rows,
         summa_encrypt + [fast_key, "--out", out("f.json")], phe_encrypt),
        ("encrypt %d rows, pheutil key, `--fast`, packed binary" % rows,
         [summa, "encrypt", "--column", "amount", data, "--key", public_path, "--fast", "--out", out("b.bin")],
         phe_encrypt),
        ("decrypt %d rows" % rows,
         [summa, "decrypt", "--key", key_path, out("s.json")],
         [sys.executable, job, "decrypt", key_path, out("p.json")]),
    ]
    times = {label: ([], []) for label, *_ in jobs}
    for round_index in range(args.rounds):
        for label, summa_command, phe_command in jobs:
            order = [0, 1] if round_index % 2 == 0 else [1, 0]
            for side in order:
                times[label][side].append(wall(summa_command if side == 0 else phe_command))
    print("\nWhole jobs through the command line, pinned to one core (median wall seconds, %d rounds)\n" % args.rounds)
    print("| job | summa s | python-paillier script s | speed-up |")
    print("| --- | ---: | ---: | ---: |")
    for label, *_ in jobs:
        summa_median, phe_median = statistics.median(times[label][0]), statistics.median(times[label][1])
        print("| %s | %.2f | %.2f | %.2f× |" % (label, summa_median, phe_median, phe_median / summa_median))


if __name__ == "__main__":
    main()
