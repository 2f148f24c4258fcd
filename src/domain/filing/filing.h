/* Designated-streamer filing (快手特定达人报备, issue 13).
 *
 * Filing applies only to designated streamers: the policy's filing.designated_streamers at
 * start, changed by operators at runtime (streamer.put; a streamer set through the API
 * overrides the policy's entry of the same id). One filing record per (product, designated
 * streamer), owned by the product's store: pending (待处理) -> reviewing (审核中) on submission
 * -> approved / rejected by an operator (a formal check; the record keeps who and when). A
 * store may withdraw a submission in review (back to pending, for the streamer too). A record
 * keeps every reason it entered review:
 *   self_built    a product created by a designated streamer's own store
 *   pk            its store declared a PK with a designated streamer (own products only)
 *   distribution  a designated streamer put another store's product up for distribution
 *   product_edit  an edit of title, short title, main image, detail images, category or
 *                 attributes sent the record back to pending (any status)
 * A live session accepts a product that needs filing (the session's streamer is designated:
 * all its products; the PK partner is designated: the PK's products) only when its record for
 * that streamer is approved and was last submitted by the end (Asia/Shanghai) of the
 * filing.lead_working_days-th working day before the session's local date (CN calendar).
 * Only accepted products can be put in the cart; a zero-price lottery item (0元购) in a
 * session with a designated streamer also needs an operator's pre-approval.
 *
 * Commands: streamer.put, filing.pk, filing.submit, filing.withdraw, filing.decide,
 * distribution.create, live_session.create, live_session.cart, lottery.approve. Events:
 * streamer.created, streamer.updated, filing.created, filing.reason_added, filing.submitted,
 * filing.withdrawn, filing.approved, filing.rejected, filing.reset, filing.streamer_renamed,
 * filing.documents_changed, distribution.created, live_session.created, live_session.carted,
 * lottery.approved. */
#ifndef SW_DOMAIN_FILING_H
#define SW_DOMAIN_FILING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/calendar.h"
#include "engine/engine.h"

enum sw_filing_status {
    SW_FILING_PENDING,
    SW_FILING_REVIEWING,
    SW_FILING_APPROVED,
    SW_FILING_REJECTED,
};
#define SW_FILING_STATUS_COUNT 4
enum sw_filing_action {
    SW_FA_SUBMIT,
    SW_FA_WITHDRAW,
    SW_FA_APPROVE,
    SW_FA_REJECT,
    SW_FA_RESET,      /* a key-field edit of the product */
    SW_FA_ADD_REASON, /* a scenario names a record that exists */
};
#define SW_FILING_ACTION_COUNT 6

const char *sw_filing_status_name(enum sw_filing_status s);
int sw_filing_status_parse(const char *s, enum sw_filing_status *out) SW_MUSTCHECK;
const char *sw_filing_action_name(enum sw_filing_action a);
/* Pure: what action a does to a record in state s: SW_OK with *next, or state_conflict.
 * submit: pending/rejected -> reviewing; withdraw: reviewing -> pending; approve/reject:
 * reviewing -> approved/rejected; reset: reviewing/approved -> pending; add_reason: any state,
 * unchanged. */
int sw_filing_transition(enum sw_filing_status s, enum sw_filing_action a,
                         enum sw_filing_status *next) SW_MUSTCHECK;

/* Why a product that needs filing is refused in a live session. */
enum sw_filing_refusal {
    SW_FR_NONE,
    SW_FR_NOT_FILED,     /* no record for that streamer */
    SW_FR_NOT_APPROVED,  /* a record, not approved */
    SW_FR_FILED_TOO_LATE /* approved, but last submitted after the deadline */
};
const char *sw_filing_refusal_name(enum sw_filing_refusal r); /* NULL for SW_FR_NONE */
/* Pure: the deadline for a session on local day `session_day` with lead working days: *end is
 * the first instant after it (00:00 Asia/Shanghai after the lead-th working day before the
 * session's date; lead 0: the end of the session's own date). calendar_year_missing when the
 * calendar lacks a year it walks over. */
int sw_filing_deadline(const struct sw_calendar *cal, int64_t session_day, int lead,
                       sw_instant *end, struct sw_error *err) SW_MUSTCHECK;
/* Pure: the check of one record (exists false: none) against the deadline's end. */
enum sw_filing_refusal sw_filing_check(bool exists, enum sw_filing_status s,
                                       sw_instant submitted_at, sw_instant deadline_end);

int sw_filing_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads, on a read connection. A viewer "merchant:<id>" sees its store's records, sessions and
 * distributions, "streamer:<id>" those naming it; NULL is staff. Others are not_found. */
/* Point-in-time read (docs/point-in-time.md): the record as its events had made it at at_us;
 * not_found before it existed. The caller checks who may see it. */
int sw_filing_get_at(struct sw_engine *e, struct sw_conn *c, const char *id, const char *viewer,
                     int64_t at_us, json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_filing_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                  struct sw_error *err) SW_MUSTCHECK;
int sw_filing_history(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                      struct sw_error *err) SW_MUSTCHECK;
struct sw_filing_query {
    const char *merchant, *streamer, *status, *product, *after;
    int limit;
};
/* {filings, next_after, has_more}; status reviewing lists oldest submission first. The viewer's
 * own scope replaces the merchant or streamer filter. */
int sw_filing_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                   json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* Records in review, oldest submission first, at most limit (the operator queue). */
int sw_filing_in_review(struct sw_conn *c, int limit, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_filing_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err) SW_MUSTCHECK;
/* A streamer as set through the API, or as the policy lists it; not_found otherwise. */
int sw_streamer_get(struct sw_conn *c, const struct sw_policy *pol, const char *id, json_t **out,
                    struct sw_error *err) SW_MUSTCHECK;
int sw_distribution_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_distribution_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                         json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_live_session_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_live_session_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                         json_t **out, struct sw_error *err) SW_MUSTCHECK;

#endif
