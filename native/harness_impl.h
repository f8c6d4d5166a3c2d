/* SPDX-License-Identifier: MIT */
/*
 * harness_impl.h: the C ABI through which `harness check --native LIB.so` holds a native
 * implementation to the harness's properties (README, "Checking your own code").
 *
 * A library exports one function, harness_impl_describe(), returning a descriptor that says
 * which surfaces it implements (a NULL pointer: not implemented) and whose rules it claims to
 * follow (a profile name: "linux-6.1", "linux-6.12", "linux-6.18" or "ideal"; see
 * `harness check --list`). Each surface is shaped like the kernel's own API, so wrapping
 * existing code takes a few lines.
 *
 * Conventions for every surface:
 *  - errors are negative Linux errnos (-EINVAL, -ENOMEM, -ENOSPC, -ENOENT); 0 is success;
 *  - pfns and sizes are 64-bit whatever the library's unsigned long is;
 *  - the harness creates many instances, from several threads at once, each used by one
 *    thread at a time: state shared between instances needs the library's own locking.
 */
#ifndef HARNESS_IMPL_H
#define HARNESS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#define HARNESS_IMPL_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* An inclusive pfn range [pfn_lo, pfn_hi], as struct iova holds it. */
struct harness_range {
	uint64_t pfn_lo;
	uint64_t pfn_hi;
};

/*
 * An IOVA allocator over one domain, as drivers/iommu/iova.c's API (docs/SPEC.md §5).
 * Every argument and result is a pfn in units of the domain's granule.
 */
struct harness_iova_ops {
	/* init_iova_domain: a new, empty domain; NULL if it cannot be made. */
	void *(*create)(uint64_t granule, uint64_t start_pfn);
	/* put_iova_domain: releases the domain and everything in it. */
	void (*destroy)(void *domain);
	/*
	 * alloc_iova: size pfns ending at or below limit_pfn; with size_aligned the start is a
	 * multiple of roundup_pow_of_two(size). 0 and *pfn set, or -ENOMEM (top-down) / -ENOSPC
	 * (lowest-fit) when nothing fits, -EINVAL for size 0.
	 */
	int (*alloc)(void *domain, uint64_t size, uint64_t limit_pfn, int size_aligned, uint64_t *pfn);
	/* free_iova: releases the allocation holding pfn; -ENOENT if none does. */
	int (*free)(void *domain, uint64_t pfn);
	/* reserve_iova: [pfn_lo, pfn_hi] is never handed out; -EINVAL for a range it refuses. */
	int (*reserve)(void *domain, uint64_t pfn_lo, uint64_t pfn_hi);
	/* find_iova: 1 and *range set if a node holds pfn, else 0. */
	int (*find)(void *domain, uint64_t pfn, struct harness_range *range);
	/*
	 * The live allocations (not reservations), ascending: writes at most capacity of them
	 * to out and returns how many there are in all, so the harness can ask again with room.
	 */
	size_t (*allocations)(void *domain, struct harness_range *out, size_t capacity);
};

struct harness_impl {
	uint32_t abi_version;		/* HARNESS_IMPL_ABI_VERSION */
	const char *name;		/* shown in reports */
	const char *profile;		/* whose rules the library follows */
	const struct harness_iova_ops *iova_top_down;	/* alloc_iova's highest fit, or NULL */
	const struct harness_iova_ops *iova_lowest_fit;	/* iommufd's lowest fit, or NULL */
};

/* The one symbol the harness looks up. */
const struct harness_impl *harness_impl_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* HARNESS_IMPL_H */
