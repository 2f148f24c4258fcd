/* The listing shape of `shopwarden scan` and POST /v1/scan: the product API's fields (docs/
 * scan.md "Input"), so that a dry run and a real create read a listing alike. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "scan/scan.h"

/* The product API's fields: the scanner reads the first group, accepts and ignores the rest
 * (images are the caller's). Anything else is unknown_field, as the product API answers. */
static const char *const KNOWN[] = {
    "id",           "category",     "title",           "short_title",
    "detail",       "brand",        "price",           "price_fen",
    "freight",      "freight_fen",  "after_sales",     "production_date",
    "quality_cert", "manufacturer", "shipping_method", "images",
    "attributes",   "main_image",   "detail_images",   "spu_id",
    "services",     "stock",        "merchant",        NULL};

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

/* name (a yuan string "12.34") or name_fen (integer fen), as the product API reads money. */
static int amount_of(const json_t *in, const char *name, bool *has, int64_t *out,
                     struct sw_error *err)
{
    *out = 0;
    return sw_json_read_amount(in, name, out, has, err);
}

/* Values that say there is none: a field holding one of them is as missing as an empty one
 * (quality_cert "无" declares no certificate). Compared whole, after the white space around
 * them, ASCII letters in any case. */
static const char *const NONE_SAID[] = {"无",   "暂无", "没有",   "无证",   "空", "不详", "未知",
                                        "待定", "待补", "待补充", "未提供", "略", "n/a",  "na",
                                        "none", "null", "nil",    "-",      "--", "—",    "/",
                                        "\\",   "?",    "？",     NULL};

static bool ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the white space character that starts at s[i] (0 when there is none). */
static size_t space_at(const char *s, size_t i, size_t n)
{
    if (ascii_space(s[i]))
        return 1;
    return i + 3 <= n && memcmp(s + i, "\u3000", 3) == 0 ? 3 : 0;
}

/* The length of the white space character that ends s[a..n) (0 when there is none). */
static size_t space_before(const char *s, size_t a, size_t n)
{
    if (ascii_space(s[n - 1]))
        return 1;
    return n - a >= 3 && memcmp(s + n - 3, "\u3000", 3) == 0 ? 3 : 0;
}

bool sw_listing_field_given(const json_t *v)
{
    const char *s = json_string_value(v);
    size_t n = json_is_string(v) ? json_string_length(v) : 0, a = 0, l;
    while (a < n && (l = space_at(s, a, n)))
        a += l;
    while (n > a && (l = space_before(s, a, n)))
        n -= l;
    if (a == n)
        return false;
    for (int k = 0; NONE_SAID[k]; k++)
        if (strlen(NONE_SAID[k]) == n - a && strncasecmp(s + a, NONE_SAID[k], n - a) == 0)
            return false;
    return true;
}

static bool present(const json_t *in, const char *key)
{
    return sw_listing_field_given(json_object_get(in, key));
}

static int unknown_field(const json_t *in, struct sw_error *err)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)in, k, v)
    {
        int i = 0;
        while (KNOWN[i] && strcmp(KNOWN[i], k) != 0)
            i++;
        if (!KNOWN[i])
            return sw_fail(err, SW_E_UNKNOWN_FIELD, k, "unknown field '%s'", k);
    }
    return SW_OK;
}

static int after_sales_of(const json_t *in, struct sw_listing *l, struct sw_error *err)
{
    const json_t *as = json_object_get(in, "after_sales");
    if (!as || json_is_null(as))
        return SW_OK; /* absent: unknown, no promise contradicts it */
    if (!json_is_array(as))
        return sw_fail(err, SW_E_WRONG_TYPE, "after_sales",
                       "after_sales must be an array of service codes");
    size_t i;
    const json_t *v;
    json_array_foreach(as, i, v)
    {
        if (!json_is_string(v))
            return sw_fail(err, SW_E_WRONG_TYPE, "after_sales", "after_sales[%zu] must be a string",
                           i);
    }
    l->after_sales = as;
    return SW_OK;
}

int sw_listing_from_json(const json_t *in, struct sw_listing *l, struct sw_error *err)
{
    memset(l, 0, sizeof *l);
    if (!json_is_object(in))
        return sw_fail(err, SW_E_WRONG_TYPE, NULL, "a listing must be a JSON object");
    int rc;
    size_t n;
    const char *cat;
    if ((rc = unknown_field(in, err)) || (rc = text_of(in, "category", &cat, &n, err)))
        return rc;
    l->category = cat;
    for (int f = 0; f < SW_SF__COUNT; f++)
        if ((rc = text_of(in, sw_scan_field_names[f], &l->text[f], &l->len[f], err)))
            return rc;
    if ((rc = text_of(in, "brand", &l->brand, &n, err)) ||
        (rc = text_of(in, "shipping_method", &l->shipping_method, &n, err)))
        return rc;
    if ((rc = amount_of(in, "price", &l->has_price, &l->price_fen, err)) ||
        (rc = amount_of(in, "freight", &l->has_freight, &l->freight_fen, err)) ||
        (rc = after_sales_of(in, l, err)))
        return rc;
    static const char *const three[] = {"production_date", "quality_cert", "manufacturer"};
    for (int i = 0; i < 3; i++) {
        const json_t *v = json_object_get(in, three[i]);
        if (v && !json_is_null(v) && !json_is_string(v))
            return sw_fail(err, SW_E_WRONG_TYPE, three[i], "%s must be a string", three[i]);
    }
    /* a production date the product API refuses (2026-13-01) is refused here too */
    const json_t *day = json_object_get(in, "production_date");
    int64_t d;
    struct sw_jfield date = {"production_date", SW_J_DATE, 0, &d, 0, NULL};
    if (present(in, "production_date") &&
        (rc = sw_json_check(&date, (json_t *)day, "production_date", err)))
        return rc;
    l->has_production_date = present(in, "production_date");
    l->has_quality_cert = present(in, "quality_cert");
    l->has_manufacturer = present(in, "manufacturer");
    l->production_date = l->has_production_date ? json_string_value(day) : NULL;
    l->manufacturer =
        l->has_manufacturer ? json_string_value(json_object_get(in, "manufacturer")) : NULL;
    return SW_OK;
}
