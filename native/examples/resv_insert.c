// SPDX-License-Identifier: MIT
/*
 * A small group merge of reserved regions behind harness_impl.h, on an array, claiming the
 * ideal profile (docs/SPEC.md §1): the newcomer goes before the first region whose (start,
 * type) is not smaller, then each region of its type joins the last kept one of that type when
 * it overlaps or touches it, the touching test made without wrapping at 2^64 - 1.
 *
 * Planted bug:
 *  -DPLANT_TOP_WRAP  the touching test is the kernel's start <= last + 1 in 64 bits, which
 *                    wraps for a region ending at 2^64 - 1: a bug under ideal, and what every
 *                    Linux profile does (check it with --profile linux-6.12 and it holds).
 */
#include <errno.h>
#include <string.h>

#include "../harness_impl.h"

static int joins(const struct harness_resv_region *lower, const struct harness_resv_region *upper)
{
#ifdef PLANT_TOP_WRAP
	return upper->start <= lower->last + 1;
#else
	return upper->start <= lower->last || upper->start - lower->last == 1;
#endif
}

static long insert(struct harness_resv_region *list, size_t count, size_t capacity,
		   const struct harness_resv_region *region)
{
	size_t at = 0, kept = 0;

	if (count + 1 > capacity)
		return -ENOMEM;
	while (at < count && (list[at].start < region->start ||
			      (list[at].start == region->start && list[at].type < region->type)))
		at++;
	memmove(&list[at + 1], &list[at], (count - at) * sizeof(*list));
	list[at] = *region;
	count++;

	for (size_t i = 0; i < count; i++) {
		struct harness_resv_region *top = NULL;

		if (list[i].type == region->type) {
			for (size_t k = kept; k-- > 0;) {
				if (list[k].type == region->type) {
					top = &list[k];
					break;
				}
			}
		}
		if (top && joins(top, &list[i])) {
			if (list[i].last > top->last)
				top->last = list[i].last;
			continue;
		}
		list[kept++] = list[i];
	}
	return (long)kept;
}

static const struct harness_resv_ops resv = { .insert = insert };

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
#ifdef PLANT_TOP_WRAP
	.name = "resv insert, wrapping at the top",
#else
	.name = "resv insert",
#endif
	.profile = "ideal",
	.resv = &resv,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
