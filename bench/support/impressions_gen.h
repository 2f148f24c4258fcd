/* The seeded impressions generator of impressions_bench. */
#ifndef BENCH_IMPRESSIONS_GEN_H
#define BENCH_IMPRESSIONS_GEN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Batches come out in index order under the lock, so their content depends on the seed only
 * (not on which connection sends them); the raw loop regenerates the same sequence. An id is
 * a function of (seed, promotion, k): re-sending one needs no memory but sent[p]. */
struct item {
    uint32_t promo; /* index into the promotions */
    uint32_t k;     /* the k-th distinct id of that promotion */
    bool fresh;     /* false: a re-send */
};

struct gen {
    pthread_mutex_t lock;
    uint64_t seed, rng;
    long n, done, batches;
    int promos, batch;
    uint32_t *sent;
    long fresh, resent; /* the tally */
};

void gen_init(struct gen *g, uint64_t seed, long n, int promos, int batch);
void gen_free(struct gen *g);
/* Fills items with the next batch (at most `batch` items) and its index; returns its size, 0
 * when all n are out. 5% of the items re-send an id already given out for the same promotion
 * (earlier in the batch or in an earlier one); the tally counts both kinds. */
int gen_next(struct gen *g, struct item *items, long *index);
/* 16 base32 characters (80 bits) from (seed, promotion, k): not NUL-terminated. */
void impression_id(uint64_t seed, uint32_t p, uint32_t k, char out[16]);
/* The current UTC second, RFC 3339 ("2026-12-02T01:58:25Z"), and as a time_t. */
void at_now(char out[21], time_t *t);
#define ITEM_BYTES 128 /* an upper bound of one formatted item */
/* {"impressions":[{"impression_id":..,"promotion":"pr<rid>","at":..},...]} into buf, which
 * holds count * ITEM_BYTES + 64 bytes; rids[promo] is the order's number. Returns its length. */
size_t format_batch(char *buf, const struct item *items, int count, uint64_t seed, const long *rids,
                    const char *at);

#endif
