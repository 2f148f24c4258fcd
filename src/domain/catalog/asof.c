/* Point-in-time reads of merchants and products (docs/point-in-time.md): each object folded
 * from its own events. The created event holds the whole object as the live GET shows it; each
 * later event changes the fields it names. */
#include <string.h>

#include "base/json.h"
#include "base/money.h"
#include "domain/catalog/catalog_int.h"
#include "engine/asof.h"

static void set_money(json_t *o, const char *key, json_int_t fen)
{
    char buf[24];
    json_object_set_new(o, key, json_string(sw_money_format(fen, buf)));
}

/* The fields every later event of an object sets: its version and when it changed. */
static void touched(json_t *o, const struct sw_asof_event *ev)
{
    json_t *v = json_object_get(ev->payload, "version");
    if (json_is_integer(v))
        json_object_set(o, "version", v);
    sw_asof_set_instant(o, "updated_at", ev->at);
}

static void product_updated(json_t *p, const json_t *pl)
{
    const char *k;
    json_t *v;
    bool rescanned = false;
    json_object_foreach((json_t *)json_object_get(pl, "after"), k, v)
    {
        if (json_is_null(v)) /* a field the edit removed: the live view leaves it out */
            json_object_del(p, k);
        else
            json_object_set(p, k, v);
        if (strcmp(k, "price_fen") == 0)
            set_money(p, "price", json_integer_value(v));
        else if (strcmp(k, "stock") != 0)
            rescanned = true;
    }
    json_t *scan = json_object_get(p, "scan");
    if (rescanned && json_is_object(scan)) { /* the edit was scanned again; findings follow */
        json_object_set(scan, "product_version", json_object_get(pl, "version"));
        json_object_set_new(scan, "findings", json_array());
        json_object_set_new(scan, "blocking", json_array());
    }
}

/* A scan after an edit or a listing carries the version that change set; a rescan whose
 * findings changed is a change of its own (version + 1, updated_at), as the live product. A
 * rescan that found what the last scan had left the product alone (the same version): its
 * event only told the penalty module, and the view keeps the scan it had. */
static void product_scanned(json_t *p, const struct sw_asof_event *ev)
{
    const json_t *pl = ev->payload;
    json_t *v = json_object_get(pl, "version");
    bool moved = !json_equal(v, json_object_get(p, "version"));
    const char *trigger = json_string_value(json_object_get(pl, "trigger"));
    if (!moved && trigger && strcmp(trigger, "rescan") == 0)
        return;
    json_t *scan =
        json_pack("{s:O,s:O,s:O,s:[]}", "policy_version", json_object_get(pl, "policy_version"),
                  "product_version", v, "findings", json_object_get(pl, "findings"), "blocking");
    json_object_set_new(p, "scan", scan);
    if (moved)
        touched(p, ev);
}

static void product_step(json_t **state, const struct sw_asof_event *ev)
{
    const json_t *pl = ev->payload;
    if (strcmp(ev->type, "product.created") == 0) {
        sw_asof_replace(state, pl);
        return;
    }
    json_t *p = *state;
    if (!p)
        return;
    if (strcmp(ev->type, "product.updated") == 0) {
        product_updated(p, pl);
    } else if (strcmp(ev->type, "product.scanned") == 0) {
        product_scanned(p, ev);
        return;
    } else if (json_object_get(pl, "tags")) {
        json_object_set(p, "tags", json_object_get(pl, "tags"));
    } else if (json_is_string(json_object_get(pl, "to"))) {
        json_object_set(p, "status", json_object_get(pl, "to"));
    }
    touched(p, ev);
}

static const struct sw_asof_kind product_kind = {0, "product.", product_step};

static void merchant_step(json_t **state, const struct sw_asof_event *ev)
{
    const json_t *pl = ev->payload;
    if (strcmp(ev->type, "merchant.created") == 0) {
        sw_asof_replace(state, pl);
        return;
    }
    json_t *m = *state;
    if (!m)
        return;
    if (strcmp(ev->type, "merchant.updated") == 0) {
        if (json_is_string(json_object_get(pl, "name")))
            json_object_set(m, "name", json_object_get(pl, "name"));
        json_object_set(m, "categories", json_object_get(pl, "categories"));
        json_t *dep = json_object_get(pl, "deposit_required_fen");
        json_object_set(m, "deposit_required_fen", dep);
        set_money(m, "deposit_required", json_integer_value(dep));
    } else if (strcmp(ev->type, "merchant.status_changed") == 0 ||
               strcmp(ev->type, "merchant.holds_changed") == 0) {
        json_object_set(m, "status", json_object_get(pl, "to"));
        json_object_set(m, "holds", json_object_get(pl, "holds"));
    } else {
        return;
    }
    touched(m, ev);
}

static const struct sw_asof_kind merchant_kind = {1, "merchant.", merchant_step};

int sw_catalog_merchant_at(struct sw_engine *e, struct sw_conn *c, const char *id, int64_t at_us,
                           json_t **out, struct sw_error *err)
{
    int64_t last = 0;
    int rc = sw_asof_fold(e, c, &merchant_kind, id, at_us, out, &last, err);
    if (rc == SW_OK && !*out)
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown merchant '%s'", id);
    return rc;
}

int sw_catalog_product_at(struct sw_engine *e, struct sw_conn *c, const char *id, int64_t at_us,
                          json_t **out, struct sw_error *err)
{
    int64_t last = 0;
    int rc = sw_asof_fold(e, c, &product_kind, id, at_us, out, &last, err);
    if (rc == SW_OK && !*out)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown product '%s'", id);
    json_t *scan = rc == SW_OK ? json_object_get(*out, "scan") : NULL;
    if (json_is_object(scan)) /* what blocks a listing: the policy in force decides */
        json_object_set_new(
            scan, "blocking",
            sw__catalog_blocking_types(sw_engine_policy(e), json_object_get(scan, "findings")));
    return rc;
}
