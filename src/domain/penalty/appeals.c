/* Appeals: a merchant may appeal a violation in force up to policy's max (default 2) times,
 * one open at a time; an operator upholds (the violation is overturned and everything it did
 * is undone) or rejects; after the last rejection the violation is final. The answer is due
 * within the policy's SLA: a timer marks an appeal overdue, and the queue shows it first. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/penalty/penalty_int.h"

#define MAX_EVIDENCE 20

/* The decider as stored: actor JSON, or a bare role (appeals decided before keys were). */
static json_t *decider(const char *stored)
{
    if (!stored[0])
        return json_null();
    json_t *j = stored[0] == '{' ? json_loads(stored, 0, NULL) : NULL;
    if (j)
        return j;
    return sw_actor_json(NULL, stored, NULL);
}

json_t *sw__appeal_render(const struct sw_appeal_row *a)
{
    char id[SW_ID_BUF], vid[SW_ID_BUF];
    sw__appeal_id(a->rid, id);
    sw__violation_id(a->violation, vid);
    return json_pack(
        "{s:s,s:s,s:s,s:I,s:s,s:s,s:O,s:s?,s:b,s:o,s:o,s:o,s:o}", "id", id, "violation", vid,
        "merchant", a->merchant, "nth", (json_int_t)a->nth, "status", a->status, "reason",
        a->reason ? a->reason : "", "evidence", a->evidence, "note", a->note, "overdue", a->overdue,
        "created_at", sw_json_instant_opt(a->created_at), "due_at", sw_json_instant_opt(a->due_at),
        "decided_at", sw_json_instant_opt(a->decided_at), "decided_by", decider(a->decided_by));
}

/* The actor as compact JSON text into out; non-zero when it does not fit (a label is at most
 * SW_KEY_LABEL_MAX bytes, escaped at most sixfold, so it always does). */
static int actor_text(const struct sw_ctx *ctx, char *out, size_t cap)
{
    json_t *j = sw_ctx_actor(ctx);
    size_t n = json_dumpb(j, out, cap - 1, JSON_COMPACT);
    json_decref(j);
    if (n == 0 || n >= cap)
        return -1;
    out[n] = '\0';
    return 0;
}

static void timer_key(int64_t rid, char out[48])
{
    snprintf(out, 48, "appeal.overdue:a%lld", (long long)rid);
}

static int emit_appeal(struct sw_ctx *ctx, const struct sw_appeal_row *a, const char *event,
                       struct sw_error *err)
{
    char id[SW_ID_BUF];
    sw__appeal_id(a->rid, id);
    return sw_ctx_emit(ctx, event, a->merchant, id, sw__appeal_render(a), err);
}

static int appeal_create(struct sw_ctx *ctx, const json_t *in, json_t **result,
                         struct sw_error *err)
{
    const char *vid = NULL, *reason = NULL;
    json_t *evidence = NULL;
    struct sw_if_version iv; /* of the violation appealed */
    struct sw_jfield f[] = {
        {"violation", SW_J_ID, SW_J_REQUIRED, &vid, 0, NULL},
        {"reason", SW_J_STR, SW_J_REQUIRED, &reason, 4000, NULL},
        {"evidence", SW_J_STRARR, 0, &evidence, MAX_EVIDENCE, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (sw_text_blank(reason))
        return sw_fail(err, SW_E_INVALID_VALUE, "reason", "an appeal needs a reason");
    if (!sw_actor_merchant(ctx->actor) && !sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the store or an operator may appeal");
    struct sw_violation_row v;
    if ((rc = sw__violation_load(ctx, vid, &v, err)))
        return rc;
    int max = ctx->policy->penalties.appeals_max;
    rc = sw__violation_if_version(ctx, &v, &iv, err);
    if (rc == SW_OK && strcmp(v.status, "in_force") != 0)
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "violation", "violation '%s' is %s, not in force",
                     vid, v.status);
    else if (rc == SW_OK && v.appeal_open)
        rc = sw_fail(err, SW_E_APPEAL_OPEN, "violation",
                     "violation '%s' has an open appeal: wait for its answer", vid);
    else if (rc == SW_OK && (v.final || v.appeals >= max))
        rc = sw_fail(err, SW_E_APPEAL_LIMIT_REACHED, "violation",
                     "violation '%s' is final: its %d appeals are used", vid, max);
    struct sw_appeal_row a = {.violation = v.rid,
                              .nth = v.appeals + 1,
                              .reason = (char *)reason,
                              .evidence = evidence ? evidence : json_array(),
                              .created_at = ctx->now,
                              .due_at = ctx->now + ctx->policy->penalties.appeal_sla_us};
    snprintf(a.merchant, sizeof a.merchant, "%s", v.merchant);
    snprintf(a.status, sizeof a.status, "open");
    char key[48];
    if (rc == SW_OK && (rc = sw_sql_appeal_insert(ctx->conn, &a, err)) == SW_OK) {
        v.appeals++;
        v.appeal_open = true;
        v.updated_at = ctx->now;
        timer_key(a.rid, key);
        char aid[SW_ID_BUF];
        sw__appeal_id(a.rid, aid);
        if ((rc = sw_sql_violation_update(ctx->conn, &v, err)) == SW_OK &&
            (rc = sw_ctx_schedule(ctx, key, a.due_at, "appeal.overdue", a.merchant, aid,
                                  json_pack("{s:s}", "id", aid), err)) == SW_OK &&
            (rc = emit_appeal(ctx, &a, "appeal.filed", err)) == SW_OK) {
            *result = sw__appeal_render(&a);
            rc = sw__appeal_put_version(ctx->conn, a.rid, *result, err);
        }
    }
    if (!evidence)
        json_decref(a.evidence);
    sw_violation_row_release(&v);
    return rc;
}

static int load_appeal(struct sw_ctx *ctx, const char *id, struct sw_appeal_row *a,
                       struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw_penalty_parse_id(id, 'a', &rid) &&
        (rc = sw_sql_appeal_get(ctx->conn, rid, a, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(ctx->actor);
    if (found && own && strcmp(own, a->merchant) != 0) {
        sw_appeal_row_release(a);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown appeal '%s'", id);
}

static int appeal_decide(struct sw_ctx *ctx, const json_t *in, json_t **result,
                         struct sw_error *err)
{
    const char *id = NULL, *decision = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"decision", SW_J_STR, SW_J_REQUIRED, &decision, 16, NULL},
        {"note", SW_J_STR, SW_J_REQUIRED, &note, 4000, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    /* in the documented order: the decision's value before the note that follows it */
    int rc = sw_json_unknown(in, "", f, sizeof f / sizeof f[0], err);
    if (rc || (rc = sw_json_read(in, "", f, 2, false, err)))
        return rc;
    bool uphold = strcmp(decision, "uphold") == 0;
    if (!uphold && strcmp(decision, "reject") != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "decision",
                       "decision must be 'uphold' or 'reject'");
    if ((rc = sw_json_read(in, "", f + 2, sizeof f / sizeof f[0] - 2, false, err)))
        return rc;
    if (sw_text_blank(note))
        return sw_fail(err, SW_E_INVALID_VALUE, "note", "a decision needs a note");
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may decide appeals");
    struct sw_appeal_row a = {0};
    if ((rc = load_appeal(ctx, id, &a, err)))
        return rc;
    struct sw_violation_row v = {0};
    bool found = false;
    rc = sw__appeal_if_version(ctx, &a, &iv, err);
    if (rc == SW_OK && strcmp(a.status, "open") != 0)
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id", "appeal '%s' was already %s", id, a.status);
    else if (rc == SW_OK &&
             (rc = sw_sql_violation_get(ctx->conn, a.violation, &v, &found, err)) == SW_OK &&
             !found)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "the violation of appeal '%s' is missing", id);
    char key[48];
    timer_key(a.rid, key);
    if (rc == SW_OK && (rc = sw_ctx_cancel_timer(ctx, key, err)) == SW_OK) {
        snprintf(a.status, sizeof a.status, "%s", uphold ? "upheld" : "rejected");
        free(a.note);
        a.note = strdup(note);
        a.decided_at = ctx->now;
        v.appeal_open = false;
        if (!uphold && v.appeals >= ctx->policy->penalties.appeals_max)
            v.final = true;
        char aid[SW_ID_BUF];
        sw__appeal_id(a.rid, aid);
        json_object_set_new(v.doc, "last_appeal", json_string(aid));
        if (actor_text(ctx, a.decided_by, sizeof a.decided_by))
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot record who decided");
        else if ((rc = sw_sql_appeal_update(ctx->conn, &a, err)) == SW_OK)
            rc = uphold ? sw__violation_reverse(ctx, &v, "appeal upheld", err)
                        : sw_sql_violation_update(ctx->conn, &v, err);
        if (rc == SW_OK)
            rc = emit_appeal(ctx, &a, uphold ? "appeal.upheld" : "appeal.rejected", err);
        if (rc == SW_OK && v.final) {
            char vid[SW_ID_BUF];
            sw__violation_id(v.rid, vid);
            rc = sw_ctx_emit(ctx, "violation.final", v.merchant, vid,
                             sw__violation_render(&v, ctx->policy), err);
        }
        if (rc == SW_OK) {
            json_t *ar = sw__appeal_render(&a), *vr = sw__violation_render(&v, ctx->policy);
            *result = json_pack("{s:o,s:o}", "appeal", ar, "violation", vr);
            if ((rc = sw__appeal_put_version(ctx->conn, a.rid, ar, err)) == SW_OK)
                rc = sw__violation_put_version(ctx->conn, v.rid, vr, err);
        }
    }
    sw_violation_row_release(&v);
    sw_appeal_row_release(&a);
    return rc;
}

/* The SLA timer: the appeal is still open when its answer was due. */
static int appeal_overdue(struct sw_ctx *ctx, const json_t *in, json_t **result,
                          struct sw_error *err)
{
    const char *id = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, false, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "appeal.overdue is the scheduler's");
    struct sw_appeal_row a = {0};
    if ((rc = load_appeal(ctx, id, &a, err)))
        return rc;
    if (strcmp(a.status, "open") == 0 && !a.overdue) {
        a.overdue = true;
        if ((rc = sw_sql_appeal_update(ctx->conn, &a, err)) == SW_OK)
            rc = emit_appeal(ctx, &a, "appeal.overdue", err);
    }
    if (rc == SW_OK)
        *result = sw__appeal_render(&a);
    sw_appeal_row_release(&a);
    return rc;
}

int sw__appeals_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "appeal.create", appeal_create)) ||
        (rc = sw_engine_register(e, "appeal.decide", appeal_decide)) ||
        (rc = sw_engine_register(e, "appeal.overdue", appeal_overdue)))
        return rc;
    return SW_OK;
}
