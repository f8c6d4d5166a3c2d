// SPDX-License-Identifier: MIT
/*
 * drivers/iommu/iommu.c's iommu_insert_resv_region behind harness_impl.h, as `harness conform`
 * builds it against a Linux tree (docs/SPEC.md, "Conformance"). iommu.c as a whole needs most of
 * the kernel, so the build copies out of the user's tree, into its scratch directory, only the
 * definitions named in Native/Conform/ConformSurface.cs (the function, iommu_alloc_resv_region,
 * struct iommu_resv_region, enum iommu_resv_type), with #line directives back to the tree, and
 * includes them here as HARNESS_EXTRACTED; list.h is the tree's own.
 * The ABI's inclusive last becomes the kernel's length = last - start + 1 and back, both in
 * 64 bits as the kernel computes them (the whole space is length 0).
 */
#include <linux/list.h>

struct device;
#include HARNESS_EXTRACTED

#include "../harness_impl.h"

static long insert(struct harness_resv_region *list, size_t count, size_t capacity,
		   const struct harness_resv_region *region)
{
	LIST_HEAD(regions);
	struct iommu_resv_region new = { .start = region->start, .length = region->last - region->start + 1,
					 .prot = region->prot, .type = (enum iommu_resv_type)region->type };
	struct iommu_resv_region *it, *tmp;
	size_t i = 0;
	long ret;

	for (i = 0; i < count; i++) {
		it = iommu_alloc_resv_region(list[i].start, list[i].last - list[i].start + 1, list[i].prot,
					     (enum iommu_resv_type)list[i].type, GFP_KERNEL);
		if (!it)
			return -ENOMEM;
		list_add_tail(&it->list, &regions);
	}
	ret = iommu_insert_resv_region(&new, &regions);
	i = 0;
	list_for_each_entry_safe(it, tmp, &regions, list) {
		if (i < capacity)
			list[i] = (struct harness_resv_region){ it->start, it->start + it->length - 1, it->prot, it->type };
		i++;
		list_del(&it->list);
		kfree(it);
	}
	return ret ? ret : (long)i;
}

static const struct harness_resv_ops resv = { .insert = insert };

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
	.name = "iommu.c: iommu_insert_resv_region",
	.profile = HARNESS_PROFILE,
	.resv = &resv,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
