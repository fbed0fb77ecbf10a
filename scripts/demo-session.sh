#!/usr/bin/env bash
# A whole multi-party session on this machine: 5 banks generate a 3-of-5 key together (no dealer), bank 5 then drops
# out, and the other four sum their private values through a coordinator who sees none of them. Narrated step by step.
#   bash scripts/demo-session.sh [--bits 2048]
set -euo pipefail
cd "$(dirname "$0")/.."
bits=2048
[ "${1:-}" = "--bits" ] && bits="$2"
swift build -c release --product summa >&2
summa=".build/release/summa"
dir=$(mktemp -d)
trap 'rm -rf "$dir"; kill $(jobs -p) 2>/dev/null || true' EXIT

echo "1. Five banks and a coordinator each make an identity and agree on a roster (3 of 5 decrypt, $bits bits), then"
echo "   generate the threshold key together: no one, the coordinator included, ever holds p, q or another's share."
mkdir -p "$dir/keys"
for name in bank-1 bank-2 bank-3 bank-4 bank-5 coordinator; do
    "$summa" identity --name "$name" --out "$dir/keys/$name.json" --public-out "$dir/keys/$name.pub.json" > /dev/null
done
echo "   \$ summa roster --party bank-1.pub.json … --party bank-5.pub.json --coordinator coordinator.pub.json --threshold 3 --out roster.json"
"$summa" roster $(for i in 1 2 3 4 5; do echo --party "$dir/keys/bank-$i.pub.json"; done) --coordinator "$dir/keys/coordinator.pub.json" \
    --threshold 3 --bits "$bits" --out "$dir/keys/roster.json" 2>&1 | sed 's/^/   /'
echo "   \$ summa coordinate --keygen --roster roster.json --identity coordinator.json --out public.json --listen 127.0.0.1:0"
"$summa" coordinate --keygen --roster "$dir/keys/roster.json" --identity "$dir/keys/coordinator.json" --out "$dir/keys/public.json" \
    --listen 127.0.0.1:0 --timeout 120 > "$dir/keygen.out" 2> "$dir/keygen.err" &
keygen=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/keygen.err" 2>/dev/null && break; sleep 0.1; done
keygen_port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$dir/keygen.err")
echo "   \$ summa party --keygen --roster roster.json --identity bank-i.json --out bank-i-share.json --connect 127.0.0.1:$keygen_port   (each bank)"
for i in 1 2 3 4 5; do
    "$summa" party --keygen --roster "$dir/keys/roster.json" --identity "$dir/keys/bank-$i.json" --out "$dir/keys/bank-$i-share.json" \
        --connect "127.0.0.1:$keygen_port" --timeout 300 > "$dir/keygen-$i.out" 2>&1 &
done
wait "$keygen"
sed 's/^/   /' "$dir/keygen.out"
wait

echo
echo "2. The coordinator listens (TLS: it proves the roster's coordinator identity, banks theirs); it will"
echo "   only ever see ciphertexts, proofs and the result. Every amount must lie in -10000 to 10000, and every bank"
echo "   proves in zero knowledge that its own does."
echo "   \$ summa coordinate --listen 127.0.0.1:0 --key public.json --identity coordinator.json --timeout 5 --transcript run.jsonl --range -10000:10000"
"$summa" coordinate --listen 127.0.0.1:0 --key "$dir/keys/public.json" --identity "$dir/keys/coordinator.json" --timeout 5 --transcript "$dir/run.jsonl" --range -10000:10000 \
    > "$dir/coordinator.out" 2> "$dir/coordinator.err" &
coordinator=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/coordinator.err" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$dir/coordinator.err")
grep "listening on" "$dir/coordinator.err" | sed 's/^/   /'

echo
echo "3. Four banks contribute private amounts; bank 3 contributes a CSV column (its sum and row count)."
printf 'amount\n10.00\n20.50\n' > "$dir/bank3.csv"
values=("1234.56" "-0.56" "" "100")
for i in 1 2 3 4; do
    if [ "$i" = 3 ]; then
        echo "   \$ summa party --connect 127.0.0.1:$port --key bank-3-share.json --identity bank-3.json --csv bank3.csv --column amount"
        "$summa" party --connect "127.0.0.1:$port" --key "$dir/keys/bank-3-share.json" --identity "$dir/keys/bank-3.json" --csv "$dir/bank3.csv" --column amount \
            > "$dir/party-3.out" 2>&1 &
    else
        echo "   \$ summa party --connect 127.0.0.1:$port --key bank-$i-share.json --identity bank-$i.json --value ${values[$((i - 1))]}"
        "$summa" party --connect "127.0.0.1:$port" --key "$dir/keys/bank-$i-share.json" --identity "$dir/keys/bank-$i.json" --value "${values[$((i - 1))]}" \
            > "$dir/party-$i.out" 2>&1 &
    fi
done
echo "   (bank 5 never shows up: after 5 seconds the coordinator goes on without it)"
wait "$coordinator"

echo
echo "4. The coordinator's log (--log-level notice: rounds and outcome; never a value):"
grep " notice \| warning \| error " "$dir/coordinator.err" | sed 's/^[^ ]* /   /'
echo
echo "   The result, the same at the coordinator and at every party (1234.56 − 0.56 + 30.50 + 100 over 5 rows):"
sed 's/^/   /' "$dir/coordinator.out"
wait
for i in 1 2 3 4; do cmp -s "$dir/party-$i.out" "$dir/coordinator.out" || { echo "party $i disagrees:"; cat "$dir/party-$i.out"; exit 1; }; done
echo "   every party printed the same result; on the wire: $(grep "bytes sent" "$dir/coordinator.err")"

echo
echo "5. Anyone with the public key re-checks the whole session offline: signatures, proofs, the combination."
echo "   \$ summa verify run.jsonl --key public.json"
"$summa" verify "$dir/run.jsonl" --key "$dir/keys/public.json" | sed 's/^/   /'
