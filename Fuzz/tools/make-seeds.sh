#!/usr/bin/env bash
# Rewrites the seed corpora in Fuzz/corpus: the generated ones with FuzzSeeds (in-memory sessions of the embedded
# test deal, Summa files made with the library), pheutil files copied from Tests/TestSupport/Fixtures/phe, and a
# few hand-written CSV files below. Run it after a change to a format or to the protocol, then commit the result.
#   bash Fuzz/tools/make-seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=Fuzz/corpus
fixtures=Tests/TestSupport/Fixtures

SUMMA_FUZZ=1 swift build -c release --scratch-path .build-fuzz --product FuzzSeeds -Xswiftc -sanitize=fuzzer,address >&2
bin=$(SUMMA_FUZZ=1 swift build -c release --scratch-path .build-fuzz --show-bin-path)

rm -rf "$corpus"
mkdir -p "$corpus"
ASAN_OPTIONS=detect_leaks=0 "$bin/FuzzSeeds" "$corpus" "$fixtures"

# pheutil (python-paillier) keys and ciphertexts, and the hand-written 512-bit Summa private key.
for file in public.jwk.json private.jwk.json ct-42.json ct-minus-0.5.json column-5.json; do
    cp "$fixtures/phe/$file" "$corpus/FuzzSummaFile/phe-$file"
done
cp "$fixtures/small-private.json" "$corpus/FuzzSummaFile/small-private.json"
# The fuzz deal's coordinator key (its public key and its party shares come from FuzzSeeds).
cp Fuzz/fixtures/deal-256/coordinator.json "$corpus/FuzzThresholdFile/coordinator.json"

csv="$corpus/FuzzCSV"
printf 'amount\n10.00\n20.50\n' > "$csv/amount.csv"
printf 'id,merchant,amount,fee\r\n1,"Cafe, ""Le Bon""",12.50,0.125\r\n2,Shop,-3,0\r\n' > "$csv/quoted-crlf.csv"
printf '\xef\xbb\xbfamount,fee\n1.5,\n,2\n\n-0.25,0.001\n' > "$csv/bom-empty-cells.csv"
printf 'a,b,c\n1,2,3\n"4\n",5,6\n' > "$csv/newline-in-quotes.csv"
printf ' amount , fee \n 7 , 8.00 \n' > "$csv/spaces.csv"

du -sh "$corpus"/* "$corpus" >&2
