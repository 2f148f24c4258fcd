/* Affiliate orders and commission (淘宝联盟, issue 15).
 *
 * The order system reports order events (POST /v1/affiliate/events); shopwarden keeps the
 * affiliate view of each order and its commission. An order's state is a pure function of its
 * events taken in the order of their `at` (ties: event id), whatever order they arrived in
 * (sw_affiliate_fold): an event whose dependency has not arrived (a receipt_confirmed before its
 * paid) is held and applied once it can be; events that cannot be reconciled make the order
 * invalid / data_anomaly with the conflicting events as evidence. Event ids make every event
 * count once. Commission is integer fen, rounded half-even.
 *
 * States (the network's status codes): created (unpaid), paid (12), receipt_confirmed (14),
 * settled (3, by a monthly statement), invalid (13) with exactly one reason: refunded,
 * cancelled, fake_order, violation, data_anomaly, below_minimum.
 *
 * Commands: affiliate.ingest, affiliate.promoter_put, affiliate.review, affiliate.item_rates
 * (the engine's: other sources' counts of items). Events: affiliate.order_changed (one per order
 * a request changed), affiliate.item_counted (an item's count of this database's promoters). */
#ifndef SW_DOMAIN_AFFILIATE_H
#define SW_DOMAIN_AFFILIATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

#define SW_AFF_EVENTS_MAX 10000

enum sw_aff_type {
    SW_AT_CREATED,
    SW_AT_PAID,
    SW_AT_PARTIAL_REFUND,
    SW_AT_REFUND,
    SW_AT_CANCELLED,
    SW_AT_RECEIPT_CONFIRMED,
    SW_AT_RIGHTS_CASE,
};
#define SW_AT_COUNT 7

enum sw_aff_status {
    SW_AS_NONE, /* no event applied yet (everything held) */
    SW_AS_CREATED,
    SW_AS_PAID,
    SW_AS_RECEIPT_CONFIRMED,
    SW_AS_SETTLED,
    SW_AS_INVALID,
};
enum sw_aff_reason {
    SW_AR_NONE,
    SW_AR_REFUNDED,
    SW_AR_CANCELLED,
    SW_AR_FAKE_ORDER,
    SW_AR_VIOLATION,
    SW_AR_DATA_ANOMALY,
    SW_AR_BELOW_MINIMUM,
};
enum sw_case_state { SW_CASE_OPEN, SW_CASE_SUCCEEDED, SW_CASE_FAILED };

const char *sw_aff_type_name(enum sw_aff_type t);
int sw_aff_type_parse(const char *s, enum sw_aff_type *out) SW_MUSTCHECK;
const char *sw_aff_status_name(enum sw_aff_status s);
/* The network's status code: 12, 14, 3, 13; 0 for none/created. */
int sw_aff_status_code(enum sw_aff_status s);
const char *sw_aff_reason_name(enum sw_aff_reason r); /* NULL for none */
const char *sw_case_state_name(enum sw_case_state s);

/* amount × rate_bp / 10,000 rounded half-even to the fen, in integer arithmetic. */
int64_t sw_aff_commission(int64_t amount_fen, int64_t rate_bp);

/* One event as the fold reads it (strings borrowed). */
struct sw_aff_event {
    int64_t seq; /* arrival order (the stored row) */
    const char *event_id, *order_id, *promoter, *merchant, *item;
    enum sw_aff_type type;
    sw_instant at;
    int64_t amount_fen; /* paid, partial_refund */
    int64_t rate_bp;    /* paid */
    const char *buyer_id, *buyer_device, *buyer_address;
    int64_t settled_fen; /* receipt_confirmed */
    const char *case_id; /* rights_case */
    enum sw_case_state case_state;
    int64_t refund_fen; /* rights_case */
};

#define SW_AFF_CASES_MAX 16
struct sw_aff_case {
    const char *id;
    enum sw_case_state state;
    int64_t refund_fen, clawback_fen;
    sw_instant at;
};

/* What an order's events say (the fold). applied/held/anomaly are indexes into the events. */
struct sw_aff_fold {
    enum sw_aff_status status;
    enum sw_aff_reason reason;
    const char *promoter, *merchant, *item;
    int64_t paid_fen, refunded_fen, settled_fen, rate_bp;
    int64_t reported_fen; /* the settled amount the receipt said (settled_fen: after refunds) */
    int64_t estimated_fen, settlement_fen; /* 0 when invalid; settlement -1 before confirmation */
    sw_instant paid_at, confirmed_at;
    const char *buyer_id, *buyer_device, *buyer_address;
    int ncases;
    struct sw_aff_case cases[SW_AFF_CASES_MAX];
    int napplied, nheld;
    int *applied;             /* in the order applied */
    int *held;                /* still waiting */
    int anomaly_a, anomaly_b; /* the conflicting events (-1: none) */
    char anomaly_detail[160];
};
/* Folds n events of one order (any order: sorted here by at, then event id). The fold's arrays
 * are malloc'd: sw_aff_fold_release. */
void sw_aff_fold_run(struct sw_aff_event *events, int n, struct sw_aff_fold *out);
void sw_aff_fold_release(struct sw_aff_fold *f);
/* What event i waits for while held ("paid", "receipt_confirmed"). */
const char *sw_aff_waiting_for(const struct sw_aff_event *e);

int sw_affiliate_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads. A viewer "promoter:<id>" sees its own orders (others: not_found); NULL is staff. */
/* Point-in-time read (docs/point-in-time.md): the order as it was at at_us; not_found before
 * its first event arrived, or when the viewer may not see it. */
int sw_affiliate_order_get_at(struct sw_engine *e, struct sw_conn *c, const char *id,
                              const char *viewer, int64_t at_us, json_t **out,
                              struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_order_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                           struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_order_list(struct sw_conn *c, const char *promoter, const char *status,
                            const char *after, int limit, json_t **out,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_held(struct sw_conn *c, const char *after, int limit, json_t **out,
                      struct sw_error *err) SW_MUSTCHECK;

/* Alerts: {alerts, next_after, has_more}, by id. */
int sw_affiliate_alerts(struct sw_conn *c, const char *after, int limit, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;
/* Statements: {statements, next_after, has_more} of a promoter and a month when given; one
 * statement (a promoter viewer's own only; NULL: staff); as CSV text (malloc'd). */
int sw_affiliate_statements(struct sw_conn *c, const char *promoter, const char *month,
                            const char *after, int limit, json_t **out,
                            struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_statement_get(struct sw_conn *c, const char *id, const char *promoter,
                               json_t **out, struct sw_error *err) SW_MUSTCHECK;
char *sw_affiliate_statement_csv(const json_t *statement);

/* Cluster mode (docs/scale-out.md, "Affiliate"), model.c: a node's read model of every
 * partition's item counts (the events affiliate.item_counted of partition p, in its order), and
 * what the owner of partition q sends it (affiliate.item_rates). Where the owner stands: the
 * model's change up to which the other partitions' changed counts of q's items were sent, and
 * the one up to which q's own announced items were sent every other partition's count. A new
 * owner starts (sw_affiliate_counts_model_start) at the model's latest change for the first,
 * and from the beginning for the second: every item of q with every count, once. pending gives
 * the next `limit` of each as the command's `items`, where the owner stands once they are sent
 * (*to), and whether more are waiting. */
struct sw_aff_rates_pos {
    int64_t changed, items;
};
int sw_affiliate_counts_model_open(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_counts_model_clear(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_counts_model_apply(struct sw_conn *c, int p, const json_t *ev,
                                    struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_counts_model_start(struct sw_conn *c, struct sw_aff_rates_pos *pos,
                                    struct sw_error *err) SW_MUSTCHECK;
int sw_affiliate_counts_model_pending(struct sw_conn *c, int q, const struct sw_aff_rates_pos *from,
                                      int limit, json_t **items, struct sw_aff_rates_pos *to,
                                      bool *more, struct sw_error *err) SW_MUSTCHECK;

#endif
