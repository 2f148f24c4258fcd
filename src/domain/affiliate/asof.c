/* Point-in-time reads of affiliate orders (docs/point-in-time.md). An order is a fold of its
 * feed events: the view is folded again from those that had arrived by the instant; its
 * affiliate.order_changed events (status after statements, version) say what the live view
 * said then; flags raised later are left out and decisions taken later undone. */
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
        if (strcmp(json_string_value(json_object_get(changed, "status")), "settled") == 0)
            json_object_set(*out, "statement", json_object_get(live, "statement"));
        json_object_set_new(*out, "flags", flags_at(json_object_get(live, "flags"), at_us));
    }
    json_decref(changed);
    json_decref(live);
    return rc;
}
