// SPDX-License-Identifier: MIT
/*
 * drivers/iommu/io-pgtable-arm.c (with io-pgtable.c) behind harness_impl.h's pgtable surface, as
 * `harness conform` builds it against a Linux tree (docs/SPEC.md, "Conformance"): an
 * ARM_64_LPAE_S1 table with a coherent walk and TLB maintenance that does nothing, so each call
 * is the kernel's own map_pages, unmap_pages or iova_to_phys and nothing else. The definitions
 * io-pgtable.h needs from include/linux/iommu.h are copied from the user's tree into the build's
 * scratch directory (native/linux-compat/linux/iommu.h includes them).
 */
#include <linux/io-pgtable.h>

#include "../harness_impl.h"

static void tlb_flush_all(void *cookie)
{
	(void)cookie;
}

static void tlb_flush_walk(unsigned long iova, size_t size, size_t granule, void *cookie)
{
	(void)iova, (void)size, (void)granule, (void)cookie;
}

static void tlb_add_page(struct iommu_iotlb_gather *gather, unsigned long iova, size_t granule, void *cookie)
{
	(void)gather, (void)iova, (void)granule, (void)cookie;
}

static const struct iommu_flush_ops tlb = {
	.tlb_flush_all = tlb_flush_all,
	.tlb_flush_walk = tlb_flush_walk,
	.tlb_add_page = tlb_add_page,
};

struct table {
	struct io_pgtable_cfg cfg;
	struct io_pgtable_ops *ops;
};

/*
 * The SMMU is said to support the granule and every size above PAGE_SIZE: arm_lpae_restrict_pgsizes
 * picks the granule (PAGE_SIZE when offered, else the largest size below it) and keeps that
 * granule's own page and block sizes, which go back to the harness.
 */
static void *create(uint64_t granule, uint32_t ias, uint32_t oas, uint64_t *pgsize_bitmap)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cfg.pgsize_bitmap = granule | ~(2 * PAGE_SIZE - 1);
	t->cfg.ias = ias;
	t->cfg.oas = oas;
	t->cfg.coherent_walk = true;
	t->cfg.tlb = &tlb;
	t->ops = alloc_io_pgtable_ops(ARM_64_LPAE_S1, &t->cfg, t);
	if (!t->ops) {
		free(t);
		return NULL;
	}
	*pgsize_bitmap = t->cfg.pgsize_bitmap;
	return t;
}

static void destroy(void *table)
{
	struct table *t = table;

	free_io_pgtable_ops(t->ops);
	free(t);
}

static int map_pages(void *table, uint64_t iova, uint64_t paddr, uint64_t pgsize, uint64_t pgcount,
		     int prot, uint64_t *mapped)
{
	struct table *t = table;
	size_t done = 0;
	int ret = t->ops->map_pages(t->ops, iova, paddr, pgsize, pgcount, prot, GFP_KERNEL, &done);

	*mapped += done;
	return ret;
}

static uint64_t unmap_pages(void *table, uint64_t iova, uint64_t pgsize, uint64_t pgcount)
{
	struct table *t = table;
	struct iommu_iotlb_gather gather;

	iommu_iotlb_gather_init(&gather);
	return t->ops->unmap_pages(t->ops, iova, pgsize, pgcount, &gather);
}

static uint64_t iova_to_phys(void *table, uint64_t iova)
{
	struct table *t = table;

	return t->ops->iova_to_phys(t->ops, iova);
}

static const struct harness_pgtable_ops pgtable = {
	.create = create,
	.destroy = destroy,
	.map_pages = map_pages,
	.unmap_pages = unmap_pages,
	.iova_to_phys = iova_to_phys,
};

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
	.name = "io-pgtable-arm.c: ARM_64_LPAE_S1",
	.profile = HARNESS_PROFILE,
	.pgtable = &pgtable,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
