/* SQL for the access module's tables (orders, grants, logistics events). Only the access
 * module calls these. */
#ifndef SW_STORE_ACCESS_SQL_H
#define SW_STORE_ACCESS_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/map.h"
#include "store/store.h"

struct sw_order_row {
    int64_t rid;
    char id[72], merchant[72], status[16];
    int64_t status_at, events, version, created_at, updated_at;
    json_t *items, *amounts, *times; /* owned */
    json_t *buyer_masked;            /* owned, may be NULL */
    char *buyer_sealed;              /* owned (malloc), may be NULL */
};
void sw_order_row_release(struct sw_order_row *o);

/* Inserts with o->rid = 0 and sets it. */
int sw_sql_order_insert(struct sw_conn *c, struct sw_order_row *o,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_sql_order_update(struct sw_conn *c, const struct sw_order_row *o,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_sql_order_get(struct sw_conn *c, int64_t rid, struct sw_order_row *o, bool *found,
                     struct sw_error *err) SW_MUSTCHECK;
int sw_sql_order_load_ids(struct sw_conn *c, struct sw_map *m, struct sw_error *err) SW_MUSTCHECK;
/* rids of a store's orders after `after`, ascending. */
int sw_sql_order_rids(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                      int64_t *out, int *n, struct sw_error *err) SW_MUSTCHECK;

/* *status "" when the app was never granted; *granted_at and *revoked_at 0 when unset. */
int sw_sql_grant_get(struct sw_conn *c, const char *merchant, const char *app, char status[16],
                     int64_t *version, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_grant_put(struct sw_conn *c, const char *merchant, const char *app, bool granted,
                     int64_t at, int64_t version, struct sw_error *err) SW_MUSTCHECK;
/* A store's grants as JSON objects {app, status, granted_at, revoked_at (µs)}. */
/* A store's grants by app after `after` ("" = start), at most limit. */
int sw_sql_grants_list(struct sw_conn *c, const char *merchant, const char *after, int limit,
                       json_t **rows, struct sw_error *err) SW_MUSTCHECK;

struct sw_logistics_row {
    int64_t order_rid, at, received_at;
    const char *event_id, *status, *description, *location, *carrier, *tracking_no;
};
int sw_sql_logistics_seen(struct sw_conn *c, int64_t order_rid, const char *event_id, bool *seen,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_sql_logistics_insert(struct sw_conn *c, const struct sw_logistics_row *l,
                            struct sw_error *err) SW_MUSTCHECK;
/* An order's tracking events in time order (ties: arrival order), as JSON objects (µs). */
int sw_sql_logistics_list(struct sw_conn *c, int64_t order_rid, int limit, json_t **rows,
                          struct sw_error *err) SW_MUSTCHECK;

#endif
