#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

struct sw_arena_block {
    struct sw_arena_block *next;
    size_t cap;
    size_t used;
    _Alignas(16) unsigned char data[];
};

enum { BLOCK_MIN = 16 * 1024 };

void sw_arena_init(struct sw_arena *a, size_t limit_bytes)
{
    a->head = NULL;
    a->used_bytes = 0;
    a->limit_bytes = limit_bytes;
}

void *sw_arena_alloc(struct sw_arena *a, size_t n)
{
    size_t need = (n + 15u) & ~(size_t)15u;
    if (need < n)
        return NULL;
    if (a->limit_bytes && a->used_bytes + need > a->limit_bytes)
        return NULL;
    struct sw_arena_block *b = a->head;
    if (!b || b->cap - b->used < need) {
        size_t cap = need > BLOCK_MIN ? need : BLOCK_MIN;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_bytes += need;
    return p;
}

char *sw_arena_strndup(struct sw_arena *a, const char *s, size_t n)
{
    char *p = sw_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *sw_arena_strdup(struct sw_arena *a, const char *s)
{
    return sw_arena_strndup(a, s, strlen(s));
}

void sw_arena_reset(struct sw_arena *a)
{
    struct sw_arena_block *b = a->head;
    if (!b)
        return;
    while (b->next) {
        struct sw_arena_block *n = b->next;
        b->next = n->next;
        free(n);
    }
    b->used = 0;
    a->used_bytes = 0;
}

void sw_arena_release(struct sw_arena *a)
{
    struct sw_arena_block *b = a->head;
    while (b) {
        struct sw_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
    a->used_bytes = 0;
}
