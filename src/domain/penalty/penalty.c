/* Violations: where they come from, what they cost, how they end. */
#include "domain/penalty/penalty.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty_int.h"

#define MAX_EVIDENCE 20
#define MAX_OCCURRENCES 1000
#define DAY_US INT64_C(86400000000)

void sw__violation_id(int64_t rid, char out[SW_ID_BUF])
{
    snprintf(out, SW_ID_BUF, "v%" PRId64, rid);
}

void sw__appeal_id(int64_t rid, char out[SW_ID_BUF])
{
    snprintf(out, SW_ID_BUF, "a%" PRId64, rid);
}

bool sw_penalty_parse_id(const char *s, char prefix, int64_t *rid)
{
    return sw_id_parse_numbered(s, prefix, rid);
}

json_t *sw__violation_render(const struct sw_violation_row *v, const struct sw_policy *pol)
{
    char id[SW_ID_BUF];
    sw__violation_id(v->rid, id);
    int max = pol->penalties.appeals_max;
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:b,s:I}", "id", id, "merchant", v->merchant,
                  "product", v->product, "type", v->type, "severity", v->severity, "source",
                  v->source, "status", v->status, "occurrences", (json_int_t)v->occurrences,
                  "counted", v->counted, "nth", (json_int_t)v->nth);
    json_object_set_new(o, "penalty",
                        json_pack("{s:s,s:b,s:I,s:I,s:I,s:s,s:b}", "ban", v->ban, "ban_active",
                                  v->ban_active, "deduct_fen", (json_int_t)v->deduct_fen,
                                  "deducted_fen", (json_int_t)v->deducted_fen, "owed_fen",
                                  (json_int_t)v->owed_fen, "rectification", v->rectification,
                                  "clears_store", v->clears_store));
    int64_t left = v->final || strcmp(v->status, "in_force") != 0 ? 0 : max - v->appeals;
    json_object_set_new(o, "appeals",
                        json_pack("{s:I,s:b,s:b,s:I}", "filed", (json_int_t)v->appeals, "open",
                                  v->appeal_open, "final", v->final, "left",
                                  (json_int_t)(left > 0 ? left : 0)));
    json_object_update(o, v->doc);
    json_object_del(o, "covers"); /* the module's own bookkeeping (covered_keys) */
    /* Decisions recorded before keys were (a bare role) are shown in today's form. */
    static const char *const who[] = {"by", "decided_by"};
    for (int i = 0; i < 2; i++)
        if (json_is_string(json_object_get(o, who[i])))
            json_object_set_new(o, who[i], sw_actor_normalize(json_object_get(o, who[i])));
    json_object_set_new(o, "created_at", sw_json_instant_opt(v->created_at));
    json_object_set_new(o, "effective_at", sw_json_instant_opt(v->effective_at));
    json_object_set_new(o, "decided_at", sw_json_instant_opt(v->decided_at));
    json_object_set_new(o, "updated_at", sw_json_instant_opt(v->updated_at));
    json_object_set_new(o, "policy_version", json_string(v->policy_version));
    return o;
}

static bool merchant_may_see(const struct sw_violation_row *v)
{
    return strcmp(v->status, "in_force") == 0 || strcmp(v->status, "overturned") == 0;
}

int sw__violation_load(struct sw_ctx *ctx, const char *id, struct sw_violation_row *v,
                       struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw_penalty_parse_id(id, 'v', &rid) &&
        (rc = sw_sql_violation_get(ctx->conn, rid, v, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(ctx->actor);
    if (found && own && (strcmp(own, v->merchant) != 0 || !merchant_may_see(v))) {
        sw_violation_row_release(v);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown violation '%s'", id);
}

/* The violation as it now is, as an event (extra, stolen, adds members). */
static int emit_violation(struct sw_ctx *ctx, const struct sw_violation_row *v, const char *event,
                          json_t *extra, struct sw_error *err)
{
    json_t *ev = sw__violation_render(v, ctx->policy);
    if (extra) {
        json_object_update(ev, extra);
        json_decref(extra);
    }
    char id[SW_ID_BUF];
    sw__violation_id(v->rid, id);
    return sw_ctx_emit(ctx, event, v->merchant, id, ev, err);
}

static int write_and_emit(struct sw_ctx *ctx, struct sw_violation_row *v, const char *event,
                          json_t *extra, struct sw_error *err)
{
    v->updated_at = ctx->now;
    int rc = sw_sql_violation_update(ctx->conn, v, err);
    if (rc) {
        json_decref(extra);
        return rc;
    }
    return emit_violation(ctx, v, event, extra, err);
}

static int lift_ban(struct sw_ctx *ctx, struct sw_violation_row *v, const char *reason,
                    struct sw_error *err)
{
    if (!v->ban_active)
        return SW_OK;
    v->ban_active = false;
    bool still;
    int rc = sw_sql_violation_banned_by_other(ctx->conn, v->product, v->rid, &still, err);
    if (rc || still)
        return rc;
    char id[SW_ID_BUF];
    sw__violation_id(v->rid, id);
    return sw_catalog_set_banned(ctx, v->product, false, id, reason, err);
}

/* Puts a violation in force: counts it, decides the penalty, applies every effect. */
static int enforce(struct sw_ctx *ctx, struct sw_violation_row *v, struct sw_error *err)
{
    const struct sw_penalty_rule *r = sw_policy_penalty(ctx->policy, v->type);
    if (!r)
        return sw_fail(err, SW_E_RULE_REFUSED, "type", "policy %s has no penalty for '%s'",
                       ctx->policy->version, v->type);
    int64_t prior = 0;
    int rc;
    if (r->counted) {
        int64_t since = ctx->now - (int64_t)ctx->policy->penalties.count_window_days * DAY_US;
        if ((rc = sw_sql_violation_count(ctx->conn, v->merchant, v->type, since, &prior, err)))
            return rc;
    }
    int64_t minor = json_integer_value(json_object_get(v->doc, "minor"));
    int64_t severe = json_integer_value(json_object_get(v->doc, "severe"));
    struct sw_penalty_decision d;
    sw_penalty_decide(r, minor, severe, r->counted ? prior + 1 : 0, &d);
    snprintf(v->status, sizeof v->status, "in_force");
    snprintf(v->policy_version, sizeof v->policy_version, "%s", ctx->policy->version);
    v->counted = r->counted;
    v->nth = r->counted ? prior + 1 : 0;
    v->effective_at = v->decided_at = ctx->now;
    snprintf(v->ban, sizeof v->ban, "%s",
             r->ban == SW_BAN_NONE          ? "none"
             : r->ban == SW_BAN_UNTIL_FIXED ? "until_fixed"
                                            : "permanent");
    snprintf(v->rectification, sizeof v->rectification, "%s",
             d.rectification ? "required" : "none");
    v->clears_store = d.clear_store;
    json_object_set_new(v->doc, "deduct_all", json_boolean(d.deduct_all));
    if (json_is_array(json_object_get(v->doc, "finding_keys")))
        json_object_set_new(v->doc, "covers",
                            json_deep_copy(json_object_get(v->doc, "finding_keys")));
    char id[SW_ID_BUF];
    sw__violation_id(v->rid, id);
    if (d.deduct_all) {
        struct sw_deposit_account a;
        if ((rc = sw_sql_deposit_account(ctx->conn, v->merchant, &a, err)))
            return rc;
        d.deduct_fen = a.balance_fen;
    }
    v->deduct_fen = d.deduct_fen;
    if (d.ban) {
        v->ban_active = true;
        if ((rc = sw_catalog_set_banned(ctx, v->product, true, id, v->type, err)))
            return rc;
    }
    /* Written once, after the deduction and before the holds, which are computed from the
     * violations table. */
    v->updated_at = ctx->now;
    if ((rc = sw__ledger_deduct(ctx, v, d.deduct_fen, err)) ||
        (rc = sw_sql_violation_update(ctx->conn, v, err)) ||
        (rc = sw__penalty_holds(ctx, v->merchant, err)))
        return rc;
    return emit_violation(ctx, v, "violation.enforced", NULL, err);
}

struct new_violation {
    const char *merchant, *product, *type, *source;
    bool queue;
    json_t *doc; /* stolen: findings / evidence / note / minor / severe / finding_keys */
};

static int create(struct sw_ctx *ctx, struct new_violation *nv, json_t **result,
                  struct sw_error *err)
{
    struct sw_violation_row v = {0};
    snprintf(v.merchant, sizeof v.merchant, "%s", nv->merchant);
    snprintf(v.product, sizeof v.product, "%s", nv->product);
    snprintf(v.type, sizeof v.type, "%s", nv->type);
    snprintf(v.source, sizeof v.source, "%s", nv->source);
    snprintf(v.status, sizeof v.status, "pending");
    snprintf(v.ban, sizeof v.ban, "none");
    snprintf(v.rectification, sizeof v.rectification, "none");
    snprintf(v.policy_version, sizeof v.policy_version, "%s", ctx->policy->version);
    int64_t severe = json_integer_value(json_object_get(nv->doc, "severe"));
    snprintf(v.severity, sizeof v.severity, "%s", severe > 0 ? "severe" : "minor");
    v.occurrences = severe + json_integer_value(json_object_get(nv->doc, "minor"));
    v.created_at = v.updated_at = ctx->now;
    v.doc = nv->doc;
    int rc = sw_sql_violation_insert(ctx->conn, &v, err);
    if (rc == SW_OK)
        rc = nv->queue ? emit_violation(ctx, &v, "violation.queued", NULL, err)
                       : enforce(ctx, &v, err);
    if (rc == SW_OK && result)
        *result = sw__violation_render(&v, ctx->policy);
    sw_violation_row_release(&v);
    return rc;
}

/* ---------- from the scanner ---------- */

static bool severe_finding(const json_t *f)
{
    return strcmp(sw_json_str_or_empty(f, "severity"), "severe") == 0;
}

/* The findings of one type that no pending or in-force violation of the product covers yet
 * make one violation; an edit that repeats what is already penalised adds nothing, and neither
 * does one that keeps what an operator dismissed or an upheld appeal overturned (only a finding
 * the change brought in is new: removed and written again, it is). */
static int violation_of_type(struct sw_ctx *ctx, const struct sw_event *ev, const char *type,
                             const json_t *findings, struct sw_error *err)
{
    const struct sw_penalty_rule *r = sw_policy_penalty(ctx->policy, type);
    /* Audit before publication, enforcement after: what findings of the type do depends on
     * whether the product is on sale (the catalog blocks listing for `block`). */
    bool listed = json_is_true(json_object_get(ev->payload, "listed"));
    if (!r || sw_policy_finding_action(ctx->policy, type, listed) != SW_FA_PENALISE)
        return SW_OK;
    json_t *covered = json_object();
    int rc = sw__covered_keys(ctx, ev->subject, type, covered, err);
    json_t *mine = json_array(), *keys = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        char k[600];
        if (strcmp(sw_json_str_or_empty(f, "type"), type) != 0)
            continue;
        sw__finding_key(f, k, sizeof k);
        if (json_object_get(covered, k))
            continue;
        json_array_append(mine, f);
        json_t *sev = json_object_get(keys, k);
        if (!sev || (!json_is_true(sev) && severe_finding(f)))
            json_object_set_new(keys, k, json_boolean(severe_finding(f)));
    }
    json_decref(covered);
    if (rc || json_object_size(keys) == 0) {
        json_decref(mine);
        json_decref(keys);
        return rc;
    }
    int64_t minor = 0, severe = 0;
    json_t *key_list = json_array();
    const char *k;
    json_t *sev;
    json_object_foreach(keys, k, sev)
    {
        json_array_append_new(key_list, json_string(k));
        if (json_is_true(sev))
            severe++;
        else
            minor++;
    }
    json_decref(keys);
    struct new_violation nv = {
        .merchant = ev->merchant,
        .product = ev->subject,
        .type = type,
        .source = "scanner",
        .queue = r->confirm == SW_CONFIRM_QUEUE,
        .doc = json_pack("{s:o,s:o,s:I,s:I,s:O,s:O}", "findings", mine, "finding_keys", key_list,
                         "minor", (json_int_t)minor, "severe", (json_int_t)severe,
                         "product_version", json_object_get(ev->payload, "version"), "trigger",
                         json_object_get(ev->payload, "trigger")),
    };
    const json_t *job = json_object_get(ev->payload, "rescan");
    if (job)
        json_object_set(nv.doc, "rescan", (json_t *)job);
    return create(ctx, &nv, NULL, err);
}

static int on_scanned(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    const json_t *findings = json_object_get(ev->payload, "findings");
    json_t *seen = json_object();
    size_t i;
    json_t *f;
    /* a rescan is no edit (on_updated): what it no longer finds is no longer covered */
    const char *trigger = json_string_value(json_object_get(ev->payload, "trigger"));
    int rc = trigger && strcmp(trigger, "rescan") == 0
                 ? sw__lapse_covers(ctx, ev->subject, findings, err)
                 : SW_OK;
    json_array_foreach(findings, i, f)
    {
        const char *type = json_string_value(json_object_get(f, "type"));
        if (!type || json_object_get(seen, type))
            continue;
        json_object_set_new(seen, type, json_true());
        if (rc || (rc = violation_of_type(ctx, ev, type, findings, err)))
            break;
    }
    json_decref(seen);
    return rc;
}

/* An edit that removes what an until-fixed violation found lifts that violation's ban (the
 * deduction and the count stay). The product is unbanned when nothing else bans it. What the
 * edit removed is no longer covered (lapse_covers): written again, it is a new finding. */
static int on_updated(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    /* A stock-only edit is not scanned again, so it cannot fix anything: the stock feed
     * does not pay for the lookup. */
    const json_t *changed = json_object_get(ev->payload, "changed");
    if (json_array_size(changed) == 1 &&
        strcmp(json_string_value(json_array_get(changed, 0)), "stock") == 0)
        return SW_OK;
    struct sw_violation_row *rows;
    int n;
    int rc = sw_sql_violation_rows_of_product(ctx->conn, ev->subject, NULL, true, &rows, &n, err);
    json_t *findings = NULL;
    for (int i = 0; rc == SW_OK && i < n; i++) {
        struct sw_violation_row *v = &rows[i];
        if (!v->ban_active || strcmp(v->ban, "until_fixed") != 0 ||
            strcmp(v->status, "in_force") != 0)
            continue;
        if (!findings) {
            struct sw_product_info pi;
            if ((rc = sw_catalog_product_info(ctx, ev->subject, &pi, err)))
                break;
            findings = pi.findings;
        }
        bool still = false;
        size_t j;
        json_t *f;
        json_array_foreach(findings, j, f) still |=
            strcmp(sw_json_str_or_empty(f, "type"), v->type) == 0;
        if (!still && (rc = lift_ban(ctx, v, "fixed", err)) == SW_OK) {
            json_object_set_new(v->doc, "reason", json_string("fixed"));
            rc = write_and_emit(ctx, v, "violation.ban_lifted", NULL, err);
        }
    }
    if (rc == SW_OK) /* the same rows, and the findings when the loop read them */
        rc = sw__lapse_rows(ctx, ev->subject, rows, n, findings, err);
    sw_violation_rows_free(rows, n);
    json_decref(findings);
    return rc;
}

/* ---------- operator commands ---------- */

static int require_staff(struct sw_ctx *ctx, const char *what, struct sw_error *err)
{
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may %s", what);
    return SW_OK;
}

static int check_refs(json_t *arr, const char *field, struct sw_error *err)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (json_string_length(e) == 0)
            return sw_fail(err, SW_E_INVALID_VALUE, field, "'%s[%zu]' must not be empty", field, i);
    }
    return SW_OK;
}

static int violation_create(struct sw_ctx *ctx, const json_t *in, json_t **result,
                            struct sw_error *err)
{
    const char *product = NULL, *type = NULL, *severity = "minor", *note = NULL;
    json_t *evidence = NULL;
    int64_t occurrences = 1;
    struct sw_jfield f[] = {
        {"product", SW_J_ID, SW_J_REQUIRED, &product, 0, NULL},
        {"type", SW_J_STR, SW_J_REQUIRED, &type, 48, NULL},
        {"severity", SW_J_STR, 0, &severity, 8, NULL},
        {"occurrences", SW_J_INT, 0, &occurrences, MAX_OCCURRENCES, NULL},
        {"evidence", SW_J_STRARR, SW_J_REQUIRED, &evidence, MAX_EVIDENCE, NULL},
        {"note", SW_J_STR, 0, &note, 2000, NULL},
    };
    /* each field's value checked in the documented order, before the fields after it */
    int rc = sw_json_unknown(in, "", f, sizeof f / sizeof f[0], err);
    if (rc || (rc = sw_json_read(in, "", f, 2, false, err)))
        return rc;
    if (!sw_policy_penalty(ctx->policy, type))
        return sw_fail(err, SW_E_INVALID_VALUE, "type", "unknown violation type '%s'", type);
    if ((rc = sw_json_read(in, "", f + 2, 1, false, err)))
        return rc;
    bool severe = strcmp(severity, "severe") == 0;
    if (!severe && strcmp(severity, "minor") != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "severity", "severity must be 'minor' or 'severe'");
    if ((rc = sw_json_read(in, "", f + 3, 1, false, err)))
        return rc;
    if (occurrences < 1)
        return sw_fail(err, SW_E_INVALID_VALUE, "occurrences", "occurrences must be at least 1");
    if ((rc = sw_json_read(in, "", f + 4, 2, false, err)) ||
        (rc = check_refs(evidence, "evidence", err)))
        return rc;
    if (json_array_size(evidence) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "evidence", "a violation needs evidence");
    if ((rc = require_staff(ctx, "record violations", err)))
        return rc;
    struct sw_product_info pi;
    if ((rc = sw_catalog_product_info(ctx, product, &pi, err)))
        return rc;
    json_decref(pi.findings);
    json_t *doc = json_pack("{s:O,s:I,s:I,s:o}", "evidence", evidence, "minor",
                            (json_int_t)(severe ? 0 : occurrences), "severe",
                            (json_int_t)(severe ? occurrences : 0), "by", sw_ctx_actor(ctx));
    if (note)
        json_object_set_new(doc, "note", json_string(note));
    struct new_violation nv = {pi.merchant, product, type, "operator", false, doc};
    return create(ctx, &nv, result, err);
}

/* No stale penalties: a queued violation from the scanner is checked against the product as
 * it is now. The findings the merchant has removed since are dropped and the penalty is decided
 * on the ones still there; when none is left the confirm is refused (finding_stale: dismiss
 * it). The violation keeps what the check saw (product_version_checked, findings_removed). */
static int recheck(struct sw_ctx *ctx, struct sw_violation_row *v, struct sw_error *err)
{
    json_t *keys = json_object_get(v->doc, "finding_keys");
    if (strcmp(v->source, "scanner") != 0 || json_array_size(keys) == 0)
        return SW_OK;
    struct sw_product_info pi;
    int rc = sw_catalog_product_info(ctx, v->product, &pi, err);
    if (rc)
        return rc;
    json_t *now = json_object();
    size_t i;
    json_t *f, *k;
    json_array_foreach(pi.findings, i, f)
    {
        char key[600];
        sw__finding_key(f, key, sizeof key);
        if (strcmp(sw_json_str_or_empty(f, "type"), v->type) == 0)
            json_object_set_new(now, key, json_boolean(severe_finding(f)));
    }
    json_decref(pi.findings);
    json_t *kept = json_array(), *gone = json_array();
    int64_t minor = 0, severe = 0;
    json_array_foreach(keys, i, k)
    {
        json_t *sev = json_object_get(now, json_string_value(k));
        json_array_append(sev ? kept : gone, k);
        if (sev)
            *(json_is_true(sev) ? &severe : &minor) += 1;
    }
    json_decref(now);
    char id[SW_ID_BUF];
    sw__violation_id(v->rid, id);
    if (json_array_size(kept) == 0) {
        json_decref(kept);
        json_decref(gone);
        return sw_fail(err, SW_E_FINDING_STALE, "id",
                       "violation '%s' is stale: product '%s' no longer has what it found "
                       "(dismiss it)",
                       id, v->product);
    }
    json_object_set_new(v->doc, "product_version_checked", json_integer(pi.version));
    json_object_set_new(v->doc, "findings_removed", gone);
    json_object_set_new(v->doc, "finding_keys", kept);
    json_object_set_new(v->doc, "minor", json_integer(minor));
    json_object_set_new(v->doc, "severe", json_integer(severe));
    v->occurrences = minor + severe;
    snprintf(v->severity, sizeof v->severity, "%s", severe > 0 ? "severe" : "minor");
    return SW_OK;
}

/* confirm / dismiss of a queued violation */
static int decide_pending(struct sw_ctx *ctx, const json_t *in, json_t **result, bool confirm,
                          struct sw_error *err)
{
    const char *id = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"note", SW_J_STR, 0, &note, 2000, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_staff(ctx, "decide queued violations", err)))
        return rc;
    struct sw_violation_row v = {0};
    if ((rc = sw__violation_load(ctx, id, &v, err)))
        return rc;
    rc = sw__violation_if_version(ctx, &v, &iv, err);
    if (rc == SW_OK && strcmp(v.status, "pending") != 0) {
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id", "violation '%s' is %s, not pending", id,
                     v.status);
    } else if (rc == SW_OK) {
        json_object_set_new(v.doc, "decided_by", sw_ctx_actor(ctx));
        if (note)
            json_object_set_new(v.doc, "decision_note", json_string(note));
        if (confirm) {
            rc = recheck(ctx, &v, err);
            if (rc == SW_OK)
                rc = enforce(ctx, &v, err);
        } else {
            snprintf(v.status, sizeof v.status, "dismissed");
            v.decided_at = ctx->now;
            if (json_is_array(json_object_get(v.doc, "finding_keys")))
                json_object_set_new(v.doc, "covers",
                                    json_deep_copy(json_object_get(v.doc, "finding_keys")));
            rc = write_and_emit(ctx, &v, "violation.dismissed", NULL, err);
        }
    }
    if (rc == SW_OK)
        *result = sw__violation_render(&v, ctx->policy);
    if (rc == SW_OK)
        rc = sw__violation_put_version(ctx->conn, v.rid, *result, err);
    sw_violation_row_release(&v);
    return rc;
}

static int violation_confirm(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)
{
    return decide_pending(c, in, r, true, e);
}

static int violation_dismiss(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)
{
    return decide_pending(c, in, r, false, e);
}

/* ---------- rectification (three-no 1st-3rd) ---------- */

static int violation_rectify(struct sw_ctx *ctx, const json_t *in, json_t **result,
                             struct sw_error *err)
{
    const char *id = NULL, *report = NULL;
    json_t *evidence = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"report", SW_J_STR, SW_J_REQUIRED, &report, 8000, NULL},
        {"evidence", SW_J_STRARR, 0, &evidence, MAX_EVIDENCE, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (evidence && (rc = check_refs(evidence, "evidence", err))))
        return rc;
    if (report[0] == '\0')
        return sw_fail(err, SW_E_INVALID_VALUE, "report", "the report must not be empty");
    struct sw_violation_row v = {0};
    if ((rc = sw__violation_load(ctx, id, &v, err)))
        return rc;
    rc = sw__violation_if_version(ctx, &v, &iv, err);
    if (rc == SW_OK &&
        (strcmp(v.status, "in_force") != 0 || strcmp(v.rectification, "required") != 0)) {
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id",
                     "violation '%s' does not wait for a rectification report (it is %s)", id,
                     strcmp(v.status, "in_force") != 0 ? v.status : v.rectification);
    } else if (rc == SW_OK) {
        snprintf(v.rectification, sizeof v.rectification, "submitted");
        json_object_set_new(v.doc, "rectification_report",
                            json_pack("{s:s,s:O?,s:o}", "report", report, "evidence", evidence,
                                      "submitted_at", sw_json_instant_opt(ctx->now)));
        rc = write_and_emit(ctx, &v, "violation.rectification_submitted", NULL, err);
    }
    if (rc == SW_OK)
        *result = sw__violation_render(&v, ctx->policy);
    if (rc == SW_OK)
        rc = sw__violation_put_version(ctx->conn, v.rid, *result, err);
    sw_violation_row_release(&v);
    return rc;
}

static int violation_rectification_decide(struct sw_ctx *ctx, const json_t *in, json_t **result,
                                          struct sw_error *err)
{
    const char *id = NULL, *decision = NULL, *note = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"decision", SW_J_STR, SW_J_REQUIRED, &decision, 16, NULL},
        {"note", SW_J_STR, 0, &note, 2000, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_staff(ctx, "decide rectification reports", err)))
        return rc;
    bool accept = strcmp(decision, "accept") == 0;
    if (!accept && strcmp(decision, "reject") != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "decision",
                       "decision must be 'accept' or 'reject'");
    struct sw_violation_row v = {0};
    if ((rc = sw__violation_load(ctx, id, &v, err)))
        return rc;
    rc = sw__violation_if_version(ctx, &v, &iv, err);
    if (rc == SW_OK && strcmp(v.rectification, "submitted") != 0) {
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "id", "violation '%s' has no report to decide (%s)",
                     id, v.rectification);
    } else if (rc == SW_OK) {
        snprintf(v.rectification, sizeof v.rectification, "%s", accept ? "accepted" : "required");
        json_t *rep = json_object_get(v.doc, "rectification_report");
        json_object_set_new(rep, "decision", json_string(decision));
        json_object_set_new(rep, "decided_at", sw_json_instant_opt(ctx->now));
        if (note)
            json_object_set_new(rep, "note", json_string(note));
        v.updated_at = ctx->now;
        if ((rc = sw_sql_violation_update(ctx->conn, &v, err)) == SW_OK &&
            (rc = sw__penalty_holds(ctx, v.merchant, err)) == SW_OK)
            rc = emit_violation(ctx, &v,
                                accept ? "violation.rectification_accepted"
                                       : "violation.rectification_rejected",
                                NULL, err);
    }
    if (rc == SW_OK)
        *result = sw__violation_render(&v, ctx->policy);
    if (rc == SW_OK)
        rc = sw__violation_put_version(ctx->conn, v.rid, *result, err);
    sw_violation_row_release(&v);
    return rc;
}

/* ---------- reversal (an upheld appeal) ---------- */

int sw__violation_reverse(struct sw_ctx *ctx, struct sw_violation_row *v, const char *why,
                          struct sw_error *err)
{
    int rc;
    if ((rc = sw__ledger_reverse(ctx, v, err)) || (rc = lift_ban(ctx, v, why, err)))
        return rc;
    snprintf(v->status, sizeof v->status, "overturned");
    if (strcmp(v->rectification, "required") == 0 || strcmp(v->rectification, "submitted") == 0)
        snprintf(v->rectification, sizeof v->rectification, "cancelled");
    v->decided_at = ctx->now;
    v->updated_at = ctx->now;
    json_object_set_new(v->doc, "reason", json_string(why)); /* the GET shows why, as the event */
    if ((rc = sw_sql_violation_update(ctx->conn, v, err)) ||
        (rc = sw__ledger_settle(ctx, v->merchant, err)) ||
        (rc = sw__penalty_holds(ctx, v->merchant, err)))
        return rc;
    return emit_violation(ctx, v, "violation.overturned", NULL, err);
}

/* ---------- implicated: review statistics of an spu ---------- */

struct implicate {
    json_t *evidence;
    int64_t created;
};

static int implicate_product(struct sw_ctx *ctx, const char *product, void *arg,
                             struct sw_error *err)
{
    struct implicate *im = arg;
    struct sw_violation_row *rows;
    int n;
    int rc =
        sw_sql_violation_rows_of_product(ctx->conn, product, "implicated", false, &rows, &n, err);
    sw_violation_rows_free(rows, n);
    if (rc || n > 0) /* already implicated and in force */
        return rc;
    struct sw_product_info pi;
    if ((rc = sw_catalog_product_info(ctx, product, &pi, err)))
        return rc;
    json_decref(pi.findings);
    if (pi.status == SW_PRODUCT_BANNED)
        return SW_OK; /* off the platform already */
    struct new_violation nv = {pi.merchant,
                               product,
                               "implicated",
                               "review_stats",
                               false,
                               json_pack("{s:O,s:I,s:I}", "review_stats", im->evidence, "minor",
                                         (json_int_t)1, "severe", (json_int_t)0)};
    im->created++;
    return create(ctx, &nv, NULL, err);
}

static int spu_review_stats(struct sw_ctx *ctx, const json_t *in, json_t **result,
                            struct sw_error *err)
{
    const char *spu = NULL, *event_id = NULL;
    int64_t good = 0, reviews = 0;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &spu, 0, NULL},
        {"good_reviews", SW_J_INT, SW_J_REQUIRED, &good, INT64_C(1000000000000), NULL},
        {"reviews", SW_J_INT, SW_J_REQUIRED, &reviews, INT64_C(1000000000000), NULL},
        {"event_id", SW_J_STR, 0, &event_id, SW_EVENT_ID_MAX, NULL}, /* the fact's key */
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (event_id && !sw_event_id_valid(event_id))
        return sw_fail(err, SW_E_INVALID_VALUE, "event_id", SW_EVENT_ID_RULE);
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "review statistics come from the ingest feed");
    if (good > reviews)
        return sw_fail(err, SW_E_INVALID_VALUE, "good_reviews",
                       "good_reviews cannot exceed reviews");
    const struct sw_penalty_policy *pp = &ctx->policy->penalties;
    int64_t rate_bp = reviews ? good * 10000 / reviews : 10000;
    bool below = reviews >= pp->implicated_min_reviews &&
                 rate_bp < pp->implicated_min_good_rate_bp &&
                 sw_policy_penalty(ctx->policy, "implicated");
    json_t *stats =
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:b}", "spu", spu, "good_reviews", (json_int_t)good,
                  "reviews", (json_int_t)reviews, "good_rate_bp", (json_int_t)rate_bp,
                  "threshold_bp", (json_int_t)pp->implicated_min_good_rate_bp, "min_reviews",
                  (json_int_t)pp->implicated_min_reviews, "below_threshold", below);
    if ((rc = sw_ctx_emit(ctx, "spu.review_stats", NULL, spu, json_incref(stats), err))) {
        json_decref(stats);
        return rc;
    }
    struct implicate im = {stats, 0};
    if (below && (rc = sw_catalog_each_spu_product(ctx, spu, implicate_product, &im, err))) {
        json_decref(stats);
        return rc;
    }
    json_object_set_new(stats, "products_implicated", json_integer(im.created));
    *result = stats;
    return SW_OK;
}

int sw_penalty_register(struct sw_engine *e)
{
    static const struct {
        const char *type;
        sw_cmd_fn fn;
    } cmds[] = {
        {"violation.create", violation_create},
        {"violation.confirm", violation_confirm},
        {"violation.dismiss", violation_dismiss},
        {"violation.rectify", violation_rectify},
        {"violation.rectification_decide", violation_rectification_decide},
        {"spu.review_stats", spu_review_stats},
    };
    int rc;
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if ((rc = sw_engine_register(e, cmds[i].type, cmds[i].fn)))
            return rc;
    if ((rc = sw_engine_set_fact_key(e, "spu.review_stats", "event_id")) ||
        (rc = sw_engine_subscribe(e, "product.scanned", on_scanned)) ||
        (rc = sw_engine_subscribe(e, "product.updated", on_updated)) ||
        (rc = sw__ledger_register(e)) || (rc = sw__appeals_register(e)) ||
        (rc = sw__rescans_register(e)))
        return rc;
    return SW_OK;
}
