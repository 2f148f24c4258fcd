/* Quick promotion: how an order is shown, and the reads (on read connections). */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/promotion/promotion_int.h"

#define PAGE_MAX 200

static json_t *obj_or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

/* While abnormal, the end keeps moving out: shown as it would be if the order resumed now. */
static int64_t ends_at(const struct sw_promotion_row *p, sw_instant now)
{
    if (!p->ends_at)
        return 0;
    if (p->abnormal_since && now > p->abnormal_since)
        return p->ends_at + (now - p->abnormal_since);
    return p->ends_at;
}

/* The figure is provisional while impressions may still count: until stats_delay after
 * completion. An order that never ran has no figure to wait for. */
static bool provisional(const struct sw_promotion_row *p, sw_instant now)
{
    if (strcmp(p->status, "running") == 0 || strcmp(p->status, "abnormal") == 0)
        return true;
    if (strcmp(p->status, "completed") == 0)
        return !p->finalized && now < p->final_at;
    return false;
}

json_t *sw__promo_render(const struct sw_promotion_row *p, json_t *history, sw_instant now)
{
    char id[SW_PROMO_ID_BUF];
    sw__promo_id(p->rid, id);
    json_t *o = json_pack(
        "{s:s,s:s,s:s,s:s,s:O,s:I,s:I,s:I,s:I,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "id", id,
        "merchant", p->merchant, "product", p->product, "status", p->status, "reasons", p->reasons,
        "price_fen", (json_int_t)p->price_fen, "estimated_exposure",
        (json_int_t)p->estimated_exposure, "duration_hours", (json_int_t)p->duration_hours,
        "actual_exposure", (json_int_t)p->actual_exposure, "provisional", provisional(p, now),
        "created_at", sw_json_instant(p->created_at), "started_at",
        sw_json_instant_opt(p->started_at), "ends_at", sw_json_instant_opt(ends_at(p, now)),
        "abnormal_since", sw_json_instant_opt(p->abnormal_since), "completed_at",
        sw_json_instant_opt(p->completed_at), "completion",
        p->completion[0] ? json_string(p->completion) : json_null(), "final_at",
        sw_json_instant_opt(p->final_at), "refund", obj_or_null(p->refund), "version",
        (json_int_t)p->version);
    json_object_set_new(o, "created_by", obj_or_null(p->created_by));
    if (history)
        json_object_set_new(o, "history", history);
    return o;
}

static int load_visible(struct sw_conn *c, const char *id, const char *viewer,
                        struct sw_promotion_row *p, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw_promotion_parse_id(id, &rid) && (rc = sw_sql_promotion_get(c, rid, p, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(viewer);
    if (found && own && strcmp(own, p->merchant) != 0) {
        sw_promotion_row_release(p);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown promotion '%s'", id);
}

int sw_promotion_get(struct sw_conn *c, const char *id, const char *viewer, sw_instant now,
                     json_t **out, struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    int rc = load_visible(c, id, viewer, &p, err);
    if (rc)
        return rc;
    json_t *history = NULL;
    if ((rc = sw_sql_promotion_history_json(c, p.rid, &history, err)) == SW_OK) {
        *out = sw__promo_render(&p, history, now);
        sw_actor_redact(*out, viewer);
    }
    sw_promotion_row_release(&p);
    return rc;
}

/* A cursor is an order of the listed store (any order when no store is given). */
static int cursor_of(struct sw_conn *c, const char *after, const char *merchant, int64_t *rid,
                     struct sw_error *err)
{
    struct sw_promotion_row p = {0};
    bool found = false;
    int rc;
    if (sw_promotion_parse_id(after, rid) && (rc = sw_sql_promotion_get(c, *rid, &p, &found, err)))
        return rc;
    bool ok = found && (!merchant || strcmp(p.merchant, merchant) == 0);
    if (found)
        sw_promotion_row_release(&p);
    return ok ? SW_OK : sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
}

int sw_promotion_list(struct sw_conn *c, const char *merchant, const char *status,
                      const char *after, int limit, const char *viewer, sw_instant now,
                      json_t **out, struct sw_error *err)
{
    enum sw_promo_status s;
    if (status && sw_promo_status_parse(status, &s) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", status);
    int64_t cursor = 0;
    int rc = after ? cursor_of(c, after, merchant, &cursor, err) : SW_OK;
    if (rc)
        return rc;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    struct sw_promotion_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    rc = sw_sql_promotion_page(c, merchant, status, cursor, limit + 1, rows, &n, err);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *history = NULL;
        if (rc == SW_OK)
            rc = sw_sql_promotion_history_json(c, rows[i].rid, &history, err);
        if (rc == SW_OK)
            json_array_append_new(items, sw__promo_render(&rows[i], history, now));
        sw_promotion_row_release(&rows[i]);
    }
    free(rows);
    if (rc) {
        json_decref(items);
        return rc;
    }
    sw_actor_redact(items, viewer);
    *out = json_object();
    sw_page_set(*out, "promotions", items, (size_t)limit, "id");
    return SW_OK;
}
