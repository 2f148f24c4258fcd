/* Audit before publication, enforcement after (RULES.md §3). A product's findings do what the
 * policy says for their type: on a product that is not listed (on_unlisted) and on one that is
 * (on_listed), `block` keeps it off sale until an edit clears them (listing refused with
 * listing_blocked; a listed product is delisted), `penalise` makes a violation (the penalty
 * module hears product.scanned, which says whether the product is listed), `ignore` leaves them
 * as findings. Listing is the review: it checks the product's findings under the policy in
 * force, scanning it again when its last scan was made under another version. Re-inspection
 * (sw_catalog_reinspect) scans what is on sale under the policy in force.
 *
 * Also here: a store sells only in its own categories (category_not_in_store), kept as an id
 * map "store\tcategory" -> 1 (2 once removed), staged and rolled back like every id map. */
#include <stdio.h>
#include <string.h>

#include "domain/catalog/catalog_int.h"
#include "scan/scan.h"

#define STORE_CATEGORIES SW__STORE_CATEGORIES
#define IN_STORE 1
#define NOT_IN_STORE 2
/* Listing text one re-inspection step scans at most (title, short title, detail), beside its
 * product count: a step stays short whatever the listings hold. */
#define REINSPECT_BYTES (4 << 20)

static const char *type_of(const json_t *f)
{
    const char *t = json_string_value(json_object_get(f, "type"));
    return t ? t : "";
}

static bool blocks_listing(const struct sw_policy *pol, const char *type)
{
    return sw_policy_finding_action(pol, type, false) == SW_FA_BLOCK ||
           sw_policy_finding_action(pol, type, true) == SW_FA_BLOCK;
}

json_t *sw__catalog_blocking_types(const struct sw_policy *pol, const json_t *findings)
{
    json_t *types = json_array();
    size_t i, j;
    json_t *f, *t;
    json_array_foreach(findings, i, f)
    {
        if (!blocks_listing(pol, type_of(f)))
            continue;
        bool seen = false;
        json_array_foreach(types, j, t) seen |= strcmp(json_string_value(t), type_of(f)) == 0;
        if (!seen)
            json_array_append_new(types, json_string(type_of(f)));
    }
    return types;
}

bool sw__catalog_blocks(const struct sw_policy *pol, const json_t *findings, bool listed)
{
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (listed ? sw_policy_finding_action(pol, type_of(f), true) == SW_FA_BLOCK
                   : blocks_listing(pol, type_of(f)))
            return true;
    }
    return false;
}

/* The findings whose type does `a` on a listed product (NULL when none), a new array. */
static json_t *listed_findings(const struct sw_policy *pol, const json_t *findings,
                               enum sw_finding_action a)
{
    json_t *out = NULL;
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (sw_policy_finding_action(pol, type_of(f), true) != a)
            continue;
        if (!out)
            out = json_array();
        json_array_append(out, f);
    }
    return out;
}

json_t *sw__catalog_blocking_findings(const struct sw_policy *pol, const json_t *findings)
{
    json_t *out = json_array();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        if (blocks_listing(pol, type_of(f)))
            json_array_append(out, f);
    }
    return out;
}

/* ---------- store categories ---------- */

static size_t cat_key(char *buf, size_t cap, const char *merchant, const char *category)
{
    int n = snprintf(buf, cap, "%s\t%s", merchant, category ? category : "");
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* The store-category check, in a command (ctx: this batch's staged entries too) or a read
 * (committed entries only). */
static int check_category(struct sw_ctx *ctx, struct sw_engine *e, const char *merchant,
                          const char *category, struct sw_error *err)
{
    char k[160];
    uint64_t v = 0;
    struct sw_idmap *map = sw_engine_find_idmap(e, STORE_CATEGORIES);
    bool found = cat_key(k, sizeof k, merchant, category) &&
                 (ctx ? sw_ctx_idmap_get(ctx, map, k, &v) : sw_idmap_get(map, k, &v));
    if (!found || v != IN_STORE)
        return sw_fail(err, SW_E_CATEGORY_NOT_IN_STORE, "category",
                       "category '%s' is not one of the categories of store '%s'",
                       category ? category : "", merchant);
    return SW_OK;
}

int sw__catalog_check_category(struct sw_ctx *ctx, const char *merchant, const char *category,
                               struct sw_error *err)
{
    return check_category(ctx, ctx->engine, merchant, category, err);
}

int sw_catalog_check_store_category(struct sw_engine *e, const char *merchant, const char *category,
                                    struct sw_error *err)
{
    return check_category(NULL, e, merchant, category, err);
}

int sw__catalog_index_categories(struct sw_ctx *ctx, const char *merchant, const json_t *old,
                                 const json_t *cats, struct sw_error *err)
{
    struct sw_idmap *map = sw_engine_find_idmap(ctx->engine, STORE_CATEGORIES);
    char k[160];
    size_t i, j;
    json_t *c, *d;
    int rc = SW_OK;
    json_array_foreach(old, i, c)
    {
        bool kept = false;
        json_array_foreach(cats, j, d) kept |= json_equal(c, d);
        if (!kept && rc == SW_OK && cat_key(k, sizeof k, merchant, json_string_value(c)))
            rc = sw_ctx_idmap_put(ctx, map, k, NOT_IN_STORE, err);
    }
    json_array_foreach(cats, i, c)
    {
        if (rc == SW_OK && cat_key(k, sizeof k, merchant, json_string_value(c)))
            rc = sw_ctx_idmap_put(ctx, map, k, IN_STORE, err);
    }
    return rc;
}

static bool add_categories(void *arg, const char *id, const json_t *cats, int64_t required)
{
    (void)required;
    char k[160];
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        size_t n = cat_key(k, sizeof k, id, json_string_value(c));
        if (n && !sw_map_put(arg, k, n, IN_STORE))
            return false;
    }
    return true;
}

int sw__catalog_load_store_categories(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return sw_sql_merchant_each_categories(c, add_categories, m, err);
}

/* ---------- the review at listing ---------- */

int sw__catalog_review_listing(struct sw_ctx *ctx, struct sw_product_row *p, bool *rescanned,
                               json_t **penalise, struct sw_error *err)
{
    *rescanned = false;
    *penalise = NULL;
    const char *cat = json_string_value(json_object_get(p->doc, "category"));
    int rc = sw__catalog_check_category(ctx, p->merchant, cat, err);
    if (rc)
        return rc;
    const json_t *scan = json_object_get(p->doc, "scan");
    const char *pv = json_string_value(json_object_get(scan, "policy_version"));
    if (!pv || strcmp(pv, ctx->policy->version) != 0) {
        json_t *found = NULL; /* scanned under another policy: review it under this one */
        if ((rc = sw__catalog_scan_product(ctx, p, &found, err)))
            return rc;
        json_decref(found);
        *rescanned = true;
    }
    const json_t *findings = json_object_get(json_object_get(p->doc, "scan"), "findings");
    json_t *types = sw__catalog_blocking_types(ctx->policy, findings);
    if (json_array_size(types) > 0) {
        char list[200] = "";
        size_t i;
        json_t *t;
        json_array_foreach(types, i, t) snprintf(list + strlen(list), sizeof list - strlen(list),
                                                 "%s%s", i ? ", " : "", json_string_value(t));
        json_decref(types);
        json_decref(ctx->err_details); /* the findings that keep it off sale, in the answer */
        ctx->err_details =
            json_pack("{s:o}", "findings", sw__catalog_blocking_findings(ctx->policy, findings));
        return sw_fail(err, SW_E_LISTING_BLOCKED, "id",
                       "product '%s' cannot be listed until an edit clears its findings (%s)",
                       p->id, list);
    }
    json_decref(types);
    *penalise = listed_findings(ctx->policy, findings, SW_FA_PENALISE);
    return SW_OK;
}

/* ---------- re-inspection of what is on sale ---------- */

static size_t text_bytes(const json_t *doc)
{
    static const char *const fields[] = {"title", "short_title", "detail"};
    size_t n = 0;
    for (int i = 0; i < 3; i++)
        n += json_string_length(json_object_get(doc, fields[i]));
    return n;
}

/* The identities of findings (rule plus evidence, the excerpt when there is none: what a
 * violation covers), as a set: {"rule|evidence": true}. */
static json_t *finding_identities(const json_t *findings)
{
    json_t *set = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        const char *rule = json_string_value(json_object_get(f, "rule"));
        const char *ev = json_string_value(json_object_get(f, "evidence"));
        if (!ev || !*ev)
            ev = json_string_value(json_object_get(f, "excerpt"));
        json_t *key = json_sprintf("%s|%s", rule ? rule : "", ev ? ev : "");
        if (key)
            json_object_set_new(set, json_string_value(key), json_true());
        json_decref(key);
    }
    return set;
}

/* Whether two scans found the same: the same identities, whatever policy version (or span)
 * each finding was made under. */
static bool same_findings(const json_t *before, const json_t *found)
{
    json_t *a = finding_identities(before), *b = finding_identities(found);
    bool same = json_equal(a, b);
    json_decref(a);
    json_decref(b);
    return same;
}

/* Scans one listed product under the policy in force. When the findings differ from its last
 * scan's (by identity, same_findings), the new scan is kept and the version goes up (its view
 * changed); the row is left alone otherwise. Whenever there are findings, product.scanned (trigger
 * "rescan", with the job) tells the penalty module, which penalises what no violation covers yet
 * under the policy's on_listed (a stricter penalties section reaches unchanged findings too), and a
 * finding whose type blocks on a listed product takes it off sale. */
static int reinspect_one(struct sw_ctx *ctx, const char *job, struct sw_product_row *p,
                         struct sw_catalog_reinspection *r, struct sw_error *err)
{
    json_t *before = json_incref(json_object_get(json_object_get(p->doc, "scan"), "findings"));
    json_t *found = NULL;
    int64_t was = p->version++;
    int rc = sw__catalog_scan_product(ctx, p, &found, err);
    if (!found)
        found = json_array();
    bool same = rc == SW_OK && before && same_findings(before, found);
    json_decref(before);
    if (rc || (same && json_array_size(found) == 0)) {
        json_decref(found);
        return rc;
    }
    bool block = sw__catalog_blocks(ctx->policy, found, true);
    if (same) {
        p->version = was;
    } else {
        p->updated_at = ctx->now;
        r->changed++;
        if ((rc = sw_sql_product_update(ctx->conn, p, true, err))) {
            json_decref(found);
            return rc;
        }
    }
    json_t *ev =
        json_pack("{s:s,s:I,s:s,s:s,s:s,s:b,s:o}", "id", p->id, "version", (json_int_t)p->version,
                  "trigger", "rescan", "rescan", job, "policy_version", ctx->policy->version,
                  "listed", true, "findings", found);
    if ((rc = sw_ctx_emit(ctx, "product.scanned", p->merchant, p->id, ev, err)))
        return rc;
    bool moved = false;
    if (block && (rc = sw__catalog_delist_blocked(ctx, p->rid, &moved, err)))
        return rc;
    r->delisted += moved;
    return SW_OK;
}

int sw_catalog_reinspect(struct sw_ctx *ctx, const char *job, int64_t after, int64_t upto, int max,
                         struct sw_catalog_reinspection *r, struct sw_error *err)
{
    int64_t rids[SW_CATALOG_REINSPECT_MAX];
    int n = 0;
    if (max > SW_CATALOG_REINSPECT_MAX)
        max = SW_CATALOG_REINSPECT_MAX;
    *r = (struct sw_catalog_reinspection){0};
    int64_t *last = &r->last;
    int rc = sw_sql_product_listed_rids(ctx->conn, after, upto, rids, max, &n, last, err);
    if (rc)
        return rc;
    r->done = *last >= upto || *last == after;
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        struct sw_product_row p;
        bool found;
        if ((rc = sw_sql_product_get(ctx->conn, rids[i], &p, &found, err)))
            return rc;
        if (!found)
            continue;
        bytes += text_bytes(p.doc);
        bool listed = strcmp(p.status, "listed") == 0;
        rc = listed ? reinspect_one(ctx, job, &p, r, err) : SW_OK;
        json_decref(p.doc);
        if (rc)
            return rc;
        r->inspected += listed;
        if (bytes >= REINSPECT_BYTES && i + 1 < n) { /* the rest in the next step */
            *last = rids[i];
            r->done = false;
            break;
        }
    }
    return SW_OK;
}

int sw_catalog_listed_count(struct sw_ctx *ctx, int64_t *listed, int64_t *max_rid,
                            struct sw_error *err)
{
    return sw_sql_product_listed_count(ctx->conn, listed, max_rid, err);
}
