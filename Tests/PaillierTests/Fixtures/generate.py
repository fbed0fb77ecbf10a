#!/usr/bin/env python3
"""Known-answer vectors for Paillier, computed with Python's pow() (a second implementation) on keys from
python-paillier. Keys: the 2048-bit key is pheutil's fixture key in Tests/SummaTests/Fixtures/phe/private.jwk.json;
the 3072-bit and 512-bit (insecure, tests only) keys are phe.generate_paillier_keypair(n_length=...).
Regenerate (needs `pip install phe`): python3 generate.py   (from this folder)
"""
import base64, json, random, phe

rng = random.Random(7)  # fixed seed for the vectors

def b64_to_int(s):
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")

def vectors(n, p, q, name):
    n2 = n * n
    x = rng.randrange(2, n)
    h = (-x * x) % n
    hs = pow(h, n, n2)
    cases = []
    for m in [0, 1, 2, n - 1, n // 3 - 1, rng.randrange(n), rng.randrange(n), 123456]:
        r = rng.randrange(1, n)
        cases.append({"m": str(m), "r": str(r), "c": str((1 + m * n) * pow(r, n, n2) % n2)})
    fast = []
    half = (n.bit_length() + 1) // 2
    for m in [0, 5, n - 5, rng.randrange(n)]:
        a = rng.getrandbits(half)
        fast.append({"m": str(m), "a": str(a), "c": str((1 + m * n) * pow(hs, a, n2) % n2)})
    with open(name, "w") as f:
        json.dump({"n": str(n), "p": str(p), "q": str(q), "fastBase": str(hs),
                   "encryptions": cases, "fastEncryptions": fast}, f, indent=1)

priv = json.load(open("../../SummaTests/Fixtures/phe/private.jwk.json"))
p, q = b64_to_int(priv["p"]), b64_to_int(priv["q"])
vectors(p * q, p, q, "kat-2048.json")
for bits in [512, 3072]:
    pub, sk = phe.generate_paillier_keypair(n_length=bits)
    vectors(pub.n, sk.p, sk.q, "kat-%d.json" % bits)
