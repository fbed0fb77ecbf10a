#include "FuzzDriver.h"

#include <stdio.h>
#include <stdlib.h>

// How a harness reaches libFuzzer from SwiftPM. `-sanitize=fuzzer` links libclang_rt.fuzzer whole, main() and all,
// and that main() needs LLVMFuzzerTestOneInput. SwiftPM in turn links every executable with
// `--defsym main=<Module>_main`, so the program's main is the harness's main.swift (the linker prefers the
// defsym), which registers its test function here and calls LLVMFuzzerRunDriver: libFuzzer's own main() is never
// run, but LLVMFuzzerTestOneInput must exist for it to link.

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*user_callback)(const uint8_t *data, size_t size));

static summa_fuzz_callback registered;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!registered) {
        fprintf(stderr, "FuzzDriver: no harness registered (was libFuzzer's main() linked instead of main.swift?)\n");
        abort();
    }
    return registered(data, size);
}

int summa_fuzz_run(int argc, char **argv, summa_fuzz_callback test_one_input) {
    registered = test_one_input;
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}

// Weak, so that a harness built without LeakSanitizer still links.
void __lsan_disable(void) __attribute__((weak));
void __lsan_enable(void) __attribute__((weak));

void summa_fuzz_disable_leak_checks(void) {
    if (__lsan_disable) __lsan_disable();
}

void summa_fuzz_enable_leak_checks(void) {
    if (__lsan_enable) __lsan_enable();
}
