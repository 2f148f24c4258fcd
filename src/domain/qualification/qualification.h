/* Industry qualifications (资质, issue 12): a store submits documents for a qualification code
 * that the policy knows (a category's or an industry's `qualifications`); an operator approves
 * or rejects it; an approved record expires by itself at the end of its expires_on day
 * (Asia/Shanghai), through a timer, or an operator revokes it. A store holds a code while it
 * has an approved, unexpired record of it.
 *
 * States: reviewing -> approved | rejected; approved -> expired | revoked. Every other (state,
 * action) pair is refused (state_conflict).
 *
 * Commands: qualification.submit, qualification.decide, qualification.revoke,
 * qualification.expire (timer). Events (merchant = the store, subject = the record id):
 * qualification.submitted, qualification.approved, qualification.rejected,
 * qualification.expired, qualification.revoked, each with the record as payload. */
#ifndef SW_DOMAIN_QUALIFICATION_H
#define SW_DOMAIN_QUALIFICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "policy/policy.h"
#include "store/qualification_sql.h"

enum sw_qualification_status {
    SW_QUAL_REVIEWING,
    SW_QUAL_APPROVED,
    SW_QUAL_REJECTED,
    SW_QUAL_EXPIRED,
    SW_QUAL_REVOKED,
};
enum sw_qualification_action { SW_QA_APPROVE, SW_QA_REJECT, SW_QA_EXPIRE, SW_QA_REVOKE };
#define SW_QUAL_STATUS_COUNT 5
#define SW_QUAL_ACTION_COUNT 4

const char *sw_qualification_status_name(enum sw_qualification_status s);
/* invalid_value for a name that is no status. */
int sw_qualification_status_parse(const char *s, enum sw_qualification_status *out) SW_MUSTCHECK;
/* Pure: what action a does to a record in state s. SW_OK with *next, or state_conflict. */
int sw_qualification_transition(enum sw_qualification_status s, enum sw_qualification_action a,
                                enum sw_qualification_status *next) SW_MUSTCHECK;

/* Whether the policy knows the code: it is in some category's `qualifications` or in the
 * `qualifications` of some category's industry. */
bool sw_qualification_code_known(const struct sw_policy *pol, const char *code);
/* The instant an approved record stops holding: the end of its expires_on day in
 * Asia/Shanghai, i.e. 00:00 +08:00 of the day after (16:00Z of expires_on). */
sw_instant sw_qualification_expiry(int64_t expires_on_days);

/* Does store `merchant` hold `code` at instant `at`: it has a record of the code approved at
 * or before `at`, not revoked at or before `at`, whose expiry is after `at`. Works on any
 * connection (a reader, or ctx->conn inside a command, which sees the command's own writes).
 * For other modules (promotion's qualification_missing). */
int sw_qualification_holds(struct sw_conn *c, const char *merchant, const char *code, sw_instant at,
                           bool *held, struct sw_error *err) SW_MUSTCHECK;

int sw_qualification_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads, on a read connection. A viewer that is a merchant (merchant:<id>) sees only its own
 * store's records: others are not_found. */
int sw_qualification_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                         struct sw_error *err) SW_MUSTCHECK;
/* {qualifications, next_after, has_more}: a store's records by id after the record `after`
 * (NULL = start), of status and code when given (an unknown status is invalid_value). The
 * caller checked that the viewer may see the store. */
int sw_qualification_list(struct sw_conn *c, const char *merchant, const char *status,
                          const char *code, const char *after, int limit, const char *viewer,
                          json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* The first `limit` records in review, oldest submission first, as a new array. */
int sw_qualification_in_review(struct sw_conn *c, int limit, json_t **out,
                               struct sw_error *err) SW_MUSTCHECK;
/* For /metrics: how many records are in review. */
int sw_qualification_in_review_count(struct sw_conn *c, int64_t *n,
                                     struct sw_error *err) SW_MUSTCHECK;

/* "q12" -> 12; false when s is not a qualification id. */
bool sw_qualification_parse_id(const char *s, int64_t *rid);

#endif
