// SPDX-License-Identifier: MIT
/*
 * drivers/iommu/iova.c behind harness_impl.h, as `harness conform` builds it against a Linux
 * tree (docs/SPEC.md, "Conformance"). Each function is the kernel's own call; the shim adds
 * only what the kernel leaves to its callers, the same conventions the model states:
 *  - size 0 and pfn_lo > pfn_hi are refused with -EINVAL (no DMA API caller makes them);
 *  - free of a pfn no node holds, or of the anchor, is -ENOENT (free_iova ignores the first,
 *    and would unlink the anchor on the second);
 *  - an allocation is told from a reservation by a mark in the slab object's trailer, set when
 *    alloc_iova returns it (or alloc_iova_fast, which finds it by its pfn; a range parked in
 *    the rcache keeps its node and its mark); reserve_iova may widen it later, and it stays an
 *    allocation.
 * HARNESS_PROFILE is the profile of the tree's version, defined by the build.
 */
#include <linux/iova.h>

#include "../harness_impl.h"

#define IOVA_ANCHOR ~0UL
#define ALLOCATED(iova) (*(unsigned long *)((struct iova *)(iova) + 1))

static void *create(uint64_t granule, uint64_t start_pfn)
{
	struct iova_domain *iovad;

	if (iova_cache_get())
		return NULL;
	iovad = calloc(1, sizeof(*iovad));
	if (!iovad) {
		iova_cache_put();
		return NULL;
	}
	init_iova_domain(iovad, granule, start_pfn);
	/* As iommu_dma_init_domain does: the fast path needs the caches. */
	if (iova_domain_init_rcaches(iovad)) {
		put_iova_domain(iovad);
		free(iovad);
		iova_cache_put();
		return NULL;
	}
	return iovad;
}

static void destroy(void *domain)
{
	put_iova_domain(domain);
	free(domain);
	iova_cache_put();
}

static int alloc(void *domain, uint64_t size, uint64_t limit_pfn, int size_aligned, uint64_t *pfn)
{
	struct iova *iova;

	if (size == 0)
		return -EINVAL;
	iova = alloc_iova(domain, size, limit_pfn, size_aligned);
	if (!iova)
		return -ENOMEM;
	ALLOCATED(iova) = 1;
	*pfn = iova->pfn_lo;
	return 0;
}

static int free_pfn(void *domain, uint64_t pfn)
{
	struct iova *iova = find_iova(domain, pfn);

	if (!iova || iova->pfn_hi == IOVA_ANCHOR)
		return -ENOENT;
	free_iova(domain, pfn);
	return 0;
}

static int reserve(void *domain, uint64_t pfn_lo, uint64_t pfn_hi)
{
	if (pfn_lo > pfn_hi)
		return -EINVAL;
	return reserve_iova(domain, pfn_lo, pfn_hi) ? 0 : -EINVAL;
}

static int find(void *domain, uint64_t pfn, struct harness_range *range)
{
	struct iova *iova = find_iova(domain, pfn);

	if (!iova)
		return 0;
	*range = (struct harness_range){ iova->pfn_lo, iova->pfn_hi };
	return 1;
}

static size_t allocations(void *domain, struct harness_range *out, size_t capacity)
{
	struct iova_domain *iovad = domain;
	size_t n = 0;

	for (struct rb_node *node = rb_first(&iovad->rbroot); node; node = rb_next(node)) {
		struct iova *iova = rb_entry(node, struct iova, node);

		if (iova->pfn_hi == IOVA_ANCHOR || !ALLOCATED(iova))
			continue;
		if (n < capacity)
			out[n] = (struct harness_range){ iova->pfn_lo, iova->pfn_hi };
		n++;
	}
	return n;
}

static int alloc_fast(void *domain, uint64_t size, uint64_t limit_pfn, int flush_rcache, uint64_t *pfn)
{
	unsigned long got = alloc_iova_fast(domain, size, limit_pfn, flush_rcache);
	struct iova *iova;

	if (!got)
		return -ENOMEM;
	iova = find_iova(domain, got);
	ALLOCATED(iova) = 1;
	*pfn = got;
	return 0;
}

static void free_fast(void *domain, uint64_t pfn, uint64_t size)
{
	free_iova_fast(domain, pfn, size);
}

static const struct harness_iova_fast_ops fast = {
	.alloc_fast = alloc_fast,
	.free_fast = free_fast,
};

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
	.name = "drivers/iommu/iova.c",
	.profile = HARNESS_PROFILE,
	.iova_top_down = &top_down,
	.iova_fast = &fast,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
