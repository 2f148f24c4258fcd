#include "domain/access/access.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/pii.h"
#include "domain/catalog/catalog.h"
#include "store/access_sql.h"
#include "store/journal.h"

#define ORDER_IDMAP "orders"
#define MAX_ITEMS 200
#define MAX_SEALED 8192
#define SEALED_MIN 64 /* base64 of a sealed box's 48 bytes of overhead */
#define PAGE_MAX 200
#define LOGISTICS_MAX 1000

static const char *const STATUSES[] = {"created",   "paid",      "shipped",  "delivered",
                                       "completed", "cancelled", "refunded", NULL};
static const char *const AMOUNTS[] = {"total_fen", "freight_fen",  "discount_fen",
                                      "paid_fen",  "refunded_fen", NULL};

static bool one_of(const char *s, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static json_t *render_order(const struct sw_order_row *o)
{
    json_t *times = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(o->times, k, v)
        json_object_set_new(times, k, sw_json_instant(json_integer_value(v)));
    return json_pack("{s:s,s:s,s:s,s:o,s:O,s:O,s:o,s:O?,s:I,s:I,s:o,s:o}", "id", o->id, "merchant",
                     o->merchant, "status", o->status, "status_at", sw_json_instant(o->status_at),
                     "items", o->items, "amounts", o->amounts, "times", times, "buyer",
                     o->buyer_masked, "events", (json_int_t)o->events, "version",
                     (json_int_t)o->version, "created_at", sw_json_instant(o->created_at),
                     "updated_at", sw_json_instant(o->updated_at));
}

/* ---------- validation of feed input ---------- */

static int check_items(json_t *items, struct sw_error *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        char path[32], qpath[48];
        sw_json_path_index(path, sizeof path, "items", i);
        if (!json_is_object(it))
            return sw_fail(err, SW_E_WRONG_TYPE, path, "'%s' must be an object", path);
        const char *product = NULL, *sku = NULL;
        int64_t qty = 0, price = 0;
        struct sw_jfield f[] = {
            {"product", SW_J_ID, SW_J_REQUIRED, &product, 0, NULL},
            {"sku", SW_J_STR, 0, &sku, 128, NULL},
            {"quantity", SW_J_INT, SW_J_REQUIRED, &qty, 1000000, NULL},
            {"price_fen", SW_J_FEN, SW_J_REQUIRED, &price, 0, NULL},
        };
        int rc = sw_json_read(it, path, f, sizeof f / sizeof f[0], true, err);
        if (rc)
            return rc;
        sw_json_path_key(qpath, sizeof qpath, path, "quantity");
        if (qty < 1)
            return sw_fail(err, SW_E_INVALID_VALUE, qpath, "'%s' must be >= 1", qpath);
    }
    return SW_OK;
}

static int check_amounts(json_t *amounts, struct sw_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(amounts, k, v)
    {
        char path[64];
        sw_json_path_key(path, sizeof path, "amounts", k);
        if (!one_of(k, AMOUNTS))
            return sw_fail(err, SW_E_UNKNOWN_FIELD, path, "unknown field '%s'", path);
        int64_t fen;
        struct sw_jfield f = {k, SW_J_FEN, 0, &fen, 0, NULL};
        int rc = sw_json_check(&f, v, path, err);
        if (rc)
            return rc;
    }
    return SW_OK;
}

/* Buyer data as the server's adapter makes it (base/pii.h): masks of exactly the masking
 * rule's shape, which clear text or a mask that shows more never has, and the sealed box of
 * the clear copy beside them. A client cannot send these fields (the adapter refuses them);
 * this check holds for every other way in (`shopwarden apply`, the command log). */
static int check_buyer(json_t *b, const char *sealed, struct sw_error *err)
{
    if (!b != !sealed)
        return sw_fail(err, SW_E_INVALID_VALUE, b ? "buyer_sealed" : "buyer_masked",
                       "buyer_masked and buyer_sealed come together");
    if (!b)
        return SW_OK;
    const char *v[3] = {NULL, NULL, NULL};
    struct sw_jfield f[] = {
        {"name", SW_J_STR, 0, &v[0], SW_PII_MAX_FIELD, NULL},
        {"phone", SW_J_STR, 0, &v[1], SW_PII_MAX_PHONE, NULL},
        {"address", SW_J_STR, 0, &v[2], SW_PII_MAX_FIELD, NULL},
    };
    int rc = sw_json_read(b, "buyer_masked", f, 3, true, err);
    if (rc)
        return rc;
    bool (*const shaped[3])(const char *) = {sw_pii_name_is_masked, sw_pii_phone_is_masked,
                                             sw_pii_address_is_masked};
    for (int i = 0; i < 3; i++) {
        char path[40];
        sw_json_path_key(path, sizeof path, "buyer_masked", f[i].name);
        if (v[i] && !shaped[i](v[i]))
            return sw_fail(err, SW_E_INVALID_VALUE, path,
                           "'%s' is not a mask the server makes: send the clear 'buyer'", path);
    }
    size_t n = strlen(sealed);
    bool b64 = n >= SEALED_MIN && n % 4 == 0;
    for (size_t i = 0; b64 && i < n; i++)
        b64 = (sealed[i] >= 'A' && sealed[i] <= 'Z') || (sealed[i] >= 'a' && sealed[i] <= 'z') ||
              (sealed[i] >= '0' && sealed[i] <= '9') || sealed[i] == '+' || sealed[i] == '/' ||
              (sealed[i] == '=' && i >= n - 2);
    return b64 ? SW_OK
               : sw_fail(err, SW_E_INVALID_VALUE, "buyer_sealed",
                         "buyer_sealed must be a sealed box");
}

/* ---------- commands ---------- */

struct feed_event {
    const char *event_id, *order_id, *merchant, *status, *sealed;
    int64_t at;
    json_t *items, *amounts, *buyer;
};

static int read_feed_event(const json_t *in, struct feed_event *fe, struct sw_error *err)
{
    struct sw_jfield f[] = {
        {"event_id", SW_J_STR, SW_J_REQUIRED, &fe->event_id, 128, NULL},
        {"order_id", SW_J_ID, SW_J_REQUIRED, &fe->order_id, 0, NULL},
        {"merchant", SW_J_ID, SW_J_REQUIRED, &fe->merchant, 0, NULL},
        {"status", SW_J_STR, SW_J_REQUIRED, &fe->status, 16, NULL},
        {"at", SW_J_INSTANT, SW_J_REQUIRED, &fe->at, 0, NULL},
        {"items", SW_J_ARR, 0, &fe->items, MAX_ITEMS, NULL},
        {"amounts", SW_J_OBJ, 0, &fe->amounts, 0, NULL},
        {"buyer_masked", SW_J_OBJ, 0, &fe->buyer, 0, NULL},
        {"buyer_sealed", SW_J_STR, 0, &fe->sealed, MAX_SEALED, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_event_id_valid(fe->event_id))
        return sw_fail(err, SW_E_INVALID_VALUE, "event_id", SW_EVENT_ID_RULE);
    if (!one_of(fe->status, STATUSES))
        return sw_fail(err, SW_E_INVALID_VALUE, "status",
                       "status must be created, paid, shipped, delivered, completed, cancelled "
                       "or refunded");
    if ((fe->items && (rc = check_items(fe->items, err))) ||
        (fe->amounts && (rc = check_amounts(fe->amounts, err))))
        return rc;
    return check_buyer(fe->buyer, fe->sealed, err);
}

/* Applies one feed event. Events may arrive out of order: the status is the one of the latest
 * event time seen, each status keeps the first time it was reported, and the details (items,
 * amounts, buyer) come from the latest event that carries them. */
static void apply_feed_event(struct sw_order_row *o, const struct feed_event *fe, bool fresh)
{
    bool newest = fresh || fe->at >= o->status_at;
    if (newest) {
        snprintf(o->status, sizeof o->status, "%s", fe->status);
        o->status_at = fe->at;
    }
    json_t *t = json_object_get(o->times, fe->status);
    if (!t || json_integer_value(t) > fe->at)
        json_object_set_new(o->times, fe->status, json_integer(fe->at));
    if (fe->items && (newest || json_array_size(o->items) == 0)) {
        json_decref(o->items);
        o->items = json_incref(fe->items);
    }
    if (fe->amounts && (newest || json_object_size(o->amounts) == 0)) {
        json_decref(o->amounts);
        o->amounts = json_incref(fe->amounts);
    }
    if (fe->buyer && (newest || !o->buyer_masked)) {
        json_decref(o->buyer_masked);
        o->buyer_masked = json_incref(fe->buyer);
        free(o->buyer_sealed);
        o->buyer_sealed = fe->sealed ? strdup(fe->sealed) : NULL;
    }
    o->events++;
}

static int order_event(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct feed_event fe = {0};
    int rc = read_feed_event(in, &fe, err);
    if (rc)
        return rc;
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "orders come from the platform's order feed");
    struct sw_merchant_info mi;
    if ((rc = sw_catalog_merchant_info(ctx, fe.merchant, &mi, err)))
        return rc;
    struct sw_idmap *map = sw_engine_find_idmap(ctx->engine, ORDER_IDMAP);
    uint64_t rid;
    struct sw_order_row o = {0};
    bool fresh = !sw_ctx_idmap_get(ctx, map, fe.order_id, &rid);
    if (fresh) {
        snprintf(o.id, sizeof o.id, "%s", fe.order_id);
        snprintf(o.merchant, sizeof o.merchant, "%s", fe.merchant);
        o.items = json_array();
        o.amounts = json_object();
        o.times = json_object();
        o.created_at = ctx->now;
    } else {
        bool found;
        if ((rc = sw_sql_order_get(ctx->conn, (int64_t)rid, &o, &found, err)))
            return rc;
        if (!found)
            return sw_fail(err, SW_E_INTERNAL, NULL, "order '%s' vanished", fe.order_id);
        if (strcmp(o.merchant, fe.merchant) != 0) {
            sw_order_row_release(&o);
            return sw_fail(err, SW_E_INVALID_VALUE, "merchant",
                           "order '%s' belongs to another store", fe.order_id);
        }
    }
    apply_feed_event(&o, &fe, fresh);
    o.version++;
    o.updated_at = ctx->now;
    rc = fresh ? sw_sql_order_insert(ctx->conn, &o, err) : sw_sql_order_update(ctx->conn, &o, err);
    if (rc == SW_OK && fresh)
        rc = sw_ctx_idmap_put(ctx, map, o.id, (uint64_t)o.rid, err);
    if (rc == SW_OK) {
        char at[32];
        json_t *ev = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", o.id, "merchant", o.merchant,
                               "event_id", fe.event_id, "event_status", fe.status, "event_at",
                               sw_instant_format(fe.at, at), "status", o.status, "version",
                               (json_int_t)o.version);
        rc = sw_ctx_emit(ctx, fresh ? "order.created" : "order.updated", o.merchant, o.id, ev, err);
    }
    if (rc == SW_OK)
        *result = render_order(&o);
    sw_order_row_release(&o);
    return rc;
}

/* A grant names an app that has a live key: a grant to a mistyped app would open the store's
 * orders to whoever is later given that name. */
static int grant_app_known(struct sw_ctx *ctx, const char *app, struct sw_error *err)
{
    char role[SW_ID_MAX_LEN + 8];
    snprintf(role, sizeof role, "app:%s", app);
    bool live = false;
    int rc = sw_journal_key_role_live(ctx->conn, role, ctx->now, &live, err);
    if (rc == SW_OK && !live)
        rc = sw_fail(err, SW_E_UNKNOWN_REFERENCE, "app", "no API key exists for app '%s'", app);
    return rc;
}

static int grant_set(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL, *app = NULL;
    bool granted = true;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &merchant, 0, NULL},
        {"app", SW_J_ID, SW_J_REQUIRED, &app, 0, NULL},
        {"granted", SW_J_BOOL, SW_J_REQUIRED, &granted, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    const char *own = sw_actor_merchant(ctx->actor);
    if (own && strcmp(own, merchant) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown merchant '%s'", merchant);
    if (!own && !sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only the store or an operator may grant");
    struct sw_merchant_info mi;
    char status[16];
    int64_t version;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &mi, err)) ||
        (granted && (rc = grant_app_known(ctx, app, err))) ||
        (rc = sw_sql_grant_get(ctx->conn, merchant, app, status, &version, err)))
        return rc;
    /* a grant never given is not found; one revoked already answers as a grant given twice
     * does: unchanged (a revoke retried without its key after a lost answer is no failure) */
    if (!granted && status[0] == '\0')
        return sw_fail(err, SW_E_NOT_FOUND, "app", "app '%s' has no grant from '%s'", app,
                       merchant);
    bool change = granted != (strcmp(status, "granted") == 0);
    if (change) {
        version++;
        if ((rc = sw_sql_grant_put(ctx->conn, merchant, app, granted, ctx->now, version, err)) ||
            (rc = sw_ctx_emit(ctx, granted ? "grant.granted" : "grant.revoked", merchant, app,
                              json_pack("{s:s,s:s,s:o,s:I}", "merchant", merchant, "app", app, "by",
                                        sw_ctx_actor(ctx), "version", (json_int_t)version),
                              err)))
            return rc;
    }
    *result = json_pack("{s:s,s:s,s:s,s:I,s:b}", "merchant", merchant, "app", app, "status",
                        granted ? "granted" : "revoked", "version", (json_int_t)version, "changed",
                        change);
    return SW_OK;
}

/* An app's read. Not an error when refused: the refusal is recorded (order.access_denied) and
 * the adapter answers 403 authorization_closed; an allowed read is order.accessed. */
static int order_access(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *merchant = NULL, *order = NULL, *what = NULL;
    int64_t suppressed = 0; /* refusals the adapter answered since the last one logged */
    struct sw_jfield f[] = {
        {"merchant", SW_J_ID, 0, &merchant, 0, NULL},
        {"order", SW_J_ID, 0, &order, 0, NULL},
        {"what", SW_J_STR, SW_J_REQUIRED, &what, 16, NULL},
        {"suppressed_denials", SW_J_INT, 0, &suppressed, INT64_C(1) << 40, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!ctx->actor || strncmp(ctx->actor, "app:", 4) != 0)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "order.access is for app keys");
    const char *app = ctx->actor + 4;
    struct sw_order_row o = {0};
    if (order) {
        uint64_t rid;
        bool found = false;
        if (sw_ctx_idmap_get(ctx, sw_engine_find_idmap(ctx->engine, ORDER_IDMAP), order, &rid) &&
            (rc = sw_sql_order_get(ctx->conn, (int64_t)rid, &o, &found, err)))
            return rc;
        if (!found)
            return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown order '%s'", order);
        merchant = o.merchant;
    }
    if (!merchant)
        return sw_fail(err, SW_E_MISSING_FIELD, "merchant", "name the store (?merchant=)");
    char status[16];
    int64_t version;
    struct sw_merchant_info mi;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &mi, err)) == SW_OK)
        rc = sw_sql_grant_get(ctx->conn, merchant, app, status, &version, err);
    if (rc == SW_OK) {
        bool allowed = strcmp(status, "granted") == 0;
        json_t *ev = json_pack("{s:s,s:s,s:s,s:b}", "merchant", merchant, "app", app, "what", what,
                               "allowed", allowed);
        if (order)
            json_object_set_new(ev, "order", json_string(order));
        if (suppressed)
            json_object_set_new(ev, "suppressed_denials", json_integer(suppressed));
        *result = json_incref(ev);
        rc = sw_ctx_emit(ctx, allowed ? "order.accessed" : "order.access_denied", merchant,
                         order ? order : app, ev, err);
        if (rc) {
            json_decref(*result);
            *result = NULL;
        }
    }
    sw_order_row_release(&o);
    return rc;
}

static int order_logistics(struct sw_ctx *ctx, const json_t *in, json_t **result,
                           struct sw_error *err)
{
    const char *id = NULL;
    struct sw_logistics_row l = {0};
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"event_id", SW_J_STR, SW_J_REQUIRED, &l.event_id, 128, NULL},
        {"at", SW_J_INSTANT, SW_J_REQUIRED, &l.at, 0, NULL},
        {"status", SW_J_STR, SW_J_REQUIRED, &l.status, 64, NULL},
        {"description", SW_J_STR, 0, &l.description, 1000, NULL},
        {"location", SW_J_STR, 0, &l.location, 256, NULL},
        {"carrier", SW_J_STR, 0, &l.carrier, 64, NULL},
        {"tracking_no", SW_J_STR, 0, &l.tracking_no, 64, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "tracking events come from the carrier feed");
    if (!sw_event_id_valid(l.event_id))
        return sw_fail(err, SW_E_INVALID_VALUE, "event_id", SW_EVENT_ID_RULE);
    if (l.status[0] == '\0')
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "status must not be empty");
    uint64_t rid;
    if (!sw_ctx_idmap_get(ctx, sw_engine_find_idmap(ctx->engine, ORDER_IDMAP), id, &rid))
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown order '%s'", id);
    struct sw_order_row o = {0};
    bool found, seen = false;
    if ((rc = sw_sql_order_get(ctx->conn, (int64_t)rid, &o, &found, err)) ||
        (rc = sw_sql_logistics_seen(ctx->conn, (int64_t)rid, l.event_id, &seen, err)))
        return rc;
    l.order_rid = (int64_t)rid;
    l.received_at = ctx->now;
    /* The same carrier event pushed again (under another key) is stored once. */
    if (!seen && (rc = sw_sql_logistics_insert(ctx->conn, &l, err)) == SW_OK) {
        char at[32];
        rc = sw_ctx_emit(ctx, "order.tracking", o.merchant, o.id,
                         json_pack("{s:s,s:s,s:s,s:s}", "order", o.id, "event_id", l.event_id,
                                   "status", l.status, "at", sw_instant_format(l.at, at)),
                         err);
    }
    if (rc == SW_OK)
        *result =
            json_pack("{s:s,s:s,s:b}", "order", o.id, "event_id", l.event_id, "duplicate", seen);
    sw_order_row_release(&o);
    return rc;
}

int sw_access_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "order.event", order_event)) ||
        (rc = sw_engine_register(e, "grant.set", grant_set)) ||
        (rc = sw_engine_register(e, "order.access", order_access)) ||
        (rc = sw_engine_register(e, "order.logistics", order_logistics)) ||
        /* a sealed box is new randomness on every attempt: a retry compares without it */
        (rc = sw_engine_set_volatile_field(e, "order.event", "buyer_sealed")) ||
        /* a feed event is one fact: applied once, whoever delivers it */
        (rc = sw_engine_set_fact_key(e, "order.event", "event_id")) ||
        (rc = sw_engine_set_fact_key(e, "order.logistics", "event_id")))
        return rc;
    return sw_engine_idmap(e, ORDER_IDMAP, sw_sql_order_load_ids) ? SW_OK : SW_E_INTERNAL;
}

/* ---------- reads ---------- */

static int load_order(struct sw_engine *e, struct sw_conn *c, const char *id,
                      struct sw_order_row *o, struct sw_error *err)
{
    uint64_t rid;
    bool found = false;
    int rc;
    if (sw_idmap_get(sw_engine_find_idmap(e, ORDER_IDMAP), id, &rid) &&
        (rc = sw_sql_order_get(c, (int64_t)rid, o, &found, err)))
        return rc;
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown order '%s'", id);
}

int sw_access_get_order(struct sw_engine *e, struct sw_conn *c, const char *id, json_t **out,
                        char merchant_out[72], struct sw_error *err)
{
    struct sw_order_row o = {0};
    int rc = load_order(e, c, id, &o, err);
    if (rc)
        return rc;
    snprintf(merchant_out, 72, "%s", o.merchant);
    *out = render_order(&o);
    sw_order_row_release(&o);
    return SW_OK;
}

/* A page cursor is an order of the listed store. Another store's order answers exactly as an
 * id that names nothing, so a store cannot learn which ids exist elsewhere. */
static int order_cursor(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                        const char *after, int64_t *rid, struct sw_error *err)
{
    struct sw_order_row o = {0};
    uint64_t r;
    bool found = false;
    int rc;
    if (sw_idmap_get(sw_engine_find_idmap(e, ORDER_IDMAP), after, &r) &&
        (rc = sw_sql_order_get(c, (int64_t)r, &o, &found, err)))
        return rc;
    bool ours = found && strcmp(o.merchant, merchant) == 0;
    *rid = ours ? o.rid : 0;
    sw_order_row_release(&o);
    return ours ? SW_OK : sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
}

int sw_access_list_orders(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                          const char *after, int limit, json_t **out, struct sw_error *err)
{
    int64_t after_rid = 0;
    int rc = after ? order_cursor(e, c, merchant, after, &after_rid, err) : SW_OK;
    if (rc)
        return rc;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    int64_t rids[PAGE_MAX + 1]; /* a page and the row that says there is more */
    int n;
    rc = sw_sql_order_rids(c, merchant, after_rid, limit + 1, rids, &n, err);
    if (rc)
        return rc;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        struct sw_order_row o = {0};
        bool found;
        if ((rc = sw_sql_order_get(c, rids[i], &o, &found, err))) {
            json_decref(arr);
            return rc;
        }
        if (found)
            json_array_append_new(arr, render_order(&o));
        sw_order_row_release(&o);
    }
    *out = json_object();
    sw_page_set(*out, "orders", arr, (size_t)limit, "id");
    return SW_OK;
}

int sw_access_logistics(struct sw_engine *e, struct sw_conn *c, const char *id, json_t **out,
                        char merchant_out[72], struct sw_error *err)
{
    struct sw_order_row o = {0};
    json_t *rows = NULL;
    int rc = load_order(e, c, id, &o, err);
    if (rc == SW_OK)
        rc = sw_sql_logistics_list(c, o.rid, LOGISTICS_MAX, &rows, err);
    if (rc == SW_OK) {
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r)
        {
            json_object_set_new(r, "at",
                                sw_json_instant(json_integer_value(json_object_get(r, "at"))));
            json_object_set_new(
                r, "received_at",
                sw_json_instant(json_integer_value(json_object_get(r, "received_at"))));
        }
        snprintf(merchant_out, 72, "%s", o.merchant);
        *out = json_pack("{s:s,s:s,s:o}", "order", o.id, "merchant", o.merchant, "events", rows);
    }
    sw_order_row_release(&o);
    return rc;
}

int sw_access_grant_state(struct sw_conn *c, const char *merchant, const char *app, char status[16],
                          int64_t *version, struct sw_error *err)
{
    return sw_sql_grant_get(c, merchant, app, status, version, err);
}

int sw_access_grants(struct sw_conn *c, const char *merchant, const char *after, int limit,
                     json_t **out, struct sw_error *err)
{
    json_t *rows;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    int rc = sw_sql_grants_list(c, merchant, after ? after : "", limit + 1, &rows, err);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_object_set_new(r, "granted_at",
                            sw_json_instant(json_integer_value(json_object_get(r, "granted_at"))));
        if (json_object_get(r, "revoked_at"))
            json_object_set_new(
                r, "revoked_at",
                sw_json_instant(json_integer_value(json_object_get(r, "revoked_at"))));
    }
    *out = json_pack("{s:s}", "merchant", merchant);
    sw_page_set(*out, "grants", rows, (size_t)limit, "app");
    return SW_OK;
}
