#!/usr/bin/env python3
"""Known-answer vectors for Summa's private join, computed by a second implementation of P-256 (OpenSSL, through
the `cryptography` package): hashing an identifier to the curve by try-and-increment, and blinding by fixed scalars.

    python3 scripts/join-vectors.py > Tests/PrivateJoinTests/Vectors/join-p256.json

The hash: for counter c = 0, 1, ..., x = SHA-256("summa/join/hash-to-p256/v1\\n" || c as 4 bytes big-endian ||
identifier's UTF-8 bytes); the first x that is the x-coordinate of a point is the identifier's point (of even y).
Blinding by k: the x-coordinate of k times that point (an ECDH shared secret)."""
import hashlib
import json
import unicodedata

from cryptography.hazmat.primitives.asymmetric import ec

DOMAIN = b"summa/join/hash-to-p256/v1\n"
CURVE = ec.SECP256R1()


def point(x: bytes):
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, b"\x02" + x)
    except ValueError:
        return None


def hash_to_curve(identifier: bytes):
    counter = 0
    while True:
        candidate = hashlib.sha256(DOMAIN + counter.to_bytes(4, "big") + identifier).digest()
        if point(candidate) is not None:
            return candidate, counter
        counter += 1


def blind(scalar: int, x: bytes) -> bytes:
    key = ec.derive_private_key(scalar, CURVE)
    return key.exchange(ec.ECDH(), point(x))


def normalize(text: str, fold: bool) -> bytes:
    text = text.strip()
    if fold:
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode()


scalars = [int.from_bytes(hashlib.sha256(b"summa join vector scalar %d" % i).digest(), "big") % (2**256 - 2**224) + 1
           for i in range(2)]
identifiers = ["alice@example.com", "  Bob@Example.COM ", "E\u0301ve@example.com", "\u00c9ve@example.com", "顧客-0042", ""]
vectors = []
for text in identifiers:
    for fold in (False, True):
        normalized = normalize(text, fold)
        if not normalized:
            continue
        x, tries = hash_to_curve(normalized)
        a = blind(scalars[0], x)
        vectors.append({
            "identifier": text, "case-fold": fold, "normalized": normalized.hex(), "point": x.hex(), "counter": tries,
            "blinded": [a.hex(), blind(scalars[1], x).hex()], "double": blind(scalars[1], a).hex(),
        })
print(json.dumps({"scalars": ["%064x" % k for k in scalars], "vectors": vectors}, indent=1, ensure_ascii=False))
