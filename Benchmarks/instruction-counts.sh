#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind: repeatable where wall clocks are noisy) for the two speed targets
# Summa misses, docs/benchmarks.md: constant-time decryption (mpz_powm_sec against python-paillier's mpz_powm) and
# one addition (GMP's multiplication + reduction mod n² against python-paillier's whole `a + b`).
# Needs gcc, valgrind, libgmp-dev and the venv of compare-peers.py (run that once). Swift binaries are not measured
# here: valgrind 3.19 cannot read their DWARF 5 debug info and crashes without it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -O2 Benchmarks/gmp-floor.c -o "$work/gmp-floor" -lgmp

count() {  # instructions of a command, from callgrind's summary line
    valgrind --tool=callgrind --callgrind-out-file="$work/out" "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,
}
per_op() {  # (instructions with n ops − with 0 ops) / n
    local n=$1; shift
    echo $(( ($(count "$@" "$n") - $(count "$@" 0)) / n ))
}

echo "instructions per operation"
echo "  powm     2048-bit modulus, 1024-bit exponent: $(per_op 20 "$work/gmp-floor" powm)"
echo "  powm_sec 2048-bit modulus, 1024-bit exponent: $(per_op 20 "$work/gmp-floor" powm_sec)"
echo "  mul + mod (mpz_mod)    4096 bits: $(per_op 2000 "$work/gmp-floor" add)"
echo "  mul + Montgomery REDC  4096 bits: $(per_op 2000 "$work/gmp-floor" redc)"
echo "  python-paillier a + b  2048-bit n: $(per_op 2000 .build-bench-venv/bin/python Benchmarks/phe-add.py)"
