/* Shared between the affiliate module's files. */
#ifndef SW_DOMAIN_AFFILIATE_INT_H
#define SW_DOMAIN_AFFILIATE_INT_H

#include "base/arena.h"
#include "base/map.h"
#include "domain/affiliate/affiliate.h"
#include "store/affiliate_sql.h"

/* How many events of one order are folded (more is a data anomaly of its own). */
#define SW_AFF_ORDER_EVENTS_MAX 512
/* A statement's total in magnitude at most (lines are each at most SW_MONEY_MAX_FEN): lines
 * beyond wait for the next statement. */
#define SW_AFF_STATEMENT_MAX_FEN INT64_C(1000000000000000000)

/* event.c: reads one event of the feed (path "events[i]" in errors); strings borrowed from e. */
int sw__aff_read_event(const json_t *e, const char *path, struct sw_aff_event *out,
                       struct sw_error *err) SW_MUSTCHECK;

/* The event as the store keeps it, and back (strings copied into the arena; not SW_OK for a
 * row that is not an event). */
void sw__aff_event_row(const struct sw_aff_event *e, int64_t arrived, struct sw_aff_event_row *r);
int sw__aff_event_from_row(const struct sw_aff_event_row *r, struct sw_arena *a,
                           struct sw_aff_event *e) SW_MUSTCHECK;

/* view.c: an order's live view as a refold builds it: the fold, and what the review (flags)
 * and the ledger (lines, statement) lay over it; rendered as the stored view's JSON text. */
struct sw_aff_view {
    const char *order;
    const struct sw_aff_fold *f;
    const struct sw_aff_event *ev; /* what was folded */
    enum sw_aff_status status;
    const char *reason; /* NULL: none (borrowed: the fold's, or flags') */
    int64_t estimated_fen;
    int64_t settlement_fen;          /* < 0: null */
    json_t *flags;                   /* the review's rows (owned); NULL: none */
    json_t *clawbacks, *corrections; /* the ledger's lines (owned); NULL: the fold's, none */
    char statement[96];              /* the statement that settled it; "": none */
};
void sw__aff_view_init(struct sw_aff_view *v, const char *order, const struct sw_aff_fold *f,
                       const struct sw_aff_event *ev);
void sw__aff_view_release(struct sw_aff_view *v);
/* malloc'd; NULL when out of memory */
char *sw__aff_view_text(const struct sw_aff_view *v);

/* order.c: folds the order's stored events again and writes its view; held (may be NULL)
 * gets the id of each event of the order that its fold holds (every other one is applied). */
int sw__aff_refold(struct sw_ctx *ctx, const char *order, struct sw_map *held,
                   struct sw_error *err) SW_MUSTCHECK;
/* The same; announce false writes the view without an affiliate.order_changed event (a
 * statement's own event lists what it settled). */
int sw__aff_refold_as(struct sw_ctx *ctx, const char *order, struct sw_map *held, bool announce,
                      struct sw_error *err) SW_MUSTCHECK;

/* reads.c: a row's µs column `from` becomes the instant `to` (null when absent). */
/* The order's view from the events that had arrived by at_us (no statement or flags overlaid);
 * *out NULL when none had. */
int sw__aff_view_at(struct sw_conn *c, const char *order, int64_t at_us, json_t **out,
                    struct sw_error *err) SW_MUSTCHECK;
void sw__aff_instant_key(json_t *row, const char *from, const char *to);

/* review.c: the rules and monitoring for a paid event just stored (orders whose flags changed
 * join `touched`); the flags in an order's view; the operators' commands. */
int sw__aff_review_paid(struct sw_ctx *ctx, const struct sw_aff_event *e, json_t *touched,
                        struct sw_error *err) SW_MUSTCHECK;
int sw__aff_flags_overlay(struct sw_ctx *ctx, struct sw_aff_view *v,
                          struct sw_error *err) SW_MUSTCHECK;
int sw__aff_review_register(struct sw_engine *e) SW_MUSTCHECK;
/* conversion_outlier over every promoter of an item whose orders a request changed. */
int sw__aff_conversion(struct sw_ctx *ctx, const char *item, json_t *touched,
                       struct sw_error *err) SW_MUSTCHECK;

/* rates.c: an item's counts of this database's promoters announced (affiliate.item_counted)
 * when they changed; the counts other sources announced, added up; command
 * affiliate.item_rates registered. */
int sw__aff_counted(struct sw_ctx *ctx, const char *item, int64_t paid, int64_t confirmed,
                    struct sw_error *err) SW_MUSTCHECK;
int sw__aff_others(struct sw_ctx *ctx, const char *item, int64_t *paid, int64_t *confirmed,
                   struct sw_error *err) SW_MUSTCHECK;
int sw__aff_rates_register(struct sw_engine *e) SW_MUSTCHECK;

/* ledger.c: reconciles what statements paid the order with what it should earn now (its view
 * after flags: status, settlement commission), pending the difference for the next statement;
 * sets the view's clawbacks, corrections, statement, and settled status. */
int sw__aff_ledger(struct sw_ctx *ctx, struct sw_aff_view *v, const struct sw_aff_order_head *head,
                   struct sw_error *err) SW_MUSTCHECK;

/* statements.c: schedules the next monthly run (00:00 local on the 20th); registers it. */
int sw__aff_schedule_statements(struct sw_ctx *ctx, struct sw_error *err) SW_MUSTCHECK;
int sw__aff_statements_register(struct sw_engine *e) SW_MUSTCHECK;

#endif
