/* SQL for the catalog's tables (merchants, products). Only the catalog module calls these. */
#ifndef SW_STORE_CATALOG_SQL_H
#define SW_STORE_CATALOG_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/map.h"
#include "store/store.h"

struct sw_merchant_row {
    char id[72];
    char name[256];
    char status[16];
    json_t *categories; /* owned */
    int64_t deposit_required_fen, version, created_at, updated_at;
    int64_t holds; /* SW_HOLD_* bits (catalog.h) */
};

struct sw_product_row {
    int64_t rid;
    char id[72];
    char merchant[72];
    char status[16];
    int64_t price_fen, stock, version, created_at, updated_at;
    int64_t scan_flags; /* SW_SCAN_STATES_PRICE... of the last scan */
    int64_t tags;       /* SW_TAG_... bits: marks other modules set (the assurance badge) */
    json_t *doc;        /* owned */
};

int sw_sql_merchant_insert(struct sw_conn *c, const struct sw_merchant_row *m,
                           struct sw_error *err) SW_MUSTCHECK;
int sw_sql_merchant_update(struct sw_conn *c, const struct sw_merchant_row *m,
                           struct sw_error *err) SW_MUSTCHECK;
/* *found false when absent. Free row->categories with json_decref. */
int sw_sql_merchant_get(struct sw_conn *c, const char *id, struct sw_merchant_row *m, bool *found,
                        struct sw_error *err) SW_MUSTCHECK;
/* Calls add(arg, id, status) for every merchant. */
int sw_sql_merchant_each_status(struct sw_conn *c,
                                bool (*add)(void *arg, const char *id, const char *status),
                                void *arg, struct sw_error *err) SW_MUSTCHECK;
/* Calls add(arg, id, categories, deposit required) for every merchant (categories borrowed for
 * the call). */
int sw_sql_merchant_each_categories(struct sw_conn *c,
                                    bool (*add)(void *arg, const char *id, const json_t *cats,
                                                int64_t deposit_required_fen),
                                    void *arg, struct sw_error *err) SW_MUSTCHECK;
/* Merchants by id after `after`, of `status` (NULL: any), at most limit. */
int sw_sql_merchants_list(struct sw_conn *c, const char *after, const char *status, int limit,
                          json_t **rows, struct sw_error *err) SW_MUSTCHECK;

/* Inserts with p->rid = NULL (next rowid) and doc, p->doc as JSON text; sets p->rid. */
int sw_sql_product_insert(struct sw_conn *c, struct sw_product_row *p, const char *doc,
                          struct sw_error *err) SW_MUSTCHECK;
/* The stored version of a product. */
int sw_sql_product_version(struct sw_conn *c, int64_t rid, int64_t *version,
                           struct sw_error *err) SW_MUSTCHECK;
/* Writes status, price, stock, version, updated_at, and doc and scan_flags when doc_changed. */
int sw_sql_product_update(struct sw_conn *c, const struct sw_product_row *p, bool doc_changed,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_sql_product_get(struct sw_conn *c, int64_t rid, struct sw_product_row *p, bool *found,
                       struct sw_error *err) SW_MUSTCHECK;
/* The same row with the doc left as its stored JSON text (malloc'd, caller frees *doc). */
int sw_sql_product_get_text(struct sw_conn *c, int64_t rid, struct sw_product_row *p, char **doc,
                            bool *found, struct sw_error *err) SW_MUSTCHECK;
/* A product's id (into id, size bytes) without reading its doc; *found false when absent. */
int sw_sql_product_id(struct sw_conn *c, int64_t rid, char *id, size_t size, bool *found,
                      struct sw_error *err) SW_MUSTCHECK;
/* A product's row without its doc (row.doc NULL) and the doc's spu_id and category ("" when
 * absent or not text) and its last scan's findings (new reference, [] when none). */
struct sw_product_brief {
    struct sw_product_row row;
    char spu_id[72];
    char category[64];
    json_t *findings;
};
/* A product's version and the version its last scan read (the doc's scan.product_version). */
int sw_sql_product_versions(struct sw_conn *c, int64_t rid, int64_t *version, int64_t *scanned,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_sql_product_brief(struct sw_conn *c, int64_t rid, struct sw_product_brief *b, bool *found,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_product_load_ids(struct sw_conn *c, struct sw_map *m, struct sw_error *err) SW_MUSTCHECK;
/* Calls add(arg, merchant, rid) for every product in rowid order. */
int sw_sql_product_each_merchant(struct sw_conn *c,
                                 bool (*add)(void *arg, const char *merchant, int64_t rid),
                                 void *arg, struct sw_error *err) SW_MUSTCHECK;

/* Up to max rids of listed products in (after, upto], ascending; *last is the highest rid the
 * read went through (the cursor to go on from: past the unlisted products it skipped too). */
int sw_sql_product_listed_rids(struct sw_conn *c, int64_t after, int64_t upto, int64_t *out,
                               int max, int *n, int64_t *last, struct sw_error *err) SW_MUSTCHECK;
/* How many products are listed, and the highest product rid there is (0 when none). */
int sw_sql_product_listed_count(struct sw_conn *c, int64_t *listed, int64_t *max_rid,
                                struct sw_error *err) SW_MUSTCHECK;

/* Indexes (on) or unindexes a product under an spu id. */
int sw_sql_spu_put(struct sw_conn *c, const char *spu, int64_t rid, bool on,
                   struct sw_error *err) SW_MUSTCHECK;
/* Up to max rids of spu greater than after, ascending. */
int sw_sql_spu_rids(struct sw_conn *c, const char *spu, int64_t after, int64_t *out, int max,
                    int *n, struct sw_error *err) SW_MUSTCHECK;

#endif
