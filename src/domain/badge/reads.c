/* Reads of the badge module: a store's badge with what it lacks and each product's tag, and
 * its notifications. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/badge/badge_int.h"
#include "domain/catalog/catalog.h"

#define PRODUCTS_SHOWN 500
#define PAGE_MAX 200

/* A store that never set services: ineligible, lacking everything its categories need. */
void sw__badge_default_row(const struct sw_policy *pol, const json_t *store, struct sw_badge_row *b)
{
    int status = SW_MERCHANT_ACTIVE;
    enum sw_merchant_status ms;
    if (sw_merchant_status_parse(json_string_value(json_object_get(store, "status")), &ms) == SW_OK)
        status = (int)ms;
    snprintf(b->state, sizeof b->state, "%s", sw_badge_state_name(SW_BADGE_INELIGIBLE));
    b->services = json_array();
    sw__badge_evaluate(pol, b->services, json_object_get(store, "categories"), status, &b->missing,
                       &b->reasons);
    b->since = 0;
}

json_t *sw__badge_product_entry(const struct sw_policy *pol, const json_t *p)
{
    json_t *need = sw_policy_badge_services(pol, json_string_value(json_object_get(p, "category")));
    json_t *as = json_object_get(p, "after_sales");
    json_t *lack = sw__badge_lacking(json_is_array(as) ? as : NULL, need);
    json_decref(need);
    bool tagged = false;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(p, "tags"), i, t)
    {
        tagged = tagged || strcmp(json_string_value(t), "assurance") == 0;
    }
    return json_pack("{s:O,s:O,s:b,s:o}", "product", json_object_get(p, "id"), "status",
                     json_object_get(p, "status"), "tagged", tagged, "missing", lack);
}

/* Every product of the store (the first PRODUCTS_SHOWN), tagged or what it lacks. */
static int products(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                    const struct sw_policy *pol, json_t **out, bool *more, struct sw_error *err)
{
    *out = json_array();
    *more = false;
    char after[72] = "";
    for (;;) {
        json_t *page = NULL;
        int rc = sw_catalog_list_products(e, c, merchant, NULL, NULL, after[0] ? after : NULL, 200,
                                          &page, err);
        if (rc)
            return rc;
        size_t i;
        json_t *p;
        json_array_foreach(page, i, p)
        {
            if (json_array_size(*out) == PRODUCTS_SHOWN) {
                *more = true;
                break;
            }
            json_array_append_new(*out, sw__badge_product_entry(pol, p));
            snprintf(after, sizeof after, "%s", json_string_value(json_object_get(p, "id")));
        }
        size_t n = json_array_size(page);
        json_decref(page);
        if (n < 200 || *more)
            return SW_OK;
    }
}

static json_t *reminder_view(const struct sw_badge_row *b)
{
    if (!b->reminder_sent_at)
        return json_null();
    return json_pack("{s:o,s:o,s:o}", "sent_at", sw_json_instant(b->reminder_sent_at),
                     "dismissed_at", sw_json_instant_opt(b->reminder_dismissed_at),
                     "auto_activation_at", sw_json_instant_opt(b->auto_at));
}

int sw_badge_get(struct sw_engine *e, struct sw_conn *c, const char *merchant, json_t **out,
                 struct sw_error *err)
{
    json_t *store = NULL;
    int rc = sw_catalog_get_merchant(c, merchant, &store, err);
    if (rc)
        return rc;
    const struct sw_policy *pol = sw_engine_policy(e);
    struct sw_badge_row b = {0};
    bool stored = false;
    if ((rc = sw_sql_badge_get(c, merchant, &b, &stored, err)) == SW_OK && !stored)
        sw__badge_default_row(pol, store, &b);
    json_decref(store);
    json_t *prods = NULL;
    bool more = false;
    if (rc == SW_OK && (rc = products(e, c, merchant, pol, &prods, &more, err)) == SW_OK)
        *out = json_pack("{s:s,s:s,s:o,s:o,s:O,s:O,s:O,s:o,s:o,s:b,s:I,s:o}", "merchant", merchant,
                         "state", b.state, "activated_by",
                         b.activated_by[0] ? json_string(b.activated_by) : json_null(), "since",
                         sw_json_instant_opt(b.since), "services", b.services, "missing", b.missing,
                         "reasons", b.reasons, "reminder", reminder_view(&b), "products", prods,
                         "products_truncated", more, "version", (json_int_t)b.version,
                         "policy_version", json_string(pol->version));
    else
        json_decref(prods);
    sw_badge_row_release(&b);
    return rc;
}

int sw_badge_notifications(struct sw_conn *c, const char *merchant, const char *after, int limit,
                           json_t **out, struct sw_error *err)
{
    int64_t cursor = 0;
    if (after && !sw_id_parse_numbered(after, 'n', &cursor))
        return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    limit = limit > PAGE_MAX ? PAGE_MAX : limit;
    struct sw_notification_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_notification_page(c, merchant, cursor, limit + 1, rows, &n, err);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "n%lld", (long long)rows[i].rid);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:s,s:o}", "id", id, "type",
                                             rows[i].type, "at", sw_json_instant(rows[i].at),
                                             "message", rows[i].message, "dismissed_at",
                                             sw_json_instant_opt(rows[i].dismissed_at)));
        sw_notification_row_release(&rows[i]);
    }
    free(rows);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_object();
    sw_page_set(*out, "notifications", arr, (size_t)limit, "id");
    return SW_OK;
}
