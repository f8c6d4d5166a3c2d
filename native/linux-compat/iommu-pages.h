/* SPDX-License-Identifier: MIT */
/*
 * drivers/iommu/iommu-pages.h (v6.11 on) for a tree unpacked from a tarball, where conform takes
 * only the files it names: a page-table page from alloc_pages_node, zeroed, and back. A whole
 * tree's own header is found first and compiles on this compat layer as it is.
 */
#include "harness_compat.h"

static inline void *iommu_alloc_pages_node(int nid, gfp_t gfp, int order)
{
	return page_address(alloc_pages_node(nid, gfp | __GFP_ZERO, order));
}

static inline void iommu_free_pages(void *virt, int order)
{
	if (virt)
		__free_pages(virt_to_page(virt), order);
}
