/* Merchant (store) commands: create, update, restrict / reinstate / clear, the holds that
 * decide a store's status, and the id maps of store statuses and store products. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/money.h"
#include "domain/catalog/catalog.h"
#include "domain/catalog/catalog_int.h"
#include "store/catalog_sql.h"

#define STORE_PRODUCTS SW__STORE_PRODUCTS
#define MAX_CATEGORIES_PER_MERCHANT 32
#define CLEAR_CHUNK 512

/* ---------- merchant commands ---------- */

/* The highest deposit among the categories of cats that pol has; -1 when it has none. */
static int64_t highest_deposit(const struct sw_policy *pol, const json_t *cats)
{
    int64_t best = -1;
    size_t i;
    json_t *c;
    json_array_foreach(cats, i, c)
    {
        const struct sw_policy_category *pc = sw_policy_category(pol, json_string_value(c));
        if (pc && pc->deposit_fen > best)
            best = pc->deposit_fen;
    }
    return best;
}

/* The deposit a store must keep: the highest requirement among its categories, each of which
 * the policy must have, none twice. */
static int deposit_for(const struct sw_policy *pol, const json_t *cats, int64_t *out,
                       struct sw_error *err)
{
    size_t i;
    json_t *c;
    if (json_array_size(cats) == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "categories", "a store needs a category");
    json_array_foreach(cats, i, c)
    {
        const struct sw_policy_category *pc = sw_policy_category(pol, json_string_value(c));
        if (!pc)
            return sw_fail(err, SW_E_UNKNOWN_CATEGORY, "categories", "unknown category '%s'",
                           json_string_value(c));
        for (size_t j = 0; j < i; j++)
            if (json_equal(json_array_get(cats, j), c))
                return sw_fail(err, SW_E_INVALID_VALUE, "categories", "category '%s' listed twice",
                               json_string_value(c));
    }
    *out = highest_deposit(pol, cats);
    return SW_OK;
}

/* merchant.updated: what changed (names of fields) and the store as it is now. */
static int emit_updated(struct sw_ctx *ctx, const struct sw_merchant_row *m, json_t *changed,
                        struct sw_error *err)
{
    return sw_ctx_emit(ctx, "merchant.updated", m->id, m->id,
                       json_pack("{s:s,s:s,s:O,s:O,s:I,s:I}", "id", m->id, "name", m->name,
                                 "changed", changed, "categories", m->categories,
                                 "deposit_required_fen", (json_int_t)m->deposit_required_fen,
                                 "version", (json_int_t)m->version),
                       err);
}

static int require_staff(struct sw_ctx *ctx, const char *what, struct sw_error *err)
{
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may %s", what);
    return SW_OK;
}

static int merchant_create(struct sw_ctx *ctx, const json_t *in, json_t **result,
                           struct sw_error *err)
{
    const char *id = NULL, *name = NULL;
    json_t *cats = NULL;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"name", SW_J_STR, SW_J_REQUIRED, &name, 200, NULL},
        {"categories", SW_J_STRARR, SW_J_REQUIRED, &cats, MAX_CATEGORIES_PER_MERCHANT, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_staff(ctx, "create stores", err)))
        return rc;
    struct sw_merchant_row m = {.version = 1, .created_at = ctx->now, .updated_at = ctx->now};
    if ((rc = deposit_for(ctx->policy, cats, &m.deposit_required_fen, err)))
        return rc;
    snprintf(m.id, sizeof m.id, "%s", id);
    snprintf(m.name, sizeof m.name, "%s", name);
    /* A new store has paid no deposit yet (top-ups need the store), so it starts held for its
     * deposit when its categories require one: merchant.created carries the status and holds
     * the store really has. The penalty module's subscriber recomputes the holds from the
     * ledger and finds nothing to change. */
    m.holds = m.deposit_required_fen > 0 ? SW_HOLD_DEPOSIT : 0;
    enum sw_merchant_status status = sw_merchant_status_of((unsigned)m.holds);
    snprintf(m.status, sizeof m.status, "%s", sw_merchant_status_name(status));
    m.categories = cats;
    if ((rc = sw_sql_merchant_insert(ctx->conn, &m, err))) {
        if (rc == SW_E_ALREADY_EXISTS)
            sw_fail(err, rc, "id", "merchant '%s' already exists", id);
        return rc;
    }
    if ((rc = sw__catalog_set_merchant_status(ctx, id, status, err)) ||
        (rc = sw__catalog_index_categories(ctx, id, NULL, cats, err)) ||
        (rc = sw_ctx_emit(ctx, "merchant.created", id, id, sw__catalog_render_merchant(&m), err)))
        return rc;
    /* the store as it is after the subscribers ran (they may have set holds) */
    return sw_catalog_get_merchant(ctx->conn, id, result, err);
}

static int delist_where(struct sw_ctx *ctx, const char *merchant, const json_t *keep,
                        const char *reason, struct sw_error *err);

static int merchant_update(struct sw_ctx *ctx, const json_t *in, json_t **result,
                           struct sw_error *err)
{
    const char *id = NULL, *name = NULL;
    json_t *cats = NULL;
    bool has_name, has_cats;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"name", SW_J_STR, 0, &name, 200, &has_name},
        {"categories", SW_J_STRARR, 0, &cats, MAX_CATEGORIES_PER_MERCHANT, &has_cats},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_staff(ctx, "edit stores", err)))
        return rc;
    struct sw_merchant_row m;
    if ((rc = sw__catalog_load_merchant(ctx, id, &m, err)))
        return rc;
    if ((rc = sw_if_version(&iv, m.version, "merchant", id, err))) {
        json_decref(m.categories);
        return rc;
    }
    json_t *changed = json_array();
    if (has_name && strcmp(name, m.name) != 0) {
        snprintf(m.name, sizeof m.name, "%s", name);
        json_array_append_new(changed, json_string("name"));
    }
    if (has_cats && !json_equal(cats, m.categories)) {
        int64_t dep;
        if ((rc = deposit_for(ctx->policy, cats, &dep, err)) == SW_OK &&
            (rc = sw__catalog_index_categories(ctx, id, m.categories, cats, err)) == SW_OK) {
            json_decref(m.categories);
            m.categories = json_incref(cats);
            json_array_append_new(changed, json_string("categories"));
            if (dep != m.deposit_required_fen) {
                m.deposit_required_fen = dep;
                json_array_append_new(changed, json_string("deposit_required_fen"));
            }
        }
    }
    if (rc == SW_OK && json_array_size(changed)) {
        m.version++;
        m.updated_at = ctx->now;
        if ((rc = sw_sql_merchant_update(ctx->conn, &m, err)) == SW_OK)
            rc = emit_updated(ctx, &m, changed, err);
        /* a category dropped: what the store had on sale there comes off the shelf */
        if (rc == SW_OK && has_cats)
            rc = delist_where(ctx, id, m.categories, "category_removed", err);
    }
    json_decref(changed);
    json_decref(m.categories);
    return rc ? rc : sw_catalog_get_merchant(ctx->conn, id, result, err);
}

static bool sells_in(const json_t *categories, const char *category)
{
    size_t i;
    json_t *c;
    json_array_foreach(categories, i, c)
    {
        if (category && strcmp(json_string_value(c), category) == 0)
            return true;
    }
    return false;
}

/* Takes a store's listed products off the shelf, as events, so that other modules (promotions)
 * see each one: every one when the store is cleared (清退; keep NULL), or those of a category
 * the store no longer sells in (keep: its categories now) — a store sells only in its own. */
static int delist_where(struct sw_ctx *ctx, const char *merchant, const json_t *keep,
                        const char *reason, struct sw_error *err)
{
    struct sw_idlist *list = sw_engine_find_idlist(ctx->engine, STORE_PRODUCTS);
    int64_t rids[CLEAR_CHUNK], after = 0;
    size_t n;
    do {
        sw_ctx_idlist_page(ctx, list, merchant, after, rids, CLEAR_CHUNK, &n);
        for (size_t i = 0; i < n; i++) {
            struct sw_product_row p;
            bool found;
            int rc = sw_sql_product_get(ctx->conn, rids[i], &p, &found, err);
            if (rc)
                return rc;
            after = rids[i];
            if (!found)
                continue;
            if (strcmp(p.status, "listed") != 0 ||
                (keep && sells_in(keep, json_string_value(json_object_get(p.doc, "category"))))) {
                json_decref(p.doc);
                continue;
            }
            snprintf(p.status, sizeof p.status, "delisted");
            p.version++;
            p.updated_at = ctx->now;
            rc = sw_sql_product_update(ctx->conn, &p, false, err);
            json_decref(p.doc);
            if (rc == SW_OK)
                rc =
                    sw_ctx_emit(ctx, "product.delisted", merchant, p.id,
                                json_pack("{s:s,s:s,s:s,s:I,s:o,s:s}", "id", p.id, "from", "listed",
                                          "to", "delisted", "version", (json_int_t)p.version, "by",
                                          sw_actor_json(NULL, "system", reason), "reason", reason),
                                err);
            if (rc)
                return rc;
        }
    } while (n == CLEAR_CHUNK);
    return SW_OK;
}

/* Writes new holds on a store and, when its status changes, says so
 * (merchant.status_changed) and delists everything of a store that became cleared. */
int sw__catalog_write_holds(struct sw_ctx *ctx, struct sw_merchant_row *m, unsigned holds,
                            const char *reason, struct sw_error *err)
{
    char from[16];
    snprintf(from, sizeof from, "%s", m->status);
    enum sw_merchant_status next = sw_merchant_status_of(holds);
    m->holds = holds;
    snprintf(m->status, sizeof m->status, "%s", sw_merchant_status_name(next));
    m->version++;
    m->updated_at = ctx->now;
    int rc = sw_sql_merchant_update(ctx->conn, m, err);
    if (rc)
        return rc;
    bool moved = strcmp(from, m->status) != 0;
    if (moved && (rc = sw__catalog_set_merchant_status(ctx, m->id, next, err)))
        return rc;
    /* A hold that does not change the status (a second one, or one of two lifted) is an
     * event of its own, so that the audit log shows every hold. */
    json_t *ev = json_pack("{s:s,s:s,s:s,s:o,s:I,s:o}", "id", m->id, "from", from, "to", m->status,
                           "holds", sw__catalog_holds_json(holds), "version",
                           (json_int_t)m->version, "by", sw_ctx_actor(ctx));
    if (reason)
        json_object_set_new(ev, "reason", json_string(reason));
    if ((rc = sw_ctx_emit(ctx, moved ? "merchant.status_changed" : "merchant.holds_changed", m->id,
                          m->id, ev, err)))
        return rc;
    return moved && next == SW_MERCHANT_CLEARED
               ? delist_where(ctx, m->id, NULL, "store_cleared", err)
               : SW_OK;
}

/* A reinstate of a store that is held, but not by an operator, says who lifts what holds it:
 * the deposit hold is lifted by a top-up, not by the operator (RULES.md §3). */
static void refuse_move(int code, const char *verb, const struct sw_merchant_row *m,
                        struct sw_error *err)
{
    unsigned h = (unsigned)m->holds;
    if (code != SW_E_STATE_CONFLICT || strcmp(verb, "reinstate") != 0 || (h & SW_HOLD_OPERATOR) ||
        h == 0) {
        sw__catalog_refuse_transition(code, verb, m->id, m->status, err);
        return;
    }
    if (h & SW_HOLD_DEPOSIT)
        sw_fail(err, code, NULL,
                "store '%s' is held for its deposit (below the requirement): that hold is lifted "
                "by a top-up, not by an operator",
                m->id);
    else
        sw_fail(err, code, NULL,
                "store '%s' is held until its rectification report is accepted, not by an "
                "operator: there is nothing to reinstate",
                m->id);
}

static int merchant_move(struct sw_ctx *ctx, const json_t *in, json_t **result,
                         enum sw_merchant_action action, struct sw_error *err)
{
    static const char *const verbs[] = {"restrict", "reinstate", "clear"};
    const char *id = NULL, *reason = NULL;
    struct sw_if_version iv;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"reason", SW_J_STR, 0, &reason, 512, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_staff(ctx, "change a store's status", err)))
        return rc;
    struct sw_merchant_row m;
    if ((rc = sw__catalog_load_merchant(ctx, id, &m, err)))
        return rc;
    unsigned next = 0;
    rc = sw_if_version(&iv, m.version, "merchant", id, err);
    if (rc == SW_OK && (rc = sw_merchant_transition((unsigned)m.holds, action, &next)))
        refuse_move(rc, verbs[action], &m, err);
    else if (rc == SW_OK)
        rc = sw__catalog_write_holds(ctx, &m, next, reason, err);
    if (rc == SW_OK)
        *result = sw__catalog_render_merchant(&m);
    json_decref(m.categories);
    return rc;
}

static int merchant_restrict(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)
{
    return merchant_move(c, in, r, SW_MA_RESTRICT, e);
}

static int merchant_reinstate(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)
{
    return merchant_move(c, in, r, SW_MA_REINSTATE, e);
}

static int merchant_clear(struct sw_ctx *c, const json_t *in, json_t **r, struct sw_error *e)
{
    return merchant_move(c, in, r, SW_MA_CLEAR, e);
}

static bool add_store_status(void *arg, const char *id, const char *status)
{
    enum sw_merchant_status ms = SW_MERCHANT_ACTIVE;
    if (sw_merchant_status_parse(status, &ms) != SW_OK)
        return false;
    return sw_map_put(arg, id, strlen(id), (uint64_t)ms + 1);
}

int sw__catalog_load_store_status(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return sw_sql_merchant_each_status(c, add_store_status, m, err);
}

static bool add_store_product(void *arg, const char *merchant, int64_t rid)
{
    return sw_idlist_load_append(arg, merchant, rid);
}

int sw__catalog_load_store_products(struct sw_conn *c, struct sw_idlist *l, struct sw_error *err)
{
    return sw_sql_product_each_merchant(c, add_store_product, l, err);
}

/* ---------- a policy's deposits ---------- */

/* A policy activated: a store's required deposit is the highest of its categories' under the
 * policy in force (RULES.md §3), so a version that moves a category's deposit moves every store
 * selling there. Each store whose requirement changes is updated (version + 1) and announced as
 * merchant.updated (changed: deposit_required_fen), which the penalty module hears to recompute
 * its holds: restricted below the new requirement, active again at or above it. A category the
 * policy no longer has counts nothing; a store with none left keeps its requirement. */
struct requirements {
    const struct sw_policy *pol;
    char (*id)[72];
    int64_t *fen;
    size_t n, cap;
};

/* A store whose requirement the policy moves (required: the one it has now). */
static bool note_requirement(void *arg, const char *id, const json_t *cats, int64_t required)
{
    struct requirements *r = arg;
    int64_t best = highest_deposit(r->pol, cats);
    if (best < 0 || best == required)
        return true;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        void *ids = realloc(r->id, cap * sizeof *r->id),
             *fens = ids ? realloc(r->fen, cap * sizeof *r->fen) : NULL;
        if (ids)
            r->id = ids;
        if (!fens)
            return false;
        r->fen = fens;
        r->cap = cap;
    }
    snprintf(r->id[r->n], sizeof r->id[r->n], "%s", id);
    r->fen[r->n++] = best;
    return true;
}

static int require_deposit(struct sw_ctx *ctx, const char *id, int64_t fen, struct sw_error *err)
{
    struct sw_merchant_row m;
    int rc = sw__catalog_load_merchant(ctx, id, &m, err);
    if (rc == SW_OK && m.deposit_required_fen != fen) {
        m.deposit_required_fen = fen;
        m.version++;
        m.updated_at = ctx->now;
        json_t *changed = json_pack("[s]", "deposit_required_fen");
        if ((rc = sw_sql_merchant_update(ctx->conn, &m, err)) == SW_OK)
            rc = emit_updated(ctx, &m, changed, err);
        json_decref(changed);
    }
    if (rc == SW_OK)
        json_decref(m.categories);
    return rc;
}

static int on_policy(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    (void)ev;
    struct requirements r = {.pol = ctx->policy};
    int rc = sw_sql_merchant_each_categories(ctx->conn, note_requirement, &r, err);
    for (size_t i = 0; rc == SW_OK && i < r.n; i++)
        rc = require_deposit(ctx, r.id[i], r.fen[i], err);
    free(r.id);
    free(r.fen);
    return rc;
}

int sw__catalog_register_merchants(struct sw_engine *e)
{
    int rc = sw_engine_subscribe(e, "policy.activated", on_policy);
    if (rc)
        return rc;
    static const struct {
        const char *type;
        sw_cmd_fn fn;
    } cmds[] = {
        {"merchant.create", merchant_create},     {"merchant.update", merchant_update},
        {"merchant.restrict", merchant_restrict}, {"merchant.reinstate", merchant_reinstate},
        {"merchant.clear", merchant_clear},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if ((rc = sw_engine_register(e, cmds[i].type, cmds[i].fn)))
            return rc;
    return SW_OK;
}

int sw_catalog_each_store_product(struct sw_ctx *ctx, const char *merchant,
                                  int (*fn)(struct sw_ctx *ctx, const char *product, void *arg,
                                            struct sw_error *err),
                                  void *arg, struct sw_error *err)
{
    struct sw_idlist *list = sw_engine_find_idlist(ctx->engine, STORE_PRODUCTS);
    int64_t rids[128], after = 0;
    size_t n;
    do {
        sw_ctx_idlist_page(ctx, list, merchant, after, rids, 128, &n);
        for (size_t i = 0; i < n; i++) {
            char id[72];
            bool found;
            after = rids[i];
            int rc = sw_sql_product_id(ctx->conn, rids[i], id, sizeof id, &found, err);
            if (rc)
                return rc;
            if (!found)
                continue;
            if ((rc = fn(ctx, id, arg, err)))
                return rc;
        }
    } while (n == 128);
    return SW_OK;
}
