/* The seeded affiliate feed of affiliate_bench (see affiliate_gen.h). */
#include "affiliate_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_US INT64_C(60000000)
#define HOUR_US (60 * MIN_US)
#define DAY_US (24 * HOUR_US)
#define DUP_SPREAD 30000 /* a re-sent event follows its first sending within this many */

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int64_t between(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd(s) % (uint64_t)(hi - lo + 1));
}

int64_t aff_half_even(int64_t amount, int64_t rate_bp)
{
    int64_t p = amount * rate_bp, q = p / 10000, r = p % 10000;
    return r > 5000 || (r == 5000 && q % 2 == 1) ? q + 1 : q;
}

void aff_order_id(uint64_t seed, uint32_t order, char out[17])
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    uint64_t h1 = mix64(seed ^ ((uint64_t)order << 20) ^ 0xaff), h2 = mix64(h1);
    for (int i = 0; i < 12; i++)
        out[i] = b32[(h1 >> (5 * i)) & 31];
    for (int i = 0; i < 4; i++)
        out[12 + i] = b32[(h2 >> (5 * i)) & 31];
    out[16] = '\0';
}

void aff_rfc3339(int64_t us, char out[21])
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static struct aff_ev *add(struct aff_gen *g, uint32_t o, int type, int64_t at, int64_t amount)
{
    struct aff_ev *e = &g->ev[g->nuniq++];
    *e = (struct aff_ev){
        .at = at, .amount = amount, .order = o, .type = (uint8_t)type, .k = g->order[o].nev++};
    return e;
}

/* One order's life: its base events and what the server must make of them. */
static void life(struct aff_gen *g, uint32_t o, uint64_t *s)
{
    struct aff_order *d = &g->order[o];
    int r = (int)(rnd(s) % 1000);
    d->kind = r < 40 ? AK_CANCELLED : r < 80 ? AK_REFUNDED : r < 110 ? AK_PAID : AK_CONFIRMED;
    d->promoter = (uint32_t)(rnd(s) % (uint64_t)g->promoters);
    d->merchant = (uint32_t)(rnd(s) % 500);
    d->item = (uint32_t)(rnd(s) % 50000); /* few orders per (promoter, item): no outlier */
    if (rnd(s) % 10 == 0) {               /* x.5 fen: half-even both ways */
        d->rate_bp = 50;
        d->paid = 100 * (2 * between(s, 50, 999) + 1);
    } else {
        d->rate_bp = (int32_t)between(s, 100, 3000);
        d->paid = between(s, 2000, 200000);
    }
    d->settled = d->commission = -1;
    int64_t at = g->t0 + between(s, 0, 18 * DAY_US);
    add(g, o, AF_CREATED, at, 0);
    if (d->kind == AK_CANCELLED) {
        add(g, o, AF_CANCELLED, at + between(s, HOUR_US, 2 * DAY_US), 0);
        d->commission = 0;
        return;
    }
    at += between(s, MIN_US, 30 * MIN_US);
    add(g, o, AF_PAID, at, d->paid);
    if (d->kind == AK_REFUNDED) {
        add(g, o, AF_REFUND, at + between(s, HOUR_US, 2 * DAY_US), 0);
        d->commission = 0;
        return;
    }
    if (d->kind == AK_PAID)
        return;
    int64_t partial = 0;
    if (rnd(s) % 100 < 15) {
        partial = between(s, 1, d->paid / 2);
        add(g, o, AF_PARTIAL, at + between(s, HOUR_US, DAY_US), partial);
    }
    at += between(s, 2 * DAY_US, 8 * DAY_US);
    d->settled = d->paid - partial;
    d->commission = aff_half_even(d->settled, d->rate_bp);
    add(g, o, AF_RECEIPT, at, d->settled);
    if (rnd(s) % 100 < 5) { /* a rights case: open, then succeeded (60%) or failed */
        int64_t refund = between(s, 1, d->settled);
        at += between(s, HOUR_US, 12 * HOUR_US);
        add(g, o, AF_CASE, at, refund);
        struct aff_ev *e = add(g, o, AF_CASE, at + between(s, HOUR_US, 12 * HOUR_US), refund);
        e->state = rnd(s) % 10 < 6 ? 1 : 2;
        d->clawback = e->state == 1 ? aff_half_even(refund, d->rate_bp) : 0;
    }
}

/* The feed reports an order's status again (a new event id, the same facts): a payment or a
 * confirmation, a refund or a cancellation for orders that ended so. */
static void rereport(struct aff_gen *g, uint32_t o, uint64_t *s, const long *first)
{
    const struct aff_order *d = &g->order[o];
    int want = d->kind == AK_CANCELLED  ? AF_CANCELLED
               : d->kind == AK_REFUNDED ? AF_REFUND
               : d->kind == AK_PAID     ? AF_PAID
                                        : (rnd(s) % 2 ? AF_PAID : AF_RECEIPT);
    long i = first[o];
    while (g->ev[i].type != want)
        i++;
    struct aff_ev copy = g->ev[i];
    add(g, o, want, copy.at + between(s, 1000000, 6 * HOUR_US), copy.amount);
}

static const struct aff_ev *sort_ev;

static int by_at(const void *a, const void *b)
{
    const struct aff_ev *x = &sort_ev[*(const uint32_t *)a], *y = &sort_ev[*(const uint32_t *)b];
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->order != y->order ? (x->order < y->order ? -1 : 1) : x->k - y->k;
}

struct copy {
    long src, target;
};

static int by_target(const void *a, const void *b)
{
    const struct copy *x = a, *y = b;
    return x->target != y->target ? (x->target < y->target ? -1 : 1) : 0;
}

/* 2% of the events swapped with the order's event sent before them. */
static void swap_some(struct aff_gen *g, uint32_t *u, uint64_t *s)
{
    long *last = malloc((size_t)g->norders * sizeof *last);
    uint8_t *moved = calloc((size_t)g->nuniq, 1);
    for (long o = 0; o < g->norders; o++)
        last[o] = -1;
    double p = 0.02 * (double)g->n / (double)(g->nuniq - g->norders);
    for (long i = 0; i < g->nuniq; i++) {
        uint32_t o = g->ev[u[i]].order;
        long j = last[o];
        last[o] = i;
        if (j < 0 || moved[i] || moved[j] || (double)(rnd(s) % 1000000) >= p * 1e6)
            continue;
        uint32_t t = u[i];
        u[i] = u[j];
        u[j] = t;
        moved[i] = moved[j] = 1;
        g->swapped++;
    }
    free(last);
    free(moved);
}

/* 1% sent a second time, a little later. */
static void send_twice(struct aff_gen *g, const uint32_t *u, uint64_t *s)
{
    struct copy *c = malloc((size_t)(g->dups + 1) * sizeof *c);
    for (long i = 0; i < g->dups; i++) {
        c[i].src = (long)(rnd(s) % (uint64_t)g->nuniq);
        c[i].target = c[i].src + 1 + (long)(rnd(s) % DUP_SPREAD);
        if (c[i].target >= g->nuniq)
            c[i].target = g->nuniq - 1;
    }
    qsort(c, (size_t)g->dups, sizeof *c, by_target);
    long w = 0, k = 0;
    for (long i = 0; i < g->nuniq; i++) {
        g->stream[w++] = u[i];
        for (; k < g->dups && c[k].target <= i; k++)
            g->stream[w++] = u[c[k].src];
    }
    free(c);
}

int aff_gen_build(struct aff_gen *g, uint64_t seed, long n, long orders, int promoters, int64_t t0)
{
    *g = (struct aff_gen){
        .seed = seed, .n = n, .norders = orders, .promoters = promoters, .t0 = t0, .dups = n / 100};
    long uniq = n - g->dups;
    if (orders < 1 || promoters < 1 || (double)uniq < 3.5 * (double)orders)
        return -1;
    g->ev = calloc((size_t)uniq + (size_t)orders * 8, sizeof *g->ev);
    g->order = calloc((size_t)orders, sizeof *g->order);
    long *first = malloc((size_t)orders * sizeof *first);
    uint64_t s = mix64(seed) | 1;
    for (long o = 0; o < orders; o++) {
        first[o] = g->nuniq;
        life(g, (uint32_t)o, &s);
    }
    if (g->nuniq > uniq) {
        free(first);
        return -1;
    }
    while (g->nuniq < uniq) {
        uint32_t o = (uint32_t)(rnd(&s) % (uint64_t)orders);
        if (g->order[o].nev < AFF_ORDER_EVENTS)
            rereport(g, o, &s, first);
    }
    free(first);
    uint32_t *u = malloc((size_t)uniq * sizeof *u);
    for (long i = 0; i < uniq; i++)
        u[i] = (uint32_t)i;
    sort_ev = g->ev;
    qsort(u, (size_t)uniq, sizeof *u, by_at);
    swap_some(g, u, &s);
    g->stream = malloc((size_t)n * sizeof *g->stream);
    send_twice(g, u, &s);
    free(u);
    return 0;
}

void aff_gen_free(struct aff_gen *g)
{
    free(g->ev);
    free(g->order);
    free(g->stream);
}

size_t aff_format_event(const struct aff_gen *g, const struct aff_ev *e, char *out)
{
    static const char *const types[] = {"created",    "paid",      "partial_refund",
                                        "refund",     "cancelled", "receipt_confirmed",
                                        "rights_case"};
    static const char *const states[] = {"open", "succeeded", "failed"};
    const struct aff_order *d = &g->order[e->order];
    char id[17], at[21];
    aff_order_id(g->seed, e->order, id);
    aff_rfc3339(e->at, at);
    int n = snprintf(out, AFF_EVENT_BYTES,
                     "{\"event_id\":\"%s-%d\",\"type\":\"%s\",\"order\":\"%s\",\"promoter\":"
                     "\"pm%u\",\"merchant\":\"m%u\",\"item\":\"it%u\",\"at\":\"%s\"",
                     id, e->k, types[e->type], id, d->promoter, d->merchant, d->item, at);
    uint64_t b = mix64(g->seed ^ ((uint64_t)e->order << 24) ^ 0xb0b);
    switch (e->type) {
    case AF_PAID:
        n += snprintf(out + n, AFF_EVENT_BYTES - (size_t)n,
                      ",\"amount_fen\":%lld,\"rate_bp\":%d,\"buyer\":{\"id\":\"b%016llx\","
                      "\"device\":\"d%016llx\",\"address_hash\":\"a%016llx\"}}",
                      (long long)e->amount, d->rate_bp, (unsigned long long)b,
                      (unsigned long long)mix64(b), (unsigned long long)mix64(b + 1));
        break;
    case AF_PARTIAL:
        n += snprintf(out + n, AFF_EVENT_BYTES - (size_t)n, ",\"amount_fen\":%lld}",
                      (long long)e->amount);
        break;
    case AF_RECEIPT:
        n += snprintf(out + n, AFF_EVENT_BYTES - (size_t)n, ",\"settled_amount_fen\":%lld}",
                      (long long)e->amount);
        break;
    case AF_CASE:
        n += snprintf(out + n, AFF_EVENT_BYTES - (size_t)n,
                      ",\"case\":\"c1\",\"state\":\"%s\",\"refund_fen\":%lld}", states[e->state],
                      (long long)e->amount);
        break;
    default:
        out[n++] = '}';
        out[n] = '\0';
    }
    return (size_t)n;
}

void aff_sim_init(struct aff_sim *s, const struct aff_gen *g)
{
    s->seen = calloc((size_t)g->nuniq, 1);
    s->got = calloc((size_t)g->norders, 1);
}

void aff_sim_free(struct aff_sim *s)
{
    free(s->seen);
    free(s->got);
}

void aff_sim_batch(struct aff_sim *s, const struct aff_gen *g, long from, int count, long *applied,
                   long *duplicate, long *held)
{
    for (long j = from; j < from + count; j++) {
        const struct aff_ev *e = &g->ev[g->stream[j]];
        if (s->seen[g->stream[j]]) {
            ++*duplicate;
            continue;
        }
        s->seen[g->stream[j]] = 2; /* new in this batch */
        s->got[e->order] |= e->type == AF_PAID ? 1 : e->type == AF_RECEIPT ? 2 : 0;
    }
    /* the batch is folded as a whole: what waits for something is held only if that is still
     * missing once the whole batch is in */
    for (long j = from; j < from + count; j++) {
        if (s->seen[g->stream[j]] != 2)
            continue;
        s->seen[g->stream[j]] = 1;
        const struct aff_ev *e = &g->ev[g->stream[j]];
        int got = s->got[e->order];
        bool wait = e->type == AF_CASE ? (got & 3) != 3
                    : e->type == AF_PARTIAL || e->type == AF_REFUND || e->type == AF_RECEIPT
                        ? !(got & 1)
                        : false;
        if (wait)
            ++*held;
        else
            ++*applied;
    }
}
