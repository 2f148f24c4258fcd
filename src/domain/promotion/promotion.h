/* Quick promotion (极速推, issue 12): a store buys an exposure package for one of its products
 * (price, estimated exposure, duration). The system review runs in the purchase's own command;
 * every check that fails is a reason {code, rule, policy_version, detail}:
 *   product_delisted       the product is not listed (at purchase, banned ones too)
 *   product_banned         (while running) the product was banned
 *   category_not_admitted  the policy's promotion.admitted_categories does not match its category
 *   qualification_missing  a code its category or industry requires that the store does not hold
 * All pass: running. Any fails: review_failed, never refunded by itself: only an operator's
 * refund (with a note) makes it refunded, once. Running or abnormal orders cannot be paused or
 * cancelled (promotion_not_pausable). While running, a check that stops holding makes the order
 * abnormal (in the same command as the change); once every reason has cleared it runs again by
 * itself, and its end moves out by the time spent abnormal. It completes when its counted
 * exposure reaches the estimate or its duration ends (a timer); the figure is provisional until
 * the policy's stats delay after completion (another timer: promotion.finalized).
 *
 * States and what moves them: sw_promotion_transition (a pure function, tested by table).
 * Commands: promotion.create, promotion.refund, promotion.pause, promotion.cancel,
 * promotion.end (timer), promotion.finalize (timer), impressions.ingest. Events (merchant = the
 * store, subject = the order id): promotion.created, promotion.abnormal, promotion.resumed,
 * promotion.reasons_changed, promotion.refunded, promotion.completed, promotion.finalized,
 * promotion.exposure_counted (one per order per ingest that counted something). */
#ifndef SW_DOMAIN_PROMOTION_H
#define SW_DOMAIN_PROMOTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

enum sw_promo_status {
    SW_PROMO_RUNNING,
    SW_PROMO_ABNORMAL,
    SW_PROMO_REVIEW_FAILED,
    SW_PROMO_COMPLETED,
    SW_PROMO_REFUNDED,
};
#define SW_PROMO_STATUS_COUNT 5
/* What can happen to an order. */
enum sw_promo_event {
    SW_PE_PAUSE,
    SW_PE_CANCEL,
    SW_PE_REFUND,
    SW_PE_CHECK_FAILED,     /* a review check stopped holding (reasons not empty) */
    SW_PE_CHECKS_CLEARED,   /* every reason cleared */
    SW_PE_ESTIMATE_REACHED, /* counted exposure reached the estimate */
    SW_PE_DURATION_ENDED,   /* the (extended) duration ended */
};
#define SW_PE_COUNT 7

const char *sw_promo_status_name(enum sw_promo_status s);
int sw_promo_status_parse(const char *s, enum sw_promo_status *out) SW_MUSTCHECK;
const char *sw_promo_event_name(enum sw_promo_event ev);
/* Pure: what ev does to an order in state s: SW_OK with *next (possibly s itself: reasons
 * changed while abnormal, an abnormal order's estimate reached), or the refusal:
 * promotion_not_pausable (pause or cancel a running or abnormal order), already_refunded,
 * state_conflict (everything else). */
int sw_promotion_transition(enum sw_promo_status s, enum sw_promo_event ev,
                            enum sw_promo_status *next) SW_MUSTCHECK;

/* Impression outcomes, as counted in answers and metrics. */
enum sw_impression_outcome {
    SW_IMP_COUNTED,
    SW_IMP_DUPLICATE,
    SW_IMP_NOT_COUNTED,
    SW_IMP_LATE,
    SW_IMP_UNKNOWN_PROMOTION,
};
#define SW_IMP_OUTCOME_COUNT 5
extern const char *const sw_impression_outcome_names[SW_IMP_OUTCOME_COUNT];
#define SW_IMPRESSIONS_MAX 10000
#define SW_IMPRESSION_ID_MAX 128

int sw_promotion_register(struct sw_engine *e) SW_MUSTCHECK;

/* The HTTP adapter's fast reading of an impressions body of the plain shape (ingest_parse.c):
 * a hint for the command (sw_cmd.hint, payload then {}), or NULL when the body is anything
 * else (then parse it as JSON as usual). Free with sw_promotion_impressions_hint_free after
 * the command is done. */
void *sw_promotion_impressions_hint(const char *body, size_t len);
void sw_promotion_impressions_hint_free(void *hint);

/* For /metrics: impressions by outcome since start, and the dedupe state held (ids and bytes). */
void sw_promotion_metrics(struct sw_engine *e, uint64_t outcomes[SW_IMP_OUTCOME_COUNT],
                          uint64_t *dedupe_ids, uint64_t *dedupe_bytes);

/* Reads, on a read connection, at instant now (provisional, the end of an abnormal order). A
 * viewer that is a merchant sees only its own store's orders: others are not_found. */
/* Point-in-time read (docs/point-in-time.md): the order as its events had made it at at_us;
 * not_found before it existed. The caller checks who may see it. */
int sw_promotion_get_at(struct sw_engine *e, struct sw_conn *c, const char *id, const char *viewer,
                        int64_t at_us, json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_promotion_get(struct sw_conn *c, const char *id, const char *viewer, sw_instant now,
                     json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* {promotions, next_after, has_more}, by id after `after`, of a store and a status when given
 * (an unknown status is invalid_value). The caller checked the viewer may see the store. */
int sw_promotion_list(struct sw_conn *c, const char *merchant, const char *status,
                      const char *after, int limit, const char *viewer, sw_instant now,
                      json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* "pr12" -> 12; false when s is not a promotion id. */
bool sw_promotion_parse_id(const char *s, int64_t *rid);

#endif
