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

/*
 * Version 2 added resv, capchain and type1 to struct harness_impl, version 3 iova_fast and pgtable,
 * version 4 type1_groups; a library of an older version (fewer surfaces) is still accepted.
 */
#define HARNESS_IMPL_ABI_VERSION 4

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

/*
 * iova.c's fast path on the top-down allocator's domains (docs/SPEC.md §5): the range caches
 * the DMA API allocates through. A pfn handed out here is freed with free_fast and the size it
 * was asked for; the harness never mixes the two paths on one range.
 */
struct harness_iova_fast_ops {
	/* alloc_iova_fast: 0 and *pfn set, or -ENOMEM (alloc_iova_fast returned 0). */
	int (*alloc_fast)(void *domain, uint64_t size, uint64_t limit_pfn, int flush_rcache, uint64_t *pfn);
	/* free_iova_fast. */
	void (*free_fast)(void *domain, uint64_t pfn, uint64_t size);
};

/*
 * struct iommu_resv_region with an inclusive end, so a region may end at 2^64 - 1 (docs/SPEC.md
 * §1). type is enum iommu_resv_type (DIRECT 0, DIRECT_RELAXABLE 1, RESERVED 2, MSI 3, SW_MSI 4),
 * prot the IOMMU_READ ... IOMMU_PRIV bits.
 */
struct harness_resv_region {
	uint64_t start;
	uint64_t last;
	int32_t prot;
	uint32_t type;
};

/* The group merge of reserved regions, as drivers/iommu/iommu.c's iommu_insert_resv_region. */
struct harness_resv_ops {
	/*
	 * Inserts a copy of *region into list, which holds count regions as earlier insertions left
	 * them and has room for capacity >= count + 1, merging as the profile says. Returns the new
	 * count, or a negative errno.
	 */
	long (*insert)(struct harness_resv_region *list, size_t count, size_t capacity,
		       const struct harness_resv_region *region);
};

/* struct vfio_iova_range. */
struct harness_iova_range {
	uint64_t start;
	uint64_t end;
};

/*
 * What a parser read from a VFIO_IOMMU_GET_INFO buffer (docs/SPEC.md §3): the header, and from
 * the chain the first capability of each kind. A has_ flag of 0 means no such capability.
 */
struct harness_info {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova_pgsizes;
	uint32_t cap_offset;
	uint32_t has_iova_ranges;	/* VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE */
	uint32_t nr_iovas;		/* its ranges are in the caller's array */
	uint32_t has_dma_avail;		/* VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL */
	uint32_t dma_avail;
	uint32_t has_migration;		/* VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION */
	uint32_t migration_flags;
	uint64_t migration_pgsize_bitmap;
	uint64_t max_dirty_bitmap_size;
};

/* Why a buffer was rejected: one of docs/SPEC.md §3's parser checks, or UNSPECIFIED. */
enum harness_capchain_check {
	HARNESS_CHECK_UNSPECIFIED,	/* the harness compares only accept against reject */
	HARNESS_CHECK_BUFFER_TOO_SHORT,
	HARNESS_CHECK_ARGSZ_TOO_SMALL,
	HARNESS_CHECK_CAP_OFFSET_INSIDE_HEADER,
	HARNESS_CHECK_CAP_OUT_OF_BOUNDS,
	HARNESS_CHECK_NEXT_NOT_FORWARD,
	HARNESS_CHECK_CAP_TOO_SHORT,
	HARNESS_CHECK_IOVA_COUNT_TOO_LARGE,
	HARNESS_CHECK_IOVA_RANGE_INVERTED,
};

/* With a check other than UNSPECIFIED, the harness compares the check, offset and value too. */
struct harness_capchain_error {
	uint32_t check;
	uint32_t offset;
	uint64_t value;
};

/* A GET_INFO capability-chain parser: userspace's side of VFIO_IOMMU_GET_INFO. */
struct harness_capchain_ops {
	/*
	 * Parses length bytes (what the kernel wrote back; argsz says what it wanted). 0 and *info
	 * set, the IOVA ranges in ranges (capacity is always enough for every range the buffer can
	 * hold), or -EINVAL and *error set.
	 */
	int (*parse)(const uint8_t *buffer, size_t length, struct harness_info *info,
		     struct harness_iova_range *ranges, size_t capacity, struct harness_capchain_error *error);
};

/* struct vfio_dma as userspace can observe it. */
struct harness_dma_mapping {
	uint64_t iova;
	uint64_t size;
	uint64_t vaddr;
	uint32_t prot;			/* IOMMU_READ 1 | IOMMU_WRITE 2 */
	uint32_t vaddr_invalid;		/* UNMAP_DMA with VFIO_DMA_UNMAP_FLAG_VADDR cleared it */
};

/*
 * The DMA tracking and GET_INFO of a VFIO type1 (v2) container, as drivers/vfio/
 * vfio_iommu_type1.c's ioctls (docs/SPEC.md §2, §3), for a container whose groups are attached
 * already: attaching (apertures, reserved regions, MSI) is the harness's part, which hands the
 * result to create. Flags are the uapi's VFIO_DMA_MAP_FLAG_* and VFIO_DMA_UNMAP_FLAG_*.
 */
struct harness_type1_ops {
	/* A container with that IOMMU page-size bitmap, dma_entry_limit and valid IOVA list. */
	void *(*create)(uint64_t pgsize_bitmap, uint32_t dma_entry_limit,
			const struct harness_iova_range *valid, size_t nr_valid);
	void (*destroy)(void *container);
	/* VFIO_IOMMU_MAP_DMA with argsz = sizeof(struct vfio_iommu_type1_dma_map). */
	int (*map_dma)(void *container, uint64_t iova, uint64_t size, uint64_t vaddr, uint32_t flags);
	/* VFIO_IOMMU_UNMAP_DMA; on success *unmapped is the byte count the kernel writes back. */
	int (*unmap_dma)(void *container, uint64_t iova, uint64_t size, uint32_t flags, uint64_t *unmapped);
	/*
	 * VFIO_IOMMU_GET_INFO into the caller's buffer of length bytes, whose first four hold argsz;
	 * -EFAULT where the kernel's copy_from_user or copy_to_user would go past length.
	 */
	int (*get_info)(void *container, uint8_t *buffer, size_t length);
	/* The mappings, ascending by iova: at most capacity written, the total returned. */
	size_t (*mappings)(void *container, struct harness_dma_mapping *out, size_t capacity);
};

/*
 * An IOMMU group as vfio_iommu_type1_attach_group learns it (docs/SPEC.md §2): the aperture and
 * page sizes of the IOMMU domain its attach allocates, its reserved regions (already merged, as
 * iommu_get_group_resv_regions gives them) and whether its MSIs are isolated. Groups with
 * shares_domain set and the same domain are behind one IOMMU driver (the same iommu_ops and
 * cache coherency), so a later one joins the first one's domain.
 */
struct harness_iommu_group {
	int32_t id;
	uint32_t shares_domain;
	int32_t domain;
	uint32_t msi_isolated;
	uint64_t aperture_start;
	uint64_t aperture_end;		/* inclusive */
	uint64_t pgsize_bitmap;
	const struct harness_resv_region *resv;
	size_t nr_resv;
};

/*
 * Attaching and detaching groups, on containers of the library's type1 surface, as
 * vfio_iommu_type1_attach_group and _detach_group (docs/SPEC.md §2). With this surface the
 * harness creates a container with type1->create(0, dma_entry_limit, NULL, 0), one with no group
 * yet, and attaches its groups one by one.
 */
struct harness_type1_groups_ops {
	/* The group attached, or a negative errno with nothing changed; allow_unsafe_interrupts is the module parameter. */
	int (*attach_group)(void *container, const struct harness_iommu_group *group, int allow_unsafe_interrupts);
	/*
	 * The group detached (a group that is not attached: -EINVAL). Detaching the last group
	 * leaves a container with no IOMMU, as releasing the container's vfio_iommu does: no
	 * mappings, dma_avail restored, and MAP_DMA, UNMAP_DMA and GET_INFO -EINVAL until a group
	 * is attached again.
	 */
	int (*detach_group)(void *container, int32_t group_id);
};

/*
 * An IOMMU page table, as include/linux/io-pgtable.h's struct io_pgtable_ops (docs/SPEC.md §6).
 * The harness drives it as drivers/iommu/iommu.c's iommu_map and iommu_unmap do: each request
 * split by iommu_pgsize into runs of one page size, and a map that fails part-way unmapped
 * again. prot is IOMMU_READ 1 | IOMMU_WRITE 2 | IOMMU_CACHE 4 | IOMMU_NOEXEC 8 | IOMMU_MMIO 16 |
 * IOMMU_PRIV 32.
 */
struct harness_pgtable_ops {
	/*
	 * alloc_io_pgtable_ops: a table with that granule (4K, 16K or 64K) and input and output
	 * address sizes in bits, *pgsize_bitmap set to the page and block sizes it maps; NULL if
	 * it refuses the geometry.
	 */
	void *(*create)(uint64_t granule, uint32_t ias, uint32_t oas, uint64_t *pgsize_bitmap);
	/* free_io_pgtable_ops. */
	void (*destroy)(void *table);
	/* map_pages: pgcount pages of pgsize; *mapped grows by the bytes mapped, even on error. */
	int (*map_pages)(void *table, uint64_t iova, uint64_t paddr, uint64_t pgsize, uint64_t pgcount,
			 int prot, uint64_t *mapped);
	/* unmap_pages: the bytes unmapped, 0 for none. */
	uint64_t (*unmap_pages)(void *table, uint64_t iova, uint64_t pgsize, uint64_t pgcount);
	/* iova_to_phys: 0 is no translation. */
	uint64_t (*iova_to_phys)(void *table, uint64_t iova);
};

struct harness_impl {
	uint32_t abi_version;		/* HARNESS_IMPL_ABI_VERSION */
	const char *name;		/* shown in reports */
	const char *profile;		/* whose rules the library follows */
	const struct harness_iova_ops *iova_top_down;	/* alloc_iova's highest fit, or NULL */
	const struct harness_iova_ops *iova_lowest_fit;	/* iommufd's lowest fit, or NULL */
	/* Version 2: */
	const struct harness_resv_ops *resv;		/* the group merge, or NULL */
	const struct harness_capchain_ops *capchain;	/* a GET_INFO parser, or NULL */
	const struct harness_type1_ops *type1;		/* a type1 container's DMA tracking, or NULL */
	/* Version 3: */
	const struct harness_pgtable_ops *pgtable;	/* an IOMMU page table, or NULL */
	const struct harness_iova_fast_ops *iova_fast;	/* iova_top_down's fast path, or NULL */
	/* Version 4: */
	const struct harness_type1_groups_ops *type1_groups;	/* attach and detach for type1, or NULL */
};

/* The one symbol the harness looks up. */
const struct harness_impl *harness_impl_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* HARNESS_IMPL_H */
