/* POST /v1/scan: a dry run of the content scanner, nothing is stored. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"
#include "http/handlers.h"
#include "scan/scan.h"
#include "store/journal.h"

#define SCAN_MAX_IMAGES 20

/* An image of POST /v1/scan: a data URL ("data:image/png;base64,...") or
 * {"name": "...", "base64": "..."}. */
static int decode_image(const json_t *v, size_t i, struct sw_scan_image *out, char *name,
                        size_t name_cap, struct sw_error *err)
{
    char field[32];
    snprintf(field, sizeof field, "images[%zu]", i);
    const char *b64 = NULL;
    size_t b64_len = 0;
    snprintf(name, name_cap, "%s", field);
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *comma = strchr(s, ',');
        if (strncmp(s, "data:", 5) != 0 || !comma || (size_t)(comma - s) < 7 ||
            strncmp(comma - 7, ";base64", 7) != 0)
            return sw_fail(err, SW_E_INVALID_VALUE, field,
                           "%s must be a base64 data URL (data:image/png;base64,...)", field);
        b64 = comma + 1;
        b64_len = json_string_length(v) - (size_t)(b64 - s);
    } else if (json_is_object(v) && json_is_string(json_object_get(v, "base64"))) {
        const json_t *b = json_object_get(v, "base64");
        const char *n = json_string_value(json_object_get(v, "name"));
        if (n)
            snprintf(name, name_cap, "%s", n);
        b64 = json_string_value(b);
        b64_len = json_string_length(b);
    } else {
        return sw_fail(err, SW_E_WRONG_TYPE, field,
                       "%s must be a data URL or {\"name\", \"base64\"}", field);
    }
    size_t cap = b64_len / 4 * 3 + 3, len = 0;
    unsigned char *bytes = malloc(cap ? cap : 1);
    if (!bytes)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (sodium_base642bin(bytes, cap, b64, b64_len, " \r\n", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(bytes);
        return sw_fail(err, SW_E_INVALID_VALUE, field, "%s is not valid base64", field);
    }
    *out = (struct sw_scan_image){name, bytes, len};
    return SW_OK;
}

/* What a create by this caller would refuse beside the listing itself: a merchant key writes
 * in its own store, so another store named is not_found and a category the store does not
 * sell in is category_not_in_store. Staff create in the store the listing names: one that does
 * not exist is not_found, and its categories count as a store's own do; a listing that names
 * no store is checked as a listing only. */
static int check_store(struct sw_req *r, const json_t *in, const char *category,
                       struct sw_error *err)
{
    const char *named = json_string_value(json_object_get(in, "merchant")), *store = named;
    if (sw__is_merchant(r)) {
        if (named && strcmp(named, r->scope) != 0)
            return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", named);
        store = r->scope;
    } else if (named) {
        json_t *m = NULL;
        struct sw_pool *pool = sw_engine_readers(r->engine);
        struct sw_conn *c = sw_pool_acquire(pool);
        int rc = sw_catalog_get_merchant(c, named, &m, err);
        sw_pool_release(pool, c);
        json_decref(m);
        if (rc == SW_E_NOT_FOUND)
            return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", named);
        if (rc)
            return rc;
    }
    return store && category ? sw_catalog_check_store_category(r->engine, store, category, err)
                             : SW_OK;
}

int sw__h_scan(struct sw_req *r, struct sw_error *err)
{
    const struct sw_policy *p = sw_engine_policy(r->engine);
    json_t *in = NULL;
    int rc = sw__body_object(r, &in, err);
    if (rc)
        return rc;
    struct sw_listing l;
    struct sw_scan_image imgs[SCAN_MAX_IMAGES] = {0};
    char names[SCAN_MAX_IMAGES][64];
    int nimg = 0;
    json_t *findings = NULL;
    /* the product API's checks first, so that a dry run refuses what a create does, the same
     * way (code and field); then what the scanner reads */
    if ((rc = sw_catalog_check_fields(p, in, err)) || (rc = sw_listing_from_json(in, &l, err)) ||
        (rc = sw_policy_check_listing(p, &l, err)) || (rc = check_store(r, in, l.category, err)))
        goto out;
    const json_t *images = json_object_get(in, "images");
    if (images && !json_is_null(images)) {
        if (!json_is_array(images) || json_array_size(images) > SCAN_MAX_IMAGES) {
            rc = sw_fail(err, SW_E_WRONG_TYPE, "images", "images must be an array of up to %d",
                         SCAN_MAX_IMAGES);
            goto out;
        }
        size_t i;
        const json_t *v;
        json_array_foreach(images, i, v)
        {
            if ((rc = decode_image(v, i, &imgs[nimg], names[nimg], sizeof names[nimg], err)))
                goto out;
            nimg++;
        }
    }
    l.images = imgs;
    l.nimages = nimg;
    unsigned flags = 0;
    if ((rc = sw_scan_flags(p->scanner, &l, &findings, &flags, err)))
        goto out;
    r->resp = json_pack("{s:O?,s:s,s:o}", "id", json_object_get(in, "id"), "policy_version",
                        p->version, "findings", findings);
    if (flags & SW_SCAN_TRUNCATED)
        json_object_set_new(r->resp, "truncated", json_true());
out:
    for (int i = 0; i < nimg; i++)
        free((void *)imgs[i].data);
    json_decref(in);
    return rc;
}
