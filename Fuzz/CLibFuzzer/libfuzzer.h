// libFuzzer's driver, for an executable that keeps its own `main`
// (compiler-rt's FuzzerInterface.h). Nothing is linked here: the fuzz build's
// -sanitize=fuzzer brings the library; a plain build never calls it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
