// SPDX-License-Identifier: MIT
/*
 * A small, correct, slow top-down IOVA allocator behind harness_impl.h, claiming the ideal
 * profile (docs/SPEC.md §5): the highest aligned fit in [start_pfn, limit_pfn] that touches no
 * allocation and no reservation; reservations stay beside allocations, never merged into them.
 *
 * Planted bugs, one per build flag:
 *  -DPLANT_OFF_BY_ONE  a fit must end strictly below the limit, so a request that only fits at
 *                      limit_pfn itself lands one pfn lower or fails;
 *  -DPLANT_CRASH       find reads the first entry before checking there is one (NULL when empty);
 *  -DPLANT_HANG        the alignment is rounded up in 64 bits, which wraps to 0 and loops
 *                      forever for a size-aligned size above 2^63;
 *  -DPLANT_CRASH_ON_LOAD  a constructor that raises SIGSEGV as the library loads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../harness_impl.h"

#ifdef PLANT_CRASH_ON_LOAD
#include <signal.h>

__attribute__((constructor)) static void crash_on_load(void)
{
	raise(SIGSEGV);
}
#endif

struct used {
	uint64_t lo, hi;
	int allocated;
};

struct domain {
	uint64_t start_pfn;
	struct used *used; /* sorted by lo; reservations may overlap anything */
	size_t count, capacity;
};

static void *create(uint64_t granule, uint64_t start_pfn)
{
	struct domain *d = calloc(1, sizeof(*d));

	(void)granule;
	if (d)
		d->start_pfn = start_pfn;
	return d;
}

static void destroy(void *domain)
{
	struct domain *d = domain;

	free(d->used);
	free(d);
}

static int insert(struct domain *d, uint64_t lo, uint64_t hi, int allocated)
{
	size_t at = 0;

	if (d->count == d->capacity) {
		size_t capacity = d->capacity ? 2 * d->capacity : 16;
		struct used *grown = realloc(d->used, capacity * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		d->used = grown;
		d->capacity = capacity;
	}
	while (at < d->count && d->used[at].lo <= lo)
		at++;
	memmove(&d->used[at + 1], &d->used[at], (d->count - at) * sizeof(*d->used));
	d->used[at] = (struct used){ lo, hi, allocated };
	d->count++;
	return 0;
}

/* The highest start in the free run [gap_lo, gap_hi] for size pfns aligned to align, if any. */
static int fit(unsigned __int128 gap_lo, unsigned __int128 gap_hi, uint64_t size, unsigned __int128 align,
	       uint64_t *pfn)
{
	unsigned __int128 start;

	if (gap_hi + 1 - gap_lo < size)
		return 0;
	start = (gap_hi + 1 - size) / align * align;
	if (start < gap_lo)
		return 0;
	*pfn = (uint64_t)start;
	return 1;
}

static int alloc(void *domain, uint64_t size, uint64_t limit_pfn, int size_aligned, uint64_t *pfn)
{
	struct domain *d = domain;
	unsigned __int128 align = 1, cursor = d->start_pfn, top = limit_pfn;
	int found = 0;

	if (size == 0)
		return -EINVAL;
#ifdef PLANT_OFF_BY_ONE
	if (top == 0)
		return -ENOMEM;
	top--;
#endif
	if (top < d->start_pfn)
		return -ENOMEM;
#ifdef PLANT_HANG
	for (uint64_t narrow = 1; size_aligned && narrow < size; narrow <<= 1)
		align = (unsigned __int128)narrow << 1;
#else
	while (size_aligned && align < size)
		align <<= 1;
#endif
	/* Sweep the gaps upwards; the last one that fits holds the highest fit. */
	for (size_t i = 0; i <= d->count && cursor <= top; i++) {
		unsigned __int128 gap_hi = i < d->count ? (unsigned __int128)d->used[i].lo - 1 : top;

		if (gap_hi > top)
			gap_hi = top;
		if (i == d->count || d->used[i].lo > cursor)
			found |= fit(cursor, gap_hi, size, align, pfn);
		if (i < d->count && (unsigned __int128)d->used[i].hi + 1 > cursor)
			cursor = (unsigned __int128)d->used[i].hi + 1;
	}
	if (!found)
		return -ENOMEM;
	return insert(d, *pfn, *pfn + size - 1, 1);
}

static int reserve(void *domain, uint64_t pfn_lo, uint64_t pfn_hi)
{
	if (pfn_lo > pfn_hi)
		return -EINVAL;
	return insert(domain, pfn_lo, pfn_hi, 0);
}

static struct used *find_allocation(struct domain *d, uint64_t pfn)
{
#ifdef PLANT_CRASH
	if (d->used[0].lo > pfn)
		return NULL;
#endif
	for (size_t i = 0; i < d->count; i++)
		if (d->used[i].allocated && d->used[i].lo <= pfn && pfn <= d->used[i].hi)
			return &d->used[i];
	return NULL;
}

static int free_pfn(void *domain, uint64_t pfn)
{
	struct domain *d = domain;
	struct used *u = find_allocation(d, pfn);

	if (!u)
		return -ENOENT;
	memmove(u, u + 1, (size_t)(&d->used[d->count] - (u + 1)) * sizeof(*u));
	d->count--;
	return 0;
}

static int find(void *domain, uint64_t pfn, struct harness_range *range)
{
	struct used *u = find_allocation(domain, pfn);

	if (!u)
		return 0;
	*range = (struct harness_range){ u->lo, u->hi };
	return 1;
}

static size_t allocations(void *domain, struct harness_range *out, size_t capacity)
{
	struct domain *d = domain;
	size_t n = 0;

	for (size_t i = 0; i < d->count; i++) {
		if (!d->used[i].allocated)
			continue;
		if (n < capacity)
			out[n] = (struct harness_range){ d->used[i].lo, d->used[i].hi };
		n++;
	}
	return n;
}

static const struct harness_iova_ops top_down = {
	.create = create,
	.destroy = destroy,
	.alloc = alloc,
	.free = free_pfn,
	.reserve = reserve,
	.find = find,
	.allocations = allocations,
};

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
#if defined(PLANT_OFF_BY_ONE)
	.name = "list allocator, off by one at the limit",
#elif defined(PLANT_CRASH)
	.name = "list allocator, reading an empty list",
#elif defined(PLANT_HANG)
	.name = "list allocator, a 64-bit alignment loop",
#else
	.name = "list allocator",
#endif
	.profile = "ideal",
	.iova_top_down = &top_down,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
