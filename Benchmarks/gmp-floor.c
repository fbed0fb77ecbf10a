// GMP floors for the two speed targets Summa misses, run under callgrind by Benchmarks/instruction-counts.sh:
//   powm | powm_sec  one CRT half of a decryption: 2048-bit modulus (p²), 1024-bit exponent;
//   add | redc       one homomorphic addition mod n² (4096 bits): mpz_mul + mpz_mod, or mpn_mul_n + GMP's
//                    internal Montgomery reduction (what Summa's sums chain).
// Usage: gmp-floor MODE ITERATIONS. The operands are fixed pseudo-random numbers (GMP's seeded generator, fine for
// a benchmark's inputs, never for keys) so that every run counts the same instructions.
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void __gmpn_redc_n(mp_ptr, mp_ptr, mp_srcptr, mp_size_t, mp_srcptr);
void __gmpn_binvert(mp_ptr, mp_srcptr, mp_size_t, mp_ptr);

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: gmp-floor powm|powm_sec|add|redc ITERATIONS\n"); return 2; }
    const char *mode = argv[1];
    int iterations = atoi(argv[2]);
    int bits = strcmp(mode, "add") == 0 || strcmp(mode, "redc") == 0 ? 4096 : 2048;
    gmp_randstate_t state;
    gmp_randinit_default(state);
    gmp_randseed_ui(state, 42);
    mpz_t m, e, a, b, r;
    mpz_inits(m, e, a, b, r, NULL);
    mpz_urandomb(m, state, bits); mpz_setbit(m, bits - 1); mpz_setbit(m, 0);
    mpz_urandomb(e, state, bits / 2); mpz_setbit(e, bits / 2 - 1);
    mpz_urandomm(a, state, m); mpz_urandomm(b, state, m);
    if (!strcmp(mode, "powm")) {
        for (int i = 0; i < iterations; i++) mpz_powm(r, a, e, m);
    } else if (!strcmp(mode, "powm_sec")) {
        for (int i = 0; i < iterations; i++) mpz_powm_sec(r, a, e, m);
    } else if (!strcmp(mode, "add")) {
        for (int i = 0; i < iterations; i++) { mpz_mul(r, a, b); mpz_mod(r, r, m); }
    } else if (!strcmp(mode, "redc")) {
        mp_size_t n = mpz_size(m);
        mp_limb_t *inverse = malloc(n * 8), *scratch = malloc(64 * n * 8), *product = malloc(2 * n * 8), *out = malloc(n * 8);
        __gmpn_binvert(inverse, mpz_limbs_read(m), n, scratch);
        mpn_neg(inverse, inverse, n);  // redc_n wants −1/m mod B^n
        for (int i = 0; i < iterations; i++) {
            mpn_mul_n(product, mpz_limbs_read(a), mpz_limbs_read(b), n);
            __gmpn_redc_n(out, product, mpz_limbs_read(m), n, inverse);
        }
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
