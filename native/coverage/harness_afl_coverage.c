// SPDX-License-Identifier: MIT
/*
 * SanitizerCoverage's trace-pc-guard callbacks writing AFL++'s shared coverage map, for a
 * native library fuzzed with `harness fuzz capchain --native LIB.so` (README, "Fuzzing a native
 * parser"). Compile it into the library with clang:
 *
 *   clang -shared -fPIC -O1 -fsanitize-coverage=trace-pc-guard -o libparser.so parser.c \
 *         native/coverage/harness_afl_coverage.c
 *
 * (this file itself is not instrumented: the flag instruments functions, and none here calls
 * back). Each edge gets a guard number at load time; under AFL++ (__AFL_SHM_ID set) every edge
 * taken bumps its byte of the map the harness's managed coverage also writes, so the fuzzer
 * sees new native paths as new coverage. Without AFL++ the callbacks do nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/shm.h>

#define HARNESS_AFL_MAP_SIZE (1u << 16)

static uint8_t *map;

__attribute__((no_sanitize("coverage"))) void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop)
{
	static uint32_t next;
	const char *id = getenv("__AFL_SHM_ID");

	if (start == stop || *start)
		return;
	for (uint32_t *guard = start; guard < stop; guard++)
		*guard = 1 + (next++ * 2654435761u) % (HARNESS_AFL_MAP_SIZE - 1);
	if (id && !map) {
		void *shared = shmat(atoi(id), NULL, 0);

		if (shared != (void *)-1)
			map = shared;
	}
}

__attribute__((no_sanitize("coverage"))) void __sanitizer_cov_trace_pc_guard(uint32_t *guard)
{
	if (map && *guard)
		map[*guard]++;
}
