// SPDX-License-Identifier: MIT
/*
 * The child process that runs a native library for the harness, so that a crash or a hang in
 * it is a counterexample and not the end of the run (README, "Checking your own code").
 * Usage: harness_worker LIB.so top-down|lowest-fit|resv|capchain|type1|pgtable. It answers requests on stdin
 * (fixed-size, then the payload they announce) with replies on stdout (fixed-size, then what they
 * announce), one at a time, after the four bytes "redy" once the library is loaded; the
 * harness kills it when a reply is late.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../harness_impl.h"

enum {
	OP_CREATE, OP_DESTROY, OP_ALLOC, OP_FREE, OP_RESERVE, OP_FIND, OP_ALLOCATIONS,
	OP_RESV_MERGE, OP_PARSE,
	OP_TYPE1_CREATE, OP_MAP_DMA, OP_UNMAP_DMA, OP_GET_INFO, OP_MAPPINGS,
	OP_PGTABLE_CREATE, OP_MAP_PAGES, OP_UNMAP_PAGES, OP_IOVA_TO_PHYS,
	OP_ALLOC_FAST, OP_FREE_FAST,
	OP_ATTACH_GROUP, OP_DETACH_GROUP,
};

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

/* Allocator domains, type1 containers or page tables, by handle. */
static void *domains[MAX_DOMAINS];

static int64_t handle_for(void *instance)
{
	for (uint32_t h = 0; h < MAX_DOMAINS; h++) {
		if (!domains[h]) {
			domains[h] = instance;
			return instance ? (int64_t)h : -1;
		}
	}
	return -1;
}

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

/* Room for a payload, grown as needed; never freed. */
static void *room(void **buffer, size_t *capacity, size_t size)
{
	if (size > *capacity) {
		free(*buffer);
		*capacity = size;
		*buffer = malloc(size);
		if (!*buffer)
			exit(3);
	}
	return *buffer;
}

/*
 * Where a parse's buffer of length bytes goes: flush against an unmapped page, so that a
 * parser reading past the end faults at once instead of reading what happens to lie there.
 */
static uint8_t *guarded(size_t length)
{
	static uint8_t *map;
	static size_t mapped;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t need = (length + page - 1) / page * page + page;

	if (need > mapped) {
		if (map)
			munmap(map, mapped);
		map = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED || mprotect(map + need - page, page, PROT_NONE))
			exit(3);
		mapped = need;
	}
	return map + mapped - page - length;
}

/* Inserts each region in turn into an empty list; stops at the first return that is not a count the list can have. */
static void resv_merge(const struct harness_resv_ops *resv, size_t given)
{
	static void *staging, *merged;
	static size_t staging_size, merged_size;
	struct harness_resv_region *regions = room(&staging, &staging_size, given * sizeof(*regions) + 1);
	struct harness_resv_region *list = room(&merged, &merged_size, (given + 1) * sizeof(*list));
	struct reply r = { 0, 0, 0 };

	if (!read_all(regions, given * sizeof(*regions)))
		exit(0);
	for (size_t i = 0; i < given && r.ret >= 0 && r.ret <= (int64_t)i; i++)
		r.ret = resv->insert(list, (size_t)r.ret, given + 1, &regions[i]);
	write_all(&r, sizeof(r));
	write_all(list, (r.ret < 0 ? 0 : r.ret > (int64_t)given + 1 ? given + 1 : (size_t)r.ret) * sizeof(*list));
}

static void parse(const struct harness_capchain_ops *capchain, size_t length)
{
	static void *out;
	static size_t out_size;
	size_t capacity = length / sizeof(struct harness_iova_range) + 1;
	struct harness_iova_range *ranges = room(&out, &out_size, capacity * sizeof(*ranges));
	struct harness_info info;
	struct harness_capchain_error error;
	uint8_t *buffer = guarded(length);
	struct reply r = { 0, 0, 0 };

	if (!read_all(buffer, length))
		exit(0);
	memset(&info, 0, sizeof(info));
	memset(&error, 0, sizeof(error));
	r.ret = capchain->parse(buffer, length, &info, ranges, capacity, &error);
	if (r.ret == 0 && info.has_iova_ranges)
		r.x = info.nr_iovas < capacity ? info.nr_iovas : capacity;
	write_all(&r, sizeof(r));
	write_all(&info, sizeof(info));
	write_all(&error, sizeof(error));
	write_all(ranges, r.x * sizeof(*ranges));
}

/* A surface's function table as it lies in the library (absent: zeros), after whether it is there. */
static void describe_surface(const void *ops, size_t size)
{
	static const uint8_t zeros[256];
	uint32_t present = ops != NULL;

	write_all(&present, sizeof(present));
	write_all(ops ? ops : zeros, size);
}

static void describe_text(const char *text)
{
	uint32_t length = text ? (uint32_t)strlen(text) : UINT32_MAX;

	write_all(&length, sizeof(length));
	if (text)
		write_all(text, length);
}

/*
 * `harness_worker LIB.so describe`: the descriptor, so that the harness reads it without loading
 * the library itself (a library that crashes as it loads or describes itself is then the worker's
 * problem): the ABI version, each surface the version has (in struct harness_impl's order), the
 * name and the profile. The harness checks it as it checks a descriptor read in its own process.
 */
static int describe_library(const struct harness_impl *impl)
{
	uint32_t version = impl->abi_version;

	write_all(&version, sizeof(version));
	describe_surface(impl->iova_top_down, sizeof(struct harness_iova_ops));
	describe_surface(impl->iova_lowest_fit, sizeof(struct harness_iova_ops));
	describe_surface(version >= 2 ? impl->resv : NULL, sizeof(struct harness_resv_ops));
	describe_surface(version >= 2 ? impl->capchain : NULL, sizeof(struct harness_capchain_ops));
	describe_surface(version >= 2 ? impl->type1 : NULL, sizeof(struct harness_type1_ops));
	describe_surface(version >= 3 ? impl->pgtable : NULL, sizeof(struct harness_pgtable_ops));
	describe_surface(version >= 3 ? impl->iova_fast : NULL, sizeof(struct harness_iova_fast_ops));
	describe_surface(version >= 4 ? impl->type1_groups : NULL, sizeof(struct harness_type1_groups_ops));
	describe_text(impl->name);
	describe_text(impl->profile);
	return 0;
}

int main(int argc, char **argv)
{
	const struct harness_impl *(*describe)(void);
	const struct harness_impl *impl;
	const struct harness_iova_ops *ops = NULL;
	const struct harness_resv_ops *resv = NULL;
	const struct harness_capchain_ops *capchain = NULL;
	const struct harness_type1_ops *type1 = NULL;
	const struct harness_pgtable_ops *pgtable = NULL;
	const struct harness_iova_fast_ops *fast = NULL;
	const struct harness_type1_groups_ops *groups = NULL;
	struct harness_range *ranges = NULL;
	size_t capacity = 0;
	struct request q;
	void *library;

	if (argc != 3)
		return 2;
	/* Exit codes the harness tells apart when it asks for the descriptor. */
	if (!(library = dlopen(argv[1], RTLD_NOW))) {
		fprintf(stderr, "%s\n", dlerror());
		return 6;
	}
	describe = (const struct harness_impl *(*)(void))dlsym(library, "harness_impl_describe");
	if (!describe)
		return 4;
	if (!(impl = describe()))
		return 5;
	if (strcmp(argv[2], "describe") == 0)
		return describe_library(impl);
	if (strcmp(argv[2], "top-down") == 0) {
		ops = impl->iova_top_down;
		fast = impl->abi_version >= 3 ? impl->iova_fast : NULL;
	}
	else if (strcmp(argv[2], "lowest-fit") == 0)
		ops = impl->iova_lowest_fit;
	else if (impl->abi_version >= 2 && strcmp(argv[2], "resv") == 0)
		resv = impl->resv;
	else if (impl->abi_version >= 2 && strcmp(argv[2], "capchain") == 0)
		capchain = impl->capchain;
	else if (impl->abi_version >= 2 && strcmp(argv[2], "type1") == 0) {
		type1 = impl->type1;
		groups = impl->abi_version >= 4 ? impl->type1_groups : NULL;
	}
	else if (impl->abi_version >= 3 && strcmp(argv[2], "pgtable") == 0)
		pgtable = impl->pgtable;
	if (!ops && !resv && !capchain && !type1 && !pgtable)
		return 2;
	/* Loaded: the harness's watchdog starts with the first request, not with a slow start. */
	write_all("redy", 4);

	while (read_all(&q, sizeof(q))) {
		if ((!ops && q.op <= OP_ALLOCATIONS && !((type1 || pgtable) && q.op == OP_DESTROY))
		    || (!type1 && q.op >= OP_TYPE1_CREATE && q.op <= OP_MAPPINGS)
		    || (!pgtable && q.op >= OP_PGTABLE_CREATE && q.op <= OP_IOVA_TO_PHYS)
		    || (!fast && (q.op == OP_ALLOC_FAST || q.op == OP_FREE_FAST)) || (!groups && q.op >= OP_ATTACH_GROUP))
			return 2;
		struct reply r = { 0, 0, 0 };
		void *d = q.handle < MAX_DOMAINS ? domains[q.handle] : NULL;
		struct harness_range range;

		switch (q.op) {
		case OP_CREATE:
			r.ret = handle_for(ops->create(q.a, q.b));
			break;
		case OP_DESTROY:
			if (d && type1)
				type1->destroy(d);
			else if (d && pgtable)
				pgtable->destroy(d);
			else if (d)
				ops->destroy(d);
			if (q.handle < MAX_DOMAINS)
				domains[q.handle] = NULL;
			break;
		case OP_TYPE1_CREATE: {
			static void *valid;
			static size_t valid_size;
			struct harness_iova_range *list = room(&valid, &valid_size, q.c * sizeof(*list) + 1);

			if (!read_all(list, q.c * sizeof(*list)))
				return 0;
			r.ret = handle_for(type1->create(q.a, (uint32_t)q.b, list, q.c));
			break;
		}
		case OP_MAP_DMA: {
			uint64_t map[4];

			if (!read_all(map, sizeof(map)))
				return 0;
			r.ret = type1->map_dma(d, map[0], map[1], map[2], (uint32_t)map[3]);
			break;
		}
		case OP_UNMAP_DMA:
			r.ret = type1->unmap_dma(d, q.a, q.b, (uint32_t)q.c, &r.x);
			break;
		case OP_ATTACH_GROUP: {
			/* The group's fields up to its regions, then q.c regions. */
			static void *resv;
			static size_t resv_size;
			struct harness_iommu_group group;
			struct harness_resv_region *regions = room(&resv, &resv_size, q.c * sizeof(*regions) + 1);

			memset(&group, 0, sizeof(group));
			if (!read_all(&group, offsetof(struct harness_iommu_group, resv)) || !read_all(regions, q.c * sizeof(*regions)))
				return 0;
			group.resv = regions;
			group.nr_resv = q.c;
			r.ret = groups->attach_group(d, &group, (int)q.a);
			break;
		}
		case OP_DETACH_GROUP:
			r.ret = groups->detach_group(d, (int32_t)q.a);
			break;
		case OP_GET_INFO: {
			uint8_t *buffer = guarded(q.a);

			if (!read_all(buffer, q.a))
				return 0;
			r.ret = type1->get_info(d, buffer, q.a);
			write_all(&r, sizeof(r));
			write_all(buffer, q.a);
			continue;
		}
		case OP_MAPPINGS: {
			static void *out;
			static size_t out_size;
			size_t n = type1->mappings(d, NULL, 0);
			struct harness_dma_mapping *list = room(&out, &out_size, n * sizeof(*list) + 1);

			size_t total = type1->mappings(d, list, n);

			n = total < n ? total : n;
			r.ret = (int64_t)n;
			write_all(&r, sizeof(r));
			write_all(list, n * sizeof(*list));
			continue;
		}
		case OP_PGTABLE_CREATE:
			r.ret = handle_for(pgtable->create(q.a, (uint32_t)q.b, (uint32_t)q.c, &r.x));
			break;
		case OP_MAP_PAGES: {
			uint64_t map[5];

			if (!read_all(map, sizeof(map)))
				return 0;
			r.ret = pgtable->map_pages(d, map[0], map[1], map[2], map[3], (int)map[4], &r.x);
			break;
		}
		case OP_UNMAP_PAGES:
			r.x = pgtable->unmap_pages(d, q.a, q.b, q.c);
			break;
		case OP_IOVA_TO_PHYS:
			r.x = pgtable->iova_to_phys(d, q.a);
			break;
		case OP_ALLOC_FAST:
			r.ret = fast->alloc_fast(d, q.a, q.b, (int)q.c, &r.x);
			break;
		case OP_FREE_FAST:
			fast->free_fast(d, q.a, q.b);
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
		case OP_RESV_MERGE:
			if (!resv)
				return 2;
			resv_merge(resv, q.a);
			continue;
		case OP_PARSE:
			if (!capchain)
				return 2;
			parse(capchain, q.a);
			continue;
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
