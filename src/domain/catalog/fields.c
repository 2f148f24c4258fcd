/* The product document: the fields a product keeps in its JSON doc, and the validation of a
 * create or an edit against them and the policy's limits. */
#include <stdio.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "base/money.h"
#include "domain/catalog/catalog_int.h"
#include "scan/scan.h"

/* Fields kept in the product's JSON doc. `key` marks the fields whose edit sends a filed
 * product back to review (RULES.md §4): title, short title, main image, detail images,
 * category, attributes. */
enum doc_kind { DK_STR, DK_STRARR, DK_ATTRS, DK_DATE, DK_ID, DK_MONEY };
struct doc_field {
    const char *name;
    size_t max;
    enum doc_kind kind;
    bool key;
};
static const struct doc_field DOC_FIELDS[] = {
    {"title", 0, DK_STR, true}, /* max from policy */
    {"short_title", 120, DK_STR, true},
    {"main_image", 1024, DK_STR, true},
    {"detail_images", 0, DK_STRARR, true}, /* max from policy */
    {"detail", 0, DK_STR, false},          /* max from policy */
    {"category", 48, DK_STR, true},
    {"attributes", 64, DK_ATTRS, true},
    {"brand", 128, DK_STR, false},
    {"freight_fen", 0, DK_MONEY, false},
    {"shipping_method", 64, DK_STR, false},
    {"after_sales", 32, DK_STRARR, false},
    {"production_date", 0, DK_DATE, false},
    {"quality_cert", 256, DK_STR, false},
    {"manufacturer", 256, DK_STR, false},
    {"spu_id", 0, DK_ID, false},
    {"services", 32, DK_STRARR, false},
};
#define NDOC (sizeof DOC_FIELDS / sizeof DOC_FIELDS[0])

static int check_attrs(json_t *v, const char *path, struct sw_error *err)
{
    if (json_object_size(v) > 64)
        return sw_fail(err, SW_E_INVALID_VALUE, path, "'%s' has more than 64 entries", path);
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x)
    {
        char at[128]; /* the value as the client named it: attributes.颜色 */
        snprintf(at, sizeof at, "%s.%s", path, k);
        if (strlen(k) == 0 || strlen(k) > 64)
            return sw_fail(err, SW_E_INVALID_VALUE, path,
                           "'%s' has a key of %zu bytes: keys are 1-64 bytes", path, strlen(k));
        if (!json_is_string(x))
            return sw_fail(err, SW_E_WRONG_TYPE, at, "'%s' must be a string", at);
        if (json_string_length(x) > 256)
            return sw_fail(err, SW_E_INVALID_VALUE, at, "'%s' is longer than 256 bytes", at);
    }
    return SW_OK;
}

static size_t field_max(const struct doc_field *f, const struct sw_policy *pol)
{
    if (strcmp(f->name, "title") == 0)
        return (size_t)pol->max_title_bytes;
    if (strcmp(f->name, "detail") == 0)
        return (size_t)pol->max_detail_bytes;
    if (strcmp(f->name, "detail_images") == 0)
        return (size_t)pol->max_images;
    return f->max;
}

/* Validates one doc field's value; on success *norm is the value to store (new ref). */
static int check_doc_field(const struct doc_field *f, json_t *v, const struct sw_policy *pol,
                           json_t **norm, struct sw_error *err)
{
    static const enum sw_jtype jt[] = {SW_J_STR,  SW_J_STRARR, SW_J_OBJ,
                                       SW_J_DATE, SW_J_ID,     SW_J_FEN};
    union {
        const char *s;
        json_t *j;
        int64_t i;
    } out;
    struct sw_jfield jf = {f->name, jt[f->kind], 0, &out, field_max(f, pol), NULL};
    int rc = sw_json_check(&jf, v, f->name, err);
    if (rc == SW_OK && f->kind == DK_ATTRS)
        rc = check_attrs(v, f->name, err);
    if (rc)
        return rc;
    if (strcmp(f->name, "title") == 0 && json_string_length(v) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "title", "'title' must not be empty");
    if (strcmp(f->name, "category") == 0 && !sw_policy_category(pol, json_string_value(v)))
        return sw_fail(err, SW_E_UNKNOWN_CATEGORY, "category", "unknown category '%s'",
                       json_string_value(v));
    if (strcmp(f->name, "after_sales") == 0 && (rc = sw_policy_check_after_sales(pol, v, err)))
        return rc;
    *norm = json_incref(v);
    return SW_OK;
}

static bool known_product_key(const char *k)
{
    static const char *const extra[] = {"id",      "merchant", "price",      "price_fen",
                                        "freight", "stock",    "if_version", NULL};
    for (size_t i = 0; i < NDOC; i++)
        if (strcmp(DOC_FIELDS[i].name, k) == 0)
            return true;
    for (int i = 0; extra[i]; i++)
        if (strcmp(extra[i], k) == 0)
            return true;
    return false;
}

/* The request schema's order (api/openapi.yaml, ProductInput): errors are reported in it. */
static const char *const INPUT_ORDER[] = {"id",           "merchant",        "title",
                                          "short_title",  "main_image",      "detail_images",
                                          "detail",       "category",        "attributes",
                                          "brand",        "price_fen",       "price",
                                          "freight_fen",  "freight",         "shipping_method",
                                          "after_sales",  "production_date", "quality_cert",
                                          "manufacturer", "spu_id",          "services",
                                          "stock"};

static size_t input_rank(const struct sw_error *e)
{
    if (e->code == SW_E_UNKNOWN_FIELD)
        return 0; /* a misspelt name would otherwise look like a missing field */
    for (size_t i = 0; i < sizeof INPUT_ORDER / sizeof *INPUT_ORDER; i++)
        if (strcmp(e->field, INPUT_ORDER[i]) == 0)
            return i + 1;
    return SIZE_MAX;
}

int sw__catalog_first_error(const json_t *in, const struct sw_policy *pol, struct sw_error *err)
{
    struct sw_error other = {0};
    json_t *scratch = json_object();
    int64_t n = 0;
    bool present = false;
    if (scratch && sw__catalog_apply_doc(in, scratch, pol, NULL, &other) &&
        input_rank(&other) < input_rank(err))
        *err = other;
    json_decref(scratch);
    memset(&other, 0, sizeof other);
    if (sw_json_read_amount(in, "price", &n, &present, &other) &&
        input_rank(&other) < input_rank(err))
        *err = other;
    return err->code;
}

int sw__catalog_apply_doc(const json_t *in, json_t *doc, const struct sw_policy *pol,
                          json_t *changed, struct sw_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)in, k, v)
    {
        if (!known_product_key(k))
            return sw_fail(err, SW_E_UNKNOWN_FIELD, k, "unknown field '%s'", k);
    }
    for (size_t i = 0; i < NDOC; i++) {
        const struct doc_field *f = &DOC_FIELDS[i];
        json_t *nv = NULL;
        if (f->kind == DK_MONEY) {
            int64_t amount = 0;
            bool present = false;
            int rc = sw_json_read_amount(in, "freight", &amount, &present, err);
            if (rc)
                return rc;
            if (present)
                nv = json_integer(amount);
            else
                continue;
        } else {
            v = json_object_get(in, f->name);
            if (!v)
                continue;
            /* "", spaces or a word for none (无, 暂无, N/A: sw_listing_field_given) are no date,
             * as null: the scanner reads them so too (a three-no finding) */
            if (json_is_null(v) ||
                (f->kind == DK_DATE && json_is_string(v) && !sw_listing_field_given(v))) {
                if (f->key && (strcmp(f->name, "title") == 0 || strcmp(f->name, "category") == 0))
                    return sw_fail(err, SW_E_INVALID_VALUE, f->name, "'%s' cannot be removed",
                                   f->name);
                if (json_object_get(doc, f->name)) {
                    json_object_del(doc, f->name);
                    if (changed)
                        json_array_append_new(changed, json_string(f->name));
                }
                continue;
            }
            int rc = check_doc_field(f, v, pol, &nv, err);
            if (rc)
                return rc;
        }
        json_t *old = json_object_get(doc, f->name);
        if (!old || !json_equal(old, nv)) {
            if (changed)
                json_array_append_new(changed, json_string(f->name));
            json_object_set_new(doc, f->name, nv);
        } else {
            json_decref(nv);
        }
    }
    return SW_OK;
}

json_t *sw__catalog_key_fields_of(const json_t *changed)
{
    json_t *keys = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(changed, i, c)
    {
        for (size_t j = 0; j < NDOC; j++)
            if (DOC_FIELDS[j].key && strcmp(DOC_FIELDS[j].name, json_string_value(c)) == 0)
                json_array_append(keys, c);
    }
    return keys;
}

int sw_catalog_check_fields(const struct sw_policy *pol, const json_t *in, struct sw_error *err)
{
    json_t *some = json_copy((json_t *)in), *doc = json_object();
    if (!some || !doc) {
        json_decref(some);
        json_decref(doc);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    json_object_del(some, "images"); /* the dry run's own: the pictures to look at */
    /* in a create's order (catalog.c, product_create): its id if given, the store and stock,
     * the title and category, then the rest; the first error by the request schema's order */
    const char *merchant = NULL, *id = NULL;
    int64_t stock = 0;
    int rc = SW_OK;
    /* not required: a dry run may leave out the id, title and category (a create may not) */
    if (sw__catalog_read_head(some, false, &id, &merchant, &stock, err))
        rc = sw__catalog_first_error(some, pol, err);
    else
        rc = sw__catalog_apply_doc(some, doc, pol, NULL, err);
    json_decref(some);
    json_decref(doc);
    return rc;
}
