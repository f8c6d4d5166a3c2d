// SPDX-License-Identifier: MIT
/*
 * The child process that runs a native library for the harness, so that a crash or a hang in
 * it is a counterexample and not the end of the run (README, "Checking your own code").
 * Usage: harness_worker LIB.so top-down|lowest-fit. It answers fixed-size requests on stdin
 * with fixed-size replies on stdout, one at a time; the harness kills it when a reply is late.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness_impl.h"

enum { OP_CREATE, OP_DESTROY, OP_ALLOC, OP_FREE, OP_RESERVE, OP_FIND, OP_ALLOCATIONS };

struct request {
	uint32_t op;
	uint32_t handle;
	uint64_t a, b, c;
};

struct reply {
	int64_t ret;
	uint64_t x, y;
};

#define MAX_DOMAINS 4096

static void *domains[MAX_DOMAINS];

static int read_all(void *buffer, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = read(0, (char *)buffer + done, size - done);

		if (n <= 0)
			return 0;
		done += (size_t)n;
	}
	return 1;
}

static void write_all(const void *buffer, size_t size)
{
	for (size_t done = 0; done < size;) {
		ssize_t n = write(1, (const char *)buffer + done, size - done);

		if (n <= 0)
			exit(3);
		done += (size_t)n;
	}
}

int main(int argc, char **argv)
{
	const struct harness_impl *(*describe)(void);
	const struct harness_iova_ops *ops;
	struct harness_range *ranges = NULL;
	size_t capacity = 0;
	struct request q;
	void *library;

	if (argc != 3 || !(library = dlopen(argv[1], RTLD_NOW)))
		return 2;
	describe = (const struct harness_impl *(*)(void))dlsym(library, "harness_impl_describe");
	if (!describe)
		return 2;
	ops = strcmp(argv[2], "top-down") == 0 ? describe()->iova_top_down : describe()->iova_lowest_fit;
	if (!ops)
		return 2;

	while (read_all(&q, sizeof(q))) {
		struct reply r = { 0, 0, 0 };
		void *d = q.handle < MAX_DOMAINS ? domains[q.handle] : NULL;
		struct harness_range range;

		switch (q.op) {
		case OP_CREATE:
			r.ret = -1;
			for (uint32_t h = 0; h < MAX_DOMAINS; h++) {
				if (!domains[h]) {
					domains[h] = ops->create(q.a, q.b);
					r.ret = domains[h] ? (int64_t)h : -1;
					break;
				}
			}
			break;
		case OP_DESTROY:
			if (d)
				ops->destroy(d);
			domains[q.handle] = NULL;
			break;
		case OP_ALLOC:
			r.ret = ops->alloc(d, q.a, q.b, (int)q.c, &r.x);
			break;
		case OP_FREE:
			r.ret = ops->free(d, q.a);
			break;
		case OP_RESERVE:
			r.ret = ops->reserve(d, q.a, q.b);
			break;
		case OP_FIND:
			r.ret = ops->find(d, q.a, &range);
			r.x = range.pfn_lo;
			r.y = range.pfn_hi;
			break;
		case OP_ALLOCATIONS: {
			size_t n = ops->allocations(d, ranges, capacity);

			if (n > capacity) {
				free(ranges);
				capacity = n;
				ranges = malloc(capacity * sizeof(*ranges));
				if (!ranges)
					return 3;
				n = ops->allocations(d, ranges, capacity);
			}
			r.ret = (int64_t)n;
			write_all(&r, sizeof(r));
			write_all(ranges, n * sizeof(*ranges));
			continue;
		}
		default:
			return 2;
		}
		write_all(&r, sizeof(r));
	}
	return 0;
}
