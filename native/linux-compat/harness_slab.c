// SPDX-License-Identifier: MIT
/* The slab caches of harness_compat.h: calloc'd objects with a zeroed trailer. */
#include "harness_compat.h"

struct kmem_cache {
	size_t size;
};

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align, unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *cache = malloc(sizeof(*cache));

	(void)name, (void)align, (void)flags, (void)ctor;
	if (cache)
		cache->size = size + HARNESS_SLAB_TRAILER;
	return cache;
}

void kmem_cache_destroy(struct kmem_cache *cache)
{
	free(cache);
}

void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t flags)
{
	(void)flags;
	return calloc(1, cache->size);
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t flags)
{
	return kmem_cache_zalloc(cache, flags);
}

void kmem_cache_free(struct kmem_cache *cache, void *object)
{
	(void)cache;
	free(object);
}
