/* The listing shape of `shopwarden scan` and POST /v1/scan (../shared/data/scan-dev.jsonl). */
#include <string.h>

#include "scan/scan.h"

static int text_of(const json_t *in, const char *key, const char **s, size_t *n,
                   struct sw_error *err)
{
    const json_t *v = json_object_get(in, key);
    *s = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return SW_OK;
    if (!json_is_string(v))
        return sw_fail(err, SW_E_WRONG_TYPE, key, "%s must be a string", key);
    *s = json_string_value(v);
    *n = json_string_length(v);
    return SW_OK;
}

static int fen_of(const json_t *in, const char *key, bool *has, int64_t *out, struct sw_error *err)
{
    const json_t *v = json_object_get(in, key);
    *has = false;
    *out = 0;
    if (!v || json_is_null(v))
        return SW_OK;
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return sw_fail(err, SW_E_WRONG_TYPE, key, "%s must be a non-negative integer (fen)", key);
    *has = true;
    *out = json_integer_value(v);
    return SW_OK;
}

static bool present(const json_t *in, const char *key)
{
    const json_t *v = json_object_get(in, key);
    return json_is_string(v) && json_string_length(v) > 0;
}

int sw_listing_from_json(const json_t *in, struct sw_listing *l, struct sw_error *err)
{
    memset(l, 0, sizeof *l);
    if (!json_is_object(in))
        return sw_fail(err, SW_E_WRONG_TYPE, NULL, "a listing must be a JSON object");
    int rc;
    size_t n;
    const char *cat;
    if ((rc = text_of(in, "category", &cat, &n, err)))
        return rc;
    l->category = cat;
    for (int f = 0; f < SW_SF__COUNT; f++)
        if ((rc = text_of(in, sw_scan_field_names[f], &l->text[f], &l->len[f], err)))
            return rc;
    if ((rc = text_of(in, "brand", &l->brand, &n, err)))
        return rc;
    bool has_freight;
    if ((rc = fen_of(in, "price", &l->has_price, &l->price_fen, err)) ||
        (rc = fen_of(in, "freight", &has_freight, &l->freight_fen, err)))
        return rc;
    const json_t *as = json_object_get(in, "after_sales");
    if (as && !json_is_null(as)) {
        if (!json_is_array(as))
            return sw_fail(err, SW_E_WRONG_TYPE, "after_sales",
                           "after_sales must be an array of service codes");
        size_t i;
        const json_t *v;
        json_array_foreach(as, i, v) if (!json_is_string(v)) return sw_fail(
            err, SW_E_WRONG_TYPE, "after_sales", "after_sales[%zu] must be a string", i);
        l->after_sales = as;
    }
    static const char *const three[] = {"production_date", "quality_cert", "manufacturer"};
    for (int i = 0; i < 3; i++) {
        const json_t *v = json_object_get(in, three[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            return sw_fail(err, SW_E_WRONG_TYPE, three[i], "%s must be a string", three[i]);
    }
    l->has_production_date = present(in, "production_date");
    l->has_quality_cert = present(in, "quality_cert");
    l->has_manufacturer = present(in, "manufacturer");
    return SW_OK;
}
