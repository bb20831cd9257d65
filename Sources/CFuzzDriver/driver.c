#include "CFuzzDriver.h"

// A weak reference: resolved when -sanitize=fuzzer links libFuzzer in, null in a normal build, so the
// same target builds both ways without flags in Package.swift.
extern int LLVMFuzzerRunDriver(int *argc, char ***argv,
                               int (*callback)(const uint8_t *data, size_t size)) __attribute__((weak));

int rs_fuzz_driver_available(void) { return LLVMFuzzerRunDriver != 0; }

int rs_fuzz_run_driver(int *argc, char ***argv, rs_fuzz_callback callback) {
    if (!LLVMFuzzerRunDriver) return -1;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
