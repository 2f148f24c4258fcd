/* The cluster's read model of every partition's events (src/cluster/view.c): a node's own
 * database (<data>/view.db), fed by the event stream, never a partition's. */
#ifndef SW_STORE_VIEW_SQL_H
#define SW_STORE_VIEW_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/journal.h"
#include "store/store.h"

/* Opens (creating) the read model's database for writing. */
int sw_view_sql_open(struct sw_conn *c, const char *path, struct sw_error *err) SW_MUSTCHECK;
/* The stored positions: pos[p] (every event of p up to it is held), top[p] (the greatest held)
 * for p < n, and the event stream's sequence the model has consumed up to. */
int sw_view_sql_load(struct sw_conn *c, int n, int64_t *pos, int64_t *top, uint64_t *stream_seq,
                     struct sw_error *err) SW_MUSTCHECK;
/* Adds partition p's event (doc: the event as the feed gives it) unless held; *added says
 * whether it was new. */
int sw_view_sql_put(struct sw_conn *c, int p, int64_t seq, int64_t at, const char *type,
                    const char *subject, const char *doc, bool *added,
                    struct sw_error *err) SW_MUSTCHECK;
/* Moves *pos past every held event that follows it without a hole, and stores it with top. */
int sw_view_sql_advance(struct sw_conn *c, int p, int64_t *pos, int64_t top,
                        struct sw_error *err) SW_MUSTCHECK;
/* view_meta's integer under k (0 when there is none), and setting it. */
int sw_view_sql_meta_get(struct sw_conn *c, const char *k, int64_t *v,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_view_sql_meta_put(struct sw_conn *c, const char *k, int64_t v,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_view_sql_save_stream(struct sw_conn *c, uint64_t stream_seq,
                            struct sw_error *err) SW_MUSTCHECK;
/* Partition p's events f keeps with after < seq <= upto, in seq order, at most limit: a new
 * array in *out. f->merchant is not looked at (a store's feed is read in its partition). */
int sw_view_sql_events(struct sw_conn *c, int p, int64_t after, int64_t upto,
                       const struct sw_event_filter *f, int limit, json_t **out,
                       struct sw_error *err) SW_MUSTCHECK;

#endif
