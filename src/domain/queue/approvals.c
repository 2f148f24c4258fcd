/* The guard on the other modules' decisions: claims, then four-eyes approval above the policy's
 * thresholds (docs/queue.md). A guarded decision is worked out in a nested attempt; when what it
 * moved is above a threshold the attempt is undone and kept as a pending approval. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/queue/queue_int.h"

/* The decisions on queue items (claims hold them) and those that may move money or clear a
 * store (the approval gate). Every one takes the item's id as "id" (violation.create has none). */
static const struct guarded {
    const char *type;
    bool gate;
    /* whatever it changes is a store's clearance: an operator's clearance makes final one a
     * violation or its deposit already made (an upheld appeal no longer lifts it) */
    bool clears;
} guarded[] = {
    {"violation.confirm", true, false},
    {"violation.dismiss", false, false},
    {"violation.rectification_decide", true, false},
    {"violation.create", true, false},
    {"appeal.decide", true, false},
    {"qualification.decide", false, false},
    {"filing.decide", false, false},
    {"promotion.refund", true, false},
    {"affiliate.review", false, false},
    {"merchant.clear", true, true},
};
#define NGUARDED (sizeof guarded / sizeof guarded[0])
/* The handlers wrapped (one set per process: every engine registers the same ones) and whether
 * an approval is applying one now (the writer thread's, during one command). */
static sw_cmd_fn wrapped[NGUARDED];
static bool applying;

/* What a decision moved: from the events it emitted after the mark. */
struct moved {
    int64_t deduction_fen, refund_fen;
    int events;
    bool clears_store;
    const char *merchant;
    char merchant_buf[72];
};

static void add_event(struct moved *m, const char *type, const json_t *p)
{
    m->events++;
    if (strcmp(type, "violation.enforced") == 0) {
        const json_t *pen = json_object_get(p, "penalty");
        m->deduction_fen += json_integer_value(json_object_get(pen, "deduct_fen"));
        m->clears_store |= json_is_true(json_object_get(pen, "clears_store"));
    } else if (strcmp(type, "deposit.refunded") == 0) {
        m->refund_fen += json_integer_value(json_object_get(p, "amount_fen"));
    } else if (strcmp(type, "promotion.refunded") == 0) {
        m->refund_fen +=
            json_integer_value(json_object_get(json_object_get(p, "refund"), "amount_fen"));
    } else if (strcmp(type, "merchant.status_changed") == 0) {
        const char *to = json_string_value(json_object_get(p, "to"));
        m->clears_store |= to && strcmp(to, "cleared") == 0;
    }
}

static int measure(struct sw_ctx *ctx, int64_t from_seq, struct moved *m, struct sw_error *err)
{
    *m = (struct moved){0};
    json_t *evs = NULL;
    int rc = sw_sql_events_since(ctx->conn, from_seq, &evs, err);
    size_t i;
    json_t *ev;
    json_array_foreach(evs, i, ev)
    {
        const char *type = json_string_value(json_object_get(ev, "type"));
        const char *merchant = json_string_value(json_object_get(ev, "merchant"));
        add_event(m, type ? type : "", json_object_get(ev, "payload"));
        if (merchant && !m->merchant) {
            snprintf(m->merchant_buf, sizeof m->merchant_buf, "%s", merchant);
            m->merchant = m->merchant_buf;
        }
    }
    json_decref(evs);
    return rc;
}

/* What the guarded decision g moved since from_seq (a decision that `clears` clears the store
 * whenever it changed anything). */
static int measured(struct sw_ctx *ctx, int g, int64_t from_seq, struct moved *m,
                    struct sw_error *err)
{
    int rc = measure(ctx, from_seq, m, err);
    if (rc == SW_OK && guarded[g].clears && m->events > 0)
        m->clears_store = true;
    return rc;
}

/* The kind of approval what m moved needs under the policy, or NULL when none. */
static const char *needs_approval(const struct sw_policy *p, const struct moved *m)
{
    if (m->clears_store)
        return "clearance";
    if (m->deduction_fen > p->queue.deduction_above_fen)
        return "deduction";
    if (m->refund_fen > p->queue.refund_above_fen)
        return "refund";
    return NULL;
}

void sw__approval_id(int64_t rid, char out[24])
{
    snprintf(out, 24, "ap%lld", (long long)rid);
}

json_t *sw__approval_render(const struct sw_approval_row *a)
{
    char id[24];
    sw__approval_id(a->rid, id);
    json_t *o = json_pack("{s:s,s:s,s:s,s:O}", "id", id, "status", a->status, "command", a->command,
                          "request", a->payload);
    json_object_update(o, a->doc);
    return o;
}

static int request_approval(struct sw_ctx *ctx, int g, const json_t *in, const char *kind,
                            const struct moved *m, json_t **result, struct sw_error *err)
{
    struct sw_approval_row a = {.payload = json_deep_copy(in)};
    snprintf(a.status, sizeof a.status, "pending");
    snprintf(a.requester, sizeof a.requester, "%s", ctx->actor_key);
    snprintf(a.command, sizeof a.command, "%s", guarded[g].type);
    json_t *subject = json_object_get(in, "id");
    a.doc = json_pack(
        "{s:s,s:I,s:I,s:I,s:b,s:O,s:s?,s:o,s:o,s:n,s:n,s:n}", "kind", kind, "amount_fen",
        (json_int_t)(strcmp(kind, "refund") == 0 ? m->refund_fen : m->deduction_fen),
        "deduction_fen", (json_int_t)m->deduction_fen, "refund_fen", (json_int_t)m->refund_fen,
        "clears_store", m->clears_store, "subject", json_is_string(subject) ? subject : json_null(),
        "merchant", m->merchant, "requested_by", sw_ctx_actor(ctx), "requested_at",
        sw_json_instant(ctx->now), "decided_by", "decided_at", "reason");
    /* the console reads when it was asked as created_at */
    json_object_set(a.doc, "created_at", json_object_get(a.doc, "requested_at"));
    int rc = sw_sql_approval_insert(ctx->conn, &a, err);
    if (rc == SW_OK) {
        json_t *out = sw__approval_render(&a);
        *result = json_pack("{s:O}", "approval", out);
        rc = sw_ctx_emit(ctx, "approval.requested", NULL,
                         json_object_get(out, "id") ? json_string_value(json_object_get(out, "id"))
                                                    : NULL,
                         out, err);
    }
    sw_approval_row_release(&a);
    return rc;
}

/* A decision on an item that already waits for approval is not asked twice. */
/* A decision on an item whose decision already waits for approval (of any kind: a dismiss
 * while a confirm waits, too) is refused until that approval is approved or rejected. */
static int refuse_pending(struct sw_ctx *ctx, const json_t *in, struct sw_error *err)
{
    const char *subject = json_string_value(json_object_get(in, "id"));
    int64_t rid = 0;
    int rc = subject ? sw_sql_approval_pending_for(ctx->conn, NULL, subject, &rid, err) : SW_OK;
    if (rc == SW_OK && rid)
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id",
                     "'%s' already waits for approval 'ap%lld': approve or reject it first",
                     subject, (long long)rid);
    return rc;
}

/* Claims first; then a gated decision by an operator's key is worked out and, when it moves
 * more than the policy lets one operator decide, undone and kept for approval. */
static int guard(int g, struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    if (applying)
        return wrapped[g](ctx, in, result, err);
    int rc = sw__queue_check_claim(ctx, json_string_value(json_object_get(in, "id")), err);
    if (rc == SW_OK && ctx->actor_key && sw_actor_is_staff(ctx->actor))
        rc = refuse_pending(ctx, in, err);
    if (rc)
        return rc;
    if (!guarded[g].gate || !ctx->actor_key || !sw_actor_is_staff(ctx->actor))
        return wrapped[g](ctx, in, result, err);
    struct sw_ctx_mark mark;
    if ((rc = sw_ctx_mark(ctx, &mark, err)))
        return rc;
    json_t *got = NULL;
    struct moved m;
    if ((rc = wrapped[g](ctx, in, &got, err)) ||
        (rc = measured(ctx, g, mark.next_event, &m, err))) {
        json_decref(got);
        sw_ctx_rollback(ctx, &mark);
        return rc;
    }
    const char *kind = needs_approval(ctx->policy, &m);
    if (!kind) {
        *result = got;
        return sw_ctx_release(ctx, err);
    }
    json_decref(got);
    sw_ctx_rollback(ctx, &mark);
    return request_approval(ctx, g, in, kind, &m, result, err);
}

#define GUARD(i)                                                                                   \
    static int guard_##i(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)       \
    {                                                                                              \
        return guard(i, c, in, r, e);                                                              \
    }
GUARD(0)
GUARD(1)
GUARD(2)
GUARD(3)
GUARD(4)
GUARD(5)
GUARD(6)
GUARD(7)
GUARD(8)
GUARD(9)
static const sw_cmd_fn guards[] = {guard_0, guard_1, guard_2, guard_3, guard_4,
                                   guard_5, guard_6, guard_7, guard_8, guard_9};
_Static_assert(sizeof guards / sizeof guards[0] == NGUARDED, "one guard per guarded type");

bool sw_queue_gated(const char *type)
{
    for (size_t i = 0; i < NGUARDED; i++)
        if (guarded[i].gate && strcmp(guarded[i].type, type) == 0)
            return true;
    return false;
}

static int load_pending(struct sw_ctx *ctx, const char *id, struct sw_approval_row *a,
                        struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc = SW_OK;
    if (strncmp(id, "ap", 2) == 0 && sw_id_parse_numbered(id + 1, 'p', &rid))
        rc = sw_sql_approval_get(ctx->conn, rid, a, &found, err);
    if (rc)
        return rc;
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown approval '%s'", id);
    if (strcmp(a->status, "pending") != 0)
        return sw_fail(err, SW_E_STATE_CONFLICT, "id", "approval '%s' is %s already", id,
                       a->status);
    if (!sw_actor_is_staff(ctx->actor) || !ctx->actor_key)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only an operator's key decides approvals");
    return SW_OK;
}

static int decided(struct sw_ctx *ctx, struct sw_approval_row *a, const char *status,
                   const char *reason, json_t *applied, json_t **result, struct sw_error *err)
{
    snprintf(a->status, sizeof a->status, "%s", status);
    json_object_set_new(a->doc, "decided_by", sw_ctx_actor(ctx));
    json_object_set_new(a->doc, "decided_at", sw_json_instant(ctx->now));
    json_object_set_new(a->doc, "reason", reason ? json_string(reason) : json_null());
    int rc = sw_sql_approval_update(ctx->conn, a, err);
    if (rc) {
        json_decref(applied);
        return rc;
    }
    json_t *out = sw__approval_render(a);
    *result = json_pack("{s:O}", "approval", out);
    if (applied)
        json_object_set_new(*result, "result", applied);
    return sw_ctx_emit(ctx,
                       strcmp(status, "approved") == 0 ? "approval.approved" : "approval.rejected",
                       NULL, json_string_value(json_object_get(out, "id")), out, err);
}

static int find_guarded(const char *type)
{
    for (size_t i = 0; i < NGUARDED; i++)
        if (strcmp(guarded[i].type, type) == 0)
            return (int)i;
    return -1;
}

/* Applies the kept decision as it was asked, and only if it moves what was approved. */
static int apply(struct sw_ctx *ctx, const struct sw_approval_row *a, json_t **applied,
                 struct sw_error *err)
{
    int g = find_guarded(a->command);
    if (g < 0)
        return sw_fail(err, SW_E_INTERNAL, NULL, "approval of unknown command '%s'", a->command);
    struct sw_ctx_mark mark;
    int rc = sw_ctx_mark(ctx, &mark, err);
    if (rc)
        return rc;
    applying = true;
    rc = wrapped[g](ctx, a->payload, applied, err);
    applying = false;
    struct moved m;
    if (rc == SW_OK && (rc = measured(ctx, g, mark.next_event, &m, err)) == SW_OK) {
        int64_t want_d = json_integer_value(json_object_get(a->doc, "deduction_fen"));
        int64_t want_r = json_integer_value(json_object_get(a->doc, "refund_fen"));
        bool want_c = json_is_true(json_object_get(a->doc, "clears_store"));
        if (m.deduction_fen != want_d || m.refund_fen != want_r || m.clears_store != want_c)
            rc = sw_fail(err, SW_E_STATE_CONFLICT, "id",
                         "the decision now deducts %lld fen and refunds %lld fen%s, not what was "
                         "approved: reject this approval and decide again",
                         (long long)m.deduction_fen, (long long)m.refund_fen,
                         m.clears_store ? " and clears the store" : "");
    }
    if (rc) {
        json_decref(*applied);
        *applied = NULL;
        sw_ctx_rollback(ctx, &mark);
        return rc;
    }
    return sw_ctx_release(ctx, err);
}

/* Another operator's live claim holds an approval as it holds a decision: a claim on the
 * approval itself, or on the item whose decision waits in it. */
static int check_claims(struct sw_ctx *ctx, const struct sw_approval_row *a, struct sw_error *err)
{
    char id[32];
    snprintf(id, sizeof id, "ap%lld", (long long)a->rid);
    int rc = sw__queue_check_claim(ctx, id, err);
    return rc ? rc
              : sw__queue_check_claim(ctx, json_string_value(json_object_get(a->payload, "id")),
                                      err);
}

static int a_approve(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *note = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
                            {"note", SW_J_STR, 0, &note, 1000, NULL}};
    struct sw_approval_row a = {0};
    int rc = sw_json_read(in, "", f, 2, true, err);
    if (rc == SW_OK)
        rc = load_pending(ctx, id, &a, err);
    if (rc == SW_OK && strcmp(a.requester, ctx->actor_key) == 0)
        rc = sw_fail(err, SW_E_SELF_APPROVAL, "id",
                     "approval '%s' was asked for by this key: another operator approves it", id);
    if (rc == SW_OK)
        rc = check_claims(ctx, &a, err);
    json_t *applied = NULL;
    if (rc == SW_OK && (rc = apply(ctx, &a, &applied, err)) == SW_OK)
        rc = decided(ctx, &a, "approved", note, applied, result, err);
    sw_approval_row_release(&a);
    return rc;
}

/* {id, reason} ("note" is taken for the reason too, as the console sends it). */
static int a_reject(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *reason = NULL, *note = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
                            {"reason", SW_J_STR, 0, &reason, 1000, NULL},
                            {"note", SW_J_STR, 0, &note, 1000, NULL}};
    struct sw_approval_row a = {0};
    int rc = sw_json_read(in, "", f, 3, true, err);
    if (rc == SW_OK && reason && note)
        rc = sw_fail(err, SW_E_INVALID_VALUE, "note",
                     "give the reason as 'reason' or 'note', not both");
    if (!reason)
        reason = note;
    if (rc == SW_OK && !reason)
        rc = sw_fail(err, SW_E_MISSING_FIELD, "reason", "a rejection needs a reason");
    else if (rc == SW_OK && reason && sw_text_blank(reason))
        rc = sw_fail(err, SW_E_INVALID_VALUE, "reason", "a rejection needs a reason");
    if (rc == SW_OK && (rc = load_pending(ctx, id, &a, err)) == SW_OK &&
        (rc = check_claims(ctx, &a, err)) == SW_OK)
        rc = decided(ctx, &a, "rejected", reason, NULL, result, err);
    sw_approval_row_release(&a);
    return rc;
}

int sw__queue_approvals_register(struct sw_engine *e)
{
    int rc;
    for (size_t i = 0; i < NGUARDED; i++) {
        sw_cmd_fn prev;
        if ((rc = sw_engine_wrap(e, guarded[i].type, guards[i], &prev)))
            return rc;
        if (wrapped[i] && wrapped[i] != prev)
            return SW_E_INTERNAL;
        wrapped[i] = prev;
    }
    if ((rc = sw_engine_register(e, "approval.approve", a_approve)) ||
        (rc = sw_engine_register(e, "approval.reject", a_reject)))
        return rc;
    return SW_OK;
}
