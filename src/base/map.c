#include "base/map.h"

#include <stdlib.h>
#include <string.h>

struct sw_map_slot {
    uint64_t hash; /* 0 = empty, 1 = tombstone */
    char *key;
    size_t klen;
    uint64_t value;
};

void sw_map_init(struct sw_map *m)
{
    memset(m, 0, sizeof *m);
}

void sw_map_release(struct sw_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].hash > 1)
            free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* 64-bit FNV-1a over 8-byte words with a final avalanche (splitmix64 finaliser): fast on the
 * short ids we store and well spread in the low bits we index by. */
uint64_t sw_hash_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    while (n--) {
        h = (h ^ *s++) * 0x100000001b3ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h < 2 ? h + 2 : h;
}

static struct sw_map_slot *find(const struct sw_map *m, const void *key, size_t klen, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct sw_map_slot *s = &m->slots[i];
        if (s->hash == 0)
            return NULL;
        if (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0)
            return s;
    }
}

static bool grow(struct sw_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    if (m->count * 4 < m->cap)
        ncap = m->cap; /* mostly tombstones: rehash in place size */
    struct sw_map_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        struct sw_map_slot *s = &m->slots[i];
        if (s->hash <= 1)
            continue;
        size_t j = s->hash & (ncap - 1);
        while (ns[j].hash)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->used = m->count;
    return true;
}

bool sw_map_get(const struct sw_map *m, const void *key, size_t klen, uint64_t *out)
{
    struct sw_map_slot *s = find(m, key, klen, sw_hash_bytes(key, klen));
    if (s && out)
        *out = s->value;
    return s != NULL;
}

bool sw_map_put(struct sw_map *m, const void *key, size_t klen, uint64_t value)
{
    uint64_t h = sw_hash_bytes(key, klen);
    struct sw_map_slot *s = find(m, key, klen, h);
    if (s) {
        s->value = value;
        return true;
    }
    if ((m->used + 1) * 4 >= m->cap * 3 && !grow(m))
        return false;
    char *k = malloc(klen ? klen : 1);
    if (!k)
        return false;
    memcpy(k, key, klen);
    size_t mask = m->cap - 1, i = h & mask;
    while (m->slots[i].hash > 1)
        i = (i + 1) & mask;
    if (m->slots[i].hash == 0)
        m->used++;
    m->slots[i] = (struct sw_map_slot){h, k, klen, value};
    m->count++;
    return true;
}

bool sw_map_del(struct sw_map *m, const void *key, size_t klen)
{
    struct sw_map_slot *s = find(m, key, klen, sw_hash_bytes(key, klen));
    if (!s)
        return false;
    free(s->key);
    s->key = NULL;
    s->hash = 1;
    m->count--;
    return true;
}

void sw_map_clear(struct sw_map *m)
{
    if (m->count == 0 && m->used == 0)
        return;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].hash > 1)
            free(m->slots[i].key);
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = m->used = 0;
}
