/* The seeded impressions generator of impressions_bench (see impressions_gen.h). */
#include "impressions_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUP_PERMILLE 50 /* 5% of impressions re-send an id already sent */

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void gen_init(struct gen *g, uint64_t seed, long n, int promos, int batch)
{
    *g = (struct gen){.seed = seed, .rng = mix64(seed), .n = n, .promos = promos, .batch = batch};
    pthread_mutex_init(&g->lock, NULL);
    g->sent = calloc((size_t)promos, sizeof *g->sent);
}

void gen_free(struct gen *g)
{
    free(g->sent);
    pthread_mutex_destroy(&g->lock);
}

static uint64_t gen_rand(struct gen *g)
{
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    return g->rng;
}

/* Fills items with the next batch; returns its size (0 when all are out). */
int gen_next(struct gen *g, struct item *items, long *index)
{
    pthread_mutex_lock(&g->lock);
    long left = g->n - g->done;
    int count = left < g->batch ? (int)left : g->batch;
    for (int i = 0; i < count; i++) {
        uint32_t p = (uint32_t)(gen_rand(g) % (uint64_t)g->promos);
        bool dup = gen_rand(g) % 1000 < DUP_PERMILLE && g->sent[p] > 0;
        items[i] = (struct item){.promo = p, .fresh = !dup};
        if (dup) {
            items[i].k = (uint32_t)(gen_rand(g) % g->sent[p]);
            g->resent++;
        } else {
            items[i].k = g->sent[p]++;
            g->fresh++;
        }
    }
    g->done += count;
    *index = g->batches++;
    pthread_mutex_unlock(&g->lock);
    return count;
}

/* 16 base32 characters (80 bits) from (seed, promotion, k). */
void impression_id(uint64_t seed, uint32_t p, uint32_t k, char out[16])
{
    static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
    uint64_t h1 = mix64(seed ^ ((uint64_t)p << 32 | k));
    uint64_t h2 = mix64(h1 ^ 0x5bd1e995ULL);
    for (int i = 0; i < 12; i++)
        out[i] = b32[(h1 >> (5 * i)) & 31];
    for (int i = 0; i < 4; i++)
        out[12 + i] = b32[(h2 >> (5 * i)) & 31];
}

/* The current UTC second, RFC 3339. */
void at_now(char out[21], time_t *t)
{
    struct tm tm;
    *t = time(NULL);
    gmtime_r(t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* {"impressions":[{"impression_id":..,"promotion":"pr<rid>","at":..},...]} into buf. */
size_t format_batch(char *buf, const struct item *items, int count, uint64_t seed, const long *rids,
                    const char *at)
{
    char *w = buf;
    static const char head[] = "{\"impressions\":[";
    memcpy(w, head, sizeof head - 1);
    w += sizeof head - 1;
    for (int i = 0; i < count; i++) {
        static const char a[] = "{\"impression_id\":\"", b[] = "\",\"promotion\":\"pr",
                          c[] = "\",\"at\":\"", d[] = "\"}";
        if (i)
            *w++ = ',';
        memcpy(w, a, sizeof a - 1);
        w += sizeof a - 1;
        impression_id(seed, items[i].promo, items[i].k, w);
        w += 16;
        memcpy(w, b, sizeof b - 1);
        w += sizeof b - 1;
        w += sprintf(w, "%ld", rids[items[i].promo]);
        memcpy(w, c, sizeof c - 1);
        w += sizeof c - 1;
        memcpy(w, at, 20);
        w += 20;
        memcpy(w, d, sizeof d - 1);
        w += sizeof d - 1;
    }
    memcpy(w, "]}", 3);
    return (size_t)(w + 2 - buf);
}
