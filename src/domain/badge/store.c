/* A store's badge: its committed services, the state machine driven by the rule, the
 * reminder and the system's activation, and the commands of the store (badge.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/badge/badge_int.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"

#define MAX_SERVICES 64
#define REMINDER "badge_reminder"

static enum sw_badge_state state_of(const struct sw_badge_row *b)
{
    enum sw_badge_state s = SW_BADGE_INELIGIBLE;
    return sw_badge_state_parse(b->state, &s) == SW_OK ? s : SW_BADGE_INELIGIBLE;
}

static void timer_key(const char *merchant, char out[96])
{
    snprintf(out, 96, "badge.auto:%s", merchant);
}

int sw__badge_load(struct sw_ctx *ctx, const char *merchant, struct sw_badge_row *b, bool *stored,
                   struct sw_error *err)
{
    int rc = sw_sql_badge_get(ctx->conn, merchant, b, stored, err);
    if (rc || *stored)
        return rc;
    memset(b, 0, sizeof *b);
    snprintf(b->merchant, sizeof b->merchant, "%s", merchant);
    snprintf(b->state, sizeof b->state, "%s", sw_badge_state_name(SW_BADGE_INELIGIBLE));
    b->services = json_array();
    b->missing = json_array();
    b->reasons = json_array();
    b->since = 0; /* it has not entered its state: it starts in it (docs/badge.md, since) */
    return SW_OK;
}

/* The rule for the store as it is now: *holds, and b's missing and reasons updated. */
static int evaluate(struct sw_ctx *ctx, struct sw_badge_row *b, bool *holds, struct sw_error *err)
{
    struct sw_merchant_info mi;
    json_t *cats = NULL;
    int rc = sw_catalog_merchant_info(ctx, b->merchant, &mi, err);
    if (rc || (rc = sw_catalog_merchant_categories(ctx, b->merchant, &cats, err)))
        return rc;
    json_decref(b->missing);
    json_decref(b->reasons);
    *holds = sw__badge_evaluate(ctx->policy, b->services, cats, (int)mi.status, &b->missing,
                                &b->reasons);
    json_decref(cats);
    return SW_OK;
}

static json_t *state_event(const struct sw_ctx *ctx, const struct sw_badge_row *b, const char *from,
                           const char *cause)
{
    return json_pack(
        "{s:s,s:s,s:s,s:o,s:O,s:O,s:s,s:s}", "merchant", b->merchant, "from", from, "to", b->state,
        "activated_by", b->activated_by[0] ? json_string(b->activated_by) : json_null(), "reasons",
        b->reasons, "missing", b->missing, "cause", cause, "policy_version", ctx->policy->version);
}

/* A product tag's reason for a badge that stopped being active: the cause in the tag events'
 * own words (an event type that caused it becomes what changed). */
static const char *untag_reason(const char *cause)
{
    if (strcmp(cause, "policy.activated") == 0)
        return "policy_changed";
    if (strcmp(cause, "merchant.status_changed") == 0)
        return "store_status_changed";
    if (strcmp(cause, "merchant.updated") == 0)
        return "store_changed";
    return cause;
}

/* Moves b to `to` (a state change: since, event, tags) and remembers who activated it. */
static int move(struct sw_ctx *ctx, struct sw_badge_row *b, enum sw_badge_state to, const char *by,
                const char *cause, struct sw_error *err)
{
    enum sw_badge_state from = SW_BADGE_INELIGIBLE;
    if (sw_badge_state_parse(b->state, &from) != SW_OK || from == to)
        return SW_OK;
    char was[16];
    snprintf(was, sizeof was, "%s", b->state);
    snprintf(b->state, sizeof b->state, "%s", sw_badge_state_name(to));
    if (by)
        snprintf(b->activated_by, sizeof b->activated_by, "%s", by);
    else if (to != SW_BADGE_ACTIVE && to != SW_BADGE_SUSPENDED)
        b->activated_by[0] = '\0';
    b->since = ctx->now;
    int rc = sw_ctx_emit(ctx, "badge.state_changed", b->merchant, b->merchant,
                         state_event(ctx, b, was, cause), err);
    if (rc == SW_OK && to == SW_BADGE_ACTIVE && by)
        rc = sw_ctx_emit(ctx, "badge.activated", b->merchant, b->merchant,
                         json_pack("{s:s,s:s}", "merchant", b->merchant, "activated_by", by), err);
    bool was_active = from == SW_BADGE_ACTIVE, active = to == SW_BADGE_ACTIVE;
    if (rc == SW_OK && was_active != active)
        rc = sw__badge_sync_store(ctx, b->merchant, active,
                                  active ? "badge_active" : untag_reason(cause), err);
    return rc;
}

static int save(struct sw_ctx *ctx, struct sw_badge_row *b, struct sw_error *err)
{
    b->updated_at = ctx->now;
    b->version++;
    return sw_sql_badge_put(ctx->conn, b, err);
}

/* A store that became eligible and has no reminder waiting is sent one. The timer of an
 * earlier dismissal stays (RULES.md §5: 24 hours after the dismissal the system checks again
 * and activates what is eligible then, whatever the store went through in between). */
static int remind(struct sw_ctx *ctx, struct sw_badge_row *b, struct sw_error *err)
{
    if (b->reminder_sent_at && !b->reminder_dismissed_at)
        return SW_OK;
    struct sw_notification_row n = {
        .at = ctx->now,
        .message = "您的店铺已满足安心购条件：请点亮徽章。关闭提醒后系统将在约定时间后自动点亮。"
                   " Your store meets the assurance badge rule: activate it, or the system will "
                   "once the reminder has been dismissed for the policy's waiting time.",
    };
    snprintf(n.merchant, sizeof n.merchant, "%s", b->merchant);
    snprintf(n.type, sizeof n.type, "%s", REMINDER);
    int rc = sw_sql_notification_insert(ctx->conn, &n, err);
    n.message = NULL;
    b->reminder_sent_at = ctx->now;
    b->reminder_dismissed_at = 0;
    char id[32];
    snprintf(id, sizeof id, "n%lld", (long long)n.rid);
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, "badge.reminder_sent", b->merchant, b->merchant,
                         json_pack("{s:s,s:s,s:o}", "merchant", b->merchant, "notification", id,
                                   "at", sw_json_instant(ctx->now)),
                         err);
    return rc;
}

/* The events of b's new rule outcome besides a state change: badge.services_changed when its
 * services changed (with what it misses now), else badge.reasons_changed when what it misses or
 * why it fails changed while its state did not (its categories, its status, the policy). With
 * badge.state_changed they let a point-in-time read fold what the live row holds (asof.c). */
static int emit_outcome(struct sw_ctx *ctx, const struct sw_badge_row *b, bool services_changed,
                        bool moved, const json_t *was_missing, const json_t *was_reasons,
                        const char *cause, struct sw_error *err)
{
    if (services_changed)
        return sw_ctx_emit(ctx, "badge.services_changed", b->merchant, b->merchant,
                           json_pack("{s:s,s:O,s:O,s:O}", "merchant", b->merchant, "services",
                                     b->services, "missing", b->missing, "reasons", b->reasons),
                           err);
    if (moved || (json_equal(was_missing, b->missing) && json_equal(was_reasons, b->reasons)))
        return SW_OK;
    return sw_ctx_emit(ctx, "badge.reasons_changed", b->merchant, b->merchant,
                       json_pack("{s:s,s:s,s:O,s:O,s:s,s:s}", "merchant", b->merchant, "state",
                                 b->state, "missing", b->missing, "reasons", b->reasons, "cause",
                                 cause, "policy_version", ctx->policy->version),
                       err);
}

/* The rule applied to b (loaded, maybe not stored; its services just changed or not): its
 * state follows, every change is an event, then it is saved. */
static int apply_rule(struct sw_ctx *ctx, struct sw_badge_row *b, bool services_changed,
                      const char *cause, struct sw_error *err)
{
    bool holds = false;
    enum sw_badge_state s = SW_BADGE_INELIGIBLE, next = SW_BADGE_INELIGIBLE;
    json_t *was_missing = json_incref(b->missing), *was_reasons = json_incref(b->reasons);
    int rc = evaluate(ctx, b, &holds, err);
    if (rc == SW_OK &&
        (sw_badge_state_parse(b->state, &s) != SW_OK ||
         sw_badge_transition(s, holds ? SW_BA_RULE_HOLDS : SW_BA_RULE_FAILS, &next) != SW_OK))
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "badge of '%s' is '%s'", b->merchant, b->state);
    if (rc == SW_OK)
        rc =
            emit_outcome(ctx, b, services_changed, next != s, was_missing, was_reasons, cause, err);
    json_decref(was_missing);
    json_decref(was_reasons);
    if (rc || (rc = move(ctx, b, next, NULL, cause, err)))
        return rc;
    if (next == SW_BADGE_ELIGIBLE && s != SW_BADGE_ELIGIBLE && (rc = remind(ctx, b, err)))
        return rc;
    return save(ctx, b, err);
}

int sw__badge_refresh(struct sw_ctx *ctx, const char *merchant, const char *cause,
                      struct sw_error *err)
{
    struct sw_badge_row b = {0};
    bool stored = false;
    int rc = sw__badge_load(ctx, merchant, &b, &stored, err);
    if (rc == SW_OK && stored) /* a store that never set services stays ineligible */
        rc = apply_rule(ctx, &b, false, cause, err);
    sw_badge_row_release(&b);
    return rc;
}

/* The sender is the store itself (another store: not_found; staff when staff_ok). */
static int sender_may(struct sw_ctx *ctx, const char *merchant, bool staff_ok, struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    if (!own && !(staff_ok && sw_actor_is_staff(ctx->actor)))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the store itself may do this");
    if (own && strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    struct sw_merchant_info mi;
    return sw_catalog_merchant_info(ctx, merchant, &mi, err);
}

static int read_services(const json_t *services, struct sw_ctx *ctx, json_t **out,
                         struct sw_error *err)
{
    *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(services, i, c)
    {
        char path[32];
        snprintf(path, sizeof path, "services[%zu]", i);
        if (!sw_policy_service(ctx->policy, json_string_value(c))) {
            json_decref(*out);
            return sw_fail(err, SW_E_INVALID_VALUE, path,
                           "unknown service '%s': not in the policy's services catalogue",
                           json_string_value(c));
        }
        json_t *one = json_pack("[O]", c);
        json_t *add = sw__badge_lacking(*out, one);
        json_array_extend(*out, add);
        json_decref(add);
        json_decref(one);
    }
    return SW_OK;
}

/* The answer of every badge write: the store's view as it is now. */
static int answer(struct sw_ctx *ctx, const char *merchant, json_t **result, struct sw_error *err)
{
    return sw_badge_get(ctx->engine, ctx->conn, merchant, result, err);
}

static int b_services(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL;
    json_t *services = NULL, *norm = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL},
        {"services", SW_J_STRARR, SW_J_REQUIRED, &services, MAX_SERVICES, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = sender_may(ctx, merchant, true, err)) ||
        (rc = read_services(services, ctx, &norm, err)))
        return rc;
    struct sw_badge_row b = {0};
    bool stored = false;
    if ((rc = sw__badge_load(ctx, merchant, &b, &stored, err)) == SW_OK &&
        (rc = sw_if_version(&iv, b.version, "badge", merchant, err)) == SW_OK) {
        bool same = stored && json_equal(b.services, norm);
        json_decref(b.services);
        b.services = json_incref(norm);
        rc = apply_rule(ctx, &b, !same, "services_changed", err);
    }
    sw_badge_row_release(&b);
    json_decref(norm);
    return rc ? rc : answer(ctx, merchant, result, err);
}

static int not_eligible(const struct sw_badge_row *b, struct sw_error *err)
{
    char what[200] = "";
    size_t i, len = 0;
    json_t *c;
    json_array_foreach(b->missing, i, c)
    {
        if (len < sizeof what)
            len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", len ? ", " : "",
                                    json_string_value(c));
    }
    const json_t *r0 = json_array_get(b->reasons, json_array_size(b->reasons) - 1);
    const char *code = json_string_value(json_object_get(r0, "code"));
    if (what[0])
        return sw_fail(err, SW_E_BADGE_NOT_ELIGIBLE, "services",
                       "store '%s' does not offer every required service: missing %s", b->merchant,
                       what);
    return sw_fail(err, SW_E_BADGE_NOT_ELIGIBLE, "merchant", "store '%s' is not eligible (%s)",
                   b->merchant, code ? code : "rule");
}

/* What the store's own commands (activate, close, dismiss) share: the body names the store,
 * the sender is the store, its badge is loaded; `step` does the rest; the answer is the view. */
typedef int (*store_step)(struct sw_ctx *ctx, struct sw_badge_row *b, const char *timer,
                          struct sw_error *err);

static int store_command(struct sw_ctx *ctx, const json_t *in, json_t **result, store_step step,
                         struct sw_error *err)
{
    const char *merchant = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {{"merchant", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL},
                            SW_IF_VERSION_FIELD(iv)};
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = sender_may(ctx, merchant, false, err)))
        return rc;
    struct sw_badge_row b = {0};
    bool stored = false;
    char key[96];
    timer_key(merchant, key);
    if ((rc = sw__badge_load(ctx, merchant, &b, &stored, err)) == SW_OK &&
        (rc = sw_if_version(&iv, b.version, "badge", merchant, err)) == SW_OK)
        rc = step(ctx, &b, key, err);
    sw_badge_row_release(&b);
    return rc ? rc : answer(ctx, merchant, result, err);
}

/* Moves b by the store's own action, a pending system activation cancelled. */
static int settle(struct sw_ctx *ctx, struct sw_badge_row *b, enum sw_badge_state next,
                  const char *by, const char *cause, const char *timer, struct sw_error *err)
{
    int rc = sw_ctx_cancel_timer(ctx, timer, err);
    if (rc == SW_OK && (rc = move(ctx, b, next, by, cause, err)) == SW_OK) {
        b->auto_at = 0;
        rc = save(ctx, b, err);
    }
    return rc;
}

static int activate_step(struct sw_ctx *ctx, struct sw_badge_row *b, const char *timer,
                         struct sw_error *err)
{
    bool holds = false;
    enum sw_badge_state s = state_of(b), next;
    int rc = evaluate(ctx, b, &holds, err);
    if (rc)
        return rc;
    if (s == SW_BADGE_ACTIVE)
        return sw_fail(err, SW_E_STATE_CONFLICT, "merchant",
                       "the badge of store '%s' is already active", b->merchant);
    if (!holds)
        return not_eligible(b, err);
    if ((rc = sw_badge_transition(s, SW_BA_ACTIVATE, &next)) != SW_OK)
        return sw_fail(err, rc, "merchant", "the badge of store '%s' is %s", b->merchant, b->state);
    return settle(ctx, b, next, "merchant", "merchant_activated", timer, err);
}

static int close_step(struct sw_ctx *ctx, struct sw_badge_row *b, const char *timer,
                      struct sw_error *err)
{
    enum sw_badge_state next;
    if (sw_badge_transition(state_of(b), SW_BA_CLOSE, &next) != SW_OK)
        return sw_fail(err, SW_E_STATE_CONFLICT, "merchant",
                       "the badge of store '%s' is already closed", b->merchant);
    return settle(ctx, b, next, NULL, "merchant_closed", timer, err);
}

static int dismiss_step(struct sw_ctx *ctx, struct sw_badge_row *b, const char *timer,
                        struct sw_error *err)
{
    enum sw_badge_state next;
    if (!b->reminder_sent_at || b->reminder_dismissed_at ||
        sw_badge_transition(state_of(b), SW_BA_DISMISS, &next) != SW_OK)
        return sw_fail(err, SW_E_STATE_CONFLICT, "merchant",
                       "store '%s' has no badge reminder waiting (the badge is %s)", b->merchant,
                       b->state);
    b->reminder_dismissed_at = ctx->now;
    /* an earlier dismissal's check still to come is the first: it stays */
    bool pending = b->auto_at != 0;
    if (!pending)
        b->auto_at = ctx->now + ctx->policy->badge.auto_after_us;
    int rc = sw_sql_notification_dismiss(ctx->conn, b->merchant, REMINDER, ctx->now, err);
    if (rc == SW_OK && !pending)
        rc = sw_ctx_schedule(ctx, timer, b->auto_at, "badge.auto_activate", b->merchant,
                             b->merchant, json_pack("{s:s}", "merchant", b->merchant), err);
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, "badge.reminder_dismissed", b->merchant, b->merchant,
                         json_pack("{s:s,s:o}", "merchant", b->merchant, "auto_activation_at",
                                   sw_json_instant(b->auto_at)),
                         err);
    return rc ? rc : save(ctx, b, err);
}

static int b_activate(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return store_command(ctx, in, result, activate_step, err);
}

static int b_close(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return store_command(ctx, in, result, close_step, err);
}

static int b_dismiss(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return store_command(ctx, in, result, dismiss_step, err);
}

/* The timer: still eligible (not active, not closed) -> active by the system; else the
 * reason it was not, recorded. */
static int b_auto(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL;
    struct sw_jfield f[] = {{"merchant", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, false, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "badge.auto_activate is the scheduler's");
    struct sw_badge_row b = {0};
    bool stored = false, holds = false;
    enum sw_badge_state s = SW_BADGE_INELIGIBLE, next;
    if ((rc = sw__badge_load(ctx, merchant, &b, &stored, err)) == SW_OK &&
        (rc = evaluate(ctx, &b, &holds, err)) == SW_OK) {
        s = state_of(&b);
        b.auto_at = 0;
        if (holds && sw_badge_transition(s, SW_BA_AUTO_ACTIVATE, &next) == SW_OK)
            rc = move(ctx, &b, next, "system", "system_activated", err);
        else
            rc = sw_ctx_emit(ctx, "badge.auto_activation_skipped", merchant, merchant,
                             json_pack("{s:s,s:s,s:O,s:O}", "merchant", merchant, "state", b.state,
                                       "missing", b.missing, "reasons", b.reasons),
                             err);
        if (rc == SW_OK)
            rc = save(ctx, &b, err);
    }
    sw_badge_row_release(&b);
    return rc ? rc : answer(ctx, merchant, result, err);
}

static int on_merchant(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    return ev->merchant ? sw__badge_refresh(ctx, ev->merchant, ev->type, err) : SW_OK;
}

/* A new policy may change the base services or the extras: every store is looked at again,
 * and the products of the active ones. */
static int on_policy(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    (void)ev;
    char ids[64][72], after[72] = "";
    int n = 0, rc;
    do {
        if ((rc = sw_sql_badge_merchants(ctx->conn, after, 64, ids, &n, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            struct sw_badge_row b = {0};
            bool stored = false;
            if ((rc = sw__badge_load(ctx, ids[i], &b, &stored, err)) == SW_OK &&
                (rc = apply_rule(ctx, &b, false, "policy.activated", err)) == SW_OK &&
                strcmp(b.state, "active") == 0)
                rc = sw__badge_sync_store(ctx, ids[i], true, "policy_changed", err);
            sw_badge_row_release(&b);
            if (rc)
                return rc;
            snprintf(after, sizeof after, "%s", ids[i]);
        }
    } while (n == 64);
    return SW_OK;
}

int sw_badge_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "badge.services_set", b_services)) ||
        (rc = sw_engine_register(e, "badge.activate", b_activate)) ||
        (rc = sw_engine_register(e, "badge.close", b_close)) ||
        (rc = sw_engine_register(e, "badge.dismiss_reminder", b_dismiss)) ||
        (rc = sw_engine_register(e, "badge.auto_activate", b_auto)) ||
        (rc = sw_engine_subscribe(e, "merchant.updated", on_merchant)) ||
        (rc = sw_engine_subscribe(e, "merchant.status_changed", on_merchant)) ||
        (rc = sw_engine_subscribe(e, "policy.activated", on_policy)) ||
        (rc = sw__badge_products_register(e)))
        return rc;
    return SW_OK;
}
