/* Quick promotion: exposure counted exactly once.
 *
 * The writer keeps, for every order whose impressions can still count (running, abnormal, or
 * completed and not yet final), its running spans and a dedupe set: an open-addressing table of
 * (SipHash-2-4 of the impression id under a per-process key, rowid of the id's row in
 * `impressions`), 16 bytes a slot at most 70% full. A hash that matches is confirmed by reading
 * the row, so two ids that share a hash are still told apart: the set is exact. The state is a
 * cache of the store: built from it on first use (the orders, their history, the impressions
 * rows since the oldest live order's first), changed by the commands that change the store,
 * and dropped when the store undoes a command that changed it (sw_engine_attach). An order
 * that is final (stats_delay after completion) loses its set: no report can count any more. */
#include <inttypes.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/promotion/ingest_int.h"
#include "domain/promotion/promotion_int.h"

#define STATE_NAME "promotion"
#define LOAD_PAGE 512

struct span {
    int64_t from, to; /* [from, to): running; to = INT64_MAX while it runs */
};

/* A dedupe slot: hash and row side by side, so that a probe touches one cache line. */
struct slot {
    uint64_t key;
    int64_t row;
};

struct live {
    int64_t rid;
    char merchant[72];
    enum sw_promo_status status;
    int64_t estimate, actual;
    bool has_first; /* its first impressions row is noted on the order */
    struct span *spans;
    int nspans, capspans;
    struct slot *slots; /* key 0: empty */
    size_t cap, n;
    int64_t batch_counted; /* this ingest's counted impressions */
    bool touched;
    /* a completed order's stats delay, fixed at completion (final_at - completed_at): reports
     * count until its final_at whatever policy comes after; 0: the policy's */
    int64_t delay_us;
};

struct sw_promo_state {
    bool loaded;
    int64_t touched_seq; /* the last command that changed the cache */
    int64_t max_rid;     /* orders are numbered 1..max_rid */
    struct live **by_rid;
    size_t cap_rid;
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    _Atomic uint64_t outcomes[SW_IMP_OUTCOME_COUNT];
    _Atomic uint64_t ids, bytes;
};

static void live_free(struct sw_promo_state *st, struct live *l)
{
    if (!l)
        return;
    atomic_fetch_sub(&st->ids, l->n);
    atomic_fetch_sub(&st->bytes, l->cap * sizeof(struct slot));
    free(l->spans);
    free(l->slots);
    free(l);
}

static void drop_all(struct sw_promo_state *st)
{
    for (size_t i = 0; i < st->cap_rid; i++)
        live_free(st, st->by_rid[i]);
    free(st->by_rid);
    st->by_rid = NULL;
    st->cap_rid = 0;
    st->loaded = false;
}

static void state_free(void *p)
{
    struct sw_promo_state *st = p;
    drop_all(st);
    free(st);
}

static void state_undo(void *p, int64_t from_seq)
{
    struct sw_promo_state *st = p;
    if (st->loaded && st->touched_seq >= from_seq)
        drop_all(st); /* rebuilt from the store on next use */
}

int sw__promo_state_attach(struct sw_engine *e)
{
    struct sw_promo_state *st = calloc(1, sizeof *st);
    if (!st || sodium_init() < 0) {
        free(st);
        return SW_E_INTERNAL;
    }
    crypto_shorthash_keygen(st->hkey);
    st->touched_seq = -1;
    int rc = sw_engine_attach(e, STATE_NAME, st, state_free, state_undo);
    if (rc)
        free(st);
    return rc;
}

struct sw_promo_state *sw__promo_state(struct sw_engine *e)
{
    return sw_engine_attached(e, STATE_NAME);
}

void sw_promotion_metrics(struct sw_engine *e, uint64_t outcomes[SW_IMP_OUTCOME_COUNT],
                          uint64_t *dedupe_ids, uint64_t *dedupe_bytes)
{
    struct sw_promo_state *st = sw__promo_state(e);
    for (int i = 0; i < SW_IMP_OUTCOME_COUNT; i++)
        outcomes[i] = st ? atomic_load(&st->outcomes[i]) : 0;
    *dedupe_ids = st ? atomic_load(&st->ids) : 0;
    *dedupe_bytes = st ? atomic_load(&st->bytes) : 0;
}

/* --- the dedupe set --- */

static uint64_t hash_of(const struct sw_promo_state *st, const char *id, size_t len)
{
    uint64_t h;
    crypto_shorthash((unsigned char *)&h, (const unsigned char *)id, len, st->hkey);
    return h | 1; /* 0 marks an empty slot */
}

static bool set_grow(struct sw_promo_state *st, struct live *l)
{
    size_t cap = l->cap ? l->cap * 2 : 64;
    struct slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < l->cap; i++) {
        if (!l->slots[i].key)
            continue;
        size_t j = l->slots[i].key & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = l->slots[i];
    }
    atomic_fetch_add(&st->bytes, (cap - l->cap) * sizeof *slots);
    free(l->slots);
    l->slots = slots;
    l->cap = cap;
    return true;
}

/* Makes room for one more id (the table stays at most 70% full). */
static bool set_reserve(struct sw_promo_state *st, struct live *l)
{
    return (l->n + 1) * 10 <= l->cap * 7 || set_grow(st, l);
}

/* Whether the order has seen this id: every slot of the same hash is confirmed by its row.
 * When it has not, *free_slot is where it goes (set_reserve first). */
static int set_find(struct sw_ctx *ctx, const struct live *l, uint64_t h, const char *id,
                    size_t len, bool *seen, size_t *free_slot, struct sw_error *err)
{
    *seen = false;
    size_t j = h & (l->cap - 1);
    for (; l->slots[j].key; j = (j + 1) & (l->cap - 1)) {
        if (l->slots[j].key != h)
            continue;
        int rc = sw_sql_impression_is(ctx->conn, l->slots[j].row, id, len, seen, err);
        if (rc || *seen)
            return rc;
    }
    *free_slot = j;
    return SW_OK;
}

static void set_put(struct sw_promo_state *st, struct live *l, size_t j, uint64_t h, int64_t rowid)
{
    l->slots[j] = (struct slot){h, rowid};
    l->n++;
    atomic_fetch_add(&st->ids, 1);
}

/* Adds an id known to be new (the rebuild from the store). */
static bool set_add(struct sw_promo_state *st, struct live *l, uint64_t h, int64_t rowid)
{
    if (!set_reserve(st, l))
        return false;
    size_t j = h & (l->cap - 1);
    while (l->slots[j].key)
        j = (j + 1) & (l->cap - 1);
    set_put(st, l, j, h, rowid);
    return true;
}

/* --- the cache of orders --- */

static bool slot_for(struct sw_promo_state *st, int64_t rid)
{
    if ((size_t)rid < st->cap_rid)
        return true;
    size_t cap = st->cap_rid ? st->cap_rid : 1024;
    while (cap <= (size_t)rid)
        cap *= 2;
    struct live **v = realloc(st->by_rid, cap * sizeof *v);
    if (!v)
        return false;
    memset(v + st->cap_rid, 0, (cap - st->cap_rid) * sizeof *v);
    st->by_rid = v;
    st->cap_rid = cap;
    return true;
}

static void add_transition(void *arg, int64_t at, const char *to)
{
    struct live *l = arg;
    if (l->nspans && l->spans[l->nspans - 1].to == INT64_MAX)
        l->spans[l->nspans - 1].to = at;
    if (strcmp(to, "running") != 0)
        return;
    if (l->nspans == l->capspans) {
        int cap = l->capspans ? l->capspans * 2 : 4;
        struct span *s = realloc(l->spans, (size_t)cap * sizeof *s);
        if (!s)
            return; /* counted as not running: the caller sees nspans unchanged */
        l->spans = s;
        l->capspans = cap;
    }
    l->spans[l->nspans++] = (struct span){at, INT64_MAX};
}

static bool counting(const struct sw_promotion_row *p)
{
    return !p->finalized &&
           (strcmp(p->status, "running") == 0 || strcmp(p->status, "abnormal") == 0 ||
            strcmp(p->status, "completed") == 0);
}

/* Brings one order's entry in step with its row and history (a new entry has an empty set). */
static int cache_put(struct sw_ctx *ctx, struct sw_promo_state *st, int64_t rid,
                     struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    int rc = sw__promo_load(ctx, rid, &p, err);
    if (rc)
        return rc;
    if (rid > st->max_rid)
        st->max_rid = rid;
    if (!slot_for(st, rid)) {
        sw_promotion_row_release(&p);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    struct live *l = st->by_rid[rid];
    if (!counting(&p)) {
        live_free(st, l);
        st->by_rid[rid] = NULL;
    } else {
        if (!l)
            l = st->by_rid[rid] = calloc(1, sizeof *l);
        if (!l)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        else {
            l->rid = rid;
            snprintf(l->merchant, sizeof l->merchant, "%s", p.merchant);
            if (sw_promo_status_parse(p.status, &l->status) != SW_OK)
                l->status = SW_PROMO_COMPLETED;
            l->estimate = p.estimated_exposure;
            l->actual = p.actual_exposure;
            l->has_first = p.first_impression != 0;
            l->delay_us =
                p.completed_at && p.final_at > p.completed_at ? p.final_at - p.completed_at : 0;
            l->nspans = 0;
            rc = sw_sql_promotion_history_each(ctx->conn, rid, add_transition, l, err);
        }
    }
    sw_promotion_row_release(&p);
    return rc;
}

int sw__promo_cache_refresh(struct sw_ctx *ctx, int64_t rid, struct sw_error *err)
{
    struct sw_promo_state *st = sw__promo_state(ctx->engine);
    if (!st->loaded)
        return SW_OK; /* built from the store when first needed */
    st->touched_seq = ctx->command_seq;
    return cache_put(ctx, st, rid, err);
}

struct scan_arg {
    struct sw_promo_state *st;
    bool oom;
};

static void scan_row(void *arg, int64_t rowid, int64_t promotion, const char *id, size_t len)
{
    struct scan_arg *a = arg;
    struct sw_promo_state *st = a->st;
    if (promotion <= 0 || (size_t)promotion >= st->cap_rid || !st->by_rid[promotion])
        return;
    if (!set_add(st, st->by_rid[promotion], hash_of(st, id, len), rowid))
        a->oom = true;
}

static int cache_load(struct sw_ctx *ctx, struct sw_promo_state *st, struct sw_error *err)
{
    drop_all(st);
    st->max_rid = 0;
    st->loaded = true;
    st->touched_seq = ctx->command_seq;
    int64_t rids[LOAD_PAGE], after = 0, from = INT64_MAX;
    int n, rc;
    do {
        if ((rc = sw_sql_promotion_dedupe_rids(ctx->conn, after, LOAD_PAGE, rids, &n, err)))
            break;
        for (int i = 0; i < n && rc == SW_OK; i++)
            rc = cache_put(ctx, st, rids[i], err);
        after = n ? rids[n - 1] : after;
    } while (rc == SW_OK && n == LOAD_PAGE);
    if (rc == SW_OK)
        rc = sw_sql_promotion_max_rid(ctx->conn, &st->max_rid, &from, err);
    struct scan_arg a = {st, false};
    if (rc == SW_OK && from != INT64_MAX)
        rc = sw_sql_impression_scan(ctx->conn, from, scan_row, &a, err);
    if (rc == SW_OK && a.oom)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc)
        drop_all(st);
    return rc;
}

/* --- ingest --- */

static int read_items(const json_t *in, struct sw_promo_item **out, size_t *n, struct sw_error *err)
{
    json_t *arr = NULL;
    struct sw_jfield f[] = {{"impressions", SW_J_ARR, SW_J_REQUIRED, &arr, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    *n = json_array_size(arr);
    if (*n == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "impressions", "no impressions");
    if (*n > SW_IMPRESSIONS_MAX)
        return sw_fail(err, SW_E_BATCH_TOO_LARGE, "impressions",
                       "%zu impressions: at most %d a request", *n, SW_IMPRESSIONS_MAX);
    struct sw_promo_item *items = calloc(*n, sizeof *items);
    if (!items)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    for (size_t i = 0; i < *n && rc == SW_OK; i++) {
        char prefix[32];
        const char *promotion = NULL;
        snprintf(prefix, sizeof prefix, "impressions[%zu]", i);
        struct sw_jfield g[] = {
            {"impression_id", SW_J_STR, SW_J_REQUIRED, &items[i].id, SW_IMPRESSION_ID_MAX, NULL},
            {"promotion", SW_J_STR, SW_J_REQUIRED, &promotion, 64, NULL},
            {"at", SW_J_INSTANT, SW_J_REQUIRED, &items[i].at, 0, NULL},
        };
        rc = sw_json_read(json_array_get(arr, i), prefix, g, 3, true, err);
        if (rc == SW_OK) {
            items[i].len = strlen(items[i].id);
            char field[48];
            snprintf(field, sizeof field, "%s.impression_id", prefix);
            if (items[i].len == 0)
                rc = sw_fail(err, SW_E_INVALID_VALUE, field, "%s is empty", field);
            if (!sw_promotion_parse_id(promotion, &items[i].rid))
                items[i].rid = 0;
        }
    }
    if (rc)
        free(items);
    else
        *out = items;
    return rc;
}

static bool running_at(const struct live *l, sw_instant at)
{
    for (int i = 0; i < l->nspans; i++)
        if (at >= l->spans[i].from && at < l->spans[i].to)
            return true;
    return false;
}

/* The first sighting of an id: recorded in slot j, counted when it may (not late) and the order
 * was running at `at`. */
static int first_sighting(struct sw_ctx *ctx, struct sw_promo_state *st, struct live *l,
                          const struct sw_promo_item *it, size_t j, bool may_count, bool *counted,
                          struct sw_error *err)
{
    *counted = may_count && it->at <= ctx->now && running_at(l, it->at);
    int64_t rowid;
    int rc =
        sw_sql_impression_add(ctx->conn, l->rid, it->id, it->len, it->at, *counted, &rowid, err);
    if (rc == SW_OK && !l->has_first) {
        l->has_first = true;
        rc = sw_sql_promotion_set_first_impression(ctx->conn, l->rid, rowid, err);
    }
    if (rc == SW_OK)
        set_put(st, l, j, it->hash, rowid);
    return rc;
}

static int classify(struct sw_ctx *ctx, struct sw_promo_state *st, const struct sw_promo_item *it,
                    struct live ***touched, size_t *ntouched, enum sw_impression_outcome *out,
                    struct sw_error *err)
{
    if (it->rid <= 0 || it->rid > st->max_rid) {
        *out = SW_IMP_UNKNOWN_PROMOTION;
        return SW_OK;
    }
    struct live *l = (size_t)it->rid < st->cap_rid ? st->by_rid[it->rid] : NULL;
    int64_t delay = l && l->delay_us ? l->delay_us : ctx->policy->promotion.stats_delay_us;
    bool late = ctx->now - it->at > delay;
    if (!l) { /* it never ran, or its figure is final: no id is kept */
        *out = late ? SW_IMP_LATE : SW_IMP_NOT_COUNTED;
        return SW_OK;
    }
    bool seen = false, counted = false;
    size_t j = 0;
    int rc = set_reserve(st, l) ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc == SW_OK)
        rc = set_find(ctx, l, it->hash, it->id, it->len, &seen, &j, err);
    /* a late id is seen too: it counts once, ever, and never later under another `at` */
    if (rc == SW_OK && !seen)
        rc = first_sighting(ctx, st, l, it, j, !late, &counted, err);
    if (rc)
        return rc;
    *out = late      ? SW_IMP_LATE
           : seen    ? SW_IMP_DUPLICATE
           : counted ? SW_IMP_COUNTED
                     : SW_IMP_NOT_COUNTED;
    if (counted) {
        if (!l->touched)
            (*touched)[(*ntouched)++] = l;
        l->touched = true;
        l->batch_counted++;
    }
    return SW_OK;
}

/* One event per order that counted something; an order that reached its estimate completes. */
static int settle(struct sw_ctx *ctx, struct live *l, struct sw_error *err)
{
    char id[SW_PROMO_ID_BUF], text[256];
    sw__promo_id(l->rid, id);
    int64_t counted = l->batch_counted;
    l->actual += counted;
    l->batch_counted = 0;
    l->touched = false;
    int rc = sw_sql_promotion_set_exposure(ctx->conn, l->rid, l->actual, err);
    if (rc)
        return rc;
    snprintf(text, sizeof text,
             "{\"id\":\"%s\",\"counted\":%" PRId64 ",\"actual_exposure\":%" PRId64 "}", id, counted,
             l->actual);
    int64_t seq;
    if ((rc =
             sw_ctx_emit_text(ctx, "promotion.exposure_counted", l->merchant, id, text, &seq, err)))
        return rc;
    if (l->actual < l->estimate ||
        (l->status != SW_PROMO_RUNNING && l->status != SW_PROMO_ABNORMAL))
        return SW_OK;
    struct sw_promotion_row p = {0};
    if ((rc = sw__promo_load(ctx, l->rid, &p, err)) == SW_OK)
        rc = sw__promo_complete(ctx, &p, SW_PE_ESTIMATE_REACHED, err);
    sw_promotion_row_release(&p);
    return rc;
}

static int run_items(struct sw_ctx *ctx, struct sw_promo_state *st,
                     const struct sw_promo_item *items, size_t n,
                     int64_t counts[SW_IMP_OUTCOME_COUNT], struct sw_error *err)
{
    if (!items || n == 0)
        return SW_OK;
    struct live **touched = malloc(n * sizeof *touched);
    size_t ntouched = 0;
    if (!touched)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int rc = SW_OK;
    for (size_t i = 0; i < n && rc == SW_OK; i++) {
        enum sw_impression_outcome o;
        if ((rc = classify(ctx, st, &items[i], &touched, &ntouched, &o, err)) == SW_OK)
            counts[o]++;
    }
    for (size_t i = 0; i < ntouched; i++) {
        if (rc == SW_OK)
            rc = settle(ctx, touched[i], err);
        touched[i]->touched = false;
        touched[i]->batch_counted = 0;
    }
    free(touched);
    return rc;
}

static int by_order(const void *a, const void *b)
{
    const struct sw_promo_item *x = a, *y = b;
    if (x->rid != y->rid)
        return x->rid < y->rid ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Hashes the ids, and groups the items by order, keeping the request's order within one: the
 * outcome of each is what it would be one by one (the first of two copies of an id is the one
 * seen), while each order's dedupe table is probed while it is in the cache. */
static void hash_items(const struct sw_promo_state *st, struct sw_promo_item *items, size_t n)
{
    for (size_t i = 0; items && i < n; i++) {
        items[i].hash = hash_of(st, items[i].id, items[i].len);
        items[i].pos = i;
    }
    if (items && n > 1)
        qsort(items, n, sizeof *items, by_order);
}

/* The prepare hook: parsing 10,000 items and hashing their ids is the client's cost, paid on
 * its own thread. Input it cannot read is left for the handler to refuse. */
static int ingest_prepare(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                          void **out, struct sw_error *err)
{
    (void)reader;
    struct sw_promo_batch *p = calloc(1, sizeof *p);
    if (!p)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    struct sw_error ignored;
    const struct sw_promo_batch *hint = cmd->hint;
    if (hint && hint->n && (p->items = malloc(hint->n * sizeof *p->items))) {
        memcpy(p->items, hint->items, hint->n * sizeof *p->items);
        p->n = hint->n;
    } else if (read_items(cmd->payload, &p->items, &p->n, &ignored) != SW_OK) {
        *out = p;
        return SW_OK;
    }
    hash_items(sw__promo_state(e), p->items, p->n);
    *out = p;
    return SW_OK;
}

static void ingest_prepare_free(void *prepared)
{
    struct sw_promo_batch *p = prepared;
    if (p)
        free(p->items);
    free(p);
}

int sw__promo_ingest_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "impressions.ingest", sw__promo_ingest);
    return rc ? rc
              : sw_engine_set_prepare(e, "impressions.ingest", ingest_prepare, ingest_prepare_free);
}

int sw__promo_ingest(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "impressions come from the delivery feed");
    struct sw_promo_state *st = sw__promo_state(ctx->engine);
    const struct sw_promo_batch *pre = ctx->prepared;
    struct sw_promo_item *items = NULL;
    size_t n = 0;
    int rc = SW_OK;
    if (pre && pre->items) {
        items = pre->items;
        n = pre->n;
    } else if ((rc = read_items(in, &items, &n, err)) == SW_OK) {
        hash_items(st, items, n);
    } else {
        return rc;
    }
    if (!st->loaded)
        rc = cache_load(ctx, st, err);
    st->touched_seq = ctx->command_seq;
    int64_t counts[SW_IMP_OUTCOME_COUNT] = {0};
    if (rc == SW_OK)
        rc = run_items(ctx, st, items, n, counts, err);
    if (!pre || items != pre->items)
        free(items);
    if (rc)
        return rc;
    /* rendered as text: the answer splices it (json path of a replay: parsed from the log) */
    char text[256];
    int len = snprintf(text, sizeof text,
                       "{\"counted\":%" PRId64 ",\"duplicate\":%" PRId64 ",\"not_counted\":%" PRId64
                       ",\"late\":%" PRId64 ",\"unknown_promotion\":%" PRId64 "}",
                       counts[SW_IMP_COUNTED], counts[SW_IMP_DUPLICATE], counts[SW_IMP_NOT_COUNTED],
                       counts[SW_IMP_LATE], counts[SW_IMP_UNKNOWN_PROMOTION]);
    if (len < 0 || (size_t)len >= sizeof text || !(ctx->result_text = strdup(text)))
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot render the counts");
    (void)result;
    for (int i = 0; i < SW_IMP_OUTCOME_COUNT; i++)
        atomic_fetch_add(&st->outcomes[i], (uint64_t)counts[i]);
    return SW_OK;
}

void *sw_promotion_impressions_hint(const char *body, size_t len)
{
    struct sw_promo_batch *p = calloc(1, sizeof *p);
    if (p && (p->items = malloc(SW_IMPRESSIONS_MAX * sizeof *p->items)) &&
        sw__promo_read_fast(body, len, p->items, SW_IMPRESSIONS_MAX, &p->n))
        return p;
    ingest_prepare_free(p);
    return NULL;
}

void sw_promotion_impressions_hint_free(void *hint)
{
    ingest_prepare_free(hint);
}
