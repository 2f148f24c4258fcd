/* Live sessions: the filing check of every product against the deadline, the cart (挂车) and
 * the zero-price lottery pre-approval (filing.h states the rules). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/filing/filing_int.h"

#define LOTTERY_MAX 200
/* a member of the body's pk object, as errors name it */
#define PK_FIELD(f) "pk." f

static json_t *party(const struct sw_streamer_info *s)
{
    return json_pack("{s:s,s:o,s:b}", "id", s->id, "nickname",
                     s->nickname[0] ? json_string(s->nickname) : json_null(), "designated",
                     s->designated);
}

static bool listed(const json_t *arr, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (strcmp(json_string_value(v), id) == 0)
            return true;
    }
    return false;
}

static json_t *lottery_render(const struct sw_lottery_row *l)
{
    char id[SW_FILING_ID_BUF], sid[SW_FILING_ID_BUF];
    sw__filing_id("la", l->rid, id);
    sw__filing_id("ls", l->session, sid);
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "id", id, "session", sid, "product", l->product,
                     "note", l->note ? json_string(l->note) : json_null(), "approved_by",
                     l->approved_by ? json_deep_copy(l->approved_by) : json_null(), "approved_at",
                     sw_json_instant(l->approved_at));
}

json_t *sw__session_render(const struct sw_session_row *s, json_t *lottery)
{
    char id[SW_FILING_ID_BUF];
    sw__filing_id("ls", s->rid, id);
    json_t *out = json_deep_copy(s->doc);
    json_t *accepted = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(s->doc, "products"), i, v)
    {
        if (json_is_true(json_object_get(v, "accepted")))
            json_array_append(accepted, json_object_get(v, "product"));
    }
    json_t *top = json_pack("{s:s,s:s,s:o,s:O,s:o,s:I,s:o,s:o,s:o}", "id", id, "merchant",
                            s->merchant, "accepted", accepted, "cart", s->cart, "lottery_approvals",
                            lottery ? lottery : json_array(), "version", (json_int_t)s->version,
                            "created_at", sw_json_instant(s->created_at), "created_by",
                            s->created_by ? json_deep_copy(s->created_by) : json_null(),
                            "updated_at", sw_json_instant(s->updated_at));
    json_object_update(out, top);
    json_decref(top);
    return out;
}

static int session_lottery(struct sw_conn *c, int64_t rid, json_t **out, struct sw_error *err)
{
    struct sw_lottery_row rows[LOTTERY_MAX];
    int n = 0;
    int rc = sw_sql_lottery_of_session(c, rid, LOTTERY_MAX, rows, &n, err);
    *out = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(*out, lottery_render(&rows[i]));
        sw_lottery_row_release(&rows[i]);
    }
    return rc;
}

int sw__session_full(struct sw_conn *c, const struct sw_session_row *s, json_t **out,
                     struct sw_error *err)
{
    json_t *lottery = NULL;
    int rc = session_lottery(c, s->rid, &lottery, err);
    if (rc) {
        json_decref(lottery);
        return rc;
    }
    *out = sw__session_render(s, lottery);
    return SW_OK;
}

/* --- the check --- */

struct check {
    const struct sw_streamer_info *s, *p; /* streamer and PK partner (p NULL without a PK) */
    const json_t *pk_products;
    sw_instant deadline_end;
};

/* One product's entry: which designated streamers it needs filing for, and the first refusal. */
static int check_product(struct sw_ctx *ctx, const struct check *k, const char *product,
                         json_t **entry, struct sw_error *err)
{
    const struct sw_streamer_info *need[2];
    int nneed = 0;
    if (k->s->designated)
        need[nneed++] = k->s;
    if (k->p && k->p->designated && listed(k->pk_products, product))
        need[nneed++] = k->p;
    enum sw_filing_refusal why = SW_FR_NONE;
    const char *failed = NULL;
    json_t *checked = json_array();
    for (int i = 0; i < nneed; i++) {
        struct sw_filing_row f = {0};
        bool found = false;
        int rc = sw_sql_filing_find(ctx->conn, product, need[i]->id, &f, &found, err);
        if (rc) {
            json_decref(checked);
            return rc;
        }
        enum sw_filing_status st = SW_FILING_PENDING;
        if (found && sw_filing_status_parse(f.status, &st) != SW_OK)
            st = SW_FILING_PENDING;
        enum sw_filing_refusal r = sw_filing_check(found, st, f.submitted_at, k->deadline_end);
        sw_filing_row_release(&f);
        json_array_append_new(checked, json_string(need[i]->id));
        if (r != SW_FR_NONE && why == SW_FR_NONE) {
            why = r;
            failed = need[i]->id;
        }
    }
    const char *reason = sw_filing_refusal_name(why);
    *entry =
        json_pack("{s:s,s:b,s:o,s:o,s:o,s:o}", "product", product, "accepted", why == SW_FR_NONE,
                  "reason", reason ? json_string(reason) : json_null(), "deadline",
                  nneed ? sw_json_instant(k->deadline_end - SW_US_PER_S) : json_null(), "streamer",
                  failed ? json_string(failed) : json_null(), "filing_for", checked);
    return SW_OK;
}

/* Whether store merchant may sell the product (of store owner) in a session of streamer: its
 * own, or one that streamer put up for distribution. Any other store's product is to be
 * answered as an unknown one: its filing state is not the store's to read. */
static int may_sell(struct sw_ctx *ctx, const char *merchant, const char *streamer,
                    const char *product, const char *owner, bool *ok, struct sw_error *err)
{
    *ok = strcmp(owner, merchant) == 0;
    if (*ok)
        return SW_OK;
    struct sw_distribution_row d = {0};
    int rc = sw_sql_distribution_find(ctx->conn, streamer, product, &d, ok, err);
    if (rc == SW_OK && *ok)
        sw_distribution_row_release(&d);
    return rc;
}

/* The session's products, the PK's added after them, each once; unknown ones, and those the
 * store may not sell, refused. */
static int all_products(struct sw_ctx *ctx, const char *merchant, const char *streamer,
                        const json_t *products, const json_t *pk_products, json_t **out,
                        struct sw_error *err)
{
    *out = json_array();
    const json_t *lists[2] = {products, pk_products};
    const char *names[2] = {"products", PK_FIELD("products")};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *v;
        json_array_foreach(lists[l], i, v)
        {
            const char *id = json_string_value(v);
            struct sw_product_info pi;
            bool ok = false;
            int rc = sw_catalog_product_info(ctx, id, &pi, err);
            if (rc == SW_OK) {
                json_decref(pi.findings);
                if ((rc = may_sell(ctx, merchant, streamer, id, pi.merchant, &ok, err)) == SW_OK &&
                    !ok)
                    rc = SW_E_NOT_FOUND;
            }
            if (rc == SW_E_NOT_FOUND) {
                char path[40];
                snprintf(path, sizeof path, "%s[%zu]", names[l], i);
                rc = sw_fail(err, SW_E_UNKNOWN_REFERENCE, path, "unknown product '%s'", id);
            }
            if (rc)
                return rc;
            if (!listed(*out, id))
                json_array_append(*out, v);
        }
    }
    if (json_array_size(*out) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "products", "a session sells at least one product");
    return SW_OK;
}

struct session_in {
    const char *merchant, *streamer, *partner;
    sw_instant start;
    json_t *products, *pk, *pk_products;
};

static int read_session(const json_t *in, struct session_in *si, struct sw_error *err)
{
    memset(si, 0, sizeof *si);
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, SW_J_REQUIRED, &si->merchant, 0, NULL},
        {"streamer", SW_J_ID, SW_J_REQUIRED, &si->streamer, 0, NULL},
        {"start", SW_J_INSTANT, SW_J_REQUIRED, &si->start, 0, NULL},
        {"products", SW_J_STRARR, SW_J_REQUIRED, &si->products, SW_FILING_PRODUCTS_MAX, NULL},
        {"pk", SW_J_OBJ, 0, &si->pk, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || !si->pk)
        return rc;
    struct sw_jfield pf[] = {
        {"partner", SW_J_ID, SW_J_REQUIRED, &si->partner, 0, NULL},
        {"products", SW_J_STRARR, SW_J_REQUIRED, &si->pk_products, SW_FILING_PRODUCTS_MAX, NULL},
    };
    if ((rc = sw_json_read(si->pk, "pk", pf, 2, true, err)))
        return rc;
    if (strcmp(si->partner, si->streamer) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, PK_FIELD("partner"),
                       "the PK partner is another streamer than the session's");
    return SW_OK;
}

static int session_doc(struct sw_ctx *ctx, const struct session_in *si, struct check *k,
                       json_t **doc, struct sw_error *err)
{
    json_t *all = NULL;
    int rc =
        all_products(ctx, si->merchant, si->streamer, si->products, si->pk_products, &all, err);
    int64_t day = sw_shanghai_day(si->start);
    bool needs = k->s->designated || (k->p && k->p->designated);
    if (rc == SW_OK && needs &&
        (rc = sw_filing_deadline(&ctx->policy->calendar, day, ctx->policy->filing.lead_working_days,
                                 &k->deadline_end, err)) &&
        !err->field[0])
        snprintf(err->field, sizeof err->field, "start");
    json_t *entries = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(rc == SW_OK ? all : NULL, i, v)
    {
        json_t *e = NULL;
        if (rc == SW_OK && (rc = check_product(ctx, k, json_string_value(v), &e, err)) == SW_OK)
            json_array_append_new(entries, e);
    }
    json_decref(all);
    char date[16];
    *doc = json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "streamer", party(k->s), "pk",
        k->p ? json_pack("{s:o,s:O}", "partner", party(k->p), "products", si->pk_products)
             : json_null(),
        "start", sw_json_instant(si->start), "deadline",
        needs && rc == SW_OK ? sw_json_instant(k->deadline_end - SW_US_PER_S) : json_null(),
        "products", entries, "policy_version", json_string(ctx->policy->version), "local_date",
        sw_date_format(day, date));
    return rc;
}

static int ls_create(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct session_in si;
    struct sw_streamer_info s, p;
    int rc = read_session(in, &si, err);
    if (rc || (rc = sw__filing_store_may(ctx, si.merchant, err)) ||
        (rc = sw__streamer_info(ctx, si.streamer, &s, err)) ||
        (si.partner && (rc = sw__streamer_info(ctx, si.partner, &p, err))))
        return rc;
    struct check k = {&s, si.partner ? &p : NULL, si.pk_products, 0};
    struct sw_session_row row = {0};
    if ((rc = session_doc(ctx, &si, &k, &row.doc, err)) == SW_OK) {
        snprintf(row.merchant, sizeof row.merchant, "%s", si.merchant);
        snprintf(row.streamer, sizeof row.streamer, "%s", si.streamer);
        snprintf(row.partner, sizeof row.partner, "%s", si.partner ? si.partner : "");
        row.start_at = si.start;
        row.cart = json_array();
        row.created_by = sw_ctx_actor(ctx);
        row.created_at = row.updated_at = ctx->now;
        row.version = 1;
        char id[SW_FILING_ID_BUF];
        if ((rc = sw_sql_session_insert(ctx->conn, &row, err)) == SW_OK) {
            sw__filing_id("ls", row.rid, id);
            *result = sw__session_render(&row, NULL);
            rc = sw_ctx_emit(ctx, "live_session.created", row.merchant, id, json_incref(*result),
                             err);
        }
    }
    sw_session_row_release(&row);
    return rc;
}

/* --- the cart --- */

static int load_session(struct sw_ctx *ctx, const char *id, bool staff_ok, struct sw_session_row *s,
                        struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    int64_t rid;
    bool found = false;
    int rc;
    if (sw__filing_parse_id("ls", id, &rid) &&
        (rc = sw_sql_session_get(ctx->conn, rid, s, &found, err)))
        return rc;
    if (found && ((own && strcmp(own, s->merchant) != 0) ||
                  (!own && !(staff_ok && sw_actor_is_staff(ctx->actor))))) {
        sw_session_row_release(s);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown live session '%s'", id);
}

static const json_t *entry_of(const struct sw_session_row *s, const char *product)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(s->doc, "products"), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "product")), product) == 0)
            return v;
    }
    return NULL;
}

/* The product's records must still pass the session's check (an edit may have reset one). */
static int still_filed(struct sw_ctx *ctx, const struct sw_session_row *s, const json_t *e,
                       const char *product, struct sw_error *err)
{
    sw_instant end = 0;
    const char *dl = json_string_value(json_object_get(e, "deadline"));
    struct sw_error perr;
    if (dl && sw_instant_parse(dl, strlen(dl), &end, &perr) == SW_OK)
        end += SW_US_PER_S;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(e, "filing_for"), i, v)
    {
        struct sw_filing_row f = {0};
        bool found = false;
        int rc = sw_sql_filing_find(ctx->conn, product, json_string_value(v), &f, &found, err);
        if (rc)
            return rc;
        enum sw_filing_status st = SW_FILING_PENDING;
        if (found && sw_filing_status_parse(f.status, &st) != SW_OK)
            st = SW_FILING_PENDING;
        enum sw_filing_refusal r = sw_filing_check(found, st, f.submitted_at, end);
        sw_filing_row_release(&f);
        if (r != SW_FR_NONE)
            return sw_fail(err, SW_E_FILING_REQUIRED, "product",
                           "product '%s' is no longer filed for streamer '%s' (%s)", product,
                           json_string_value(v), sw_filing_refusal_name(r));
    }
    (void)s;
    return SW_OK;
}

static bool designated_session(const struct sw_session_row *s)
{
    return json_is_true(json_object_get(json_object_get(s->doc, "streamer"), "designated")) ||
           json_is_true(json_object_get(json_object_get(json_object_get(s->doc, "pk"), "partner"),
                                        "designated"));
}

static int cart_allowed(struct sw_ctx *ctx, const struct sw_session_row *s, const char *sid,
                        const char *product, struct sw_error *err)
{
    const json_t *e = entry_of(s, product);
    if (!e)
        return sw_fail(err, SW_E_FILING_REQUIRED, "product",
                       "product '%s' is not in live session '%s'", product, sid);
    if (!json_is_true(json_object_get(e, "accepted")))
        return sw_fail(err, SW_E_FILING_REQUIRED, "product",
                       "product '%s' was refused for live session '%s' (%s)", product, sid,
                       json_string_value(json_object_get(e, "reason")));
    int rc = still_filed(ctx, s, e, product, err);
    struct sw_product_info pi;
    if (rc || (rc = sw_catalog_product_info(ctx, product, &pi, err)))
        return rc;
    json_decref(pi.findings);
    if (pi.price_fen != 0 || !designated_session(s))
        return SW_OK;
    struct sw_lottery_row l = {0};
    bool found = false;
    if ((rc = sw_sql_lottery_find(ctx->conn, s->rid, product, &l, &found, err)))
        return rc;
    sw_lottery_row_release(&l);
    if (!found)
        return sw_fail(err, SW_E_LOTTERY_NOT_APPROVED, "product",
                       "product '%s' is a zero-price lottery item: an operator must pre-approve "
                       "it for live session '%s'",
                       product, sid);
    return SW_OK;
}

static int ls_cart(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *product = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"product", SW_J_ID, SW_J_REQUIRED, &product, 0, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_merchant(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the session's store fills its cart");
    struct sw_session_row s = {0};
    if ((rc = load_session(ctx, id, false, &s, err)))
        return rc;
    if ((rc = sw_if_version(&iv, s.version, "live session", id, err)) == SW_OK &&
        (rc = cart_allowed(ctx, &s, id, product, err)) == SW_OK && !listed(s.cart, product)) {
        json_array_append_new(s.cart, json_string(product));
        s.version++;
        s.updated_at = ctx->now;
        if ((rc = sw_sql_session_update(ctx->conn, &s, err)) == SW_OK) {
            json_t *ev = sw__session_render(&s, NULL);
            json_object_set_new(ev, "product", json_string(product));
            rc = sw_ctx_emit(ctx, "live_session.carted", s.merchant, id, ev, err);
        }
    }
    if (rc == SW_OK)
        rc = sw__session_full(ctx->conn, &s, result, err);
    sw_session_row_release(&s);
    return rc;
}

/* --- lottery pre-approval --- */

static int la_approve(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *session = NULL, *product = NULL, *note = NULL;
    struct sw_jfield f[] = {
        {"session", SW_J_ID, SW_J_REQUIRED, &session, 0, NULL},
        {"product", SW_J_ID, SW_J_REQUIRED, &product, 0, NULL},
        {"note", SW_J_STR, 0, &note, SW_FILING_NOTE_MAX, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators pre-approve lottery items");
    struct sw_session_row s = {0};
    if ((rc = load_session(ctx, session, true, &s, err)) == SW_E_NOT_FOUND)
        return sw_fail(err, SW_E_UNKNOWN_REFERENCE, "session", "unknown live session '%s'",
                       session);
    if (rc)
        return rc;
    struct sw_lottery_row l = {0};
    bool found = false;
    if (!entry_of(&s, product))
        rc = sw_fail(err, SW_E_UNKNOWN_REFERENCE, "product",
                     "product '%s' is not in live session '%s'", product, session);
    else if ((rc = sw_sql_lottery_find(ctx->conn, s.rid, product, &l, &found, err)) == SW_OK &&
             !found) {
        l.session = s.rid;
        snprintf(l.product, sizeof l.product, "%s", product);
        l.note = note && note[0] ? strdup(note) : NULL;
        l.approved_by = sw_ctx_actor(ctx);
        l.approved_at = ctx->now;
        char id[SW_FILING_ID_BUF];
        if ((rc = sw_sql_lottery_insert(ctx->conn, &l, err)) == SW_OK) {
            sw__filing_id("la", l.rid, id);
            rc = sw_ctx_emit(ctx, "lottery.approved", s.merchant, id, lottery_render(&l), err);
        }
    }
    if (rc == SW_OK)
        *result = lottery_render(&l);
    sw_lottery_row_release(&l);
    sw_session_row_release(&s);
    return rc;
}

int sw__filing_sessions_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "live_session.create", ls_create)) ||
        (rc = sw_engine_register(e, "live_session.cart", ls_cart)) ||
        (rc = sw_engine_register(e, "lottery.approve", la_approve)))
        return rc;
    return SW_OK;
}
