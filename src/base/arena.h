/* Arena: one per request or command; everything allocated from it is dropped at once. */
#ifndef SW_BASE_ARENA_H
#define SW_BASE_ARENA_H

#include <stddef.h>

struct sw_arena_block;
struct sw_arena {
    struct sw_arena_block *head;
    size_t used_bytes;  /* total handed out, for limits and metrics */
    size_t limit_bytes; /* 0 = no limit; allocation past it returns NULL */
};

void sw_arena_init(struct sw_arena *a, size_t limit_bytes);
/* Returns 16-byte aligned memory, or NULL when the limit is reached or memory is out. */
void *sw_arena_alloc(struct sw_arena *a, size_t n);
char *sw_arena_strdup(struct sw_arena *a, const char *s);
char *sw_arena_strndup(struct sw_arena *a, const char *s, size_t n);
/* Frees every block but the first, keeping it for reuse. */
void sw_arena_reset(struct sw_arena *a);
void sw_arena_release(struct sw_arena *a);

#endif
