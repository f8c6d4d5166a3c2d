// SPDX-License-Identifier: MIT
/*
 * A small, careful VFIO_IOMMU_GET_INFO parser behind harness_impl.h (docs/SPEC.md §3, "Parser"):
 * it reads only min(argsz, length) bytes, follows the capability chain only forward, bounds every
 * capability by the next one, and names the check that failed and where.
 *
 * Planted bugs, one per build flag:
 *  -DPLANT_CYCLE_BLIND  the chain is walked as QEMU's vfio_get_iommu_info_cap does, until a next
 *                       of 0, without asking whether next points forward and with each
 *                       capability bounded only by the buffer: a chain that points back at
 *                       itself never ends;
 *  -DPLANT_TRUST_COUNT  nr_iovas is trusted, so a count larger than the capability reads past
 *                       the end of the buffer.
 */
#include <errno.h>
#include <string.h>

#include "../harness_impl.h"

enum {
	MIN_ARGSZ = 16,		/* the v5.3 struct vfio_iommu_type1_info */
	HEADER_SIZE = 24,	/* with cap_offset and its padding */
	CAP_HEADER = 8,		/* struct vfio_info_cap_header: id, version, next */
	CAP_IOVA_RANGE = 1,
	CAP_MIGRATION = 2,
	CAP_DMA_AVAIL = 3,
};

static uint16_t u16(const uint8_t *p) { uint16_t v; memcpy(&v, p, sizeof(v)); return v; }
static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, sizeof(v)); return v; }
static uint64_t u64(const uint8_t *p) { uint64_t v; memcpy(&v, p, sizeof(v)); return v; }

static int reject(struct harness_capchain_error *error, uint32_t check, size_t offset, uint64_t value)
{
	error->check = check;
	error->offset = (uint32_t)offset;
	error->value = value;
	return -EINVAL;
}

/* The capability at `at`, which may not extend past `extent`. */
static int read_cap(const uint8_t *data, size_t at, size_t extent, struct harness_info *info,
		    struct harness_iova_range *ranges, struct harness_capchain_error *error)
{
	uint16_t id = u16(data + at), version = u16(data + at + 2);
	size_t needed = id == CAP_IOVA_RANGE ? 16 : id == CAP_MIGRATION ? 32 : id == CAP_DMA_AVAIL ? 12 : 0;

	if (version != 1 || needed == 0)
		return 0;
	if (at + needed > extent)
		return reject(error, HARNESS_CHECK_CAP_TOO_SHORT, at, needed);

	if (id == CAP_MIGRATION && !info->has_migration) {
		info->has_migration = 1;
		info->migration_flags = u32(data + at + 8);
		info->migration_pgsize_bitmap = u64(data + at + 16);
		info->max_dirty_bitmap_size = u64(data + at + 24);
	} else if (id == CAP_DMA_AVAIL && !info->has_dma_avail) {
		info->has_dma_avail = 1;
		info->dma_avail = u32(data + at + 8);
	} else if (id == CAP_IOVA_RANGE) {
		uint64_t nr = u32(data + at + 8);

#ifndef PLANT_TRUST_COUNT
		if (at + 16 + 16 * nr > extent)
			return reject(error, HARNESS_CHECK_IOVA_COUNT_TOO_LARGE, at + 8, nr);
#endif
		for (uint64_t i = 0; i < nr; i++) {
			const uint8_t *range = data + at + 16 + 16 * i;

			if (u64(range) > u64(range + 8))
				return reject(error, HARNESS_CHECK_IOVA_RANGE_INVERTED, (size_t)(range - data), u64(range));
			if (!info->has_iova_ranges) {
				ranges[i].start = u64(range);
				ranges[i].end = u64(range + 8);
			}
		}
		if (!info->has_iova_ranges) {
			info->has_iova_ranges = 1;
			info->nr_iovas = (uint32_t)nr;
		}
	}
	return 0;
}

static int parse(const uint8_t *buffer, size_t length, struct harness_info *info,
		 struct harness_iova_range *ranges, size_t capacity, struct harness_capchain_error *error)
{
	size_t end, pointer = 16;
	uint64_t offset;

	(void)capacity;
	memset(info, 0, sizeof(*info));
	if (length < MIN_ARGSZ)
		return reject(error, HARNESS_CHECK_BUFFER_TOO_SHORT, 0, length);
	info->argsz = u32(buffer);
	if (info->argsz < MIN_ARGSZ)
		return reject(error, HARNESS_CHECK_ARGSZ_TOO_SMALL, 0, info->argsz);
	end = info->argsz < length ? info->argsz : length;
	info->flags = u32(buffer + 4);
	info->iova_pgsizes = u64(buffer + 8);
	info->cap_offset = end >= 20 ? u32(buffer + 16) : 0;
	if (info->cap_offset == 0)
		return 0;
	if (info->cap_offset < HEADER_SIZE)
		return reject(error, HARNESS_CHECK_CAP_OFFSET_INSIDE_HEADER, 16, info->cap_offset);

	for (offset = info->cap_offset;;) {
		uint32_t next;
		size_t extent;
		int ret;

		if (offset + CAP_HEADER > end)
			return reject(error, HARNESS_CHECK_CAP_OUT_OF_BOUNDS, pointer, offset);
		next = u32(buffer + offset + 4);
#ifdef PLANT_CYCLE_BLIND
		extent = end;
#else
		if (next != 0 && next <= offset)
			return reject(error, HARNESS_CHECK_NEXT_NOT_FORWARD, offset + 4, next);
		extent = next == 0 || next > end ? end : next;
#endif
		ret = read_cap(buffer, offset, extent, info, ranges, error);
		if (ret)
			return ret;
		if (next == 0)
			return 0;
		pointer = offset + 4;
		offset = next;
	}
}

static const struct harness_capchain_ops capchain = { .parse = parse };

static const struct harness_impl impl = {
	.abi_version = HARNESS_IMPL_ABI_VERSION,
#if defined(PLANT_CYCLE_BLIND)
	.name = "chain parser, cycle-blind walk",
#elif defined(PLANT_TRUST_COUNT)
	.name = "chain parser, trusting nr_iovas",
#else
	.name = "chain parser",
#endif
	.profile = "ideal",
	.capchain = &capchain,
};

const struct harness_impl *harness_impl_describe(void)
{
	return &impl;
}
