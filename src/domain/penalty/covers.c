/* What a product's violations cover (penalty.c's use): a finding's identity, the findings each
 * violation still covers, and their lapse when the product no longer has them. */
#include <string.h>

#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty_int.h"
#include "store/penalty_sql.h"

/* A finding's identity for "per occurrence": the same claim or account repeated in the title
 * and the detail is one occurrence. */
void sw__finding_key(const json_t *f, char *out, size_t n)
{
    const char *rule = json_string_value(json_object_get(f, "rule"));
    const char *ev = json_string_value(json_object_get(f, "evidence"));
    if (!ev || !*ev)
        ev = json_string_value(json_object_get(f, "excerpt"));
    snprintf(out, n, "%s|%s", rule ? rule : "", ev ? ev : "");
}

static json_t *key_set(const json_t *findings)
{
    json_t *set = json_object();
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        char k[600];
        sw__finding_key(f, k, sizeof k);
        json_object_set_new(set, k, json_true());
    }
    return set;
}

/* Keys already covered by the product's violations of the type: a pending one's findings, and
 * of one in force, dismissed or overturned on appeal the findings the product has kept since
 * (`covers`, kept by lapse_covers): a finding removed and written again is new. */
int sw__covered_keys(struct sw_ctx *ctx, const char *product, const char *type, json_t *keys,
                     struct sw_error *err)
{
    struct sw_violation_row *rows;
    int n;
    int rc = sw_sql_violation_rows_of_product(ctx->conn, product, type, true, &rows, &n, err);
    for (int i = 0; i < n; i++) {
        const json_t *covers = json_object_get(rows[i].doc, "covers");
        if (strcmp(rows[i].status, "pending") == 0 ||
            (!covers && strcmp(rows[i].status, "in_force") == 0))
            covers = json_object_get(rows[i].doc, "finding_keys"); /* in force before covers */
        size_t j;
        json_t *k;
        json_array_foreach(covers, j, k) json_object_set(keys, json_string_value(k), json_true());
    }
    sw_violation_rows_free(rows, n);
    return rc;
}

/* What the product's violations in force, dismissed or overturned still cover: only the findings
 * its scan now (findings; NULL: read from the catalog when needed) still has. Written when it
 * shrinks; nothing shows it (the views drop `covers`). */
int sw__lapse_rows(struct sw_ctx *ctx, const char *product, struct sw_violation_row *rows, int n,
                   const json_t *findings, struct sw_error *err)
{
    int rc = SW_OK;
    json_t *now = NULL;
    for (int i = 0; rc == SW_OK && i < n; i++) {
        json_t *covers = json_object_get(rows[i].doc, "covers");
        if (strcmp(rows[i].status, "pending") == 0 || json_array_size(covers) == 0)
            continue;
        if (!now && !findings) {
            struct sw_product_info pi;
            if ((rc = sw_catalog_product_info(ctx, product, &pi, err)))
                break;
            now = key_set(pi.findings);
            json_decref(pi.findings);
        } else if (!now) {
            now = key_set(findings);
        }
        json_t *kept = json_array();
        size_t j;
        json_t *k;
        json_array_foreach(covers, j, k) if (json_object_get(now, json_string_value(k)))
            json_array_append(kept, k);
        if (json_array_size(kept) < json_array_size(covers)) {
            json_object_set(rows[i].doc, "covers", kept);
            rc = sw_sql_violation_update(ctx->conn, &rows[i], err);
        }
        json_decref(kept);
    }
    json_decref(now);
    return rc;
}

int sw__lapse_covers(struct sw_ctx *ctx, const char *product, const json_t *findings,
                     struct sw_error *err)
{
    struct sw_violation_row *rows;
    int n;
    int rc = sw_sql_violation_rows_of_product(ctx->conn, product, NULL, true, &rows, &n, err);
    if (rc == SW_OK)
        rc = sw__lapse_rows(ctx, product, rows, n, findings, err);
    sw_violation_rows_free(rows, n);
    return rc;
}
