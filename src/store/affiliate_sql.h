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

#endif
