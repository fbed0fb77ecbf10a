#!/usr/bin/env python3
"""Key fingerprints computed with Python's hashlib (a second implementation of docs/formats.md#key-fingerprints).

    python3 fingerprints.py deal-512 other-deal-512   (from this folder)
        rewrites each deal's public.json and party-*.json at format version 3 with the threshold fingerprint this
        script computes, keeping every other member as it is: loading the fixtures then checks Summa's fingerprint.
        A deal without a coordinator key (one made before version 3) gets one: an Ed25519 key pair made by the
        openssl command, written to coordinator.json and named in every copy of the public key.
    python3 fingerprints.py --fast N H
        prints the fingerprint of a fast Paillier key with modulus N and base H (decimal).
    python3 fingerprints.py --fast-decryption-key VECTORS OUT
        writes a summa.private-key document (version 3) for the fast-decryption key of a known-answer file of
        Tests/PaillierTests/Fixtures (generate-fast-decryption.py), with the fingerprint this script computes.
"""
import base64, hashlib, json, os, subprocess, sys

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
    items += [b64url(k) for k in key["signingKeys"]] + [b64url(key["coordinatorKey"])]
    return fingerprint("summa/key-fingerprint/threshold/v2", items)

def fast_fingerprint(n, base):
    return fingerprint("summa/key-fingerprint/paillier-fast/v1", [int_bytes(n), int_bytes(base)])

def fast_decryption_fingerprint(n, base, l):
    return fingerprint("summa/key-fingerprint/paillier-fast-decryption/v1", [int_bytes(n), int_bytes(base), int_bytes(l)])

def fast_decryption_private_key(vectors):
    n, base, l = int(vectors["n"]), int(vectors["fastBase"]), vectors["shortExponentBits"]
    public = {"format": "summa.public-key", "version": 3, "fingerprint": fast_decryption_fingerprint(n, base, l),
              "bits": n.bit_length(), "n": str(n), "fastEncryptionBase": str(base), "shortExponentBits": l}
    return {"format": "summa.private-key", "version": 3, "publicKey": public, "p": vectors["p"], "q": vectors["q"],
            "pSubgroupOrder": vectors["pSubgroupOrder"], "qSubgroupOrder": vectors["qSubgroupOrder"]}

def b64url_encode(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")

def ed25519_key_pair():
    """A new Ed25519 key pair as raw 32-byte (private, public), from openssl's DER encodings (PKCS#8 and SPKI end
    with the raw key)."""
    private_der = subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-outform", "DER"],
                                 check=True, capture_output=True).stdout
    public_der = subprocess.run(["openssl", "pkey", "-inform", "DER", "-pubout", "-outform", "DER"],
                                input=private_der, check=True, capture_output=True).stdout
    return private_der[-32:], public_der[-32:]

def upgrade(key, coordinator_key):
    key["version"] = 3
    key["coordinatorKey"] = coordinator_key
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
    if sys.argv[1] == "--fast-decryption-key":
        with open(sys.argv[2]) as f:
            document = fast_decryption_private_key(json.load(f))
        with open(sys.argv[3], "w") as f:
            json.dump(document, f, indent=2)
            f.write("\n")
        sys.exit()
    for folder in sys.argv[1:]:
        with open(os.path.join(folder, "public.json")) as f:
            coordinator_key = json.load(f).get("coordinatorKey")
        coordinator_path = os.path.join(folder, "coordinator.json")
        if coordinator_key is None:
            private, public = ed25519_key_pair()
            coordinator_key = b64url_encode(public)
            with open(coordinator_path, "w") as f:
                json.dump({"format": "summa.coordinator-key", "version": 3, "publicKey": {},
                           "signingKey": b64url_encode(private)}, f)
        rewrite(os.path.join(folder, "public.json"), lambda key: upgrade(key, coordinator_key))
        with open(os.path.join(folder, "public.json")) as f:
            public_key = json.load(f)
        for name in sorted(os.listdir(folder)):
            if name.startswith("party-") or name == "coordinator.json":
                def holder(document):
                    document["version"] = 3
                    if name == "coordinator.json":
                        document["publicKey"] = public_key
                    else:
                        upgrade(document["publicKey"], coordinator_key)
                rewrite(os.path.join(folder, name), holder)
