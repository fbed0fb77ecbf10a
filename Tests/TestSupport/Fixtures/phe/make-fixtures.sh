#!/usr/bin/env bash
# How these python-paillier fixtures were made (phe 1.5.0, click 8): in a virtual environment with
#   pip install phe click
# run this script from this folder. Each file is what pheutil (or phe's own serialisation, for the array) wrote.
set -euo pipefail
pheutil genpkey --keysize 2048 --id fixture private.jwk.json
pheutil extract private.jwk.json public.jwk.json
pheutil genpkey --keysize 2048 other-private.jwk.json
pheutil extract other-private.jwk.json other-public.jwk.json
pheutil encrypt public.jwk.json 1234.56 --output ct-1234.56.json
pheutil encrypt public.jwk.json --output ct-minus-0.5.json -- -0.5
pheutil encrypt public.jwk.json 42 --output ct-42.json
pheutil encrypt other-public.jwk.json 7 --output other-ct-7.json
pheutil addenc public.jwk.json ct-1234.56.json ct-minus-0.5.json --output ct-sum-1234.06.json
# A column as a JSON array of {"v","e"} objects, serialised exactly as pheutil serialises one number.
python3 - <<'PY'
import json, phe
from phe.command_line import load_public_key, serialise_encrypted
pub = load_public_key(json.load(open("public.jwk.json")))
values = [10.25, -3.5, 0, 1e-3, 250000.75]
with open("column-5.json", "w") as f:
    f.write("[" + ", ".join(serialise_encrypted(pub.encrypt(v)) for v in values) + "]\n")
PY
