#!/usr/bin/env python3
"""Fixture safe primes for the threshold tests, found with gmpy2 (a second implementation: GMP's
mpz_probab_prime_p through Python, with our own sieve-free search) so that tests never wait for dealing.
Each pair (p, q) gives n = p·q of the named size. Regenerate: python3 generate-safe-primes.py > safe-primes.json
(needs `pip install gmpy2`).
"""
import json, secrets, gmpy2

def safe_prime(bits):
    while True:
        q = gmpy2.mpz(secrets.randbits(bits - 1)) | (3 << (bits - 3)) | 1  # p = 2q + 1 gets its two top bits set
        if gmpy2.is_prime(q, 30) and gmpy2.is_prime(2 * q + 1, 30):
            return int(2 * q + 1)

out = {}
for n_bits in [512, 1024, 2048]:
    p = safe_prime(n_bits // 2)
    q = safe_prime(n_bits // 2)
    while q == p:
        q = safe_prime(n_bits // 2)
    assert (p * q).bit_length() == n_bits
    out[str(n_bits)] = {"p": str(p), "q": str(q)}
json.dump(out, __import__("sys").stdout, indent=1)
