/* SQL for the quick promotion module's tables (schema 0011_promotion.sql). Only the promotion
 * module calls these. */
#ifndef SW_STORE_PROMOTION_SQL_H
#define SW_STORE_PROMOTION_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_promotion_row {
    int64_t rid;
    char merchant[72], product[72], status[16];
    json_t *reasons; /* owned array of {code, rule, policy_version, detail} */
    int64_t price_fen, estimated_exposure, duration_hours, actual_exposure;
    int64_t created_at, started_at, ends_at, abnormal_since, completed_at; /* µs, 0: none */
    char completion[20];                                                   /* "" : none */
    int64_t final_at;
    bool finalized;
    int64_t first_impression; /* 0: none yet */
    json_t *refund;           /* owned object or NULL */
    json_t *created_by;       /* owned actor object or NULL */
    int64_t version, updated_at;
};
void sw_promotion_row_release(struct sw_promotion_row *p);

struct sw_promotion_history_row {
    int64_t promotion, n, at;
    char from_status[16]; /* "" for the purchase */
    char to_status[16];
    char cause[64];
    json_t *reasons; /* owned array */
    int64_t event_seq;
};

/* Inserts with p->rid = 0 and sets it. */
int sw_sql_promotion_insert(struct sw_conn *c, struct sw_promotion_row *p,
                            struct sw_error *err) SW_MUSTCHECK;
/* Writes every column of p (the caller raised p->version). */
int sw_sql_promotion_update(struct sw_conn *c, const struct sw_promotion_row *p,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_promotion_get(struct sw_conn *c, int64_t rid, struct sw_promotion_row *p, bool *found,
                         struct sw_error *err) SW_MUSTCHECK;
/* The hot path of exposure: actual_exposure of one order, and its version raised (the narrow
 * promotion_counts row only). */
int sw_sql_promotion_set_exposure(struct sw_conn *c, int64_t rid, int64_t actual,
                                  struct sw_error *err) SW_MUSTCHECK;
int sw_sql_promotion_set_first_impression(struct sw_conn *c, int64_t rid, int64_t rowid,
                                          struct sw_error *err) SW_MUSTCHECK;

/* A page by rid after `after`, at most max; merchant and status NULL: any. */
int sw_sql_promotion_page(struct sw_conn *c, const char *merchant, const char *status,
                          int64_t after, int max, struct sw_promotion_row *out, int *n,
                          struct sw_error *err) SW_MUSTCHECK;
/* The rids of running and abnormal orders: of a product (product set), a store (merchant set)
 * or all, ascending, after `after`, at most max. */
int sw_sql_promotion_live_rids(struct sw_conn *c, const char *product, const char *merchant,
                               int64_t after, int max, int64_t *out, int *n,
                               struct sw_error *err) SW_MUSTCHECK;
/* The rids of the orders whose dedupe state lives (running, abnormal, or completed and not yet
 * finalized), ascending, after `after`, at most max. */
int sw_sql_promotion_dedupe_rids(struct sw_conn *c, int64_t after, int max, int64_t *out, int *n,
                                 struct sw_error *err) SW_MUSTCHECK;

/* The highest order rid (0: none) and the first impressions row of the orders still counting
 * (INT64_MAX: none). */
int sw_sql_promotion_max_rid(struct sw_conn *c, int64_t *max_rid, int64_t *first_row,
                             struct sw_error *err) SW_MUSTCHECK;

int sw_sql_promotion_history_add(struct sw_conn *c, const struct sw_promotion_history_row *h,
                                 struct sw_error *err) SW_MUSTCHECK;
/* Every transition of an order, oldest first, as API objects {at, from, to, cause, reasons,
 * event_seq} in a new array. */
int sw_sql_promotion_history_json(struct sw_conn *c, int64_t rid, json_t **out,
                                  struct sw_error *err) SW_MUSTCHECK;
/* Calls fn(arg, at, to_status) for each transition of an order, oldest first. */
int sw_sql_promotion_history_each(struct sw_conn *c, int64_t rid,
                                  void (*fn)(void *arg, int64_t at, const char *to), void *arg,
                                  struct sw_error *err) SW_MUSTCHECK;
int sw_sql_promotion_history_count(struct sw_conn *c, int64_t rid, int64_t *n,
                                   struct sw_error *err) SW_MUSTCHECK;

/* Impressions: the first sighting of an id, appended; *rowid receives its row. */
int sw_sql_impression_add(struct sw_conn *c, int64_t promotion, const char *id, size_t len,
                          int64_t at, bool counted, int64_t *rowid,
                          struct sw_error *err) SW_MUSTCHECK;
/* Whether row `rowid` holds impression id `id` (of len bytes). */
int sw_sql_impression_is(struct sw_conn *c, int64_t rowid, const char *id, size_t len, bool *same,
                         struct sw_error *err) SW_MUSTCHECK;
/* Calls fn(arg, rowid, promotion, id, len) for every row from rowid `from` on, in order. */
int sw_sql_impression_scan(struct sw_conn *c, int64_t from,
                           void (*fn)(void *arg, int64_t rowid, int64_t promotion, const char *id,
                                      size_t len),
                           void *arg, struct sw_error *err) SW_MUSTCHECK;

#endif
