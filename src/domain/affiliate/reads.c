/* Reads of the affiliate module: an order's view, lists, the held events. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

#define PAGE_MAX 200

void sw__aff_instant_key(json_t *row, const char *from, const char *to)
{
    json_t *v = json_object_get(row, from);
    json_object_set_new(row, to, v ? sw_json_instant(json_integer_value(v)) : json_null());
    json_object_del(row, from);
}

static json_t *view_of(const struct sw_aff_order_row *o)
{
    json_t *v = json_deep_copy(o->doc);
    json_object_set_new(v, "version", json_integer(o->version));
    return v;
}

int sw_affiliate_order_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                           struct sw_error *err)
{
    struct sw_aff_order_row o = {0};
    bool found = false;
    int rc = sw_sql_aff_order_get(c, id, &o, &found, err);
    if (rc)
        return rc;
    const char *own = viewer && strncmp(viewer, "promoter:", 9) == 0 ? viewer + 9 : NULL;
    if (found && own && strcmp(own, o.promoter) != 0)
        found = false;
    if (found)
        *out = view_of(&o);
    sw_aff_order_row_release(&o);
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown affiliate order '%s'", id);
}

int sw_affiliate_order_list(struct sw_conn *c, const char *promoter, const char *status,
                            const char *after, int limit, json_t **out, struct sw_error *err)
{
    static const char *const statuses[] = {"created", "paid",    "receipt_confirmed",
                                           "settled", "invalid", NULL};
    int k = 0;
    while (status && statuses[k] && strcmp(statuses[k], status) != 0)
        k++;
    if (status && !statuses[k])
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", status);
    limit = limit > PAGE_MAX ? PAGE_MAX : limit;
    struct sw_aff_order_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_aff_order_page(c, promoter, status, after, limit + 1, rows, &n, err);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, view_of(&rows[i]));
        sw_aff_order_row_release(&rows[i]);
    }
    free(rows);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = json_object();
    sw_page_set(*out, "orders", arr, (size_t)limit, "id");
    return SW_OK;
}

int sw_affiliate_held(struct sw_conn *c, const char *after, int limit, json_t **out,
                      struct sw_error *err)
{
    limit = limit > PAGE_MAX ? PAGE_MAX : limit;
    json_t *rows = NULL;
    int rc = sw_sql_aff_held_page(c, after, limit + 1, &rows, err);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        sw__aff_instant_key(r, "at_us", "at");
    }
    *out = json_object();
    sw_page_set(*out, "held", rows, (size_t)limit, "event_id");
    return SW_OK;
}
