/* Scanning a listing before its command reaches the writer (DESIGN.md: the single writer never
 * runs work whose cost a client controls). product.create and product.update are scanned here,
 * on the submitting thread, against committed state read through a read connection; the
 * writer takes the result only when the product is still at the version it was scanned for
 * and the policy is the same, and otherwise the engine prepares the command again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog_int.h"
#include "scan/scan.h"

static const char *doc_str(const json_t *doc, const char *name, size_t *len)
{
    const json_t *v = json_object_get(doc, name);
    *len = json_string_length(v);
    return json_string_value(v);
}

static bool doc_has(const json_t *doc, const char *name)
{
    return sw_listing_field_given(json_object_get(doc, name));
}

int sw__catalog_scan_row(const struct sw_policy *pol, const struct sw_product_row *p,
                         unsigned *flags, json_t **findings, struct sw_error *err)
{
    struct sw_listing l = {0};
    size_t n;
    l.category = doc_str(p->doc, "category", &n);
    for (int f = 0; f < SW_SF__COUNT; f++)
        l.text[f] = doc_str(p->doc, sw_scan_field_names[f], &l.len[f]);
    l.brand = doc_str(p->doc, "brand", &n);
    l.shipping_method = doc_str(p->doc, "shipping_method", &n);
    l.has_price = true;
    l.price_fen = p->price_fen;
    l.has_freight = json_is_integer(json_object_get(p->doc, "freight_fen"));
    l.freight_fen = json_integer_value(json_object_get(p->doc, "freight_fen"));
    l.after_sales = json_object_get(p->doc, "after_sales");
    l.has_production_date = doc_has(p->doc, "production_date");
    l.has_quality_cert = doc_has(p->doc, "quality_cert");
    l.has_manufacturer = doc_has(p->doc, "manufacturer");
    l.production_date = l.has_production_date ? doc_str(p->doc, "production_date", &n) : NULL;
    l.manufacturer = l.has_manufacturer ? doc_str(p->doc, "manufacturer", &n) : NULL;
    *flags = 0;
    return sw_scan_flags(pol->scanner, &l, findings, flags, err);
}

/* The result the writer gets back: a scan error is kept and returned there, as it would have
 * been had the writer scanned. */
struct prep {
    struct sw__catalog_prep pub;
    int rc;
    struct sw_error err;
};

/* pol is the one policy the hook scans with: loaded once, as an activation may switch it. */
static struct prep *prep_new(const struct sw_policy *pol, const json_t *payload)
{
    struct prep *pp = calloc(1, sizeof *pp);
    if (!pp)
        return NULL;
    const char *id = json_string_value(json_object_get(payload, "id"));
    snprintf(pp->pub.id, sizeof pp->pub.id, "%s", id ? id : "");
    snprintf(pp->pub.policy_version, sizeof pp->pub.policy_version, "%s", pol->version);
    return pp;
}

static void prep_scan(struct prep *pp, const struct sw_policy *pol, const struct sw_product_row *p)
{
    pp->rc = sw__catalog_scan_row(pol, p, &pp->pub.flags, &pp->pub.findings, &pp->err);
    pp->pub.scanned = true;
}

/* product.create: the listing is the payload alone. Input the handler will refuse is left
 * unscanned; the handler refuses it before it would scan. */
static int prep_create(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                       void **out, struct sw_error *err)
{
    (void)reader;
    const struct sw_policy *pol = sw_engine_policy(e);
    struct prep *pp = prep_new(pol, cmd->payload);
    if (!pp)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    struct sw_product_row p = {.version = 1, .doc = json_object()};
    bool has_price = false;
    struct sw_error ignored;
    if (json_is_object(cmd->payload) &&
        sw_json_read_amount(cmd->payload, "price", &p.price_fen, &has_price, &ignored) == SW_OK &&
        has_price && sw__catalog_apply_doc(cmd->payload, p.doc, pol, NULL, &ignored) == SW_OK)
        prep_scan(pp, pol, &p);
    json_decref(p.doc);
    *out = pp;
    return SW_OK;
}

/* product.update: the stored product with the edit applied, as product_update builds it. */
static int prep_update(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                       void **out, struct sw_error *err)
{
    const struct sw_policy *pol = sw_engine_policy(e);
    struct prep *pp = prep_new(pol, cmd->payload);
    if (!pp)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    *out = pp;
    struct sw_idmap *map = sw_engine_find_idmap(e, SW__PRODUCT_IDMAP);
    uint64_t rid;
    struct sw_product_row p = {0};
    bool found = false, has_price = false;
    int64_t price = 0;
    struct sw_error ignored;
    if (!json_is_object(cmd->payload) || !map || !sw_idmap_get(map, pp->pub.id, &rid) ||
        sw_json_read_amount(cmd->payload, "price", &price, &has_price, &ignored) != SW_OK)
        return SW_OK;
    if (sw_sql_product_get(reader, (int64_t)rid, &p, &found, &ignored) != SW_OK || !found)
        return SW_OK;
    pp->pub.rid = (int64_t)rid;
    pp->pub.base_version = p.version;
    bool price_changes = has_price && price != p.price_fen;
    if (price_changes)
        p.price_fen = price;
    if (sw__catalog_columns_only(cmd->payload)) {
        if (price_changes && (p.scan_flags & SW_SCAN_STATES_PRICE))
            prep_scan(pp, pol, &p);
    } else if (sw__catalog_apply_doc(cmd->payload, p.doc, pol, NULL, &ignored) == SW_OK) {
        prep_scan(pp, pol, &p);
    }
    json_decref(p.doc);
    return SW_OK;
}

/* product.list: the review at listing checks the product's findings under the policy in
 * force; a product last scanned under another version is scanned again, here. */
static int prep_list(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                     void **out, struct sw_error *err)
{
    const struct sw_policy *pol = sw_engine_policy(e);
    struct prep *pp = prep_new(pol, cmd->payload);
    if (!pp)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    *out = pp;
    struct sw_idmap *map = sw_engine_find_idmap(e, SW__PRODUCT_IDMAP);
    uint64_t rid;
    struct sw_product_row p = {0};
    bool found = false;
    struct sw_error ignored;
    if (!json_is_object(cmd->payload) || !map || !sw_idmap_get(map, pp->pub.id, &rid) ||
        sw_sql_product_get(reader, (int64_t)rid, &p, &found, &ignored) != SW_OK || !found)
        return SW_OK;
    pp->pub.rid = (int64_t)rid;
    pp->pub.base_version = p.version;
    const char *pv =
        json_string_value(json_object_get(json_object_get(p.doc, "scan"), "policy_version"));
    if (!pv || strcmp(pv, pol->version) != 0)
        prep_scan(pp, pol, &p);
    json_decref(p.doc);
    return SW_OK;
}

void sw__catalog_prep_free(void *arg)
{
    struct prep *pp = arg;
    json_decref(pp->pub.findings);
    free(pp);
}

int sw__catalog_take_prepared(const struct sw__catalog_prep *pub, const struct sw_policy *pol,
                              const struct sw_product_row *p, unsigned *flags, json_t **findings,
                              struct sw_error *err)
{
    const struct prep *pp = (const struct prep *)pub;
    if (!pub->scanned || strcmp(pub->id, p->id) != 0 || pub->rid != p->rid ||
        pub->base_version + 1 != p->version || strcmp(pub->policy_version, pol->version) != 0)
        return sw_fail(err, SW_E_PREPARED_STALE, "id",
                       "product '%s' changed after its listing was scanned", p->id);
    if (pp->rc) {
        *err = pp->err;
        return pp->rc;
    }
    *flags = pub->flags;
    /* A copy: the prepared result belongs to the submitting thread, which frees it. */
    *findings = json_deep_copy(pub->findings);
    return *findings ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
}

int sw__catalog_prepare(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                        void **out, struct sw_error *err)
{
    if (strcmp(cmd->type, "product.create") == 0)
        return prep_create(e, reader, cmd, out, err);
    if (strcmp(cmd->type, "product.update") == 0)
        return prep_update(e, reader, cmd, out, err);
    if (strcmp(cmd->type, "product.list") == 0)
        return prep_list(e, reader, cmd, out, err);
    return sw_fail(err, SW_E_INTERNAL, NULL, "nothing to prepare for '%s'", cmd->type);
}

int sw__catalog_register_prepare(struct sw_engine *e)
{
    int rc = sw_engine_set_prepare(e, "product.create", sw__catalog_prepare, sw__catalog_prep_free);
    if (rc == SW_OK)
        rc = sw_engine_set_prepare(e, "product.list", sw__catalog_prepare, sw__catalog_prep_free);
    return rc ? rc
              : sw_engine_set_prepare(e, "product.update", sw__catalog_prepare,
                                      sw__catalog_prep_free);
}
