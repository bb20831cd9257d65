#ifndef RS_FUZZ_DRIVER_H
#define RS_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

typedef int (*rs_fuzz_callback)(const uint8_t *data, size_t size);

/// 1 when libFuzzer is linked in (built with -sanitize=fuzzer), else 0.
int rs_fuzz_driver_available(void);

/// Hands control to libFuzzer's driver; -1 when libFuzzer is not linked in.
int rs_fuzz_run_driver(int *argc, char ***argv, rs_fuzz_callback callback);

#endif
