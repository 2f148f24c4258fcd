/* How records come to be: streamers (designated or not), the self-built, PK and distribution
 * scenarios, and edits of a product's key fields (filing.h states the rules). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/filing/filing_int.h"

#define NICKNAME_MAX 64

/* --- streamers --- */

static json_t *streamer_render(const struct sw_streamer_row *s)
{
    return json_pack("{s:s,s:s,s:b,s:o,s:s,s:I,s:o,s:o,s:o}", "id", s->id, "nickname", s->nickname,
                     "designated", s->designated, "merchant",
                     s->merchant[0] ? json_string(s->merchant) : json_null(), "source", "api",
                     "version", (json_int_t)s->version, "created_at",
                     sw_json_instant(s->created_at), "updated_at", sw_json_instant(s->updated_at),
                     "updated_by", s->updated_by ? json_deep_copy(s->updated_by) : json_null());
}

struct self_built {
    const struct sw_streamer_info *s;
    const char *merchant;
};

static int file_self_built(struct sw_ctx *ctx, const char *product, void *arg, struct sw_error *err)
{
    const struct self_built *sb = arg;
    int64_t rid;
    return sw__filing_ensure(ctx, sb->merchant, product, sb->s, "self_built", NULL, &rid, err);
}

/* A designated streamer's row as the records name it. */
static void designated_info(const struct sw_streamer_row *s, struct sw_streamer_info *info)
{
    *info = (struct sw_streamer_info){.known = true, .designated = true};
    snprintf(info->id, sizeof info->id, "%s", s->id);
    snprintf(info->nickname, sizeof info->nickname, "%s", s->nickname);
    snprintf(info->merchant, sizeof info->merchant, "%s", s->merchant);
}

/* The owner's record of a product a designated streamer distributes (reason distribution, with
 * the streamer's nickname): *filing. */
static int file_distribution(struct sw_ctx *ctx, const char *merchant, const char *product,
                             const struct sw_streamer_info *s, int64_t *filing,
                             struct sw_error *err)
{
    json_t *detail = json_pack("{s:s}", "streamer_nickname", s->nickname);
    int rc = sw__filing_ensure(ctx, merchant, product, s, "distribution", detail, filing, err);
    json_decref(detail);
    return rc;
}

/* A streamer that becomes designated with a store, or changes store, files that store's
 * products (self_built) as a product created then would be. */
static int backfill(struct sw_ctx *ctx, const struct sw_streamer_row *s, struct sw_error *err)
{
    struct sw_streamer_info info;
    designated_info(s, &info);
    struct self_built sb = {&info, s->merchant};
    return sw_catalog_each_store_product(ctx, s->merchant, file_self_built, &sb, err);
}

/* A streamer that becomes designated files what it put up for distribution while it was not:
 * each such product's owner gets its record (reason distribution), as a distribution made now
 * would give; products banned since are passed. */
static int file_distributions(struct sw_ctx *ctx, const struct sw_streamer_row *s,
                              struct sw_error *err)
{
    enum { PAGE = 64 };
    struct sw_streamer_info info;
    designated_info(s, &info);
    struct sw_party_filter f = {NULL, s->id};
    struct sw_distribution_row rows[PAGE];
    int64_t after = 0;
    int n, rc;
    do {
        if ((rc = sw_sql_distribution_page(ctx->conn, &f, after, PAGE, rows, &n, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            struct sw_distribution_row *d = &rows[i];
            after = d->rid;
            struct sw_product_info pi = {0};
            if (rc == SW_OK && !d->filing &&
                (rc = sw_catalog_product_info(ctx, d->product, &pi, err)) == SW_OK) {
                json_decref(pi.findings);
                if (pi.status != SW_PRODUCT_BANNED &&
                    (rc = file_distribution(ctx, d->merchant, d->product, &info, &d->filing,
                                            err)) == SW_OK)
                    rc = sw_sql_distribution_set_filing(ctx->conn, d->rid, d->filing, err);
            }
            sw_distribution_row_release(d);
        }
    } while (rc == SW_OK && n == PAGE);
    return rc;
}

static json_t *changes(const struct sw_streamer_row *old, const struct sw_streamer_row *s)
{
    json_t *c = json_array();
    if (strcmp(old->nickname, s->nickname) != 0)
        json_array_append_new(c, json_string("nickname"));
    if (old->designated != s->designated)
        json_array_append_new(c, json_string("designated"));
    if (strcmp(old->merchant, s->merchant) != 0)
        json_array_append_new(c, json_string("merchant"));
    return c;
}

/* Writes s (new or changed from old), its event, and what follows from the change. */
static int streamer_save(struct sw_ctx *ctx, struct sw_streamer_row *s,
                         const struct sw_streamer_row *old, json_t *changed, struct sw_error *err)
{
    int rc =
        old ? sw_sql_streamer_update(ctx->conn, s, err) : sw_sql_streamer_insert(ctx->conn, s, err);
    json_t *payload = streamer_render(s);
    json_object_set(payload, "changed", changed);
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, old ? "streamer.updated" : "streamer.created", NULL, s->id, payload,
                         err);
    else
        json_decref(payload);
    /* a streamer created over the policy's entry renames the records made under that one too */
    if (rc == SW_OK)
        rc = sw__filing_rename(ctx, s->id, s->nickname, err);
    bool newly = s->designated && s->merchant[0] &&
                 (!old || !old->designated || strcmp(old->merchant, s->merchant) != 0);
    if (rc == SW_OK && newly)
        rc = backfill(ctx, s, err);
    if (rc == SW_OK && s->designated && (!old || !old->designated))
        rc = file_distributions(ctx, s, err);
    return rc;
}

static int streamer_merchant_ok(struct sw_ctx *ctx, const char *merchant, struct sw_error *err)
{
    struct sw_merchant_info mi;
    int rc = sw_catalog_merchant_info(ctx, merchant, &mi, err);
    if (rc == SW_E_NOT_FOUND)
        return sw_fail(err, SW_E_UNKNOWN_REFERENCE, "merchant", "unknown merchant '%s'", merchant);
    return rc;
}

static int s_put(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *nickname = NULL, *merchant = NULL;
    bool designated = false, merchant_null = false;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"nickname", SW_J_STR, SW_J_REQUIRED, &nickname, NICKNAME_MAX, NULL},
        {"designated", SW_J_BOOL, SW_J_REQUIRED, &designated, 0, NULL},
        {"merchant", SW_J_ID, SW_J_NULLABLE, &merchant, 0, &merchant_null},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators set streamers");
    if (nickname[0] == '\0')
        return sw_fail(err, SW_E_INVALID_VALUE, "nickname", "a streamer needs a nickname");
    if (merchant && (rc = streamer_merchant_ok(ctx, merchant, err)))
        return rc;
    struct sw_streamer_row old = {0}, s = {0};
    bool found = false;
    if ((rc = sw_sql_streamer_get(ctx->conn, id, &old, &found, err)))
        return rc;
    if (found && (rc = sw_if_version(&iv, old.version, "streamer", id, err))) {
        sw_streamer_row_release(&old);
        return rc;
    }
    if (!found && iv.given) /* If-Match asks for an object that exists (at that version) */
        return sw_fail(err, SW_E_VERSION_MISMATCH, "if_version",
                       "streamer '%s' does not exist: a write with If-Match changes only an "
                       "object that does (send it without If-Match to create it)",
                       id);
    snprintf(s.id, sizeof s.id, "%s", id);
    snprintf(s.nickname, sizeof s.nickname, "%s", nickname);
    s.designated = designated;
    snprintf(s.merchant, sizeof s.merchant, "%s", merchant ? merchant : "");
    s.created_at = found ? old.created_at : ctx->now;
    s.updated_at = ctx->now;
    s.version = found ? old.version + 1 : 1;
    s.updated_by = sw_ctx_actor(ctx);
    json_t *changed = found ? changes(&old, &s) : json_array();
    if (found && json_array_size(changed) == 0) {
        json_decref(s.updated_by);
        s.updated_by = json_incref(old.updated_by);
        s.version = old.version;
        s.updated_at = old.updated_at;
    } else {
        rc = streamer_save(ctx, &s, found ? &old : NULL, changed, err);
    }
    if (rc == SW_OK)
        *result = streamer_render(&s);
    json_decref(changed);
    sw_streamer_row_release(&s);
    sw_streamer_row_release(&old);
    return rc;
}

/* --- self_built: a product created by a designated streamer's own store --- */

static int file_for(struct sw_ctx *ctx, const char *merchant, const char *product,
                    const char *streamer, struct sw_error *err)
{
    struct sw_streamer_info info;
    int64_t rid;
    int rc = sw__streamer_info(ctx, streamer, &info, err);
    if (rc || !info.designated || strcmp(info.merchant, merchant) != 0)
        return rc;
    return sw__filing_ensure(ctx, merchant, product, &info, "self_built", NULL, &rid, err);
}

static int on_product_created(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    enum { MAX = 64 };
    struct sw_streamer_row rows[MAX];
    int n = 0, rc = SW_OK;
    if (!ev->merchant || !ev->subject)
        return SW_OK;
    if ((rc = sw_sql_streamers_of_store(ctx->conn, ev->merchant, MAX, rows, &n, err)))
        return rc;
    for (int i = 0; i < n; i++) {
        if (rc == SW_OK)
            rc = file_for(ctx, ev->merchant, ev->subject, rows[i].id, err);
        sw_streamer_row_release(&rows[i]);
    }
    /* The policy's streamers of this store (one set through the API answers for itself). */
    const struct sw_filing_policy *fp = &ctx->policy->filing;
    for (int i = 0; rc == SW_OK && i < fp->nstreamers; i++)
        if (fp->streamers[i].merchant && strcmp(fp->streamers[i].merchant, ev->merchant) == 0)
            rc = file_for(ctx, ev->merchant, ev->subject, fp->streamers[i].id, err);
    return rc;
}

/* --- product_edit --- */

static bool names(const json_t *list, const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (json_is_string(v) &&
                                       strcmp(json_string_value(v), field) == 0) return true;
    return false;
}

static int on_product_updated(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    const json_t *fields = json_object_get(ev->payload, "key_fields_changed");
    bool category = names(json_object_get(ev->payload, "changed"), "category");
    if ((json_array_size(fields) == 0 && !category) || !ev->subject)
        return SW_OK;
    int64_t rids[64], after = 0;
    int n, rc;
    do {
        if ((rc = sw_sql_filing_rids_of_product(ctx->conn, ev->subject, after, 64, rids, &n, err)))
            return rc;
        for (int i = 0; rc == SW_OK && i < n; i++) {
            struct sw_filing_row f = {0};
            bool found = false;
            after = rids[i];
            if ((rc = sw_sql_filing_get(ctx->conn, rids[i], &f, &found, err)) || !found)
                continue;
            if (json_array_size(fields) > 0) /* every record, whatever its status */
                rc = sw__filing_reset(ctx, &f, fields, err);
            if (rc == SW_OK && category) /* another category may ask for other documents */
                rc = sw__filing_refresh_documents(ctx, &f, err);
            sw_filing_row_release(&f);
        }
        if (rc)
            return rc;
    } while (n == 64);
    return SW_OK;
}

/* --- pk: a store declares a PK with a designated streamer --- */

/* Every product must be the declaring store's own. */
static int pk_products_ok(struct sw_ctx *ctx, const char *merchant, const json_t *products,
                          struct sw_error *err)
{
    if (json_array_size(products) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "products", "a PK names at least one product");
    size_t i;
    json_t *v;
    json_array_foreach(products, i, v)
    {
        char path[40];
        snprintf(path, sizeof path, "products[%zu]", i);
        struct sw_product_info pi;
        int rc = sw_catalog_product_info(ctx, json_string_value(v), &pi, err);
        if (rc == SW_E_NOT_FOUND)
            return sw_fail(err, SW_E_UNKNOWN_REFERENCE, path, "unknown product '%s'",
                           json_string_value(v));
        if (rc)
            return rc;
        json_decref(pi.findings);
        if (strcmp(pi.merchant, merchant) != 0)
            return sw_fail(err, SW_E_NOT_PRODUCT_OWNER, path,
                           "product '%s' is another store's: its owner files it",
                           json_string_value(v));
    }
    return SW_OK;
}

int sw__filing_store_may(struct sw_ctx *ctx, const char *merchant, struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    if (!own)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the store itself may do this");
    if (strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    struct sw_merchant_info mi;
    int rc = sw_catalog_merchant_info(ctx, merchant, &mi, err);
    if (rc == SW_OK && mi.status == SW_MERCHANT_CLEARED)
        rc = sw_fail(err, SW_E_MERCHANT_CLEARED, "merchant", "store '%s' is cleared", merchant);
    return rc;
}

static int pk_file(struct sw_ctx *ctx, const char *merchant, const json_t *products,
                   const struct sw_streamer_info *s, const json_t *detail, json_t *out,
                   struct sw_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(products, i, v)
    {
        int64_t rid;
        struct sw_filing_row f = {0};
        bool found = false, named = false;
        for (size_t k = 0; k < i && !named; k++) /* a product named twice is filed and told once */
            named = json_equal(json_array_get(products, k), v);
        if (named)
            continue;
        int rc = sw__filing_ensure(ctx, merchant, json_string_value(v), s, "pk", detail, &rid, err);
        if (rc || (rc = sw_sql_filing_get(ctx->conn, rid, &f, &found, err)))
            return rc;
        json_array_append_new(out, sw__filing_render(&f));
        sw_filing_row_release(&f);
    }
    return SW_OK;
}

static int f_pk(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL, *streamer = NULL, *reason = NULL;
    json_t *products = NULL;
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL},
        {"streamer", SW_J_ID, SW_J_REQUIRED, &streamer, 0, NULL},
        {"products", SW_J_STRARR, SW_J_REQUIRED, &products, SW_FILING_PRODUCTS_MAX, NULL},
        {"reason", SW_J_STR, 0, &reason, SW_FILING_NOTE_MAX, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    struct sw_streamer_info s;
    if (rc || (rc = sw__filing_store_may(ctx, merchant, err)) ||
        (rc = sw__streamer_info(ctx, streamer, &s, err)))
        return rc;
    if (!s.designated)
        return sw_fail(err, SW_E_STREAMER_NOT_DESIGNATED, "streamer",
                       "streamer '%s' is not designated: a PK with them needs no filing", streamer);
    if ((rc = pk_products_ok(ctx, merchant, products, err)))
        return rc;
    json_t *detail = reason && reason[0] ? json_pack("{s:s}", "note", reason) : NULL;
    json_t *out = json_array();
    rc = pk_file(ctx, merchant, products, &s, detail, out, err);
    json_decref(detail);
    if (rc == SW_OK)
        *result = json_pack("{s:{s:s,s:s},s:o}", "streamer", "id", s.id, "nickname", s.nickname,
                            "filings", out);
    else
        json_decref(out);
    return rc;
}

/* --- distribution: a streamer puts another store's product up --- */

static json_t *distribution_render(const struct sw_distribution_row *d)
{
    char id[SW_FILING_ID_BUF], fid[SW_FILING_ID_BUF];
    sw__filing_id("d", d->rid, id);
    sw__filing_id("f", d->filing, fid);
    return json_pack("{s:s,s:{s:s,s:o},s:s,s:s,s:o,s:o,s:o}", "id", id, "streamer", "id",
                     d->streamer, "nickname",
                     d->nickname[0] ? json_string(d->nickname) : json_null(), "product", d->product,
                     "merchant", d->merchant, "filing", d->filing ? json_string(fid) : json_null(),
                     "created_at", sw_json_instant(d->created_at), "created_by",
                     d->created_by ? json_deep_copy(d->created_by) : json_null());
}

json_t *sw__distribution_render(const struct sw_distribution_row *d)
{
    return distribution_render(d);
}

json_t *sw__streamer_render(const struct sw_streamer_row *s)
{
    return streamer_render(s);
}

static int distribute(struct sw_ctx *ctx, const char *streamer, const char *product,
                      const struct sw_product_info *pi, json_t **result, struct sw_error *err)
{
    struct sw_streamer_info s;
    int rc = sw__streamer_info(ctx, streamer, &s, err);
    struct sw_distribution_row d = {0};
    snprintf(d.streamer, sizeof d.streamer, "%s", streamer);
    snprintf(d.nickname, sizeof d.nickname, "%s", s.nickname);
    snprintf(d.product, sizeof d.product, "%s", product);
    snprintf(d.merchant, sizeof d.merchant, "%s", pi->merchant);
    d.created_at = ctx->now;
    if (rc == SW_OK && s.designated)
        rc = file_distribution(ctx, pi->merchant, product, &s, &d.filing, err);
    d.created_by = sw_ctx_actor(ctx);
    char id[SW_FILING_ID_BUF];
    if (rc == SW_OK && (rc = sw_sql_distribution_insert(ctx->conn, &d, err)) == SW_OK) {
        sw__filing_id("d", d.rid, id);
        *result = distribution_render(&d);
        rc = sw_ctx_emit(ctx, "distribution.created", d.merchant, id, json_incref(*result), err);
    }
    sw_distribution_row_release(&d);
    return rc;
}

static int d_create(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *product = NULL;
    struct sw_jfield f[] = {{"product", SW_J_ID, SW_J_REQUIRED, &product, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc)
        return rc;
    const char *streamer = sw_actor_streamer(ctx->actor);
    if (!streamer)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only a streamer distributes products");
    struct sw_product_info pi;
    if ((rc = sw_catalog_product_info(ctx, product, &pi, err)) == SW_E_NOT_FOUND)
        return sw_fail(err, SW_E_UNKNOWN_REFERENCE, "product", "unknown product '%s'", product);
    if (rc)
        return rc;
    json_decref(pi.findings);
    if (pi.status == SW_PRODUCT_BANNED)
        return sw_fail(err, SW_E_PRODUCT_BANNED, "product",
                       "product '%s' is banned: it cannot be distributed", product);
    struct sw_distribution_row d = {0};
    bool found = false;
    if ((rc = sw_sql_distribution_find(ctx->conn, streamer, product, &d, &found, err)))
        return rc;
    struct sw_streamer_info s;
    if (found && !d.filing && (rc = sw__streamer_info(ctx, streamer, &s, err)) == SW_OK &&
        s.designated) {
        /* put up before the streamer was designated, or while the product was banned: filed
         * now, as a distribution made now would be */
        rc = file_distribution(ctx, pi.merchant, product, &s, &d.filing, err);
        if (rc == SW_OK)
            rc = sw_sql_distribution_set_filing(ctx->conn, d.rid, d.filing, err);
    }
    if (found && rc == SW_OK)
        *result = distribution_render(&d);
    sw_distribution_row_release(&d);
    return found || rc ? rc : distribute(ctx, streamer, product, &pi, result, err);
}

/* A policy activated: its designated streamers (those no operator set through the API, whose
 * entry wins) act as one set through the API would — a streamer designated with a store files
 * that store's existing products (self_built), its distributions from before get their records,
 * and a new nickname is carried to the records naming it. All are no-ops for what is already
 * so, so every entry is looked at. */
static int on_policy(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    (void)ev;
    const struct sw_filing_policy *fp = &ctx->policy->filing;
    int rc = SW_OK;
    for (int i = 0; rc == SW_OK && i < fp->nstreamers; i++) {
        const struct sw_filing_streamer *p = &fp->streamers[i];
        struct sw_streamer_row row = {0};
        bool stored = false;
        if ((rc = sw_sql_streamer_get(ctx->conn, p->id, &row, &stored, err)) || stored) {
            sw_streamer_row_release(&row);
            continue;
        }
        struct sw_streamer_row s = {.designated = true};
        snprintf(s.id, sizeof s.id, "%s", p->id);
        snprintf(s.nickname, sizeof s.nickname, "%s", p->nickname);
        snprintf(s.merchant, sizeof s.merchant, "%s", p->merchant ? p->merchant : "");
        rc = sw__filing_rename(ctx, s.id, s.nickname, err);
        struct sw_merchant_info mi;
        int known = s.merchant[0] && rc == SW_OK
                        ? sw_catalog_merchant_info(ctx, s.merchant, &mi, err)
                        : SW_E_NOT_FOUND;
        if (rc == SW_OK && known == SW_OK)
            rc = backfill(ctx, &s, err);
        else if (rc == SW_OK && known != SW_E_NOT_FOUND)
            rc = known; /* a store named that does not exist (yet) has nothing to file */
        if (rc == SW_OK)
            rc = file_distributions(ctx, &s, err);
    }
    /* the new policy may ask for other documents: the open records show them */
    return rc ? rc : sw__filing_refresh_open(ctx, err);
}

int sw__filing_scenarios_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "streamer.put", s_put)) ||
        (rc = sw_engine_register(e, "filing.pk", f_pk)) ||
        (rc = sw_engine_register(e, "distribution.create", d_create)) ||
        (rc = sw_engine_subscribe_ids(e, "product.created", on_product_created)) ||
        (rc = sw_engine_subscribe(e, "product.updated", on_product_updated)) ||
        (rc = sw_engine_subscribe(e, "policy.activated", on_policy)))
        return rc;
    return SW_OK;
}
