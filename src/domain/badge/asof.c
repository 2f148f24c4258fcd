/* Point-in-time reads of a store's badge (docs/point-in-time.md): its state folded from the
 * store's badge events, and each of its products as its own events had made it then. */
#include <string.h>

#include "base/json.h"
#include "domain/badge/badge_int.h"
#include "domain/catalog/catalog.h"
#include "engine/asof.h"

#define PRODUCTS_SHOWN 500

/* Whether ev ends the system's activation timer: an activation (by the store, or by the timer
 * itself), a closing, or the timer's check that skipped (the live badge clears auto_at on
 * each, store.c). */
static bool ends_timer(const struct sw_asof_event *ev)
{
    if (strcmp(ev->type, "badge.activated") == 0 ||
        strcmp(ev->type, "badge.auto_activation_skipped") == 0)
        return true;
    const char *to = json_string_value(json_object_get(ev->payload, "to"));
    return strcmp(ev->type, "badge.state_changed") == 0 && to && strcmp(to, "closed") == 0;
}

static void reminder_step(json_t *b, const struct sw_asof_event *ev)
{
    json_t *r = json_object_get(b, "reminder");
    if (ends_timer(ev)) {
        if (json_is_object(r))
            json_object_set_new(r, "auto_activation_at", json_null());
    } else if (strcmp(ev->type, "badge.reminder_sent") == 0) {
        /* an earlier dismissal's check still to come stays with the new reminder */
        json_t *pending = json_is_object(r) ? json_object_get(r, "auto_activation_at") : NULL;
        json_object_set_new(b, "reminder",
                            json_pack("{s:O,s:n,s:O}", "sent_at",
                                      json_object_get(ev->payload, "at"), "dismissed_at",
                                      "auto_activation_at", pending ? pending : json_null()));
    } else if (strcmp(ev->type, "badge.reminder_dismissed") == 0 && json_is_object(r)) {
        sw_asof_set_instant(r, "dismissed_at", ev->at);
        json_object_set(r, "auto_activation_at",
                        json_object_get(ev->payload, "auto_activation_at"));
    }
}

/* What the store misses and why, from any badge event that says it: badge.state_changed,
 * badge.services_changed and badge.reasons_changed (a services_changed logged before it carried
 * them keeps the last ones), badge.auto_activation_skipped. */
static void outcome_step(json_t *b, const json_t *pl)
{
    json_t *missing = json_object_get(pl, "missing"), *reasons = json_object_get(pl, "reasons");
    if (json_is_array(missing) && json_is_array(reasons)) {
        json_object_set(b, "missing", missing);
        json_object_set(b, "reasons", reasons);
    }
}

/* The badge view without its products; "version" counts the badge's events. */
static void badge_step(json_t **state, const struct sw_asof_event *ev)
{
    const json_t *pl = ev->payload;
    if (!*state)
        *state = json_pack("{s:s,s:n,s:n,s:[],s:[],s:[],s:n,s:I}", "state", "ineligible",
                           "activated_by", "since", "services", "missing", "reasons", "reminder",
                           "version", (json_int_t)0);
    json_t *b = *state;
    if (strcmp(ev->type, "badge.services_changed") == 0)
        json_object_set(b, "services", json_object_get(pl, "services"));
    if (strcmp(ev->type, "badge.state_changed") == 0) {
        json_object_set(b, "state", json_object_get(pl, "to"));
        json_object_set(b, "activated_by", json_object_get(pl, "activated_by"));
        sw_asof_set_instant(b, "since", ev->at);
    }
    outcome_step(b, pl);
    reminder_step(b, ev);
    json_int_t n = json_integer_value(json_object_get(b, "version"));
    json_object_set_new(b, "version", json_integer(n + 1));
}

static const struct sw_asof_kind badge_kind = {6, "badge.", badge_step};

/* Each product the store has now, as it was at at_us (those made later are left out). */
static int products_at(struct sw_engine *e, struct sw_conn *c, const char *merchant, int64_t at_us,
                       json_t **out, bool *more, struct sw_error *err)
{
    const struct sw_policy *pol = sw_engine_policy(e);
    json_t *page = NULL;
    *out = json_array();
    *more = false;
    char after[72] = "";
    int rc = SW_OK;
    size_t n = 200;
    while (rc == SW_OK && n == 200 && !*more) {
        if ((rc = sw_catalog_list_products(e, c, merchant, NULL, NULL, after[0] ? after : NULL, 200,
                                           &page, err)))
            break;
        size_t i;
        json_t *p;
        json_array_foreach(page, i, p)
        {
            const char *id = json_string_value(json_object_get(p, "id"));
            snprintf(after, sizeof after, "%s", id);
            json_t *then = NULL;
            if (sw_catalog_product_at(e, c, id, at_us, &then, err) != SW_OK)
                continue; /* made after at_us */
            if (json_array_size(*out) == PRODUCTS_SHOWN)
                *more = true;
            else
                json_array_append_new(*out, sw__badge_product_entry(pol, then));
            json_decref(then);
        }
        n = json_array_size(page);
        json_decref(page);
    }
    sw_error_clear(err);
    return rc;
}

int sw_badge_get_at(struct sw_engine *e, struct sw_conn *c, const char *merchant, int64_t at_us,
                    json_t **out, struct sw_error *err)
{
    json_t *store = NULL, *b = NULL, *prods = NULL;
    int64_t last = 0;
    bool more = false;
    int rc = sw_catalog_merchant_at(e, c, merchant, at_us, &store, err);
    if (rc == SW_OK &&
        (rc = sw_asof_fold(e, c, &badge_kind, merchant, at_us, &b, &last, err)) == SW_OK && !b) {
        struct sw_badge_row d = {0};
        sw__badge_default_row(sw_engine_policy(e), store, &d);
        b = json_pack("{s:s,s:n,s:n,s:O,s:O,s:O,s:n,s:I}", "state", d.state, "activated_by",
                      "since", "services", d.services, "missing", d.missing, "reasons", d.reasons,
                      "reminder", "version", (json_int_t)0);
        sw_badge_row_release(&d);
    }
    if (rc == SW_OK && (rc = products_at(e, c, merchant, at_us, &prods, &more, err)) == SW_OK) {
        json_object_set_new(b, "merchant", json_string(merchant));
        json_object_set_new(b, "products", prods);
        json_object_set_new(b, "products_truncated", json_boolean(more));
        json_object_set_new(b, "policy_version", json_string(sw_engine_policy(e)->version));
        *out = b;
        b = NULL;
    }
    json_decref(store);
    json_decref(b);
    return rc;
}
