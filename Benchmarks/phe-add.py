"""python-paillier's EncryptedNumber addition, argv[1] times (Benchmarks/instruction-counts.sh counts it)."""
import random
import sys

import gmpy2
from phe import paillier

random.seed(1)
p = gmpy2.next_prime(gmpy2.mpz(random.getrandbits(1024)) | (1 << 1023))
q = gmpy2.next_prime(gmpy2.mpz(random.getrandbits(1024)) | (1 << 1023))
key = paillier.PaillierPublicKey(int(p * q))
a = paillier.EncryptedNumber(key, random.randrange(key.nsquare), 0)
b = paillier.EncryptedNumber(key, random.randrange(key.nsquare), 0)
for _ in range(int(sys.argv[1])):
    c = a + b
