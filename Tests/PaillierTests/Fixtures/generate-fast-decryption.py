#!/usr/bin/env python3
"""Known-answer vectors for fast-decryption keys (Ma, Han and Lei, ACSAC 2021), made independently of Summa with
Python's integers, pow() and its own Miller–Rabin test: P = 2·p0·p1 + 1 and Q = 2·q0·q1 + 1 with p0, q0 primes of
l/2 bits and p1, q1 odd, all four pairwise coprime; n = P·Q; the base hs = (−y^(2·p1·q1))^n mod n² for a random
unit y; encryption c = (1 + m·n)·hs^r mod n² with an l-bit r; decryption m = L_P(c^(2·p0) mod P²)·(2·p0·Q)⁻¹ mod P,
likewise mod Q, joined by the CRT. Each vector's decryption is checked both that way and with λ = lcm(P − 1, Q − 1),
so the file holds only answers two methods agree on.

    python3 generate-fast-decryption.py      (from this folder; writes fast-decryption-512.json and -2048.json)

512 bits (l = 128) is insecure and for tests only; 2048 bits uses the paper's l = 448.
"""
import json, math, random

rng = random.Random(20211206)  # fixed seed: the same file every time

SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def is_probable_prime(n, rounds=40):
    if n < 2:
        return False
    for p in SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(rounds):
        a = rng.randrange(2, n - 1)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def random_prime(bits):
    while True:
        candidate = rng.getrandbits(bits) | (1 << (bits - 1)) | 1
        if is_probable_prime(candidate):
            return candidate


def structured_prime(order, bits):
    """A prime P = 2·order·cofactor + 1 of exactly `bits` bits, cofactor odd; returns (P, cofactor)."""
    cofactor_bits = bits - order.bit_length() - 1
    while True:
        cofactor = rng.getrandbits(cofactor_bits) | (1 << (cofactor_bits - 1)) | 1
        prime = 2 * order * cofactor + 1
        if prime.bit_length() == bits and is_probable_prime(prime):
            return prime, cofactor


def key(bits, l):
    while True:
        p0, q0 = random_prime(l // 2), random_prime(l // 2)
        P, p1 = structured_prime(p0, bits // 2)
        Q, q1 = structured_prime(q0, bits // 2)
        n = P * Q
        coprime = all(math.gcd(a, b) == 1 for a, b in [(p0, q0), (p0, p1), (p0, q1), (q0, p1), (q0, q1), (p1, q1)])
        if p0 != q0 and P != Q and n.bit_length() == bits and coprime and math.gcd(n, (P - 1) * (Q - 1)) == 1:
            return n, P, Q, p0, q0, p1 * q1


def vectors(bits, l, name):
    n, P, Q, p0, q0, beta = key(bits, l)
    n2 = n * n
    while True:
        y = rng.randrange(2, n)
        if math.gcd(y, n) == 1:
            break
    hs = pow((-pow(y, 2 * beta, n)) % n, n, n2)
    lam = (P - 1) * (Q - 1) // math.gcd(P - 1, Q - 1)
    mu = pow((pow(1 + n, lam, n2) - 1) // n, -1, n)
    cases = []
    for m in [0, 1, 2, n - 1, n // 3 - 1, rng.randrange(n), rng.randrange(n), 123456]:
        r = rng.getrandbits(l)
        c = (1 + m * n) * pow(hs, r, n2) % n2
        by_lambda = (pow(c, lam, n2) - 1) // n * mu % n
        halves = []
        for prime, order, other in [(P, p0, Q), (Q, q0, P)]:
            u = pow(c, 2 * order, prime * prime)
            assert (u - 1) % prime == 0
            halves.append((u - 1) // prime * pow(2 * order * other, -1, prime) % prime)
        by_halves = (halves[0] + P * ((halves[1] - halves[0]) * pow(P, -1, Q) % Q)) % n
        assert by_lambda == by_halves == m
        cases.append({"m": str(m), "r": str(r), "c": str(c)})
    # A standard ciphertext (r^n for a uniform r) under the same key: its P-part is not killed by 2·p0, so a
    # fast-decryption key must notice and decrypt it the standard way.
    r = rng.randrange(2, n)
    standard = {"m": "77", "r": str(r), "c": str((1 + 77 * n) * pow(r, n, n2) % n2)}
    assert (pow(int(standard["c"]), 2 * p0, P * P) - 1) % P != 0
    with open(name, "w") as f:
        json.dump({"bits": bits, "shortExponentBits": l, "n": str(n), "p": str(P), "q": str(Q),
                   "pSubgroupOrder": str(p0), "qSubgroupOrder": str(q0), "fastBase": str(hs),
                   "encryptions": cases, "standardEncryption": standard}, f, indent=1)


vectors(512, 128, "fast-decryption-512.json")
vectors(2048, 448, "fast-decryption-2048.json")
