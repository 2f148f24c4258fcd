/* Point-in-time reads of affiliate orders (docs/point-in-time.md). An order is a fold of its
 * feed events: the view is folded again from those that had arrived by the instant; its
 * affiliate.order_changed events (status after statements, version) say what the live view
 * said then; flags raised later are left out and decisions taken later undone; the statement
 * that settled it and the corrections issued show from the instant their statement was issued. */
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"
#include "engine/asof.h"

static void changed_step(json_t **state, const struct sw_asof_event *ev)
{
    sw_asof_replace(state, ev->payload);
}

static const struct sw_asof_kind order_kind = {7, "affiliate.order_changed", changed_step};

/* The live view's flags as they were at at_us. */
static json_t *flags_at(const json_t *flags, int64_t at_us)
{
    json_t *out = json_array(), *f;
    size_t i;
    json_array_foreach(flags, i, f)
    {
        sw_instant t = 0, d = 0;
        struct sw_error ignored;
        const char *at = json_string_value(json_object_get(f, "at"));
        const char *dec = json_string_value(json_object_get(f, "decided_at"));
        if (at && sw_instant_parse(at, strlen(at), &t, &ignored) == SW_OK && t > at_us)
            continue;
        json_t *copy = json_deep_copy(f);
        if (dec && sw_instant_parse(dec, strlen(dec), &d, &ignored) == SW_OK && d > at_us) {
            json_object_set_new(copy, "state", json_string("open"));
            json_object_set_new(copy, "decided_at", json_null());
            json_object_set_new(copy, "decided_by", json_null());
            json_object_set_new(copy, "note", json_null());
        }
        json_array_append_new(out, copy);
    }
    return out;
}

/* When statement `id` was issued (µs); 0 when unknown. */
static int64_t issued_at(struct sw_conn *c, const char *id)
{
    json_t *rows = NULL;
    struct sw_error ignored;
    int64_t at = 0;
    if (id && sw_sql_aff_statements(c, id, NULL, NULL, NULL, 1, &rows, &ignored) == SW_OK)
        at = json_integer_value(json_object_get(json_array_get(rows, 0), "issued_at"));
    json_decref(rows);
    return at;
}

/* What statements had done to the order by at_us: settled by one (its statement, and settled
 * while it was confirmed), the corrections issued by then (a pending one is not folded). */
static void statements_at(struct sw_conn *c, json_t *out, const json_t *live, int64_t at_us)
{
    const char *st = json_string_value(json_object_get(live, "statement"));
    int64_t when = issued_at(c, st);
    bool settled = st && when && when <= at_us;
    const char *status = json_string_value(json_object_get(out, "status"));
    json_object_set_new(out, "statement", settled ? json_string(st) : json_null());
    if (settled && status && strcmp(status, "receipt_confirmed") == 0) {
        json_object_set_new(out, "status", json_string("settled"));
        json_object_set_new(out, "status_code", json_integer(3));
        /* settling wrote the view once more without an event of its own */
        json_object_set_new(out, "version",
                            json_integer(json_integer_value(json_object_get(out, "version")) + 1));
    }
    json_t *corrections = json_array(), *x;
    size_t i;
    json_array_foreach(json_object_get(live, "corrections"), i, x)
    {
        const char *by = json_string_value(json_object_get(x, "statement"));
        int64_t t = issued_at(c, by);
        if (by && t && t <= at_us)
            json_array_append(corrections, x);
    }
    json_object_set_new(out, "corrections", corrections);
}

int sw_affiliate_order_get_at(struct sw_engine *e, struct sw_conn *c, const char *id,
                              const char *viewer, int64_t at_us, json_t **out, struct sw_error *err)
{
    json_t *changed = NULL, *live = NULL;
    int64_t last = 0;
    int rc = sw_affiliate_order_get(c, id, viewer, &live, err);
    if (rc == SW_OK &&
        (rc = sw_asof_fold(e, c, &order_kind, id, at_us, &changed, &last, err)) == SW_OK && changed)
        rc = sw__aff_view_at(c, id, at_us, out, err);
    if (rc == SW_OK && (!changed || !*out)) {
        json_decref(*out);
        *out = NULL;
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown affiliate order '%s'", id);
    }
    if (rc == SW_OK) {
        static const char *const keys[] = {"status", "status_code", "reason",
                                           "settlement_commission_fen", "version"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            json_object_set(*out, keys[i], json_object_get(changed, keys[i]));
        statements_at(c, *out, live, at_us);
        json_object_set_new(*out, "flags", flags_at(json_object_get(live, "flags"), at_us));
    }
    json_decref(changed);
    json_decref(live);
    return rc;
}
