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

#endif /* HARNESS_COMPAT_H */
