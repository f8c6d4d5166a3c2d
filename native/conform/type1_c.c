// SPDX-License-Identifier: MIT
/*
 * drivers/vfio/vfio_iommu_type1.c's DMA tracking and GET_INFO behind harness_impl.h, as
 * `harness conform` builds it against a Linux tree (docs/SPEC.md, "Conformance"). The file as a
 * whole needs the mm, the IOMMU core and the driver model, so the build copies out of the
 * user's tree only the definitions named in Native/Conform/ConformSurface.cs (the structs, the
 * MAP/UNMAP/GET_INFO ioctls down to vfio_find_dma and the rbtree links, the capability builders,
 * vfio_main.c's chain helpers) and includes them here as HARNESS_EXTRACTED, on the tree's
 * rbtree.h, list.h and uapi vfio.h, with lib/rbtree.c compiled beside them.
 *
 * What this file supplies is what those functions call and the harness's container has no use
 * for, all of it unreachable or without effect on what userspace sees:
 *  - no IOMMU domain is attached (domain_list is empty), so MAP_DMA records the mapping
 *    without pinning (the kernel's own path for a container without an IOMMU-capable domain),
 *    and nothing is ever unpinned or unmapped from a domain;
 *  - no mdev pins pages (every pfn_list is empty) and dirty tracking is never started;
 *  - the task, its mm and its capabilities are one static stand-in; user copies are memcpy
 *    bounded by the caller's buffer, -EFAULT past it.
 * create() builds the container as attaching its groups would have left it: v2, the page-size
 * bitmap, dma_avail = dma_entry_limit, and the valid IOVA list.
 */
#include <linux/list.h>
#include <linux/rbtree.h>
#include <uapi/linux/vfio.h>

#include "../harness_impl.h"

/* The task and mm the ioctls run in. */
struct mm_struct { int unused; };
struct task_struct { struct task_struct *group_leader; struct mm_struct *mm; };
static struct mm_struct harness_mm;
static struct task_struct harness_task = { &harness_task, &harness_mm };
#define current (&harness_task)
#define get_task_struct(task) ((void)(task))
#define put_task_struct(task) ((void)(task))
#define mmgrab(mm) ((void)(mm))
#define mmdrop(mm) ((void)(mm))
#define CAP_IPC_LOCK 14
#define capable(cap) ((void)(cap), true)
typedef struct { int unused; } wait_queue_head_t;
#define wake_up_all(wq) ((void)(wq))

/* User copies: the ioctl's argument is the caller's buffer, bounded by harness_user_end. */
static const char *harness_user_end;
static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	if ((const char *)from + n > harness_user_end)
		return n;
	memcpy(to, from, n);
	return 0;
}
static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	if ((const char *)to + n > harness_user_end)
		return n;
	memcpy(to, from, n);
	return 0;
}
#define access_ok(p, n) ((void)(p), (void)(n), true)

struct device;
struct vfio_domain;
struct vfio_iommu;
struct vfio_dma;

/* The kernel's functions these call, on paths this container never takes. */
static int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma, size_t map_size)
{
	(void)iommu, (void)dma, (void)map_size;
	return -ENODEV;
}
static long vfio_unmap_unpin(struct vfio_iommu *iommu, struct vfio_dma *dma, bool do_accounting)
{
	(void)iommu, (void)dma, (void)do_accounting;
	return 0;
}
static int vfio_dma_bitmap_alloc(struct vfio_dma *dma, size_t pgsize)
{
	(void)dma, (void)pgsize;
	return -EINVAL;
}
static void vfio_dma_bitmap_free(struct vfio_dma *dma)
{
	(void)dma;
}
static void vfio_notify_dma_unmap(struct vfio_iommu *iommu, struct vfio_dma *dma)
{
	(void)iommu, (void)dma;
}
static int update_user_bitmap(u64 __user *bitmap, struct vfio_iommu *iommu, struct vfio_dma *dma,
			      dma_addr_t base_iova, size_t pgsize)
{
	(void)bitmap, (void)iommu, (void)dma, (void)base_iova, (void)pgsize;
	return -EINVAL;
}
static int vfio_change_dma_owner(struct vfio_dma *dma)
{
	(void)dma;
	return 0;
}

#include HARNESS_EXTRACTED

static void *create(uint64_t pgsize_bitmap, uint32_t dma_entry_limit, const struct harness_iova_range *valid, size_t nr_valid)
{
	struct vfio_iommu *iommu = calloc(1, sizeof(*iommu));

	if (!iommu)
		return NULL;
	INIT_LIST_HEAD(&iommu->domain_list);
	INIT_LIST_HEAD(&iommu->iova_list);
	INIT_LIST_HEAD(&iommu->device_list);
	INIT_LIST_HEAD(&iommu->emulated_iommu_groups);
	iommu->dma_list = RB_ROOT;
	iommu->dma_avail = dma_entry_limit;
	iommu->pgsize_bitmap = pgsize_bitmap;
	iommu->v2 = true;
	for (size_t i = 0; i < nr_valid; i++) {
		struct vfio_iova *node = kzalloc(sizeof(*node), GFP_KERNEL);

		if (!node)
			return NULL;
		node->start = valid[i].start;
		node->end = valid[i].end;
		list_add_tail(&node->list, &iommu->iova_list);
	}
	return iommu;
}

static void destroy(void *container)
{
	struct vfio_iommu *iommu = container;
	struct vfio_iova *node, *next;
	struct rb_node *n;

	while ((n = rb_first(&iommu->dma_list)))
		vfio_remove_dma(iommu, rb_entry(n, struct vfio_dma, node));
	list_for_each_entry_safe(node, next, &iommu->iova_list, list)
		kfree(node);
	free(iommu);
}

static int map_dma(void *container, uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map), .flags = flags, .vaddr = vaddr, .iova = iova, .size = size };

	harness_user_end = (const char *)(&map + 1);
	return vfio_iommu_type1_map_dma(container, (unsigned long)&map);
}

static int unmap_dma(void *container, uint64_t iova, uint64_t size, uint32_t flags, uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap), .flags = flags, .iova = iova, .size = size };
	int ret;

	harness_user_end = (const char *)(&unmap + 1);
	ret = vfio_iommu_type1_unmap_dma(container, (unsigned long)&unmap);
	*unmapped = unmap.size;
	return ret;
}

static int get_info(void *container, uint8_t *buffer, size_t length)
{
	harness_user_end = (const char *)buffer + length;
	return vfio_iommu_type1_get_info(container, (unsigned long)buffer);
}

static size_t mappings(void *container, struct harness_dma_mapping *out, size_t capacity)
{
	struct vfio_iommu *iommu = container;
	size_t count = 0;

	for (struct rb_node *n = rb_first(&iommu->dma_list); n; n = rb_next(n), count++) {
		struct vfio_dma *dma = rb_entry(n, struct vfio_dma, node);

		if (count < capacity)
			out[count] = (struct harness_dma_mapping){ dma->iova, dma->size, dma->vaddr, (uint32_t)dma->prot, dma->vaddr_invalid };
	}
	return count;
}

static const struct harness_type1_ops type1 = {
	.create = create,
	.destroy = destroy,
	.map_dma = map_dma,
	.unmap_dma = unmap_dma,
	.get_info = get_info,
	.mappings = mappings,
};

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
	.name = "vfio_iommu_type1.c: DMA tracking and GET_INFO",
	.profile = HARNESS_PROFILE,
	.type1 = &type1,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
