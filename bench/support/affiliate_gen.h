/* The seeded affiliate feed of affiliate_bench: orders, their events in the order a feed would
 * send them (by time, with 2% swapped out of order and 1% sent twice), and what the server must
 * make of them. */
#ifndef BENCH_AFFILIATE_GEN_H
#define BENCH_AFFILIATE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum aff_type { AF_CREATED, AF_PAID, AF_PARTIAL, AF_REFUND, AF_CANCELLED, AF_RECEIPT, AF_CASE };
enum aff_kind { AK_CANCELLED, AK_REFUNDED, AK_PAID, AK_CONFIRMED };

#define AFF_ORDER_EVENTS 24 /* at most, re-reports included */

/* One distinct event (event id: the order id, '-', k). */
struct aff_ev {
    int64_t at;     /* µs */
    int64_t amount; /* paid: amount; partial: refunded; receipt: settled; case: refund_fen */
    uint32_t order;
    uint8_t type, k, state; /* state: a rights case's, 0 open, 1 succeeded, 2 failed */
};

struct aff_order {
    uint32_t promoter, merchant, item;
    int32_t rate_bp;
    int64_t paid, settled; /* settled -1: never confirmed */
    int64_t commission;    /* settlement commission the server must show (-1: none) */
    int64_t clawback;      /* of its succeeded rights case, 0 if none */
    uint8_t kind, nev;
};

struct aff_gen {
    uint64_t seed;
    long n, norders, nuniq, dups, swapped;
    int promoters;
    int64_t t0;              /* the first instant of the month the orders live in */
    struct aff_ev *ev;       /* nuniq distinct events */
    struct aff_order *order; /* norders */
    uint32_t *stream;        /* n indices into ev: the sending order */
};

/* Builds everything; 0, or -1 when n is too small for the orders' lives (< 3.5 a order). */
int aff_gen_build(struct aff_gen *g, uint64_t seed, long n, long orders, int promoters, int64_t t0);
void aff_gen_free(struct aff_gen *g);
/* 16 base32 characters from (seed, order), NUL-terminated. */
void aff_order_id(uint64_t seed, uint32_t order, char out[17]);
/* The event as compact JSON (as the server stores it) into out (AFF_EVENT_BYTES); its length. */
#define AFF_EVENT_BYTES 512
size_t aff_format_event(const struct aff_gen *g, const struct aff_ev *e, char *out);
/* amount x rate_bp / 10,000 rounded half-even, in integers. */
int64_t aff_half_even(int64_t amount, int64_t rate_bp);
/* RFC 3339 of a µs instant, 20 characters and a NUL. */
void aff_rfc3339(int64_t us, char out[21]);

/* The expected answers, batch by batch in the order the server applied them. */
struct aff_sim {
    uint8_t *seen, *got; /* per distinct event; per order: bit 1 paid, bit 2 receipt */
};
void aff_sim_init(struct aff_sim *s, const struct aff_gen *g);
void aff_sim_free(struct aff_sim *s);
/* The outcome counts of stream[from, from + count) sent as one batch after the earlier ones. */
void aff_sim_batch(struct aff_sim *s, const struct aff_gen *g, long from, int count, long *applied,
                   long *duplicate, long *held);

#endif
