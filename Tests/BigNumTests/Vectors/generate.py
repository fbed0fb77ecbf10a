#!/usr/bin/env python3
"""Known-answer vectors for BigNum, computed with Python's own big integers (a second implementation):
pow(), divmod(), math.gcd(), pow(a, -1, m) and base64.urlsafe_b64encode.
Regenerate with: python3 Tests/BigNumTests/Vectors/generate.py > Tests/BigNumTests/Vectors/arithmetic.json
"""
import base64, json, math, random

rng = random.Random(20261122)  # fixed seed: the file is reproducible

def trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q

def b64url(x):
    raw = x.to_bytes((x.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

cases = []
for bits in [8, 63, 64, 65, 127, 512, 1024, 2048, 3072, 4096]:
    for _ in range(4):
        a = rng.getrandbits(bits) * rng.choice([1, -1])
        b = (rng.getrandbits(bits // 2 + 1) | 1) * rng.choice([1, -1])
        m = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        e = rng.getrandbits(bits)
        case = {
            "a": str(a), "b": str(b), "m": str(m), "e": str(e),
            "sum": str(a + b), "difference": str(a - b), "product": str(a * b),
            "quotient": str(trunc_div(a, b)), "remainder": str(a - trunc_div(a, b) * b),
            "floorQuotient": str(a // b), "floorRemainder": str(a % b),
            "mod": str(a % m), "powm": str(pow(a % m, e, m)), "gcd": str(math.gcd(a, b)),
            "hex": format(abs(a), "x"), "base64url": b64url(abs(a)),
        }
        try:
            case["inverse"] = str(pow(a, -1, m))
        except ValueError:
            case["inverse"] = None
        cases.append(case)
json.dump({"source": "Python %s big integers" % "3", "cases": cases}, __import__("sys").stdout, indent=1)
