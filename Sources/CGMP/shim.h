#ifndef SUMMA_CGMP_SHIM_H
#define SUMMA_CGMP_SHIM_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <gmp.h>

// GMP spells several operations as function-like macros, which Swift cannot import: wrap them.
static inline int summa_mpz_sgn(mpz_srcptr x) { return mpz_sgn(x); }
static inline int summa_mpz_odd_p(mpz_srcptr x) { return mpz_odd_p(x); }
static inline int summa_mpz_cmp_ui(mpz_srcptr x, unsigned long y) { return mpz_cmp_ui(x, y); }
static inline int summa_mpz_cmp_si(mpz_srcptr x, long y) { return mpz_cmp_si(x, y); }
static inline size_t summa_mpz_limb_count(mpz_srcptr x) { return mpz_size(x); }

// glibc's explicit_bzero is not elided by the optimizer, unlike a memset before free.
extern void explicit_bzero(void *s, size_t n);

static inline void summa_gmp_wiping_free(void *ptr, size_t size) {
    if (ptr) { explicit_bzero(ptr, size); free(ptr); }
}

static inline void *summa_gmp_wiping_realloc(void *ptr, size_t old_size, size_t new_size) {
    void *fresh = malloc(new_size);
    if (!fresh) abort(); // GMP itself aborts on allocation failure
    if (ptr) {
        memcpy(fresh, ptr, old_size < new_size ? old_size : new_size);
        summa_gmp_wiping_free(ptr, old_size);
    }
    return fresh;
}

static inline void *summa_gmp_alloc(size_t size) {
    void *p = malloc(size);
    if (!p) abort();
    return p;
}

/// Every block GMP frees or moves (limbs of numbers and its own temporaries) is zeroed first, so secrets
/// do not outlive the numbers that held them. Idempotent; call before the first GMP allocation.
static inline void summa_gmp_install_wiping_allocator(void) {
    mp_set_memory_functions(summa_gmp_alloc, summa_gmp_wiping_realloc, summa_gmp_wiping_free);
}

#endif
