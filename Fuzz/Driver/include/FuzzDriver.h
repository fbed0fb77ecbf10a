#ifndef SUMMA_FUZZ_DRIVER_H
#define SUMMA_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef int (*summa_fuzz_callback)(const uint8_t *data, size_t size);

/// Makes `test_one_input` the harness's LLVMFuzzerTestOneInput and runs libFuzzer's driver (LLVMFuzzerRunDriver)
/// with the process's arguments. Returns libFuzzer's exit status.
int summa_fuzz_run(int argc, char **argv, summa_fuzz_callback test_one_input);

/// LeakSanitizer's __lsan_disable() and __lsan_enable() (nothing without LSan): while disabled, what the thread
/// allocates is never reported as leaked.
void summa_fuzz_disable_leak_checks(void);
void summa_fuzz_enable_leak_checks(void);

#endif
