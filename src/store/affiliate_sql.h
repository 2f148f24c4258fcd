/* SQL for the affiliate module's tables (schema 0015_affiliate.sql). Only the affiliate module
 * calls these. */
#ifndef SW_STORE_AFFILIATE_SQL_H
#define SW_STORE_AFFILIATE_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Stores an event unless its id is known: *fresh false for a duplicate. */
int sw_sql_aff_event_insert(struct sw_conn *c, const char *event_id, const char *order, int64_t at,
                            const char *doc, bool *fresh, struct sw_error *err) SW_MUSTCHECK;
/* Every event of an order, in arrival order: rids and docs (new references). */
int sw_sql_aff_order_events(struct sw_conn *c, const char *order, int max, int64_t *rids,
                            json_t **docs, int *n, struct sw_error *err) SW_MUSTCHECK;

struct sw_aff_order_row {
    char order_id[136], promoter[72], status[24];
    int64_t confirmed_at; /* 0: not confirmed */
    char statement[96];   /* "" when none */
    json_t *doc;          /* owned */
    int64_t version, updated_at;
};
void sw_aff_order_row_release(struct sw_aff_order_row *o);
int sw_sql_aff_order_get(struct sw_conn *c, const char *order, struct sw_aff_order_row *o,
                         bool *found, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_order_put(struct sw_conn *c, const struct sw_aff_order_row *o,
                         struct sw_error *err) SW_MUSTCHECK;
/* A page by order id after `after` ("" = start), of a promoter and a status when given. */
int sw_sql_aff_order_page(struct sw_conn *c, const char *promoter, const char *status,
                          const char *after, int max, struct sw_aff_order_row *out, int *n,
                          struct sw_error *err) SW_MUSTCHECK;

/* The held events of an order are replaced by `held` ([{event_id, type, at (RFC 3339),
 * waiting_for}]). */
int sw_sql_aff_held_set(struct sw_conn *c, const char *order, const json_t *held,
                        struct sw_error *err) SW_MUSTCHECK;
/* A page of held events by event id after `after`: rows as JSON objects. */
int sw_sql_aff_held_page(struct sw_conn *c, const char *after, int max, json_t **rows,
                         struct sw_error *err) SW_MUSTCHECK;

/* Clawbacks: a succeeded case's amount, pending until a statement deducts it. */
int sw_sql_aff_clawback_put(struct sw_conn *c, const char *order, const char *case_id,
                            const char *promoter, int64_t amount,
                            struct sw_error *err) SW_MUSTCHECK;
/* Drops a pending clawback (its case no longer succeeded). */
int sw_sql_aff_clawback_drop(struct sw_conn *c, const char *order, const char *case_id,
                             struct sw_error *err) SW_MUSTCHECK;
/* The statement that deducted it ("" while pending; *found false: none). */
int sw_sql_aff_clawback_statement(struct sw_conn *c, const char *order, const char *case_id,
                                  char out[96], bool *found, struct sw_error *err) SW_MUSTCHECK;

/* The statement run: each (promoter, order) confirmed before cutoff and not settled, and each
 * pending clawback, by promoter; calls fn for every line. */
struct sw_aff_line {
    const char *promoter, *order, *case_id; /* case_id NULL for an order line */
    int64_t amount_fen;
};
int sw_sql_aff_unsettled(struct sw_conn *c, int64_t cutoff,
                         int (*fn)(void *arg, const struct sw_aff_line *l, struct sw_error *err),
                         void *arg, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_settle_order(struct sw_conn *c, const char *order, const char *statement,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_deduct(struct sw_conn *c, const char *order, const char *case_id,
                      const char *statement, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_statement_insert(struct sw_conn *c, const char *id, const char *promoter,
                                const char *month, int64_t issued_at, const json_t *lines,
                                int64_t total, struct sw_error *err) SW_MUSTCHECK;
bool sw_sql_aff_statement_exists(struct sw_conn *c, const char *id);
/* Statements as JSON objects {id, promoter, month, issued_at (µs), lines, total_fen}. */
int sw_sql_aff_statements(struct sw_conn *c, const char *id, const char *promoter,
                          const char *month, const char *after, int max, json_t **rows,
                          struct sw_error *err) SW_MUSTCHECK;

#endif
