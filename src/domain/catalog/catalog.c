#include "domain/catalog/catalog.h"
#include "domain/catalog/catalog_int.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/instant.h"
#include "base/json.h"
#include "base/money.h"
#include "scan/scan.h"
#include "store/catalog_sql.h"

#define PRODUCT_IDMAP SW__PRODUCT_IDMAP
#define STORE_PRODUCTS SW__STORE_PRODUCTS
#define STORE_STATUS SW__STORE_STATUS
#define MAX_STOCK 1000000000

int sw__catalog_merchant_row(struct sw_conn *c, const char *id, struct sw_merchant_row *m,
                             struct sw_error *err)
{
    bool found;
    int rc = sw_sql_merchant_get(c, id, m, &found, err);
    if (rc == SW_OK && !found)
        rc = sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", id);
    return rc;
}

/* ---------- loading state ---------- */

int sw__catalog_load_merchant(struct sw_ctx *ctx, const char *id, struct sw_merchant_row *m,
                              struct sw_error *err)
{
    int rc = sw__catalog_merchant_row(ctx->conn, id, m, err);
    const char *own = sw_actor_merchant(ctx->actor);
    if (rc == SW_OK && own && strcmp(own, id) != 0) {
        json_decref(m->categories);
        rc = sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", id);
    }
    return rc;
}

/* Loads a product the actor may see: a merchant key sees only its own store's (others' are
 * not_found, exactly as if they did not exist). With doc_text, the doc is left as its stored
 * JSON text (malloc'd, p->doc NULL) for paths that never look inside it. */
static int load_product(struct sw_ctx *ctx, const char *id, struct sw_product_row *p,
                        char **doc_text, struct sw_error *err)
{
    struct sw_idmap *map = sw_engine_find_idmap(ctx->engine, PRODUCT_IDMAP);
    uint64_t rid;
    bool found = false;
    if (sw_ctx_idmap_get(ctx, map, id, &rid)) {
        int rc = doc_text
                     ? sw_sql_product_get_text(ctx->conn, (int64_t)rid, p, doc_text, &found, err)
                     : sw_sql_product_get(ctx->conn, (int64_t)rid, p, &found, err);
        if (rc)
            return rc;
    }
    const char *own = sw_actor_merchant(ctx->actor);
    if (!found || (own && strcmp(own, p->merchant) != 0)) {
        if (found) {
            json_decref(p->doc);
            if (doc_text) {
                free(*doc_text);
                *doc_text = NULL;
            }
        }
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown product '%s'", id);
    }
    return SW_OK;
}

static int merchant_status_of(struct sw_ctx *ctx, const char *merchant, enum sw_merchant_status *ms,
                              struct sw_error *err)
{
    uint64_t v;
    if (!sw_ctx_idmap_get(ctx, sw_engine_find_idmap(ctx->engine, STORE_STATUS), merchant, &v) ||
        v == 0 || v > SW_MERCHANT_STATUS_COUNT)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    *ms = (enum sw_merchant_status)(v - 1);
    return SW_OK;
}

int sw__catalog_set_merchant_status(struct sw_ctx *ctx, const char *merchant,
                                    enum sw_merchant_status ms, struct sw_error *err)
{
    return sw_ctx_idmap_put(ctx, sw_engine_find_idmap(ctx->engine, STORE_STATUS), merchant,
                            (uint64_t)ms + 1, err);
}

int sw__catalog_refuse_transition(int code, const char *what, const char *id, const char *state,
                                  struct sw_error *err)
{
    switch (code) {
    case SW_E_MERCHANT_CLEARED:
        return sw_fail(err, code, NULL, "the store was cleared; cannot %s '%s'", what, id);
    case SW_E_MERCHANT_RESTRICTED:
        return sw_fail(err, code, NULL, "the store is restricted; cannot %s '%s'", what, id);
    case SW_E_PRODUCT_BANNED:
        return sw_fail(err, code, NULL, "product '%s' is banned; cannot %s it", id, what);
    default:
        return sw_fail(err, code, NULL, "cannot %s '%s' while it is %s", what, id, state);
    }
}

/* ---------- product commands ---------- */

/* Scans the product as it now is (RULES.md §3 content violations) and keeps the result in its
 * doc under "scan". *found receives the findings when there are any (else NULL), for
 * emit_scanned. A command sent through sw_engine_execute was scanned before it reached the
 * writer (prepare.c): here it is only checked to have been scanned for this very state, so
 * that the writer never spends time a client controls on one store's text. */
int sw__catalog_scan_product(struct sw_ctx *ctx, struct sw_product_row *p, json_t **found,
                             struct sw_error *err)
{
    json_t *findings = NULL;
    unsigned flags = 0;
    *found = NULL;
    int rc = ctx->prepared
                 ? sw__catalog_take_prepared(ctx->prepared, ctx->policy, p, &flags, &findings, err)
                 : sw__catalog_scan_row(ctx->policy, p, &flags, &findings, err);
    if (rc)
        return rc;
    p->scan_flags = flags;
    json_t *block = json_pack("{s:s,s:I,s:O}", "policy_version", ctx->policy->version,
                              "product_version", (json_int_t)p->version, "findings", findings);
    if (flags & SW_SCAN_TRUNCATED)
        json_object_set_new(block, "truncated", json_true());
    /* The types that keep it off sale under this policy (listing_blocked), for the merchant. */
    json_object_set_new(block, "blocking", sw__catalog_blocking_types(ctx->policy, findings));
    json_object_set_new(p->doc, "scan", block);
    if (json_array_size(findings) > 0)
        *found = findings;
    else
        json_decref(findings);
    return SW_OK;
}

/* product.scanned, after the event of the change it follows; steals findings. `listed` says
 * whether the product is on sale, which decides what the findings do (the policy's
 * on_listed / on_unlisted). */
int sw__catalog_emit_scanned(struct sw_ctx *ctx, const struct sw_product_row *p,
                             const char *trigger, json_t *findings, struct sw_error *err)
{
    if (!findings)
        return SW_OK;
    json_t *ev =
        json_pack("{s:s,s:I,s:s,s:s,s:b,s:o}", "id", p->id, "version", (json_int_t)p->version,
                  "trigger", trigger, "policy_version", ctx->policy->version, "listed",
                  strcmp(p->status, "listed") == 0, "findings", findings);
    return sw_ctx_emit(ctx, "product.scanned", p->merchant, p->id, ev, err);
}

/* Keeps product_spus in step with a product's spu_id (old doc -> new doc; NULL = none). */
static int index_spu(struct sw_ctx *ctx, const json_t *old_doc, const json_t *new_doc, int64_t rid,
                     struct sw_error *err)
{
    const char *was = json_string_value(json_object_get(old_doc, "spu_id"));
    const char *is = json_string_value(json_object_get(new_doc, "spu_id"));
    if ((was && is && strcmp(was, is) == 0) || (!was && !is))
        return SW_OK;
    int rc = was ? sw_sql_spu_put(ctx->conn, was, rid, false, err) : SW_OK;
    return rc == SW_OK && is ? sw_sql_spu_put(ctx->conn, is, rid, true, err) : rc;
}

/* The product as stored now, after the subscribers of its events ran (a scratch run's
 * answers are not read: {} there). */
static int render_stored(struct sw_ctx *ctx, int64_t rid, json_t **out, struct sw_error *err)
{
    struct sw_product_row p;
    bool found;
    if (ctx->results_unread) {
        *out = json_object();
        return *out ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    int rc = sw_sql_product_get(ctx->conn, rid, &p, &found, err);
    if (rc)
        return rc;
    if (!found)
        return sw_fail(err, SW_E_INTERNAL, NULL, "product vanished");
    *out = sw__catalog_render_product(&p);
    json_decref(p.doc);
    return SW_OK;
}

int sw__catalog_read_owner_stock(const json_t *in, const char **merchant, int64_t *stock,
                                 struct sw_error *err)
{
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, 0, merchant, 0, NULL},
        {"stock", SW_J_INT, 0, stock, MAX_STOCK, NULL},
    };
    return sw_json_read(in, "", f, sizeof f / sizeof f[0], false, err);
}

int sw__catalog_read_head(const json_t *in, bool create, const char **id, const char **merchant,
                          int64_t *stock, struct sw_error *err)
{
    unsigned req = create ? SW_J_REQUIRED : 0;
    const char *text = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, req, id, 0, NULL}};
    struct sw_jfield g[] = {
        {"title", SW_J_STR, req, &text, 1 << 20, NULL},
        {"category", SW_J_STR, req, &text, 48, NULL},
    };
    if (sw_json_read(in, "", f, 1, false, err) ||
        sw__catalog_read_owner_stock(in, merchant, stock, err) ||
        sw_json_read(in, "", g, sizeof g / sizeof g[0], false, err))
        return err->code;
    return SW_OK;
}

static int product_create(struct sw_ctx *ctx, const json_t *in, json_t **result,
                          struct sw_error *err)
{
    const char *id = NULL, *merchant = NULL;
    int64_t stock = 0;
    if (sw__catalog_read_head(in, true, &id, &merchant, &stock, err))
        return sw__catalog_first_error(in, ctx->policy, err);
    if (json_object_get(in, "if_version")) /* a new product has no version to expect */
        return sw_fail(err, SW_E_UNKNOWN_FIELD, "if_version", "unknown field 'if_version'");
    const char *own = sw_actor_merchant(ctx->actor);
    if (own && merchant && strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "merchant", "unknown merchant '%s'", merchant);
    if (own)
        merchant = own;
    if (!merchant) {
        sw_fail(err, SW_E_MISSING_FIELD, "merchant", "missing field 'merchant'");
        return sw__catalog_first_error(in, ctx->policy, err);
    }
    int64_t price = 0;
    bool has_price;
    if (sw_json_read_amount(in, "price", &price, &has_price, err) != SW_OK)
        return sw__catalog_first_error(in, ctx->policy, err);
    if (!has_price) { /* an unknown field comes first: price_yuan is a misspelt price */
        sw_fail(err, SW_E_MISSING_FIELD, "price", "missing field 'price' (or 'price_fen')");
        return sw__catalog_first_error(in, ctx->policy, err);
    }

    struct sw_product_row p = {.price_fen = price, .stock = stock, .version = 1};
    p.doc = json_object();
    int rc = sw__catalog_apply_doc(in, p.doc, ctx->policy, NULL,
                                   err); /* a new product: no list of changes */
    enum sw_merchant_status ms = SW_MERCHANT_ACTIVE;
    if (rc == SW_OK && (rc = merchant_status_of(ctx, merchant, &ms, err)) == SW_OK &&
        ms == SW_MERCHANT_CLEARED)
        rc = sw_fail(err, SW_E_MERCHANT_CLEARED, "merchant",
                     "the store '%s' was cleared; it cannot create products", merchant);
    if (rc == SW_OK)
        rc = sw__catalog_check_category(ctx, merchant,
                                        json_string_value(json_object_get(p.doc, "category")), err);
    uint64_t existing;
    struct sw_idmap *map = sw_engine_find_idmap(ctx->engine, PRODUCT_IDMAP);
    if (rc == SW_OK && sw_ctx_idmap_get(ctx, map, id, &existing))
        rc = sw_fail(err, SW_E_ALREADY_EXISTS, "id", "product '%s' already exists", id);
    if (rc) {
        json_decref(p.doc);
        return rc;
    }
    snprintf(p.id, sizeof p.id, "%s", id);
    snprintf(p.merchant, sizeof p.merchant, "%s", merchant);
    snprintf(p.status, sizeof p.status, "delisted");
    p.created_at = p.updated_at = ctx->now;
    /* The hot path: the doc is serialised once, for the row, and the product.created payload
     * (also the answer) is rendered around that text, with no JSON tree for the view. */
    json_t *found = NULL;
    char *doc = NULL, *view = NULL;
    if ((rc = sw__catalog_scan_product(ctx, &p, &found, err)) == SW_OK &&
        !(doc = sw_json_dump(p.doc)))
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise product");
    if (rc == SW_OK &&
        ((rc = sw_sql_product_insert(ctx->conn, &p, doc, err)) ||
         (rc = index_spu(ctx, NULL, p.doc, p.rid, err)) ||
         (rc = sw_ctx_idmap_put(ctx, map, id, (uint64_t)p.rid, err)) ||
         (rc = sw_ctx_idlist_append(ctx, sw_engine_find_idlist(ctx->engine, STORE_PRODUCTS),
                                    merchant, p.rid, err))) == SW_OK &&
        !(view = sw__catalog_render_product_text(&p, doc)))
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "cannot render product");
    json_decref(p.doc);
    free(doc);
    int64_t seq = 0;
    if (rc == SW_OK)
        rc = sw_ctx_emit_text(ctx, "product.created", merchant, id, view, &seq, err);
    bool had_findings = found != NULL;
    if (rc == SW_OK)
        rc = sw__catalog_emit_scanned(ctx, &p, "created", found, err);
    else
        json_decref(found);
    /* What the findings led to (a ban), or another module's mark (a tag), is part of the
     * answer: the product as stored then, when it moved on from what was inserted. */
    int64_t stored = p.version;
    if (rc == SW_OK && !had_findings)
        rc = sw_sql_product_version(ctx->conn, p.rid, &stored, err);
    if (rc || had_findings || stored != p.version) {
        free(view);
        return rc ? rc : render_stored(ctx, p.rid, result, err);
    }
    ctx->result_text = view;
    ctx->result_event = seq;
    return SW_OK;
}

/* May this product be edited (it stays in its store, and the store allows edits)? */
static int check_editable(struct sw_ctx *ctx, const struct sw_product_row *p, const char *merchant,
                          const char *id, struct sw_error *err)
{
    if (merchant && strcmp(merchant, p->merchant) != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "merchant", "a product cannot change store");
    enum sw_merchant_status ms = SW_MERCHANT_ACTIVE;
    enum sw_product_status ps = SW_PRODUCT_DELISTED, next;
    int rc = merchant_status_of(ctx, p->merchant, &ms, err);
    if (rc)
        return rc;
    sw_product_status_parse(p->status, &ps);
    if ((rc = sw_product_transition(ps, SW_PA_EDIT, ms, &next)))
        sw__catalog_refuse_transition(rc, "edit", id, p->status, err);
    return rc;
}

/* Price and stock live in columns; a changed one is appended to `changed`. */
static void apply_columns(struct sw_product_row *p, bool has_price, int64_t price, bool has_stock,
                          int64_t stock, json_t *changed)
{
    if (has_price && price != p->price_fen) {
        p->price_fen = price;
        json_array_append_new(changed, json_string("price_fen"));
    }
    if (has_stock && stock != p->stock) {
        p->stock = stock;
        json_array_append_new(changed, json_string("stock"));
    }
}

/* Writes an edit that changed something and emits product.updated with what changed, the key
 * fields among them, and their new values. p->doc is NULL on the fast path (stock, or a price
 * the text does not state); otherwise the product is scanned again. */
static int save_update(struct sw_ctx *ctx, struct sw_product_row *p, const char *id,
                       json_t *changed, struct sw_error *err)
{
    p->version++;
    p->updated_at = ctx->now;
    json_t *found = NULL;
    int rc;
    if (p->doc && (rc = sw__catalog_scan_product(ctx, p, &found, err)))
        return rc;
    rc = sw_sql_product_update(ctx->conn, p, p->doc != NULL, err);
    if (rc) {
        json_decref(found);
        return rc;
    }
    json_t *after = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(changed, i, c)
    {
        const char *name = json_string_value(c);
        json_t *v = NULL;
        if (strcmp(name, "price_fen") == 0)
            v = json_integer(p->price_fen);
        else if (strcmp(name, "stock") == 0)
            v = json_integer(p->stock);
        else if (p->doc && json_object_get(p->doc, name))
            v = json_incref(json_object_get(p->doc, name));
        json_object_set_new(after, name, v ? v : json_null());
    }
    json_t *ev = json_pack("{s:s,s:I,s:O,s:o,s:o}", "id", id, "version", (json_int_t)p->version,
                           "changed", changed, "key_fields_changed",
                           sw__catalog_key_fields_of(changed), "after", after);
    bool block = strcmp(p->status, "listed") == 0 && sw__catalog_blocks(ctx->policy, found, true);
    rc = sw_ctx_emit(ctx, "product.updated", p->merchant, id, ev, err);
    if (rc == SW_OK)
        rc = sw__catalog_emit_scanned(ctx, p, "updated", found, err);
    else
        json_decref(found);
    return rc == SW_OK && block ? sw__catalog_delist_blocked(ctx, p->rid, NULL, err) : rc;
}

/* Only the columns kept outside the doc: price and stock. The common case (stock and price
 * feeds) needs neither the doc parsed nor the product rebuilt as a JSON object. */
bool sw__catalog_columns_only(const json_t *in)
{
    static const char *const allowed[] = {"id",    "merchant",   "price", "price_fen",
                                          "stock", "if_version", NULL};
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)in, k, v)
    {
        int i = 0;
        while (allowed[i] && strcmp(allowed[i], k) != 0)
            i++;
        if (!allowed[i])
            return false;
    }
    return true;
}

/* Price and stock only. The product is scanned again only when the price changes and its
 * text states a price (scan_flags, from its last scan); otherwise neither the doc is parsed
 * nor the product rebuilt as a JSON object, and the result is rendered as text. */
static int update_columns(struct sw_ctx *ctx, const char *id, const char *merchant, bool has_price,
                          int64_t price, bool has_stock, int64_t stock,
                          const struct sw_if_version *iv, json_t **result, struct sw_error *err)
{
    struct sw_product_row p = {0};
    char *doc = NULL;
    int rc = load_product(ctx, id, &p, &doc, err);
    if (rc)
        return rc;
    if ((rc = sw_if_version(iv, p.version, "product", id, err))) {
        free(doc);
        return rc;
    }
    bool rescan = has_price && price != p.price_fen && (p.scan_flags & SW_SCAN_STATES_PRICE);
    if (rescan && !(p.doc = json_loads(doc, 0, NULL)))
        p.doc = json_object();
    json_t *changed = json_array();
    if ((rc = check_editable(ctx, &p, merchant, id, err)) == SW_OK) {
        apply_columns(&p, has_price, price, has_stock, stock, changed);
        if (json_array_size(changed) > 0)
            rc = save_update(ctx, &p, id, changed, err);
    }
    json_decref(changed);
    if (rc == SW_OK && rescan)
        rc = render_stored(ctx, p.rid, result, err);
    else if (rc == SW_OK && !(ctx->result_text = sw__catalog_render_product_text(&p, doc)))
        rc = sw_fail(err, SW_E_INTERNAL, NULL, "product too large to render");
    json_decref(p.doc);
    free(doc);
    return rc;
}

/* A product moved to another category stays within its store's categories. */
static int check_category_change(struct sw_ctx *ctx, const struct sw_product_row *p,
                                 const json_t *changed, struct sw_error *err)
{
    size_t i;
    json_t *c;
    json_array_foreach(changed, i, c)
    {
        if (strcmp(json_string_value(c), "category") == 0)
            return sw__catalog_check_category(
                ctx, p->merchant, json_string_value(json_object_get(p->doc, "category")), err);
    }
    return SW_OK;
}

static int product_update(struct sw_ctx *ctx, const json_t *in, json_t **result,
                          struct sw_error *err)
{
    const char *id = NULL, *merchant = NULL;
    int64_t stock = 0;
    bool has_stock = false;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"merchant", SW_J_ID, 0, &merchant, 0, NULL},
        {"stock", SW_J_INT, 0, &stock, MAX_STOCK, &has_stock},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], false, err);
    if (rc)
        return sw__catalog_first_error(in, ctx->policy, err);
    int64_t price = 0;
    bool has_price = false;
    if (sw_json_read_amount(in, "price", &price, &has_price, err) != SW_OK)
        return sw__catalog_first_error(in, ctx->policy, err);
    if (sw__catalog_columns_only(in))
        return update_columns(ctx, id, merchant, has_price, price, has_stock, stock, &iv, result,
                              err);
    struct sw_product_row p = {0};
    if ((rc = load_product(ctx, id, &p, NULL, err)))
        return rc;
    if ((rc = sw_if_version(&iv, p.version, "product", id, err))) {
        json_decref(p.doc);
        return rc;
    }
    json_t *changed = json_array();
    json_t *spu_was = json_pack("{s:O?}", "spu_id", json_object_get(p.doc, "spu_id"));
    if ((rc = check_editable(ctx, &p, merchant, id, err)) == SW_OK &&
        (rc = sw__catalog_apply_doc(in, p.doc, ctx->policy, changed, err)) == SW_OK &&
        (rc = check_category_change(ctx, &p, changed, err)) == SW_OK)
        rc = index_spu(ctx, spu_was, p.doc, p.rid, err);
    json_decref(spu_was);
    if (rc == SW_OK) {
        apply_columns(&p, has_price, price, has_stock, stock, changed);
        if (json_array_size(changed) > 0)
            rc = save_update(ctx, &p, id, changed, err);
    }
    json_decref(changed);
    if (rc == SW_OK)
        rc = render_stored(ctx, p.rid, result, err);
    json_decref(p.doc);
    return rc;
}

struct move {
    enum sw_product_action action;
    const char *verb;
    const char *event;
    bool staff_only;
    bool by_hand; /* an operator's own ban or unban (SW_MARK_OPERATOR_BAN) */
};

/* A restricted store may not list: the refusal names what holds it (an operator's restriction,
 * a deposit below its requirement, a rectification report owed), as GET /v1/merchants/{id}
 * lists them in `holds`. */
static int refuse_restricted(struct sw_ctx *ctx, const char *merchant, const char *verb,
                             const char *id, struct sw_error *err)
{
    struct sw_merchant_info mi;
    if (sw_catalog_merchant_info(ctx, merchant, &mi, err) != SW_OK)
        return sw__catalog_refuse_transition(SW_E_MERCHANT_RESTRICTED, verb, id, "", err);
    char holds[160] = "";
    size_t n = 0;
    for (int i = 0; i < SW_HOLD_COUNT; i++)
        if (mi.holds & (1u << i) && n < sizeof holds)
            n += (size_t)snprintf(holds + n, sizeof holds - n, "%s%s", n ? ", " : "",
                                  sw_hold_name(1u << i));
    return sw_fail(err, SW_E_MERCHANT_RESTRICTED, NULL,
                   "the store is restricted (holds: %s); cannot %s '%s'", holds, verb, id);
}

/* Applies a move to a loaded product: the transition, the row, the event. */
static int move_product(struct sw_ctx *ctx, struct sw_product_row *p, const struct move *mv,
                        const char *reason, const char *violation, struct sw_error *err)
{
    enum sw_merchant_status ms = SW_MERCHANT_ACTIVE;
    enum sw_product_status ps = SW_PRODUCT_DELISTED, next;
    int rc = merchant_status_of(ctx, p->merchant, &ms, err);
    if (rc)
        return rc;
    sw_product_status_parse(p->status, &ps);
    if ((rc = sw_product_transition(ps, mv->action, ms, &next)) == SW_E_MERCHANT_RESTRICTED)
        return refuse_restricted(ctx, p->merchant, mv->verb, p->id, err);
    if (rc)
        return sw__catalog_refuse_transition(rc, mv->verb, p->id, p->status, err);
    char from[16];
    snprintf(from, sizeof from, "%s", p->status);
    snprintf(p->status, sizeof p->status, "%s", sw_product_status_name(next));
    if (mv->by_hand && mv->action == SW_PA_BAN)
        p->tags |= SW_MARK_OPERATOR_BAN;
    else if (mv->action == SW_PA_UNBAN)
        p->tags &= ~(int64_t)SW_MARK_OPERATOR_BAN;
    p->version++;
    p->updated_at = ctx->now;
    json_t *penalise = NULL; /* findings that become violations once it is on sale */
    bool rescanned = false;
    if (mv->action == SW_PA_LIST &&
        (rc = sw__catalog_review_listing(ctx, p, &rescanned, &penalise, err)))
        return rc;
    if ((rc = sw_sql_product_update(ctx->conn, p, rescanned, err))) {
        json_decref(penalise);
        return rc;
    }
    json_t *ev = json_pack("{s:s,s:s,s:s,s:I,s:o}", "id", p->id, "from", from, "to", p->status,
                           "version", (json_int_t)p->version, "by", sw_ctx_actor(ctx));
    if (reason)
        json_object_set_new(ev, "reason", json_string(reason));
    if (violation)
        json_object_set_new(ev, "violation", json_string(violation));
    rc = sw_ctx_emit(ctx, mv->event, p->merchant, p->id, ev, err);
    if (rc == SW_OK)
        return sw__catalog_emit_scanned(ctx, p, "listed", penalise, err);
    json_decref(penalise);
    return rc;
}

int sw__catalog_delist_blocked(struct sw_ctx *ctx, int64_t rid, bool *moved, struct sw_error *err)
{
    static const struct move mv = {SW_PA_DELIST, "delist", "product.delisted", false, false};
    struct sw_product_row p;
    bool found;
    int rc = sw_sql_product_get(ctx->conn, rid, &p, &found, err);
    if (rc || !found)
        return rc;
    bool listed = strcmp(p.status, "listed") == 0; /* not when a violation banned it meanwhile */
    if (listed)
        rc = move_product(ctx, &p, &mv, "listing_blocked", NULL, err);
    if (moved)
        *moved = listed && rc == SW_OK;
    json_decref(p.doc);
    return rc;
}

static int product_move(struct sw_ctx *ctx, const json_t *in, json_t **result,
                        const struct move *mv, struct sw_error *err)
{
    const char *id = NULL, *reason = NULL, *violation = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"reason", SW_J_STR, 0, &reason, 512, NULL},
        {"violation", SW_J_ID, 0, &violation, 0, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (mv->staff_only && !sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may %s products", mv->verb);
    struct sw_product_row p = {0};
    if ((rc = load_product(ctx, id, &p, NULL, err)))
        return rc;
    rc = sw_if_version(&iv, p.version, "product", id, err);
    if (rc == SW_OK)
        rc = move_product(ctx, &p, mv, reason, violation, err);
    if (rc == SW_OK) /* as stored: what the move led to (a tag removed) included */
        rc = render_stored(ctx, p.rid, result, err);
    json_decref(p.doc);
    return rc;
}

static int product_list(struct sw_ctx *ctx, const json_t *in, json_t **r, struct sw_error *e)
{
    static const struct move mv = {SW_PA_LIST, "list", "product.listed", false, false};
    return product_move(ctx, in, r, &mv, e);
}

static int product_delist(struct sw_ctx *ctx, const json_t *in, json_t **r, struct sw_error *e)
{
    static const struct move mv = {SW_PA_DELIST, "delist", "product.delisted", false, false};
    return product_move(ctx, in, r, &mv, e);
}

static int product_ban(struct sw_ctx *ctx, const json_t *in, json_t **r, struct sw_error *e)
{
    static const struct move mv = {SW_PA_BAN, "ban", "product.banned", true, true};
    return product_move(ctx, in, r, &mv, e);
}

static int product_unban(struct sw_ctx *ctx, const json_t *in, json_t **r, struct sw_error *e)
{
    static const struct move mv = {SW_PA_UNBAN, "unban", "product.unbanned", true, true};
    return product_move(ctx, in, r, &mv, e);
}

/* ---------- for other domain modules ---------- */

int sw_catalog_merchant_info(struct sw_ctx *ctx, const char *merchant, struct sw_merchant_info *out,
                             struct sw_error *err)
{
    struct sw_merchant_row m;
    int rc = sw__catalog_merchant_row(ctx->conn, merchant, &m, err);
    if (rc)
        return rc;
    out->deposit_required_fen = m.deposit_required_fen;
    out->version = m.version;
    out->holds = (unsigned)m.holds;
    out->status = sw_merchant_status_of(out->holds);
    json_decref(m.categories);
    return SW_OK;
}

int sw_catalog_set_hold(struct sw_ctx *ctx, const char *merchant, unsigned hold, bool on,
                        const char *reason, struct sw_error *err)
{
    struct sw_merchant_row m;
    int rc = sw__catalog_merchant_row(ctx->conn, merchant, &m, err);
    if (rc)
        return rc;
    unsigned holds = on ? (unsigned)m.holds | hold : (unsigned)m.holds & ~hold;
    if (holds != (unsigned)m.holds)
        rc = sw__catalog_write_holds(ctx, &m, holds, reason, err);
    json_decref(m.categories);
    return rc;
}

static int unknown_product(struct sw_error *err, const char *id)
{
    return sw_fail(err, SW_E_NOT_FOUND, "product", "unknown product '%s'", id);
}

/* The rid of product id, of any store; not_found when there is none. */
static int any_product_rid(struct sw_ctx *ctx, const char *id, int64_t *rid, struct sw_error *err)
{
    uint64_t r;
    if (!sw_ctx_idmap_get(ctx, sw_engine_find_idmap(ctx->engine, PRODUCT_IDMAP), id, &r))
        return unknown_product(err, id);
    *rid = (int64_t)r;
    return SW_OK;
}

static int load_any_product(struct sw_ctx *ctx, const char *id, struct sw_product_row *p,
                            struct sw_error *err)
{
    int64_t rid = 0;
    bool found = false;
    int rc = any_product_rid(ctx, id, &rid, err);
    if (rc || (rc = sw_sql_product_get(ctx->conn, rid, p, &found, err)))
        return rc;
    return found ? SW_OK : unknown_product(err, id);
}

int sw_catalog_product_info(struct sw_ctx *ctx, const char *id, struct sw_product_info *out,
                            struct sw_error *err)
{
    int64_t rid = 0;
    bool found = false;
    struct sw_product_brief b;
    int rc = any_product_rid(ctx, id, &rid, err);
    if (rc || (rc = sw_sql_product_brief(ctx->conn, rid, &b, &found, err)))
        return rc;
    if (!found)
        return unknown_product(err, id);
    snprintf(out->merchant, sizeof out->merchant, "%s", b.row.merchant);
    snprintf(out->spu_id, sizeof out->spu_id, "%s", b.spu_id);
    snprintf(out->category, sizeof out->category, "%s", b.category);
    out->price_fen = b.row.price_fen;
    out->version = b.row.version;
    sw_product_status_parse(b.row.status, &out->status);
    out->findings = b.findings;
    return SW_OK;
}

int sw_catalog_set_banned(struct sw_ctx *ctx, const char *id, bool banned, const char *violation,
                          const char *reason, struct sw_error *err)
{
    static const struct move ban = {SW_PA_BAN, "ban", "product.banned", true, false};
    static const struct move unban = {SW_PA_UNBAN, "unban", "product.unbanned", true, false};
    struct sw_product_row p = {0};
    int rc = load_any_product(ctx, id, &p, err);
    if (rc)
        return rc;
    /* an operator's own ban outlasts a violation's reversal: an operator lifts it */
    bool by_hand = !banned && (p.tags & SW_MARK_OPERATOR_BAN);
    if ((strcmp(p.status, "banned") == 0) != banned && !by_hand)
        rc = move_product(ctx, &p, banned ? &ban : &unban, reason, violation, err);
    json_decref(p.doc);
    return rc;
}

int sw_catalog_each_spu_product(struct sw_ctx *ctx, const char *spu,
                                int (*fn)(struct sw_ctx *ctx, const char *product, void *arg,
                                          struct sw_error *err),
                                void *arg, struct sw_error *err)
{
    int64_t rids[128], after = 0;
    int n;
    do {
        int rc = sw_sql_spu_rids(ctx->conn, spu, after, rids, 128, &n, err);
        for (int i = 0; rc == SW_OK && i < n; i++) {
            char id[72];
            bool found;
            after = rids[i];
            if ((rc = sw_sql_product_id(ctx->conn, rids[i], id, sizeof id, &found, err)) || !found)
                continue;
            rc = fn(ctx, id, arg, err);
        }
        if (rc)
            return rc;
    } while (n == 128);
    return SW_OK;
}

int sw_catalog_register(struct sw_engine *e)
{
    static const struct {
        const char *type;
        sw_cmd_fn fn;
    } cmds[] = {
        {"product.create", product_create}, {"product.update", product_update},
        {"product.list", product_list},     {"product.delist", product_delist},
        {"product.ban", product_ban},       {"product.unban", product_unban},
    };
    int rc = sw__catalog_register_merchants(e);
    for (size_t i = 0; rc == SW_OK && i < sizeof cmds / sizeof cmds[0]; i++)
        rc = sw_engine_register(e, cmds[i].type, cmds[i].fn);
    if (rc)
        return rc;
    if (!sw_engine_idmap(e, PRODUCT_IDMAP, sw_sql_product_load_ids) ||
        !sw_engine_idmap(e, STORE_STATUS, sw__catalog_load_store_status) ||
        !sw_engine_idmap(e, SW__STORE_CATEGORIES, sw__catalog_load_store_categories) ||
        !sw_engine_idlist(e, STORE_PRODUCTS, sw__catalog_load_store_products))
        return SW_E_INTERNAL;
    return sw__catalog_register_prepare(e);
}
