/* Open-addressing hash map from byte-string keys to uint64 values. Keys are copied. Not
 * thread-safe: the owner serialises access (the engine's writer, or an rwlock). */
#ifndef SW_BASE_MAP_H
#define SW_BASE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sw_map_slot;
struct sw_map {
    struct sw_map_slot *slots;
    size_t cap;   /* power of two */
    size_t count; /* live entries */
    size_t used;  /* live + tombstones */
};

void sw_map_init(struct sw_map *m);
void sw_map_release(struct sw_map *m);
uint64_t sw_hash_bytes(const void *p, size_t n);
bool sw_map_get(const struct sw_map *m, const void *key, size_t klen, uint64_t *out);
/* Inserts or replaces. Returns false on out-of-memory. */
bool sw_map_put(struct sw_map *m, const void *key, size_t klen, uint64_t value);
bool sw_map_del(struct sw_map *m, const void *key, size_t klen);
/* Removes every entry, keeping the capacity (no tombstones left behind). */
void sw_map_clear(struct sw_map *m);

#endif
