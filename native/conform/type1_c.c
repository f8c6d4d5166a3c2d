// SPDX-License-Identifier: MIT
/*
 * drivers/vfio/vfio_iommu_type1.c's DMA tracking, GET_INFO, attach and detach behind
 * harness_impl.h, as `harness conform` builds it against a Linux tree (docs/SPEC.md,
 * "Conformance"). The file as a whole needs the mm, the IOMMU core and the driver model, so the
 * build copies out of the user's tree only the definitions named in
 * Native/Conform/ConformSurface.cs (the structs, the MAP/UNMAP/GET_INFO ioctls down to
 * vfio_find_dma and the rbtree links, the capability builders, vfio_main.c's chain helpers,
 * vfio_iommu_type1_attach_group and _detach_group down to the valid-list code, iommu.c's
 * resv-region merge) and includes them here as HARNESS_EXTRACTED, on the tree's rbtree.h,
 * list.h and uapi vfio.h, with lib/rbtree.c compiled beside them.
 *
 * What this file supplies is what those functions call and the harness's container has no use
 * for, all of it without effect on what userspace sees:
 *  - the IOMMU core: a group is the harness's struct harness_iommu_group, one device whose
 *    IOMMU driver is named by its domain key; a domain allocated for it has the group's aperture
 *    and page sizes and that driver's iommu_ops (a driver of its own without a key), so
 *    vfio's "same ops" test joins groups of one key; attaching to a domain always succeeds;
 *    iommu_get_group_resv_regions merges the group's regions with the tree's own
 *    iommu_insert_resv_region, as the core does for each device;
 *  - pinning and the IOMMU page tables: vfio_pin_map_dma accounts the whole range as pinned and
 *    mapped, replay and the fine-grained-superpage probe do nothing, nothing is unpinned from
 *    a domain; no mdev pins pages and dirty tracking is never started;
 *  - the task, its mm and its capabilities are one static stand-in; user copies are memcpy
 *    bounded by the caller's buffer, -EFAULT past it;
 *  - the container core (drivers/vfio/container.c): detaching the last group releases the
 *    vfio_iommu (a fresh one replaces it), and without a group the ioctls are -EINVAL.
 * create() with page sizes or a valid list builds the container as attaching its groups would
 * have left it, without domains (so MAP_DMA records without pinning, the kernel's own path
 * for a container without an IOMMU-capable domain); create(0, limit, NULL, 0) is one with no
 * group, attached through type1_groups.
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
static _Thread_local const char *harness_user_end;
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

/* The container's PAGE_SIZE, as on x86 (docs/SPEC.md §2 "Page sizes"). */
#undef PAGE_SHIFT
#undef PAGE_SIZE
#undef PAGE_MASK
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

struct vfio_domain;
struct vfio_iommu;
struct vfio_dma;
struct iommu_resv_region;

/* The IOMMU core, for the harness's groups. */
struct iommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
	bool force_aperture;
};
struct iommu_domain;
struct iommu_domain_ops {
	bool (*enforce_cache_coherency)(struct iommu_domain *domain);
};
struct iommu_domain {
	const struct iommu_domain_ops *ops;
	unsigned long pgsize_bitmap;
	struct iommu_domain_geometry geometry;
	struct iommu_domain_ops own_ops;	/* the ops of a driver no other group has */
};
struct bus_type { int unused; };
struct device { struct bus_type *bus; struct iommu_group *group; };
struct iommu_group {
	struct device dev;
	struct harness_iommu_group given;	/* its regions in a copy of its own */
	const struct iommu_domain_ops *driver;	/* NULL: a driver of its own */
};
static struct bus_type harness_bus;
/* The group whose domain vfio_iommu_domain_alloc asks for (v6.1 passes only the bus). */
static _Thread_local struct iommu_group *harness_allocating;
static _Thread_local bool allow_unsafe_interrupts;

static int iommu_group_for_each_dev(struct iommu_group *group, void *data, int (*fn)(struct device *, void *))
{
	harness_allocating = group;
	return fn(&group->dev, data);
}
static struct iommu_domain *harness_domain_alloc(void)
{
	struct iommu_group *group = harness_allocating;
	struct iommu_domain *domain = calloc(1, sizeof(*domain));

	if (!domain)
		return NULL;
	domain->ops = group->driver ? group->driver : &domain->own_ops;
	domain->pgsize_bitmap = group->given.pgsize_bitmap;
	domain->geometry.aperture_start = group->given.aperture_start;
	domain->geometry.aperture_end = group->given.aperture_end;
	domain->geometry.force_aperture = true;
	return domain;
}
static inline struct iommu_domain *iommu_domain_alloc(struct bus_type *bus)
{
	(void)bus;
	return harness_domain_alloc();
}
static inline struct iommu_domain *iommu_paging_domain_alloc(struct device *dev)
{
	(void)dev;
	struct iommu_domain *domain = harness_domain_alloc();

	return domain ? domain : ERR_PTR(-ENOMEM);
}
static void iommu_domain_free(struct iommu_domain *domain)
{
	free(domain);
}
static int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	(void)domain, (void)group;
	return 0;
}
static void iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	(void)domain, (void)group;
}
static inline int iommu_enable_nesting(struct iommu_domain *domain)
{
	(void)domain;
	return -ENODEV;
}
static int iommu_get_msi_cookie(struct iommu_domain *domain, dma_addr_t base)
{
	(void)domain, (void)base;
	return 0;
}
static inline bool iommu_group_has_isolated_msi(struct iommu_group *group)
{
	return group->given.msi_isolated;
}
static inline bool irq_domain_check_msi_remap(void)
{
	return false;
}
static inline bool device_iommu_capable(struct device *dev, int cap)
{
	(void)cap;
	return dev->group->given.msi_isolated;
}
static int iommu_get_group_resv_regions(struct iommu_group *group, struct list_head *head);

/* The kernel's functions these call, on paths this container never takes. */
static int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma, size_t map_size);
static int vfio_iommu_replay(struct vfio_iommu *iommu, struct vfio_domain *domain)
{
	(void)iommu, (void)domain;
	return 0;
}
static void vfio_test_domain_fgsp(struct vfio_domain *domain, struct list_head *regions)
{
	(void)domain, (void)regions;
}
static void vfio_iommu_unmap_unpin_reaccount(struct vfio_iommu *iommu)
{
	(void)iommu;
}
static void vfio_iommu_populate_bitmap_full(struct vfio_iommu *iommu)
{
	(void)iommu;
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

static int vfio_pin_map_dma(struct vfio_iommu *iommu, struct vfio_dma *dma, size_t map_size)
{
	(void)iommu;
	dma->size = map_size;
	return 0;
}

/* What the core's iommu_get_group_resv_regions does for the group's one device. */
static int iommu_get_group_resv_regions(struct iommu_group *group, struct list_head *head)
{
	for (size_t i = 0; i < group->given.nr_resv; i++) {
		const struct harness_resv_region *r = &group->given.resv[i];
		struct iommu_resv_region region = { .start = r->start, .length = r->last - r->start + 1,
						    .prot = r->prot, .type = (enum iommu_resv_type)r->type };
		int ret = iommu_insert_resv_region(&region, head);

		if (ret)
			return ret;
	}
	return 0;
}

#define HARNESS_MAX_GROUPS 64

/* A container: its vfio_iommu first (the ABI's pointer is both), and the groups and drivers it has met. */
struct harness_container {
	struct vfio_iommu iommu;
	bool has_iommu;
	uint32_t dma_entry_limit;
	size_t nr_groups, nr_drivers;
	struct iommu_group *groups[HARNESS_MAX_GROUPS];
	struct { int32_t key; struct iommu_domain_ops ops; } drivers[HARNESS_MAX_GROUPS];
};

/* vfio_iommu_type1_open's v2 container. */
static void harness_iommu_open(struct vfio_iommu *iommu, uint32_t dma_entry_limit)
{
	memset(iommu, 0, sizeof(*iommu));
	INIT_LIST_HEAD(&iommu->domain_list);
	INIT_LIST_HEAD(&iommu->iova_list);
	INIT_LIST_HEAD(&iommu->device_list);
	INIT_LIST_HEAD(&iommu->emulated_iommu_groups);
	iommu->dma_list = RB_ROOT;
	iommu->dma_avail = dma_entry_limit;
	iommu->v2 = true;
}

/* vfio_iommu_type1_release: every mapping, domain and valid range freed. */
static void harness_iommu_release(struct vfio_iommu *iommu)
{
	struct vfio_domain *domain, *next_domain;
	struct vfio_iommu_group *group, *next_group;
	struct rb_node *n;

	while ((n = rb_first(&iommu->dma_list)))
		vfio_remove_dma(iommu, rb_entry(n, struct vfio_dma, node));
	list_for_each_entry_safe(domain, next_domain, &iommu->domain_list, next) {
		list_for_each_entry_safe(group, next_group, &domain->group_list, next)
			kfree(group);
		iommu_domain_free(domain->domain);
		kfree(domain);
	}
	vfio_iommu_iova_free(&iommu->iova_list);
}

static void *create(uint64_t pgsize_bitmap, uint32_t dma_entry_limit, const struct harness_iova_range *valid, size_t nr_valid)
{
	struct harness_container *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	harness_iommu_open(&c->iommu, dma_entry_limit);
	c->dma_entry_limit = dma_entry_limit;
	c->has_iommu = pgsize_bitmap || nr_valid;
	c->iommu.pgsize_bitmap = pgsize_bitmap;
	for (size_t i = 0; i < nr_valid; i++) {
		if (vfio_iommu_iova_insert(&c->iommu.iova_list, valid[i].start, valid[i].end))
			return NULL;
	}
	return c;
}

static void destroy(void *container)
{
	struct harness_container *c = container;

	harness_iommu_release(&c->iommu);
	for (size_t i = 0; i < c->nr_groups; i++) {
		free((void *)c->groups[i]->given.resv);
		free(c->groups[i]);
	}
	free(c);
}

/* The ops of the driver with that key, the same for every group of it. */
static const struct iommu_domain_ops *harness_driver(struct harness_container *c, int32_t key)
{
	for (size_t i = 0; i < c->nr_drivers; i++) {
		if (c->drivers[i].key == key)
			return &c->drivers[i].ops;
	}
	if (c->nr_drivers == HARNESS_MAX_GROUPS)
		return NULL;
	c->drivers[c->nr_drivers].key = key;
	return &c->drivers[c->nr_drivers++].ops;
}

/*
 * The iommu_group of that id, made at its first attach; while it is not attached, a later
 * attach may describe it anew (the harness's groups of one id differ from case to case).
 */
static struct iommu_group *harness_group(struct harness_container *c, const struct harness_iommu_group *given)
{
	struct iommu_group *group = NULL;
	struct harness_resv_region *resv;

	for (size_t i = 0; i < c->nr_groups && !group; i++) {
		if (c->groups[i]->given.id == given->id)
			group = c->groups[i];
	}
	if (group && vfio_iommu_find_iommu_group(&c->iommu, group))
		return group;
	if (!group) {
		if (c->nr_groups == HARNESS_MAX_GROUPS || !(group = calloc(1, sizeof(*group))))
			return NULL;
		c->groups[c->nr_groups++] = group;
		group->dev = (struct device){ &harness_bus, group };
	}
	if (!(resv = malloc(given->nr_resv * sizeof(*resv) + 1)))
		return NULL;
	memcpy(resv, given->resv, given->nr_resv * sizeof(*resv));
	free((void *)group->given.resv);
	group->given = *given;
	group->given.resv = resv;
	group->driver = given->shares_domain ? harness_driver(c, given->domain) : NULL;
	return given->shares_domain && !group->driver ? NULL : group;
}

static int attach_group(void *container, const struct harness_iommu_group *given, int allow_unsafe)
{
	struct harness_container *c = container;
	struct iommu_group *group = harness_group(c, given);
	int ret;

	if (!group)
		return -ENOMEM;
	allow_unsafe_interrupts = allow_unsafe;
	ret = vfio_iommu_type1_attach_group(&c->iommu, group, VFIO_IOMMU);
	if (!ret)
		c->has_iommu = true;
	return ret;
}

static int detach_group(void *container, int32_t id)
{
	struct harness_container *c = container;

	for (size_t i = 0; i < c->nr_groups; i++) {
		struct iommu_group *group = c->groups[i];

		if (group->given.id != id || !vfio_iommu_find_iommu_group(&c->iommu, group))
			continue;
		vfio_iommu_type1_detach_group(&c->iommu, group);
		if (list_empty(&c->iommu.domain_list)) {
			harness_iommu_release(&c->iommu);
			harness_iommu_open(&c->iommu, c->dma_entry_limit);
			c->has_iommu = false;
		}
		return 0;
	}
	return -EINVAL;
}

static int map_dma(void *container, uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map), .flags = flags, .vaddr = vaddr, .iova = iova, .size = size };

	if (!((struct harness_container *)container)->has_iommu)
		return -EINVAL;
	harness_user_end = (const char *)(&map + 1);
	return vfio_iommu_type1_map_dma(container, (unsigned long)&map);
}

static int unmap_dma(void *container, uint64_t iova, uint64_t size, uint32_t flags, uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap), .flags = flags, .iova = iova, .size = size };
	int ret;

	if (!((struct harness_container *)container)->has_iommu)
		return -EINVAL;
	harness_user_end = (const char *)(&unmap + 1);
	ret = vfio_iommu_type1_unmap_dma(container, (unsigned long)&unmap);
	*unmapped = unmap.size;
	return ret;
}

static int get_info(void *container, uint8_t *buffer, size_t length)
{
	if (!((struct harness_container *)container)->has_iommu)
		return -EINVAL;
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

static const struct harness_type1_groups_ops type1_groups = {
	.attach_group = attach_group,
	.detach_group = detach_group,
};

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
	.name = "vfio_iommu_type1.c: DMA tracking, GET_INFO, attach and detach",
	.profile = HARNESS_PROFILE,
	.type1 = &type1,
	.type1_groups = &type1_groups,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
