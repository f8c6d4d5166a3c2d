/* SPDX-License-Identifier: MIT */
/*
 * The kernel API that drivers/iommu/iova.c, lib/rbtree.c and iommu_insert_resv_region use, in
 * userspace, as `harness conform` compiles them (docs/SPEC.md, "Conformance"). Every linux/ and
 * asm/ header they include is a one-line file in this directory that includes this one; the
 * tree's own include/ comes after this directory on the include path, so only rbtree.h,
 * rbtree_types.h, rbtree_augmented.h, iova.h, list.h, poison.h and const.h come from the kernel.
 *
 * The machine it models: one CPU (the rcache's per-CPU state is a single copy), PAGE_SIZE
 * 64 KiB as on arm64 with 64K pages (so every granule the properties use passes
 * init_iova_domain's BUG_ON), spinlocks that do nothing (each domain is used by one thread),
 * a mutex for the slab caches the domains share, and delayed work that never runs (v6.12's
 * depot trimming after 100 ms), so every run is deterministic.
 */
#ifndef HARNESS_COMPAT_H
#define HARNESS_COMPAT_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Types. */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef uint64_t dma_addr_t;
typedef uint64_t phys_addr_t;
typedef int32_t s32;
typedef int64_t s64;
typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef int32_t __s32;
typedef uint64_t __u64;
typedef uint64_t __aligned_u64 __attribute__((aligned(8)));
#define __DECLARE_FLEX_ARRAY(TYPE, NAME) struct { struct { } __empty_ ## NAME; TYPE NAME[]; }
typedef unsigned int gfp_t;

#define __percpu
#define __user
#define __rcu
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define IS_REACHABLE(option) 1
#define static_assert _Static_assert
#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define rcu_dereference_raw(p) READ_ONCE(p)

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define swap(a, b) do { __typeof__(a) swap_tmp = (a); (a) = (b); (b) = swap_tmp; } while (0)
#define ALIGN(x, a) (((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define min_t(type, a, b) ((type)(a) < (type)(b) ? (type)(a) : (type)(b))
#define offsetofend(TYPE, MEMBER) (offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#define struct_size(p, member, n) (sizeof(*(p)) + (n) * sizeof(*(p)->member))
#define BITS_PER_BYTE 8
#define BITS_PER_TYPE(type) (sizeof(type) * BITS_PER_BYTE)
#define U64_MAX UINT64_MAX

/* Module and export boilerplate. */
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_AUTHOR(text)
#define MODULE_LICENSE(text)
#define MODULE_DESCRIPTION(text)

/* Diagnostics: a BUG is an abort; a WARN lets the code go on, with one line on stderr per site. */
#define BUG_ON(cond) do { if (cond) { fprintf(stderr, "BUG at %s:%d\n", __FILE__, __LINE__); abort(); } } while (0)
#define WARN_ON(cond) ({ \
	static int warned; \
	int warn_on = !!(cond); \
	if (warn_on && !__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED)) \
		fprintf(stderr, "WARNING at %s:%d (shown once)\n", __FILE__, __LINE__); \
	warn_on; \
})
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define pr_err(...) fprintf(stderr, __VA_ARGS__)
#define pr_warn(...) fprintf(stderr, __VA_ARGS__)

/* Errnos and error pointers. */
#include <errno.h>
#define ENOTSUPP 524
#define ERR_PTR(err) ((void *)(long)(err))
#define PTR_ERR(ptr) ((long)(ptr))
#define IS_ERR(ptr) ((unsigned long)(ptr) >= (unsigned long)-4095)

/* Bits. */
static inline unsigned long __ffs(unsigned long word) { return (unsigned long)__builtin_ctzl(word); }
static inline int fls_long(unsigned long x) { return x ? 64 - __builtin_clzl(x) : 0; }
static inline bool is_power_of_2(unsigned long n) { return n != 0 && (n & (n - 1)) == 0; }
static inline unsigned long roundup_pow_of_two(unsigned long n) { return 1UL << fls_long(n - 1); }
static inline int order_base_2(unsigned long n) { return n > 1 ? fls_long(n - 1) : 0; }
static inline unsigned long __fls(unsigned long word) { return 63 - (unsigned long)__builtin_clzl(word); }
#define ilog2(n) ((int)__fls(n))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))

#define PAGE_SHIFT 16
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Locks. */
typedef struct { int unused; } spinlock_t;
#define spin_lock_init(lock) ((void)(lock))
#define spin_lock(lock) ((void)(lock))
#define spin_unlock(lock) ((void)(lock))
#define spin_lock_irqsave(lock, flags) ((void)(lock), (flags) = 0)
#define spin_unlock_irqrestore(lock, flags) ((void)(lock), (void)(flags))
#define assert_spin_locked(lock) ((void)(lock))
struct mutex { pthread_mutex_t lock; };
#define DEFINE_MUTEX(name) struct mutex name = { PTHREAD_MUTEX_INITIALIZER }
#define mutex_lock(m) pthread_mutex_lock(&(m)->lock)
#define mutex_unlock(m) pthread_mutex_unlock(&(m)->lock)

/* Lists: the types linux/types.h gives list.h. */
struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
#define hlist_entry_safe(ptr, type, member) ((ptr) ? container_of(ptr, type, member) : NULL)

/* Memory. */
#define GFP_KERNEL 0u
#define GFP_ATOMIC 0u
#define __GFP_NOWARN 0u
#define SLAB_HWCACHE_ALIGN 0u
struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, unsigned int flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t flags);
void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t flags);
void kmem_cache_free(struct kmem_cache *cache, void *object);
/* Every slab object carries this many zeroed bytes after its end, for the conformance shim's own bookkeeping. */
#define HARNESS_SLAB_TRAILER sizeof(unsigned long)
#define kzalloc(size, flags) calloc(1, (size))
#define kcalloc(n, size, flags) calloc((n), (size))
#define kfree(p) free(p)
#define krealloc(p, size, flags) realloc((p), (size))
#define kmemleak_transient_leak(p) ((void)(p))

/* One CPU. */
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < 1; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)
#define num_online_cpus() 1u
#define cache_line_size() 64
#define __alloc_percpu(size, align) calloc(1, (size))
#define free_percpu(p) free(p)
#define per_cpu_ptr(p, cpu) ((void)(cpu), (p))
#define raw_cpu_ptr(p) (p)

/* CPU hotplug: no CPU ever goes away. */
#define CPUHP_IOMMU_IOVA_DEAD 0
#define cpuhp_setup_state_multi(state, name, startup, teardown) ((void)(teardown), 0)
#define cpuhp_remove_multi_state(state) ((void)0)
#define cpuhp_state_add_instance_nocalls(state, node) 0
#define cpuhp_state_remove_instance_nocalls(state, node) 0

/* Work that never runs. */
struct work_struct { int unused; };
struct delayed_work { struct work_struct work; };
#define INIT_DELAYED_WORK(w, fn) ((void)(w), (void)(fn))
#define schedule_delayed_work(w, delay) ((void)(w), (void)(delay), true)
#define cancel_delayed_work_sync(w) ((void)(w), false)
#define msecs_to_jiffies(ms) (ms)

/*
 * io-pgtable-arm's memory: a page is its own address (so virt_to_phys is the identity and a
 * table's physical address is where it lies), allocations are PAGE_SIZE-aligned and zeroed, and
 * walks are coherent, so the DMA API is never reached (it only has to compile).
 */
#define __GFP_ZERO 0u
#define __GFP_HIGHMEM 0x2u
#define VM_BUG_ON(cond) BUG_ON(cond)
struct device;
struct page { struct list_head lru; };
enum dma_data_direction { DMA_TO_DEVICE = 1 };
enum node_stat_item { NR_IOMMU_PAGES, NR_SECONDARY_PAGETABLE };
#define dev_to_node(dev) ((void)(dev), -1)
#define dev_err(dev, ...) ((void)(dev), fprintf(stderr, __VA_ARGS__))
static inline int get_order(unsigned long size) { return size <= PAGE_SIZE ? 0 : fls_long((size - 1) >> PAGE_SHIFT); }
static inline struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	void *pages = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);

	(void)nid, (void)gfp;
	if (pages)
		memset(pages, 0, PAGE_SIZE << order);
	return pages;
}
#define alloc_pages(gfp, order) alloc_pages_node(-1, (gfp), (order))
#define page_address(page) ((void *)(page))
#define virt_to_page(virt) ((struct page *)(virt))
#define virt_to_phys(virt) ((phys_addr_t)(uintptr_t)(virt))
#define __pa(virt) virt_to_phys(virt)
#define __va(phys) ((void *)(uintptr_t)(phys))
#define phys_to_virt(phys) __va(phys)
#define __free_pages(page, order) ((void)(order), free(page))
#define free_pages(addr, order) ((void)(order), free((void *)(addr)))
#define put_page(page) free(page)
#define page_pgdat(page) ((void)(page), NULL)
#define mod_node_page_state(pgdat, item, delta) ((void)(pgdat), (void)(delta))
#define mod_lruvec_page_state(page, item, delta) ((void)(page), (void)(delta))
#define dma_map_single(dev, ptr, size, dir) virt_to_phys(ptr)
#define dma_unmap_single(dev, addr, size, dir) ((void)(addr))
#define dma_mapping_error(dev, addr) ((void)(addr), 0)
#define dma_sync_single_for_device(dev, addr, size, dir) ((void)(addr))
#define kmalloc(size, flags) malloc(size)
#define dma_wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define wmb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define cmpxchg64_relaxed(ptr, old, new) __sync_val_compare_and_swap((ptr), (old), (new))
#define set_bit(nr, addr) (*(addr) |= 1UL << (nr))
/* The kernel is built with the LPAE format; dirty tracking is never asked for, so it records nothing. */
#define CONFIG_IOMMU_IO_PGTABLE_LPAE 1
struct iova_bitmap;
static inline void iova_bitmap_set(struct iova_bitmap *bitmap, unsigned long iova, size_t length) { (void)bitmap, (void)iova, (void)length; }

#endif /* HARNESS_COMPAT_H */
