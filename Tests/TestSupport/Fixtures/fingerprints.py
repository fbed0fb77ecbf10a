#!/usr/bin/env python3
"""Key fingerprints computed with Python's hashlib (a second implementation of docs/formats.md#key-fingerprints).

    python3 fingerprints.py deal-512 other-deal-512   (from this folder)
        rewrites each deal's public.json and party-*.json at format version 2 with the threshold fingerprint this
        script computes, keeping every other member as it is: loading the fixtures then checks Summa's fingerprint.
    python3 fingerprints.py --fast N H
        prints the fingerprint of a fast Paillier key with modulus N and base H (decimal).
"""
import base64, hashlib, json, os, sys

def int_bytes(x):
    return x.to_bytes((x.bit_length() + 7) // 8, "big")  # no leading zeros; 0 gives no bytes

def fingerprint(label, items):
    h = hashlib.sha256()
    for item in [label.encode()] + items:
        h.update(len(item).to_bytes(4, "big") + item)
    return "sha256:" + h.hexdigest()

def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

def threshold_fingerprint(key):
    items = [int_bytes(int(key["n"])), int_bytes(key["parties"]), int_bytes(key["threshold"]), int_bytes(int(key["v"]))]
    items += [int_bytes(int(v)) for v in key["verificationKeys"]]
    items += [b64url(k) for k in key["signingKeys"]]
    return fingerprint("summa/key-fingerprint/threshold/v1", items)

def fast_fingerprint(n, base):
    return fingerprint("summa/key-fingerprint/paillier-fast/v1", [int_bytes(n), int_bytes(base)])

def upgrade(key):
    key["version"] = 2
    key["fingerprint"] = threshold_fingerprint(key)

def rewrite(path, change):
    with open(path) as f:
        document = json.load(f)
    change(document)
    with open(path, "w") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")

if __name__ == "__main__":
    if sys.argv[1] == "--fast":
        print(fast_fingerprint(int(sys.argv[2]), int(sys.argv[3])))
        sys.exit()
    for folder in sys.argv[1:]:
        rewrite(os.path.join(folder, "public.json"), upgrade)
        for name in sorted(os.listdir(folder)):
            if name.startswith("party-"):
                def share(document):
                    document["version"] = 2
                    upgrade(document["publicKey"])
                rewrite(os.path.join(folder, name), share)
