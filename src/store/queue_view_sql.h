/* The operator queue's read model (src/domain/queue/model.c) in a cluster node's own database
 * (<data>/view.db): one row per item on a queue list, per claim and per product version, as the
 * partitions' events left them. Never in a partition's database. */
#ifndef SW_STORE_QUEUE_VIEW_SQL_H
#define SW_STORE_QUEUE_VIEW_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* A row: list is the queue list ("pending", "report", "appeal", "qualification", "filing",
 * "approval") or "claim" / "product"; num the id's number (its order); rank and at the list's
 * order before it (an appeal: overdue first, then by its due instant, in microseconds); ver a
 * claim's end or a product's version; doc the item as its event carried it (NULL for a product). */
struct sw_queue_view_row {
    int p;
    const char *list, *id;
    int64_t num, rank, at, ver;
    const char *doc;
};

/* Creates the model's table in the read model's database (idempotent). */
int sw_sql_queue_view_schema(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
/* Empties the model (it is then built again from the held events). */
int sw_sql_queue_view_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_queue_view_put(struct sw_conn *c, const struct sw_queue_view_row *row,
                          struct sw_error *err) SW_MUSTCHECK;
/* Drops partition p's row of id on list (nothing when there is none). */
int sw_sql_queue_view_del(struct sw_conn *c, int p, const char *list, const char *id,
                          struct sw_error *err) SW_MUSTCHECK;
/* The rows of list in its order (rank descending, at, num), num > after, at most limit, as
 * [p, doc] pairs: a new array in *out. */
int sw_sql_queue_view_page(struct sw_conn *c, const char *list, int64_t after, int limit,
                           json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* How many rows list has. */
int sw_sql_queue_view_count(struct sw_conn *c, const char *list, int64_t *n,
                            struct sw_error *err) SW_MUSTCHECK;
/* The ver of id on list in partition p (*found false: none). */
int sw_sql_queue_view_ver(struct sw_conn *c, int p, const char *list, const char *id, int64_t *ver,
                          bool *found, struct sw_error *err) SW_MUSTCHECK;
/* The doc of id on list in partition p into *doc (NULL: none; free()). */
int sw_sql_queue_view_doc(struct sw_conn *c, int p, const char *list, const char *id, char **doc,
                          struct sw_error *err) SW_MUSTCHECK;
/* The live claim on item (its end after now, the latest end of any partition's): its doc in
 * *doc (NULL: none; free()). */
int sw_sql_queue_view_claim(struct sw_conn *c, const char *item, int64_t now, char **doc,
                            struct sw_error *err) SW_MUSTCHECK;

#endif
