#!/usr/bin/env python3
"""Federated logistic regression between summa parties, on data nobody here wrote: the Wisconsin breast-cancer data
bundled with scikit-learn (569 tumours, 30 features), its training rows split among the parties.

    python3 scripts/federated-logistic.py [--parties 5] [--rounds 30] [--epsilons 1,8] [--bits 2048] [--summa PATH]
                                          [--work-dir DIR]

Needs numpy and scikit-learn (`pip install scikit-learn`). Every number a party shares goes through a `summa`
session over loopback TLS: a coordinator and one `summa party --vector` process per party, under one threshold key
dealt at the start.

1. Standardization: one session sums every party's per-feature Σx and Σx² and its row count, so that all parties
   scale their features by the pooled mean and standard deviation without showing their rows.
2. Training: each round, each party computes the gradient of the logistic loss summed over its own rows (30 weights
   and the bias) and contributes it to a packed session; only the sum is decrypted, and every party takes the same
   step with it: w ← w − η·(Σ gradients / n + λ·w).
3. Differential privacy: the same training, but each round's session asks every party to clip its gradient to an L2
   norm and add distributed discrete Gaussian noise (`summa coordinate --epsilon ε --delta δ --clip-norm c`), so that
   each round's sum is (ε, δ)-DP for one party's gradient; the script prints the total over the rounds by zCDP
   composition (ρ adds up).

It prints the held-out accuracy per round for the federated model, for the same model trained centrally on the
pooled rows (the same steps in numpy), and for the DP runs at each ε, and exits 1 if the federated model's final
weights differ from the central ones beyond the rounding of the sessions' decimals.
"""
import argparse, json, math, os, re, shutil, subprocess, sys, tempfile

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCALE = 6          # decimals of every shared number
LEARNING_RATE = 1.0
L2_PENALTY = 1e-3
DELTA = 1e-5
CLIP = 20.0        # the L2 norm a party's gradient sum is clipped to in the DP runs


def decimal(value):
    return f"{value:.{SCALE}f}"


class Sessions:
    """Runs summa sessions among the parties on 127.0.0.1, under one dealt key."""

    def __init__(self, summa, parties, bits, work):
        self.summa, self.parties, self.work = summa, parties, work
        self.insecure = ["--insecure-test-key"] if bits < 2048 else []
        if self.insecure:
            os.environ["SUMMA_INSECURE_TEST_KEYS"] = "1"
        self.keys = os.path.join(work, "keys")
        subprocess.run([summa, "deal", "--parties", str(parties), "--threshold", str(parties // 2 + 1), "--bits", str(bits),
                        "--out-dir", self.keys, "--force", *self.insecure], check=True, capture_output=True)
        self.count = 0

    def sum(self, vectors, coordinator_options):
        """The sums of the parties' vectors (lists of floats), and the coordinator's standard error."""
        self.count += 1
        files = []
        for party, vector in enumerate(vectors, start=1):
            path = os.path.join(self.work, f"session{self.count}-party{party}.txt")
            with open(path, "w") as out:
                out.write("".join(decimal(v) + "\n" for v in vector))
            files.append(path)
        coordinator = subprocess.Popen(
            [self.summa, "coordinate", "--listen", "127.0.0.1:0", "--key", os.path.join(self.keys, "coordinator.json"),
             "--timeout", "600", "--scale", str(SCALE), "--length", str(len(vectors[0])), "--json", *coordinator_options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        early = []
        while True:
            line = coordinator.stderr.readline()
            if not line:
                sys.exit("the coordinator ended before listening: " + "".join(early))
            early.append(line)
            found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
            if found:
                port = found.group(1)
                break
        parties = [subprocess.Popen([self.summa, "party", "--connect", f"127.0.0.1:{port}", "--key",
                                     os.path.join(self.keys, f"party-{party}.json"), "--vector", path, "--timeout", "600"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for party, path in enumerate(files, start=1)]
        # Not communicate(): it reads the raw pipes, losing what readline() above already buffered (the line after
        # "listening on"). Standard output is small; standard error is a few log lines.
        out, err = coordinator.stdout.read(), coordinator.stderr.read()
        coordinator.wait()
        for party in parties:
            _, party_err = party.communicate()
            if party.returncode != 0:
                sys.exit(f"a party failed: {party_err}")
        if coordinator.returncode != 0:
            sys.exit("the session failed: " + "".join(early) + err)
        return [float(s) for s in json.loads(out)["sums"]], "".join(early) + err


def gradient_sum(w, x, y):
    """Σ over the rows of the logistic loss's gradient, bias last."""
    p = 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))
    return np.append(x.T @ (p - y), np.sum(p - y))


def accuracy(w, x, y):
    return float(np.mean(((x @ w[:-1] + w[-1]) > 0) == y))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parties", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--epsilons", default="1,8", help="per-round ε of the DP runs, comma-separated (empty: none)")
    parser.add_argument("--bits", type=int, default=2048)
    parser.add_argument("--summa", default=os.path.join(ROOT, ".build/release/summa"))
    parser.add_argument("--work-dir")
    options = parser.parse_args()
    work = options.work_dir or tempfile.mkdtemp(prefix="summa-federated-")
    os.makedirs(work, exist_ok=True)

    data = load_breast_cancer()
    x_train, x_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.2, random_state=0, stratify=data.target)
    shards = np.array_split(np.random.default_rng(0).permutation(len(x_train)), options.parties)
    parts = [(x_train[i], y_train[i]) for i in shards]
    sessions = Sessions(options.summa, options.parties, options.bits, work)
    features = x_train.shape[1]

    # 1. Pooled mean and standard deviation from summed Σx, Σx² and counts (to 6 decimals: Σx² of the raw features
    # needs no more).
    sums, _ = sessions.sum([list(x.sum(axis=0)) + list((x ** 2).sum(axis=0)) + [len(x)] for x, _ in parts], [])
    n = sums[-1]
    mean = np.array(sums[:features]) / n
    std = np.sqrt(np.maximum(np.array(sums[features:2 * features]) / n - mean ** 2, 1e-12))
    central_mean, central_std = x_train.mean(axis=0), x_train.std(axis=0)
    standardized = [((x - mean) / std, y) for x, y in parts]
    test = (x_test - mean) / std

    def train(kind, epsilon=None):
        """The weights after the rounds, the test accuracy after each, and (DP) the coordinator's noise line."""
        w = np.zeros(features + 1)
        history, noise_line = [], ""
        for _ in range(options.rounds):
            if kind == "central":
                g = gradient_sum(w, (x_train - central_mean) / central_std, y_train)
            else:
                vectors = [list(gradient_sum(w, x, y)) for x, y in standardized]
                if epsilon is None:
                    extra = ["--bound", str(10 ** 4)]
                else:
                    extra = ["--epsilon", f"{epsilon:f}", "--delta", f"{DELTA:f}", "--clip-norm", f"{CLIP:f}"]
                total, err = sessions.sum(vectors, extra)
                g = np.array(total)
                noise_line = noise_line or next((l for l in err.splitlines() if "each party adds" in l), "")
            w = w - LEARNING_RATE * (g / n + L2_PENALTY * w)
            x_eval = (x_test - central_mean) / central_std if kind == "central" else test
            history.append(accuracy(w, x_eval, y_test))
        return w, history, noise_line

    federated_w, federated, _ = train("federated")
    central_w, central, _ = train("central")
    private = {}
    for epsilon in [float(e) for e in options.epsilons.split(",") if e]:
        _, private[epsilon], noise_line = train("private", epsilon)
        # Per round: ρ from ε = ρ + 2√(ρ ln(1/δ)); over the rounds ρ adds up.
        root = math.sqrt(math.log(1 / DELTA) + epsilon) - math.sqrt(math.log(1 / DELTA))
        rho = root * root * options.rounds
        total = rho + 2 * math.sqrt(rho * math.log(1 / DELTA))
        print(f"DP run, ε = {epsilon:g} per round ({total:.1f} over {options.rounds} rounds, δ = {DELTA:g}): {noise_line}")

    print(f"\n{options.parties} parties, {len(x_train)} training and {len(x_test)} test rows, {options.bits}-bit key, "
          f"{sessions.count} summa sessions\n")
    header = ["round", "federated", "central"] + [f"DP ε={e:g}/round" for e in private]
    print("  ".join(f"{h:>16}" for h in header))
    for r in range(options.rounds):
        row = [str(r + 1), f"{federated[r]:.4f}", f"{central[r]:.4f}"] + [f"{private[e][r]:.4f}" for e in private]
        print("  ".join(f"{c:>16}" for c in row))
    difference = float(np.max(np.abs(federated_w - central_w)))
    print(f"\nlargest difference between the federated and central weights: {difference:.2e}")
    if not options.work_dir:
        shutil.rmtree(work)
    if difference > 1e-3:
        sys.exit("the federated model is not the central one")


if __name__ == "__main__":
    main()
