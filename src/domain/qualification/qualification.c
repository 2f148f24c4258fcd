/* Industry qualifications: the workflow and its commands (qualification.h states the rules). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/qualification/qualification_int.h"

#define MAX_DOCUMENTS 20
#define CODE_MAX 63
#define NOTE_MAX 4000

static const char *const status_names[SW_QUAL_STATUS_COUNT] = {"reviewing", "approved", "rejected",
                                                               "expired", "revoked"};

const char *sw_qualification_status_name(enum sw_qualification_status s)
{
    return status_names[s];
}

int sw_qualification_status_parse(const char *s, enum sw_qualification_status *out)
{
    for (int i = 0; i < SW_QUAL_STATUS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum sw_qualification_status)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

int sw_qualification_transition(enum sw_qualification_status s, enum sw_qualification_action a,
                                enum sw_qualification_status *next)
{
    enum sw_qualification_status to = s;
    if (s == SW_QUAL_REVIEWING && a == SW_QA_APPROVE)
        to = SW_QUAL_APPROVED;
    else if (s == SW_QUAL_REVIEWING && a == SW_QA_REJECT)
        to = SW_QUAL_REJECTED;
    else if (s == SW_QUAL_APPROVED && a == SW_QA_EXPIRE)
        to = SW_QUAL_EXPIRED;
    else if (s == SW_QUAL_APPROVED && a == SW_QA_REVOKE)
        to = SW_QUAL_REVOKED;
    else
        return SW_E_STATE_CONFLICT;
    *next = to;
    return SW_OK;
}

static bool listed(const json_t *arr, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
            return true;
    }
    return false;
}

bool sw_qualification_code_known(const struct sw_policy *pol, const char *code)
{
    for (int i = 0; i < pol->ncategories; i++)
        if (listed(pol->categories[i].qualifications, code) ||
            listed(pol->categories[i].industry_qualifications, code))
            return true;
    return false;
}

sw_instant sw_qualification_expiry(int64_t expires_on_days)
{
    return (expires_on_days + 1) * SW_US_PER_DAY - SW_SHANGHAI_OFFSET_US;
}

int sw_qualification_holds(struct sw_conn *c, const char *merchant, const char *code, sw_instant at,
                           bool *held, struct sw_error *err)
{
    return sw_sql_qualification_held(c, merchant, code, at, held, err);
}

void sw__qualification_id(int64_t rid, char out[SW_QUAL_ID_BUF])
{
    snprintf(out, SW_QUAL_ID_BUF, "q%" PRId64, rid);
}

bool sw_qualification_parse_id(const char *s, int64_t *rid)
{
    return sw_id_parse_numbered(s, 'q', rid);
}

static json_t *actor_or_null(const json_t *a)
{
    return a ? json_deep_copy(a) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *sw__qualification_render(const struct sw_qualification_row *q)
{
    char id[SW_QUAL_ID_BUF], day[16];
    sw__qualification_id(q->rid, id);
    sw_date_format(q->expires_on, day);
    return json_pack("{s:s,s:s,s:s,s:s,s:O,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "id",
                     id, "merchant", q->merchant, "code", q->code, "status", q->status, "documents",
                     q->documents, "expires_on", day, "expires_at", sw_json_instant(q->expires_at),
                     "submitted_at", sw_json_instant(q->created_at), "submitted_by",
                     actor_or_null(q->submitted_by), "decided_at",
                     sw_json_instant_opt(q->decided_at), "decided_by", actor_or_null(q->decided_by),
                     "note", str_or_null(q->note), "revoked_at", sw_json_instant_opt(q->revoked_at),
                     "revoked_by", actor_or_null(q->revoked_by), "revoke_note",
                     str_or_null(q->revoke_note), "expired_at", sw_json_instant_opt(q->expired_at),
                     "version", (json_int_t)q->version);
}

static int emit(struct sw_ctx *ctx, const struct sw_qualification_row *q, const char *event,
                struct sw_error *err)
{
    char id[SW_QUAL_ID_BUF];
    sw__qualification_id(q->rid, id);
    return sw_ctx_emit(ctx, event, q->merchant, id, sw__qualification_render(q), err);
}

static void timer_key(int64_t rid, char out[48])
{
    snprintf(out, 48, "qualification.expire:q%" PRId64, rid);
}

/* The store must exist (a store's key names only its own) and must not be cleared. */
static int submitter_may(struct sw_ctx *ctx, const char *merchant, struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    if (!own && !sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL,
                       "only the store or an operator may submit a qualification");
    if (own && strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    struct sw_merchant_info mi;
    int rc = sw_catalog_merchant_info(ctx, merchant, &mi, err);
    if (rc == SW_OK && mi.status == SW_MERCHANT_CLEARED)
        rc = sw_fail(err, SW_E_MERCHANT_CLEARED, "merchant",
                     "store '%s' is cleared: it cannot submit qualifications", merchant);
    return rc;
}

static int q_submit(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL, *code = NULL;
    json_t *documents = NULL;
    int64_t expires_on = 0;
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL},
        {"code", SW_J_STR, SW_J_REQUIRED, &code, CODE_MAX, NULL},
        {"documents", SW_J_STRARR, SW_J_REQUIRED, &documents, MAX_DOCUMENTS, NULL},
        {"expires_on", SW_J_DATE, SW_J_REQUIRED, &expires_on, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = submitter_may(ctx, merchant, err)))
        return rc;
    if (json_array_size(documents) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "documents",
                       "a qualification needs at least one document");
    for (size_t i = 0; i < json_array_size(documents); i++)
        if (json_string_length(json_array_get(documents, i)) == 0) {
            rc =
                sw_fail(err, SW_E_INVALID_VALUE, NULL, "a document is a file reference, not empty");
            snprintf(err->field, sizeof err->field, "documents[%zu]", i);
            return rc;
        }
    if (!sw_qualification_code_known(ctx->policy, code))
        return sw_fail(err, SW_E_UNKNOWN_QUALIFICATION, "code",
                       "unknown qualification '%s': policy %s does not ask for it", code,
                       ctx->policy->version);
    struct sw_qualification_row q = {
        .documents = documents,
        .expires_on = expires_on,
        .expires_at = sw_qualification_expiry(expires_on),
        .submitted_by = sw_ctx_actor(ctx),
        .created_at = ctx->now,
        .updated_at = ctx->now,
        .version = 1,
    };
    if (q.expires_at <= ctx->now)
        rc = sw_fail(err, SW_E_QUALIFICATION_EXPIRED, "expires_on",
                     "expires_on '%s' has passed (Asia/Shanghai)",
                     json_string_value(json_object_get(in, "expires_on")));
    snprintf(q.merchant, sizeof q.merchant, "%s", merchant);
    snprintf(q.code, sizeof q.code, "%s", code);
    snprintf(q.status, sizeof q.status, "%s", status_names[SW_QUAL_REVIEWING]);
    if (rc == SW_OK && (rc = sw_sql_qualification_insert(ctx->conn, &q, err)) == SW_OK &&
        (rc = emit(ctx, &q, "qualification.submitted", err)) == SW_OK)
        *result = sw__qualification_render(&q);
    json_decref(q.submitted_by);
    return rc;
}

static int load(struct sw_ctx *ctx, const char *id, struct sw_qualification_row *q,
                struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw_qualification_parse_id(id, &rid) &&
        (rc = sw_sql_qualification_get(ctx->conn, rid, q, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(ctx->actor);
    if (found && own && strcmp(own, q->merchant) != 0) {
        sw_qualification_row_release(q);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown qualification '%s'", id);
}

/* Moves q by action a (state_conflict naming the state otherwise) and raises its version. */
static int step(struct sw_ctx *ctx, struct sw_qualification_row *q, enum sw_qualification_action a,
                const char *what, struct sw_error *err)
{
    enum sw_qualification_status s, next;
    if (sw_qualification_status_parse(q->status, &s) != SW_OK)
        return sw_fail(err, SW_E_INTERNAL, NULL, "qualification has status '%s'", q->status);
    if (sw_qualification_transition(s, a, &next) != SW_OK) {
        char id[SW_QUAL_ID_BUF];
        sw__qualification_id(q->rid, id);
        return sw_fail(err, SW_E_STATE_CONFLICT, "id", "qualification '%s' is %s: it cannot be %s",
                       id, q->status, what);
    }
    snprintf(q->status, sizeof q->status, "%s", status_names[next]);
    q->updated_at = ctx->now;
    q->version++;
    return SW_OK;
}

/* Checks what every operator write checks: staff, the record, its version. */
static int operator_load(struct sw_ctx *ctx, const char *id, const struct sw_if_version *iv,
                         struct sw_qualification_row *q, struct sw_error *err)
{
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may decide qualifications");
    int rc = load(ctx, id, q, err);
    if (rc == SW_OK && (rc = sw_if_version(iv, q->version, "qualification", id, err)))
        sw_qualification_row_release(q);
    return rc;
}

static int approve(struct sw_ctx *ctx, struct sw_qualification_row *q, struct sw_error *err)
{
    char id[SW_QUAL_ID_BUF], key[48], day[16];
    sw__qualification_id(q->rid, id);
    if (q->expires_at <= ctx->now)
        return sw_fail(err, SW_E_QUALIFICATION_EXPIRED, "id",
                       "qualification '%s' expired at the end of %s (Asia/Shanghai): reject it", id,
                       sw_date_format(q->expires_on, day));
    timer_key(q->rid, key);
    return sw_ctx_schedule(ctx, key, q->expires_at, "qualification.expire", q->merchant, id,
                           json_pack("{s:s}", "id", id), err);
}

static int q_decide(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct sw_decision d;
    int rc = sw_decision_read(in, NOTE_MAX, &d, err);
    if (rc)
        return rc;
    const char *note = d.note;
    bool ok = d.approve;
    struct sw_qualification_row q = {0};
    if ((rc = operator_load(ctx, d.id, &d.iv, &q, err)))
        return rc;
    rc = step(ctx, &q, ok ? SW_QA_APPROVE : SW_QA_REJECT, ok ? "approved" : "rejected", err);
    if (rc == SW_OK && ok)
        rc = approve(ctx, &q, err);
    if (rc == SW_OK) {
        q.decided_by = sw_ctx_actor(ctx);
        q.decided_at = ctx->now;
        q.note = note && note[0] ? strdup(note) : NULL;
        if ((rc = sw_sql_qualification_update(ctx->conn, &q, err)) == SW_OK &&
            (rc = emit(ctx, &q, ok ? "qualification.approved" : "qualification.rejected", err)) ==
                SW_OK)
            *result = sw__qualification_render(&q);
    }
    sw_qualification_row_release(&q);
    return rc;
}

static int q_revoke(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"note", SW_J_STR, SW_J_REQUIRED, &note, NOTE_MAX, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (sw_text_blank(note))
        return sw_fail(err, SW_E_INVALID_VALUE, "note", "a revocation needs a note");
    struct sw_qualification_row q = {0};
    if ((rc = operator_load(ctx, id, &iv, &q, err)))
        return rc;
    char key[48];
    timer_key(q.rid, key);
    if ((rc = step(ctx, &q, SW_QA_REVOKE, "revoked", err)) == SW_OK &&
        (rc = sw_ctx_cancel_timer(ctx, key, err)) == SW_OK) {
        q.revoked_by = sw_ctx_actor(ctx);
        q.revoked_at = ctx->now;
        q.revoke_note = strdup(note);
        if ((rc = sw_sql_qualification_update(ctx->conn, &q, err)) == SW_OK &&
            (rc = emit(ctx, &q, "qualification.revoked", err)) == SW_OK)
            *result = sw__qualification_render(&q);
    }
    sw_qualification_row_release(&q);
    return rc;
}

/* The expiry timer: an approved record ends; anything else (revoked meanwhile) stays. */
static int q_expire(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, false, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "qualification.expire is the scheduler's");
    struct sw_qualification_row q = {0};
    if ((rc = load(ctx, id, &q, err)))
        return rc;
    if (strcmp(q.status, status_names[SW_QUAL_APPROVED]) == 0 && q.expires_at <= ctx->now &&
        (rc = step(ctx, &q, SW_QA_EXPIRE, "expired", err)) == SW_OK) {
        q.expired_at = ctx->now;
        if ((rc = sw_sql_qualification_update(ctx->conn, &q, err)) == SW_OK)
            rc = emit(ctx, &q, "qualification.expired", err);
    }
    if (rc == SW_OK)
        *result = sw__qualification_render(&q);
    sw_qualification_row_release(&q);
    return rc;
}

int sw_qualification_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "qualification.submit", q_submit)) ||
        (rc = sw_engine_register(e, "qualification.decide", q_decide)) ||
        (rc = sw_engine_register(e, "qualification.revoke", q_revoke)) ||
        (rc = sw_engine_register(e, "qualification.expire", q_expire)))
        return rc;
    return SW_OK;
}
