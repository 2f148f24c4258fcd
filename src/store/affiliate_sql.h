/* SQL for the affiliate module's tables (schema 0015_affiliate.sql, 0016_affiliate_lean.sql,
 * 0020_affiliate_corrections.sql). Only the affiliate module calls these. */
#ifndef SW_STORE_AFFILIATE_SQL_H
#define SW_STORE_AFFILIATE_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* An event as stored: its fields as columns (strings NULL when the type has none). */
struct sw_aff_event_row {
    int64_t rid, at;
    int64_t arrived; /* µs of the request that brought it */
    const char *event_id, *order_id, *type, *promoter, *merchant, *item;
    int64_t amount_fen, rate_bp, settled_fen, refund_fen;
    const char *buyer_id, *buyer_device, *buyer_address, *case_id, *case_state;
};
/* Stores an event unless its id is known (rid is the store's): *fresh false for a duplicate. */
int sw_sql_aff_event_insert(struct sw_conn *c, const struct sw_aff_event_row *e, bool *fresh,
                            struct sw_error *err) SW_MUSTCHECK;
/* The first `max` events of an order in arrival order, each handed to fn (its strings live
 * until fn returns). */
int sw_sql_aff_order_events(struct sw_conn *c, const char *order, int max,
                            int (*fn)(void *arg, const struct sw_aff_event_row *e,
                                      struct sw_error *err),
                            void *arg, struct sw_error *err) SW_MUSTCHECK;
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
/* What the refold needs of the stored order: its statement ("" when none), its view as stored
 * (text, owned; NULL when absent) and its version. */
struct sw_aff_order_head {
    char statement[96];
    char *doc;
    int64_t version;
    int64_t settled_commission_fen; /* what that statement paid for it */
    bool has_lines; /* it has clawback or correction lines (sw_sql_aff_adjust_rows) */
};
void sw_aff_order_head_release(struct sw_aff_order_head *h);
int sw_sql_aff_order_head(struct sw_conn *c, const char *order, struct sw_aff_order_head *h,
                          bool *found, struct sw_error *err) SW_MUSTCHECK;
/* Writes an order's view: updated in place when it exists (its statement kept), else inserted. */
struct sw_aff_order_write {
    const char *order_id, *promoter, *status;
    int64_t confirmed_at; /* 0: not confirmed */
    const char *doc;      /* the view, serialised */
    int64_t version, updated_at;
};
int sw_sql_aff_order_write(struct sw_conn *c, const struct sw_aff_order_write *w, bool exists,
                           struct sw_error *err) SW_MUSTCHECK;
/* A page by order id after `after` ("" = start), of a promoter and a status when given. */
int sw_sql_aff_order_page(struct sw_conn *c, const char *promoter, const char *status,
                          const char *after, int max, struct sw_aff_order_row *out, int *n,
                          struct sw_error *err) SW_MUSTCHECK;

/* An event the order's fold holds, and what it waits for. */
struct sw_aff_held_row {
    const char *event_id, *type, *waiting_for;
    int64_t at; /* µs */
};
/* The held events of an order are replaced by these n. */
int sw_sql_aff_held_set(struct sw_conn *c, const char *order, const struct sw_aff_held_row *held,
                        int n, struct sw_error *err) SW_MUSTCHECK;
/* A page of held events by event id after `after`: rows as JSON objects. */
int sw_sql_aff_held_page(struct sw_conn *c, const char *after, int max, json_t **rows,
                         struct sw_error *err) SW_MUSTCHECK;

/* An order's statement lines other than its commission (0020_affiliate_corrections.sql): per
 * (order, case) every line it had, n = 0, 1, ..., at most one pending (no statement); case ""
 * is the order's commission (a correction). amount is what the line takes from the promoter. */
int sw_sql_aff_adjust_put(struct sw_conn *c, const char *order, const char *case_id, int64_t n,
                          const char *promoter, int64_t amount, struct sw_error *err) SW_MUSTCHECK;
/* Drops the pending line of (order, case), if any: a deducted one stays. */
int sw_sql_aff_adjust_drop(struct sw_conn *c, const char *order, const char *case_id,
                           struct sw_error *err) SW_MUSTCHECK;
/* The order's lines [{case, n, amount_fen, statement (absent while pending)}], oldest first. */
int sw_sql_aff_adjust_rows(struct sw_conn *c, const char *order, json_t **rows,
                           struct sw_error *err) SW_MUSTCHECK;

/* The statement run: each (promoter, order) confirmed before cutoff and not settled, each
 * pending clawback and correction, by promoter; calls fn for every line. */
struct sw_aff_line {
    const char *promoter, *order, *case_id; /* case_id NULL for an order or correction line */
    const char *kind;                       /* "order", "clawback", "correction" */
    int64_t amount_fen;                     /* as the statement shows it */
};
int sw_sql_aff_unsettled(struct sw_conn *c, int64_t cutoff,
                         int (*fn)(void *arg, const struct sw_aff_line *l, struct sw_error *err),
                         void *arg, struct sw_error *err) SW_MUSTCHECK;
/* The order is settled by `statement`, which paid it commission_fen. */
int sw_sql_aff_settle_order(struct sw_conn *c, const char *order, const char *statement,
                            int64_t commission_fen, struct sw_error *err) SW_MUSTCHECK;
/* The pending line of (order, case) is deducted by `statement`. */
int sw_sql_aff_deduct(struct sw_conn *c, const char *order, const char *case_id,
                      const char *statement, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_statement_insert(struct sw_conn *c, const char *id, const char *promoter,
                                const char *month, int64_t issued_at, const json_t *lines,
                                int64_t total, struct sw_error *err) SW_MUSTCHECK;
bool sw_sql_aff_statement_exists(struct sw_conn *c, const char *id);
/* Whether a timer of the monthly run (key "affiliate.statements:...") is pending. */
int sw_sql_aff_run_pending(struct sw_conn *c, bool *yes, struct sw_error *err) SW_MUSTCHECK;
/* Statements as JSON objects {id, promoter, month, issued_at (µs), lines, total_fen}. */
int sw_sql_aff_statements(struct sw_conn *c, const char *id, const char *promoter,
                          const char *month, const char *after, int max, json_t **rows,
                          struct sw_error *err) SW_MUSTCHECK;

/* --- review and monitoring (affiliate_review_sql.c) --- */
/* A promoter's registered devices and address hashes (new references; empty when none). */
int sw_sql_aff_promoter_get(struct sw_conn *c, const char *id, json_t **devices, json_t **addresses,
                            int64_t *version, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_promoter_put(struct sw_conn *c, const char *id, const json_t *devices,
                            const json_t *addresses, int64_t version, int64_t at,
                            struct sw_error *err) SW_MUSTCHECK;
/* Opens a flag unless the order already has one of that rule; an open one (undecided) takes the
 * new evidence (*fresh, when not NULL: whether it opened one or changed its evidence). */
int sw_sql_aff_flag_open(struct sw_conn *c, const char *order, const char *rule, const char *reason,
                         const json_t *evidence, const char *policy_version, int64_t at,
                         bool *fresh, struct sw_error *err) SW_MUSTCHECK;
/* An order's flags as JSON objects (rule, reason, evidence, policy_version, state, at, ...). */
int sw_sql_aff_flags(struct sw_conn *c, const char *order, json_t **rows,
                     struct sw_error *err) SW_MUSTCHECK;
/* Decides every open flag of an order; *n how many were open. */
int sw_sql_aff_flags_decide(struct sw_conn *c, const char *order, const char *state,
                            const json_t *by, const char *note, int64_t at, int *n,
                            struct sw_error *err) SW_MUSTCHECK;
/* Records a paid order (for monitoring) and its buyer fingerprints. */
int sw_sql_aff_paid_put(struct sw_conn *c, const char *order, const char *promoter, int64_t at,
                        const char *const *fps, int nfps, struct sw_error *err) SW_MUSTCHECK;
/* How many orders of a fingerprint on one promoter's links fall in [from, to]. */
int sw_sql_aff_buys_count(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                          int64_t to, int64_t *count, struct sw_error *err) SW_MUSTCHECK;
/* The first max orders of a promoter with fingerprint fp paid in [from, to), by (at, order),
 * with unflagged only those with no repeat_buyer flag: JSON [{order, at}]. */
int sw_sql_aff_buys_first(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                          int64_t to, int max, bool unflagged, json_t **rows,
                          struct sw_error *err) SW_MUSTCHECK;
/* The orders of that fingerprint paid after `from` (not at it) and before order `order` paid
 * at `at` (by (at, order)): how many (*count), and the ids of the latest max of them, oldest
 * first (JSON [string]). */
int sw_sql_aff_buys_before(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                           int64_t at, const char *order, int max, int64_t *count, json_t **rows,
                           struct sw_error *err) SW_MUSTCHECK;
/* A promoter's paid orders in [from, to): their count and (when orders is not NULL) ids. */
int sw_sql_aff_paid_in(struct sw_conn *c, const char *promoter, int64_t from, int64_t to,
                       int64_t *count, json_t **orders, struct sw_error *err) SW_MUSTCHECK;
/* An alert (one per promoter and hour; raised at `at`, its count and baseline updated after);
 * its orders are the hour's paid orders, read with it. Withdrawn (dropped) when its hour is no
 * spike any more; the hours in (after, to] a promoter has alerts for, as a JSON array. */
int sw_sql_aff_alert_put(struct sw_conn *c, const char *id, const char *promoter, int64_t hour,
                         int64_t count, double baseline, int64_t at,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_alert_drop(struct sw_conn *c, const char *id, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_alert_hours(struct sw_conn *c, const char *promoter, int64_t after, int64_t to,
                           json_t **hours, struct sw_error *err) SW_MUSTCHECK;
/* Conversion: an order's item, paid and confirmed; an item's counts per promoter (*rows: an
 * array of [promoter, paid, confirmed, open conversion flags], by promoter); the confirmed
 * orders of a promoter's item; withdrawing the open conversion flags of a promoter's item (the
 * orders whose flag went). */
int sw_sql_aff_conv_put(struct sw_conn *c, const char *order, const char *promoter,
                        const char *item, bool paid, bool confirmed,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_conv_promoters(struct sw_conn *c, const char *item, json_t **rows,
                              struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_conv_confirmed(struct sw_conn *c, const char *item, const char *promoter,
                              json_t **orders, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_conv_withdraw(struct sw_conn *c, const char *item, const char *promoter,
                             json_t **orders, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_alerts(struct sw_conn *c, const char *after, int max, json_t **rows,
                      struct sw_error *err) SW_MUSTCHECK;

/* --- an item's conversion counts (affiliate_counts_sql.c) --- */
/* This database's own, as last announced (found false: never). */
int sw_sql_aff_counted_get(struct sw_conn *c, const char *item, int64_t *paid, int64_t *confirmed,
                           bool *found, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_counted_put(struct sw_conn *c, const char *item, int64_t paid, int64_t confirmed,
                           struct sw_error *err) SW_MUSTCHECK;
/* Every other source's, added up. */
int sw_sql_aff_sources_sum(struct sw_conn *c, const char *item, int64_t *paid, int64_t *confirmed,
                           struct sw_error *err) SW_MUSTCHECK;
/* A source's counts, kept when seq is greater than the one kept (*changed). */
int sw_sql_aff_source_merge(struct sw_conn *c, const char *item, const char *source, int64_t seq,
                            int64_t paid, int64_t confirmed, bool *changed,
                            struct sw_error *err) SW_MUSTCHECK;

/* --- a cluster node's read model of every partition's item counts (affiliate_model_sql.c) --- */
struct sw_aff_view_row {
    const char *item;
    int p;
    int64_t seq, paid, confirmed, chg;
};
int sw_sql_aff_view_schema(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_aff_view_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
/* Partition p's count of item as its event `seq` announced (kept when newer). */
int sw_sql_aff_view_put(struct sw_conn *c, const char *item, int p, int64_t seq, int64_t paid,
                        int64_t confirmed, struct sw_error *err) SW_MUSTCHECK;
/* The other partitions' counts of partition q's items that changed after change `after`, the
 * first `limit` by change (chg: the row's). */
int sw_sql_aff_view_changed(struct sw_conn *c, int q, int64_t after, int limit,
                            int (*fn)(void *arg, const struct sw_aff_view_row *r,
                                      struct sw_error *err),
                            void *arg, struct sw_error *err) SW_MUSTCHECK;
/* The first `limit` items partition q itself announced after change `after`, by change, with
 * every other partition's count of each (chg: q's row's; p -1: no other partition's). */
int sw_sql_aff_view_items(struct sw_conn *c, int q, int64_t after, int limit,
                          int (*fn)(void *arg, const struct sw_aff_view_row *r,
                                    struct sw_error *err),
                          void *arg, struct sw_error *err) SW_MUSTCHECK;
/* The model's latest change (0: none). */
int sw_sql_aff_view_last(struct sw_conn *c, int64_t *chg, struct sw_error *err) SW_MUSTCHECK;

#endif
