/* Quick promotion: an impressions batch as the writer reads it (exposure.c, ingest_parse.c). */
#ifndef SW_DOMAIN_PROMOTION_INGEST_INT_H
#define SW_DOMAIN_PROMOTION_INGEST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/promotion/promotion.h"

struct sw_promo_item {
    const char *id; /* borrowed from the request (the JSON tree or the body), len bytes */
    size_t len;
    int64_t rid; /* 0: not a promotion id */
    sw_instant at;
    uint64_t hash;
    size_t pos; /* its place in the request */
};

/* What the prepare hook hands the writer, and what the HTTP adapter's fast reading hands the
 * hook (sw_cmd.hint). */
struct sw_promo_batch {
    struct sw_promo_item *items;
    size_t n;
};

/* Reads a batch of the plain shape into items (at most cap); false for anything else. */
bool sw__promo_read_fast(const char *text, size_t len, struct sw_promo_item *items, size_t cap,
                         size_t *n);

#endif
