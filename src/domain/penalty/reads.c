/* Reads of the penalty module, on read connections. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty_int.h"
#include "store/versions_sql.h"

#define PAGE_MAX 200
#define APPEALS_PER_VIOLATION 16

static bool viewer_sees(const char *viewer, const struct sw_violation_row *v)
{
    const char *own = sw_actor_merchant(viewer);
    if (!own)
        return true;
    return strcmp(own, v->merchant) == 0 &&
           (strcmp(v->status, "in_force") == 0 || strcmp(v->status, "overturned") == 0);
}

static json_t *appeals_of(struct sw_conn *c, int64_t violation, struct sw_error *err)
{
    int64_t rids[APPEALS_PER_VIOLATION];
    int n;
    json_t *arr = json_array();
    if (sw_sql_appeal_rids(c, violation, rids, APPEALS_PER_VIOLATION, &n, err))
        return arr;
    for (int i = 0; i < n; i++) {
        struct sw_appeal_row a = {0};
        bool found;
        if (sw_sql_appeal_get(c, rids[i], &a, &found, err) == SW_OK && found) {
            json_array_append_new(arr, sw__appeal_render(&a));
            sw_appeal_row_release(&a);
        }
    }
    return arr;
}

int sw_penalty_get_violation(struct sw_conn *c, const char *id, const char *viewer,
                             const struct sw_policy *pol, json_t **out, struct sw_error *err)
{
    int64_t rid;
    struct sw_violation_row v = {0};
    bool found = false;
    int rc;
    if (sw_penalty_parse_id(id, 'v', &rid) && (rc = sw_sql_violation_get(c, rid, &v, &found, err)))
        return rc;
    if (found && !viewer_sees(viewer, &v)) {
        sw_violation_row_release(&v);
        found = false;
    }
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown violation '%s'", id);
    *out = sw__violation_render(&v, pol);
    json_object_set_new(json_object_get(*out, "appeals"), "list", appeals_of(c, v.rid, err));
    sw_actor_redact(*out, viewer);
    rc = sw__violation_put_version(c, v.rid, *out, err);
    sw_violation_row_release(&v);
    return rc;
}

/* A page cursor is a violation the listing could show: one of the listed store that the
 * viewer may see. Anything else, another store's or none at all, is the same unknown cursor,
 * so a store cannot learn which ids exist elsewhere. */
static int violation_cursor(struct sw_conn *c, const char *after, const char *merchant,
                            const char *viewer, int64_t *rid, struct sw_error *err)
{
    struct sw_violation_row v = {0};
    bool found = false;
    int rc;
    if (sw_penalty_parse_id(after, 'v', rid) &&
        (rc = sw_sql_violation_get(c, *rid, &v, &found, err)))
        return rc;
    bool ok = found && viewer_sees(viewer, &v) && (!merchant || strcmp(v.merchant, merchant) == 0);
    if (found)
        sw_violation_row_release(&v);
    return ok ? SW_OK : sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
}

int sw_penalty_list_violations(struct sw_conn *c, const struct sw_violation_filter *filter,
                               const char *after, int limit, const char *viewer,
                               const struct sw_policy *pol, json_t **out, struct sw_error *err)
{
    static const char *const statuses[] = {"pending", "dismissed", "in_force", "overturned", NULL};
    struct sw_violation_filter f = *filter;
    if (f.status) {
        int i = 0;
        while (statuses[i] && strcmp(statuses[i], f.status) != 0)
            i++;
        if (!statuses[i])
            return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", f.status);
    }
    if (f.type && !sw_policy_penalty(pol, f.type))
        return sw_fail(err, SW_E_INVALID_VALUE, "type", "unknown violation type '%s'", f.type);
    const char *own = sw_actor_merchant(viewer);
    if (own)
        f.merchant = own;
    int64_t cursor = 0;
    int rc = after ? violation_cursor(c, after, f.merchant, viewer, &cursor, err) : SW_OK;
    if (rc)
        return rc;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    /* limit + 1 kept: the extra one only says that there is another page */
    size_t want = (size_t)limit + 1;
    int chunk = want > PAGE_MAX ? PAGE_MAX : (int)want;
    struct sw_violation_row rows[PAGE_MAX];
    json_t *arr = json_array();
    int n;
    /* A merchant's page skips what it may not see: read on until the page is full. */
    do {
        rc = sw_sql_violation_page(c, &f, cursor, chunk, rows, &n, err);
        if (rc) {
            json_decref(arr);
            return rc;
        }
        for (int i = 0; i < n; i++) {
            cursor = rows[i].rid;
            if (json_array_size(arr) < want && viewer_sees(viewer, &rows[i]))
                json_array_append_new(arr, sw__violation_render(&rows[i], pol));
            sw_violation_row_release(&rows[i]);
        }
    } while (n == chunk && json_array_size(arr) < want);
    sw_actor_redact(arr, viewer);
    *out = json_object();
    sw_page_set(*out, "violations", arr, (size_t)limit, "id");
    return SW_OK;
}

int sw_penalty_get_deposit(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                           json_t **out, struct sw_error *err)
{
    json_t *m = NULL, *entries = NULL;
    struct sw_deposit_account a = {0};
    int64_t version = 0;
    int rc;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    if ((rc = sw_catalog_get_merchant(c, merchant, &m, err)) ||
        (rc = sw_sql_deposit_account(c, merchant, &a, err)) ||
        (rc = sw_sql_deposit_version(c, merchant, &version, err)) ||
        (rc = sw_sql_deposit_entries(c, merchant, after, limit + 1, &entries, err))) {
        json_decref(m);
        return rc;
    }
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        json_t *vr = json_object_get(e, "violation_rid");
        if (vr) {
            char vid[SW_ID_BUF];
            sw__violation_id(json_integer_value(vr), vid);
            json_object_set_new(e, "violation", json_string(vid));
            json_object_del(e, "violation_rid");
        }
        json_object_set_new(e, "at", sw_json_instant(json_integer_value(json_object_get(e, "at"))));
    }
    int64_t required = json_integer_value(json_object_get(m, "deposit_required_fen"));
    *out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:O,s:O,s:I}", "merchant", merchant, "balance_fen",
                     (json_int_t)a.balance_fen, "owed_fen", (json_int_t)a.owed_fen, "required_fen",
                     (json_int_t)required, "shortfall_fen",
                     (json_int_t)(a.balance_fen < required ? required - a.balance_fen : 0),
                     "store_status", json_object_get(m, "status"), "holds",
                     json_object_get(m, "holds"), "entries_total", (json_int_t)a.entries);
    /* the ledger is the paged part: its entries follow the list convention */
    sw_page_set(*out, "entries", entries, (size_t)limit, "seq");
    /* What it shows comes from the store and its account: both versions only grow, so does
     * their sum, the deposit's version. */
    json_object_set_new(*out, "version",
                        json_integer(json_integer_value(json_object_get(m, "version")) + version));
    json_decref(m);
    return SW_OK;
}

int sw_penalty_get_appeal(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                          struct sw_error *err)
{
    int64_t rid;
    struct sw_appeal_row a = {0};
    bool found = false;
    int rc;
    if (sw_penalty_parse_id(id, 'a', &rid) && (rc = sw_sql_appeal_get(c, rid, &a, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(viewer);
    if (found && own && strcmp(own, a.merchant) != 0) {
        sw_appeal_row_release(&a);
        found = false;
    }
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown appeal '%s'", id);
    *out = sw__appeal_render(&a);
    sw_actor_redact(*out, viewer);
    rc = sw__appeal_put_version(c, a.rid, *out, err);
    sw_appeal_row_release(&a);
    return rc;
}

/* Each queued violation with the product's version now and whether its content changed since
 * the scan that found it (a confirm re-checks it then: finding_stale). A ban, a listing or a
 * tag moves the version, not the content: the version the product's last scan read tells. */
static int mark_changed(struct sw_engine *e, struct sw_conn *c, json_t *pending,
                        struct sw_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(pending, i, v)
    {
        int64_t now = 0, scanned = 0;
        const char *product = json_string_value(json_object_get(v, "product"));
        int rc = sw_catalog_product_version(e, c, product ? product : "", &now, &scanned, err);
        if (rc == SW_E_NOT_FOUND)
            continue;
        if (rc)
            return rc;
        json_t *was = json_object_get(v, "product_version");
        json_object_set_new(v, "product_version_now", json_integer(now));
        json_object_set_new(
            v, "product_changed",
            json_boolean(json_is_integer(was) && json_integer_value(was) != scanned));
    }
    return SW_OK;
}

int sw_penalty_queue(struct sw_engine *e, struct sw_conn *c, const struct sw_policy *pol,
                     const char *after, int limit, json_t **out, struct sw_error *err)
{
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    json_t *pending = NULL, *appeals = json_array(), *reports = json_array();
    struct sw_violation_filter f = {.status = "pending", .from_us = INT64_MIN, .to_us = INT64_MAX};
    int rc = sw_penalty_list_violations(c, &f, after, limit, NULL, pol, &pending, err);
    if (rc == SW_OK)
        rc = mark_changed(e, c, json_object_get(pending, "violations"), err);
    int64_t rids[PAGE_MAX];
    int n = 0;
    if (rc == SW_OK)
        rc = sw_sql_appeal_open_rids(c, rids, limit, &n, err);
    for (int i = 0; rc == SW_OK && i < n; i++) {
        struct sw_appeal_row a = {0};
        bool found;
        if ((rc = sw_sql_appeal_get(c, rids[i], &a, &found, err)) == SW_OK && found) {
            json_array_append_new(appeals, sw__appeal_render(&a));
            sw_appeal_row_release(&a);
        }
    }
    struct sw_violation_row *rows = calloc((size_t)limit, sizeof *rows);
    if (rc == SW_OK && !rows)
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    n = 0;
    if (rc == SW_OK && (rc = sw_sql_violation_reports(c, limit, rows, &n, err)) == SW_OK)
        for (int i = 0; i < n; i++)
            json_array_append_new(reports, sw__violation_render(&rows[i], pol));
    for (int i = 0; i < n; i++)
        sw_violation_row_release(&rows[i]);
    free(rows);
    if (rc) {
        json_decref(pending);
        json_decref(appeals);
        json_decref(reports);
        return rc;
    }
    /* The queue proper, the pending violations, is the paged part: its cursor and has_more
     * are the answer's. */
    json_t *pv = json_incref(json_object_get(pending, "violations"));
    size_t overdue = 0, i;
    json_t *a;
    json_array_foreach(appeals, i, a) overdue += json_is_true(json_object_get(a, "overdue"));
    *out = json_pack("{s:o,s:o,s:o,s:I,s:O,s:O}", "pending_violations", pv, "open_appeals", appeals,
                     "rectification_reports", reports, "overdue_appeals", (json_int_t)overdue,
                     "next_after", json_object_get(pending, "next_after"), "has_more",
                     json_object_get(pending, "has_more"));
    json_decref(pending);
    return SW_OK;
}

int sw_penalty_queue_counts(struct sw_conn *c, int64_t *pending, int64_t *open, int64_t *overdue,
                            struct sw_error *err)
{
    return sw_sql_queue_counts(c, pending, open, overdue, err);
}

int sw__violation_put_version(struct sw_conn *c, int64_t rid, json_t *out, struct sw_error *err)
{
    int64_t v = 0;
    int rc = sw_sql_violation_version(c, rid, &v, err);
    if (rc == SW_OK && out)
        json_object_set_new(out, "version", json_integer(v));
    return rc;
}

int sw__appeal_put_version(struct sw_conn *c, int64_t rid, json_t *out, struct sw_error *err)
{
    int64_t v = 0;
    int rc = sw_sql_appeal_version(c, rid, &v, err);
    if (rc == SW_OK && out)
        json_object_set_new(out, "version", json_integer(v));
    return rc;
}

int sw__violation_if_version(struct sw_ctx *ctx, const struct sw_violation_row *v,
                             const struct sw_if_version *iv, struct sw_error *err)
{
    int64_t have = 0;
    char id[SW_ID_BUF];
    if (!iv->given)
        return SW_OK;
    int rc = sw_sql_violation_version(ctx->conn, v->rid, &have, err);
    sw__violation_id(v->rid, id);
    return rc ? rc : sw_if_version(iv, have, "violation", id, err);
}

int sw__appeal_if_version(struct sw_ctx *ctx, const struct sw_appeal_row *a,
                          const struct sw_if_version *iv, struct sw_error *err)
{
    int64_t have = 0;
    char id[SW_ID_BUF];
    if (!iv->given)
        return SW_OK;
    int rc = sw_sql_appeal_version(ctx->conn, a->rid, &have, err);
    sw__appeal_id(a->rid, id);
    return rc ? rc : sw_if_version(iv, have, "appeal", id, err);
}

bool sw_penalty_store_sees_event(const char *type, const json_t *payload)
{
    if (strncmp(type, "violation.", 10) != 0)
        return true;
    const char *status = json_string_value(json_object_get(payload, "status"));
    return status && (strcmp(status, "in_force") == 0 || strcmp(status, "overturned") == 0);
}
