/* Registrations (command types, their hooks, subscribers) and the in-memory id maps and id
 * lists, with the writer's staging of their entries until the batch commits (docs/engine.md,
 * "Why in-memory id maps and id lists"). */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "engine/engine_int.h"

int sw_engine_register(struct sw_engine *e, const char *type, sw_cmd_fn fn)
{
    if (e->ndefs == SW_ENGINE_MAX_TYPES || strlen(type) >= sizeof e->defs[0].type)
        return SW_E_INTERNAL;
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0)
            return SW_E_ALREADY_EXISTS;
    struct cmd_def *d = &e->defs[e->ndefs++];
    snprintf(d->type, sizeof d->type, "%s", type);
    d->fn = fn;
    return SW_OK;
}

int sw_engine_wrap(struct sw_engine *e, const char *type, sw_cmd_fn fn, sw_cmd_fn *prev)
{
    struct cmd_def *d = sw__find_def(e, type);
    if (!d)
        return SW_E_INTERNAL;
    *prev = d->fn;
    d->fn = fn;
    return SW_OK;
}

int sw_engine_set_volatile_field(struct sw_engine *e, const char *type, const char *field)
{
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0 &&
            strlen(field) < sizeof e->defs[i].volatile_field) {
            snprintf(e->defs[i].volatile_field, sizeof e->defs[i].volatile_field, "%s", field);
            return SW_OK;
        }
    return SW_E_INTERNAL;
}

int sw_engine_set_prepare(struct sw_engine *e, const char *type, sw_prep_fn fn,
                          sw_prep_free_fn free_fn)
{
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0) {
            e->defs[i].prep = fn;
            e->defs[i].prep_free = free_fn;
            return SW_OK;
        }
    return SW_E_INTERNAL;
}

int sw_engine_set_fact_key(struct sw_engine *e, const char *type, const char *field)
{
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0 && strlen(field) < sizeof e->defs[i].fact_field) {
            snprintf(e->defs[i].fact_field, sizeof e->defs[i].fact_field, "%s", field);
            return SW_OK;
        }
    return SW_E_INTERNAL;
}

int sw_engine_set_yield(struct sw_engine *e, const char *type)
{
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0) {
            e->defs[i].yields = true;
            return SW_OK;
        }
    return SW_E_INTERNAL;
}

static int subscribe(struct sw_engine *e, const char *event_type, sw_sub_fn fn, bool ids_only)
{
    if (e->nsubs == SW_ENGINE_MAX_SUBS || strlen(event_type) >= sizeof e->subs[0].event_type)
        return SW_E_INTERNAL;
    struct sub_def *s = &e->subs[e->nsubs++];
    snprintf(s->event_type, sizeof s->event_type, "%s", event_type);
    s->fn = fn;
    s->ids_only = ids_only;
    return SW_OK;
}

int sw_engine_subscribe(struct sw_engine *e, const char *event_type, sw_sub_fn fn)
{
    return subscribe(e, event_type, fn, false);
}

int sw_engine_subscribe_ids(struct sw_engine *e, const char *event_type, sw_sub_fn fn)
{
    return subscribe(e, event_type, fn, true);
}

struct sw_idmap *sw_engine_idmap(struct sw_engine *e, const char *name,
                                 int (*load)(struct sw_conn *c, struct sw_map *m,
                                             struct sw_error *err))
{
    if (e->nidmaps == SW_ENGINE_MAX_IDMAPS)
        return NULL;
    struct idmap_def *d = &e->idmaps[e->nidmaps++];
    snprintf(d->name, sizeof d->name, "%s", name);
    pthread_rwlock_init(&d->map.lock, NULL);
    sw_map_init(&d->map.map);
    d->load = load;
    return &d->map;
}

struct sw_idmap *sw_engine_find_idmap(struct sw_engine *e, const char *name)
{
    for (int i = 0; i < e->nidmaps; i++)
        if (strcmp(e->idmaps[i].name, name) == 0)
            return &e->idmaps[i].map;
    return NULL;
}

struct sw_idlist *sw_engine_idlist(struct sw_engine *e, const char *name,
                                   int (*load)(struct sw_conn *c, struct sw_idlist *l,
                                               struct sw_error *err))
{
    if (e->nidlists == SW_ENGINE_MAX_IDMAPS)
        return NULL;
    struct idlist_def *d = &e->idlists[e->nidlists++];
    snprintf(d->name, sizeof d->name, "%s", name);
    memset(&d->list, 0, sizeof d->list);
    pthread_rwlock_init(&d->list.lock, NULL);
    sw_map_init(&d->list.index);
    d->load = load;
    return &d->list;
}

struct sw_idlist *sw_engine_find_idlist(struct sw_engine *e, const char *name)
{
    for (int i = 0; i < e->nidlists; i++)
        if (strcmp(e->idlists[i].name, name) == 0)
            return &e->idlists[i].list;
    return NULL;
}

/* Appends to key's vector; the caller holds the write lock (or is the loader). */
bool sw_idlist_load_append(struct sw_idlist *l, const char *key, int64_t value)
{
    assert(l && key);
    uint64_t pos;
    if (!sw_map_get(&l->index, key, strlen(key), &pos)) {
        if (l->nlists == l->caplists) {
            size_t cap = l->caplists ? l->caplists * 2 : 64;
            struct sw_idvec *p = realloc(l->lists, cap * sizeof *p);
            if (!p)
                return false;
            l->lists = p;
            l->caplists = cap;
        }
        pos = l->nlists;
        if (!sw_map_put(&l->index, key, strlen(key), pos))
            return false;
        l->lists[l->nlists++] = (struct sw_idvec){0};
    }
    struct sw_idvec *v = &l->lists[pos];
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        int64_t *p = realloc(v->v, cap * sizeof *p);
        if (!p)
            return false;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = value;
    return true;
}

/* Values of key greater than after, from the committed vector (binary search). */
static void committed_page(struct sw_idlist *l, const char *key, int64_t after, int64_t *out,
                           size_t max, size_t *n)
{
    uint64_t pos;
    *n = 0;
    if (!sw_map_get(&l->index, key, strlen(key), &pos))
        return;
    const struct sw_idvec *v = &l->lists[pos];
    size_t lo = 0, hi = v->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->v[mid] <= after)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < v->n && *n < max; i++)
        out[(*n)++] = v->v[i];
}

void sw_idlist_page(struct sw_idlist *l, const char *key, int64_t after, int64_t *out, size_t max,
                    size_t *n)
{
    pthread_rwlock_rdlock(&l->lock);
    committed_page(l, key, after, out, max, n);
    pthread_rwlock_unlock(&l->lock);
}

struct cmd_def *sw__find_def(struct sw_engine *e, const char *type)
{
    for (int i = 0; i < e->ndefs; i++)
        if (strcmp(e->defs[i].type, type) == 0)
            return &e->defs[i];
    return NULL;
}

/* ---------- staging of id-map entries ---------- */

static size_t staged_key(char *buf, size_t bufsz, struct sw_idmap *m, const char *key)
{
    size_t kl = strlen(key);
    if (kl + sizeof m > bufsz)
        return 0;
    memcpy(buf, &m, sizeof m);
    memcpy(buf + sizeof m, key, kl);
    return kl + sizeof m;
}

bool sw_ctx_idmap_get(struct sw_ctx *ctx, struct sw_idmap *m, const char *key, uint64_t *out)
{
    struct sw_engine *e = ctx->engine;
    char buf[600];
    size_t n = staged_key(buf, sizeof buf, m, key);
    uint64_t idx;
    if (n && sw_map_get(&e->staged_index, buf, n, &idx)) {
        *out = e->staged[idx].value;
        return true;
    }
    /* The writer is the only thread that changes committed maps: no lock needed to read. */
    return sw_map_get(&m->map, key, strlen(key), out);
}

/* The staged index of a key whose latest staged entry goes: back to the key's earlier staged
 * entry in this batch when there is one (a command that put the key again and was then rolled
 * back must not hide what an earlier command of the batch put), else to the committed map. */
static void unstage_index(struct sw_engine *e, const char *buf, size_t n, uint64_t prev)
{
    if (prev == STAGED_NO_PREV || !sw_map_put(&e->staged_index, buf, n, prev))
        sw_map_del(&e->staged_index, buf, n);
}

static int stage(struct sw_engine *e, struct staged st, struct sw_error *err)
{
    if (e->nstaged == e->capstaged) {
        size_t cap = e->capstaged ? e->capstaged * 2 : 1024;
        struct staged *p = realloc(e->staged, cap * sizeof *p);
        if (!p)
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        e->staged = p;
        e->capstaged = cap;
    }
    e->staged[e->nstaged++] = st;
    return SW_OK;
}

int sw_ctx_idmap_put(struct sw_ctx *ctx, struct sw_idmap *m, const char *key, uint64_t value,
                     struct sw_error *err)
{
    struct sw_engine *e = ctx->engine;
    char buf[600];
    size_t n = staged_key(buf, sizeof buf, m, key);
    if (!n)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "key too long");
    uint64_t prev = STAGED_NO_PREV;
    (void)sw_map_get(&e->staged_index, buf, n, &prev);
    char *k = strdup(key);
    if (!k || !sw_map_put(&e->staged_index, buf, n, e->nstaged)) {
        free(k);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    /* On success the staged entry owns k (freed at publish or truncation). */
    int rc = stage(e, (struct staged){m, NULL, k, value, prev}, err);
    if (rc) {
        unstage_index(e, buf, n, prev);
        free(k);
    }
    return rc; // NOLINT(clang-analyzer-unix.Malloc)
}

int sw_ctx_idlist_append(struct sw_ctx *ctx, struct sw_idlist *l, const char *key, int64_t value,
                         struct sw_error *err)
{
    char *k = strdup(key);
    if (!k)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    /* On success the staged entry owns k (freed at publish or truncation). */
    int rc = stage(ctx->engine, (struct staged){NULL, l, k, (uint64_t)value, STAGED_NO_PREV}, err);
    if (rc)
        free(k);
    return rc; // NOLINT(clang-analyzer-unix.Malloc)
}

void sw_ctx_idlist_page(struct sw_ctx *ctx, struct sw_idlist *l, const char *key, int64_t after,
                        int64_t *out, size_t max, size_t *n)
{
    /* Only the writer changes committed lists: no lock needed to read them here. Staged
     * values are newer (larger) than committed ones, and ascending among themselves. */
    committed_page(l, key, after, out, max, n);
    struct sw_engine *e = ctx->engine;
    for (size_t i = 0; i < e->nstaged && *n < max; i++) {
        struct staged *st = &e->staged[i];
        if (st->list == l && (int64_t)st->value > after && strcmp(st->key, key) == 0)
            out[(*n)++] = (int64_t)st->value;
    }
}

void sw__staged_truncate(struct sw_engine *e, size_t mark)
{
    if (mark == 0) {
        /* End of a batch: drop everything at once rather than leaving a tombstone per key. */
        for (size_t i = 0; i < e->nstaged; i++)
            free(e->staged[i].key);
        e->nstaged = 0;
        sw_map_clear(&e->staged_index);
        return;
    }
    while (e->nstaged > mark) {
        struct staged *s = &e->staged[--e->nstaged];
        if (s->map) {
            char buf[600];
            size_t n = staged_key(buf, sizeof buf, s->map, s->key);
            unstage_index(e, buf, n, s->prev);
        }
        free(s->key);
    }
}

static pthread_rwlock_t *lock_of(const struct staged *s)
{
    return s->map ? &s->map->lock : &s->list->lock;
}

void sw__staged_publish(struct sw_engine *e)
{
    pthread_rwlock_t *locked = NULL;
    for (size_t i = 0; i < e->nstaged; i++) {
        struct staged *s = &e->staged[i];
        if (lock_of(s) != locked) {
            if (locked)
                pthread_rwlock_unlock(locked);
            locked = lock_of(s);
            pthread_rwlock_wrlock(locked);
        }
        bool ok = s->map ? sw_map_put(&s->map->map, s->key, strlen(s->key), s->value)
                         : sw_idlist_load_append(s->list, s->key, (int64_t)s->value);
        if (!ok)
            sw_log(SW_LOG_ERROR, "idmap.oom", "could not publish id '%s'", s->key);
    }
    if (locked)
        pthread_rwlock_unlock(locked);
    sw__staged_truncate(e, 0);
}

bool sw_idmap_get(struct sw_idmap *m, const char *key, uint64_t *out)
{
    pthread_rwlock_rdlock(&m->lock);
    bool ok = sw_map_get(&m->map, key, strlen(key), out);
    pthread_rwlock_unlock(&m->lock);
    return ok;
}

int sw_engine_attach(struct sw_engine *e, const char *name, void *state,
                     void (*free_fn)(void *state), sw_engine_undo_fn undo)
{
    if (e->nattached >= SW_ENGINE_MAX_ATTACHED || strlen(name) >= sizeof e->attached[0].name ||
        sw_engine_attached(e, name))
        return SW_E_INTERNAL;
    struct attached *a = &e->attached[e->nattached++];
    snprintf(a->name, sizeof a->name, "%s", name);
    a->state = state;
    a->free_fn = free_fn;
    a->undo = undo;
    return SW_OK;
}

void *sw_engine_attached(struct sw_engine *e, const char *name)
{
    for (int i = 0; i < e->nattached; i++)
        if (strcmp(e->attached[i].name, name) == 0)
            return e->attached[i].state;
    return NULL;
}

void sw__attached_undo(struct sw_engine *e, int64_t from_seq)
{
    for (int i = 0; i < e->nattached; i++)
        if (e->attached[i].undo)
            e->attached[i].undo(e->attached[i].state, from_seq);
}

void sw__attached_free(struct sw_engine *e)
{
    for (int i = 0; i < e->nattached; i++)
        if (e->attached[i].free_fn)
            e->attached[i].free_fn(e->attached[i].state);
    e->nattached = 0;
}

void sw_engine_stats(struct sw_engine *e, struct sw_engine_stats *out)
{
    pthread_mutex_lock(&e->stats_mu);
    *out = e->stats;
    pthread_mutex_unlock(&e->stats_mu);
    pthread_mutex_lock(&e->mu);
    out->queue_depth = (uint64_t)e->depth;
    pthread_mutex_unlock(&e->mu);
}

void sw_engine_foreach_type(struct sw_engine *e,
                            void (*fn)(void *arg, const char *type, uint64_t accepted,
                                       uint64_t refused, uint64_t replayed),
                            void *arg)
{
    for (int i = 0; i < e->ndefs; i++)
        fn(arg, e->defs[i].type, atomic_load(&e->defs[i].accepted),
           atomic_load(&e->defs[i].refused), atomic_load(&e->defs[i].replayed));
}
