/* The deposit ledger: every movement is an entry; the balance is their sum and never goes
 * below zero. A deduction the balance does not cover takes the balance and the rest is owed
 * (per violation); every later credit pays what is owed first, oldest violation first. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/money.h"
#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty_int.h"
#include "store/versions_sql.h"

#define SETTLE_CHUNK 64

static json_t *entry_event(const struct sw_deposit_entry *e, int64_t owed_fen, const char *vid)
{
    json_t *ev = json_pack("{s:s,s:s,s:I,s:I,s:I}", "merchant", e->merchant, "kind", e->kind,
                           "amount_fen", (json_int_t)e->amount_fen, "balance_fen",
                           (json_int_t)e->balance_after_fen, "owed_fen", (json_int_t)owed_fen);
    if (vid)
        json_object_set_new(ev, "violation", json_string(vid));
    if (e->ref)
        json_object_set_new(ev, "ref", json_string(e->ref));
    if (e->note)
        json_object_set_new(ev, "note", json_string(e->note));
    return ev;
}

/* Appends one entry (amount signed) and emits its event. */
static int append(struct sw_ctx *ctx, const char *merchant, const char *kind, int64_t amount,
                  int64_t violation, const char *ref, const char *note, int64_t owed_delta,
                  const char *event, struct sw_error *err)
{
    struct sw_deposit_account a = {0};
    int rc = sw_sql_deposit_account(ctx->conn, merchant, &a, err);
    if (rc)
        return rc;
    int64_t balance, owed;
    if (!sw_money_add(a.balance_fen, amount, &balance) || balance < 0 ||
        !sw_money_add(a.owed_fen, owed_delta, &owed) || owed < 0)
        return sw_fail(err, SW_E_AMOUNT_OVERFLOW, "amount_fen", "the deposit would overflow");
    struct sw_deposit_entry e = {.merchant = merchant,
                                 .kind = kind,
                                 .amount_fen = amount,
                                 .balance_after_fen = balance,
                                 .violation = violation,
                                 .ref = ref,
                                 .note = note,
                                 .at = ctx->now,
                                 .command_seq = ctx->command_seq};
    if (amount != 0)
        rc = sw_sql_deposit_append(ctx->conn, &e, owed, err);
    else
        rc = sw_sql_deposit_set_owed(ctx->conn, merchant, owed, ctx->now, err);
    if (rc)
        return rc;
    char vid[SW_ID_BUF];
    if (violation)
        sw__violation_id(violation, vid);
    return sw_ctx_emit(ctx, event, merchant, merchant,
                       entry_event(&e, owed, violation ? vid : NULL), err);
}

int sw__ledger_deduct(struct sw_ctx *ctx, struct sw_violation_row *v, int64_t amount,
                      struct sw_error *err)
{
    struct sw_deposit_account a = {0};
    int rc = sw_sql_deposit_account(ctx->conn, v->merchant, &a, err);
    if (rc || amount <= 0)
        return rc;
    int64_t take = amount < a.balance_fen ? amount : a.balance_fen;
    int64_t owe = amount - take;
    rc = append(ctx, v->merchant, "deduction", -take, v->rid, NULL,
                owe ? "the balance did not cover the penalty: the rest is owed" : NULL, owe,
                "deposit.deducted", err);
    if (rc == SW_OK) {
        v->deducted_fen += take;
        v->owed_fen += owe;
    }
    return rc;
}

int sw__ledger_reverse(struct sw_ctx *ctx, struct sw_violation_row *v, struct sw_error *err)
{
    if (v->deducted_fen == 0 && v->owed_fen == 0)
        return SW_OK;
    int rc = append(ctx, v->merchant, "refund", v->deducted_fen, v->rid, NULL,
                    "violation overturned", -v->owed_fen, "deposit.refunded", err);
    if (rc == SW_OK) {
        json_object_set_new(v->doc, "refunded_fen", json_integer(v->deducted_fen));
        json_object_set_new(v->doc, "owed_cancelled_fen", json_integer(v->owed_fen));
        v->deducted_fen = 0;
        v->owed_fen = 0;
    }
    return rc;
}

/* Pays one owing violation from the balance; *a is the account after. */
static int settle_one(struct sw_ctx *ctx, const char *merchant, int64_t rid,
                      struct sw_deposit_account *a, struct sw_error *err)
{
    struct sw_violation_row v = {0};
    bool found;
    int rc = sw_sql_violation_get(ctx->conn, rid, &v, &found, err);
    if (rc || !found)
        return rc;
    int64_t take = v.owed_fen < a->balance_fen ? v.owed_fen : a->balance_fen;
    rc = append(ctx, merchant, "deduction", -take, v.rid, NULL, "pays what was owed", -take,
                "deposit.deducted", err);
    if (rc == SW_OK) {
        v.deducted_fen += take;
        v.owed_fen -= take;
        v.updated_at = ctx->now;
        rc = sw_sql_violation_update(ctx->conn, &v, err);
    }
    sw_violation_row_release(&v);
    return rc ? rc : sw_sql_deposit_account(ctx->conn, merchant, a, err);
}

/* A credit pays every owing violation it can, oldest first, page by page, until the balance
 * or the debt runs out. */
int sw__ledger_settle(struct sw_ctx *ctx, const char *merchant, struct sw_error *err)
{
    int64_t rids[SETTLE_CHUNK], after = 0;
    int n;
    struct sw_deposit_account a = {0};
    int rc = sw_sql_deposit_account(ctx->conn, merchant, &a, err);
    while (rc == SW_OK && a.owed_fen > 0 && a.balance_fen > 0) {
        rc = sw_sql_violation_rids_owing(ctx->conn, merchant, after, rids, SETTLE_CHUNK, &n, err);
        if (rc || n == 0)
            break;
        for (int i = 0; rc == SW_OK && i < n && a.balance_fen > 0; i++) {
            rc = settle_one(ctx, merchant, rids[i], &a, err);
            after = rids[i];
        }
    }
    return rc;
}

int sw__penalty_holds(struct sw_ctx *ctx, const char *merchant, struct sw_error *err)
{
    struct sw_merchant_info info;
    struct sw_deposit_account a = {0};
    int64_t rectifying = 0, clearing = 0;
    int rc;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &info, err)) ||
        (rc = sw_sql_deposit_account(ctx->conn, merchant, &a, err)) ||
        (rc = sw_sql_violation_count_holding(ctx->conn, merchant, &rectifying, &clearing, err)))
        return rc;
    bool rect = rectifying > 0 && ctx->policy->penalties.rectification_restricts_store;
    if ((rc = sw_catalog_set_hold(
             ctx, merchant, SW_HOLD_DEPOSIT, a.balance_fen < info.deposit_required_fen,
             a.balance_fen < info.deposit_required_fen ? "deposit below requirement"
                                                       : "deposit meets the requirement",
             err)) ||
        (rc = sw_catalog_set_hold(ctx, merchant, SW_HOLD_RECTIFICATION, rect,
                                  rect ? "rectification report owed" : "rectification accepted",
                                  err)))
        return rc;
    return sw_catalog_set_hold(ctx, merchant, SW_HOLD_VIOLATION_CLEARANCE, clearing > 0,
                               clearing > 0 ? "cleared by a violation" : "clearance overturned",
                               err);
}

/* ---------- commands ---------- */

/* A top-up or release as sent. `field` is the amount's name as the client sent it
 * ("amount" in yuan or "amount_fen"): every error about the amount names that one. */
struct money_in {
    const char *merchant, *field, *ref, *note;
    int64_t amount;
    struct sw_if_version iv; /* of the deposit (deposit_version) */
};

/* Problems are reported in the order of the fields (id, amount_fen / amount, ref, note): the
 * amount's own checks come before a missing ref. */
static int read_money(const json_t *in, struct money_in *m, struct sw_error *err)
{
    int64_t fen = 0, yuan = 0;
    bool has_fen = false, has_yuan = false;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &m->merchant, 0, NULL},
        {"amount_fen", SW_J_FEN, SW_J_POSITIVE, &fen, 0, &has_fen},
        {"amount", SW_J_YUAN, 0, &yuan, 0, &has_yuan},
        {"ref", SW_J_ID, SW_J_REQUIRED, &m->ref, 0, NULL},
        {"note", SW_J_STR, 0, &m->note, 512, NULL},
        SW_IF_VERSION_FIELD(m->iv),
    };
    size_t n = sizeof f / sizeof f[0], head = 3; /* id and the amount */
    int rc = sw_json_unknown(in, "", f, n, err);
    if (rc || (rc = sw_json_read(in, "", f, head, false, err)))
        return rc;
    m->field = has_fen ? "amount_fen" : "amount";
    if (has_fen && has_yuan)
        return sw_fail(err, SW_E_INVALID_VALUE, "amount",
                       "give 'amount' or 'amount_fen', not both");
    if (!has_fen && !has_yuan)
        return sw_fail(err, SW_E_MISSING_FIELD, "amount",
                       "missing field 'amount' (or 'amount_fen')");
    m->amount = has_fen ? fen : yuan;
    if (m->amount <= 0)
        return sw_fail(err, SW_E_INVALID_VALUE, m->field, "'%s' must be positive", m->field);
    return sw_json_read(in, "", f + head, n - head, false, err);
}

/* The deposit's version, as GET /v1/merchants/{id}/deposit shows it: the store's and its
 * account's together (reads.c). */
static int deposit_if_version(struct sw_ctx *ctx, const struct money_in *m, struct sw_error *err)
{
    struct sw_merchant_info info;
    int64_t account = 0;
    int rc;
    if (!m->iv.given)
        return SW_OK;
    if ((rc = sw_catalog_merchant_info(ctx, m->merchant, &info, err)) ||
        (rc = sw_sql_deposit_version(ctx->conn, m->merchant, &account, err)))
        return rc;
    return sw_if_version(&m->iv, info.version + account, "deposit of", m->merchant, err);
}

/* The balance would overflow: said of the amount the client sent. */
static int name_amount(int rc, const struct money_in *m, struct sw_error *err)
{
    if (rc == SW_E_AMOUNT_OVERFLOW)
        snprintf(err->field, sizeof err->field, "%s", m->field);
    return rc;
}

static int deposit_view(struct sw_ctx *ctx, const char *merchant, json_t **out,
                        struct sw_error *err)
{
    struct sw_merchant_info info;
    struct sw_deposit_account a = {0};
    int rc;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &info, err)) ||
        (rc = sw_sql_deposit_account(ctx->conn, merchant, &a, err)))
        return rc;
    int64_t shortfall =
        a.balance_fen < info.deposit_required_fen ? info.deposit_required_fen - a.balance_fen : 0;
    *out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:s}", "merchant", merchant, "balance_fen",
                     (json_int_t)a.balance_fen, "owed_fen", (json_int_t)a.owed_fen, "required_fen",
                     (json_int_t)info.deposit_required_fen, "shortfall_fen", (json_int_t)shortfall,
                     "store_status", sw_merchant_status_name(info.status));
    int64_t account = 0;
    if ((rc = sw_sql_deposit_version(ctx->conn, merchant, &account, err)) == SW_OK)
        json_object_set_new(*out, "version", json_integer(info.version + account));
    return rc;
}

/* A ref names one entry of a store's ledger, a top-up or a release: a second use under another
 * idempotency key (a retry with a new header, or without one after one with) moves no money. */
static int ref_taken(const char *ref, const char *merchant, struct sw_error *err)
{
    return sw_fail(err, SW_E_ALREADY_EXISTS, "ref",
                   "'%s' already names an entry of the deposit ledger of '%s' (a top-up or a "
                   "release): a ref is used once",
                   ref, merchant);
}

static int deposit_top_up(struct sw_ctx *ctx, const json_t *in, json_t **result,
                          struct sw_error *err)
{
    struct money_in m = {0};
    int rc = read_money(in, &m, err);
    if (rc)
        return rc;
    if (!sw_actor_is_feed(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL,
                       "top-ups come from the payment feed (ingest) or an operator");
    const char *merchant = m.merchant, *ref = m.ref;
    struct sw_merchant_info info;
    bool seen = false;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &info, err)) ||
        (rc = deposit_if_version(ctx, &m, err)) ||
        (rc = sw_sql_deposit_ref_seen(ctx->conn, merchant, ref, &seen, err)))
        return rc;
    if (seen)
        return ref_taken(ref, merchant, err);
    if ((rc = name_amount(
             append(ctx, merchant, "top_up", m.amount, 0, ref, m.note, 0, "deposit.topped_up", err),
             &m, err)) ||
        (rc = sw__ledger_settle(ctx, merchant, err)) ||
        (rc = sw__penalty_holds(ctx, merchant, err)))
        return rc;
    return deposit_view(ctx, merchant, result, err);
}

/* Paying deposit back (a store that leaves, or an operator's correction). Not while anything
 * is owed, and never more than the balance. */
static int deposit_release(struct sw_ctx *ctx, const json_t *in, json_t **result,
                           struct sw_error *err)
{
    struct money_in m = {0};
    int rc = read_money(in, &m, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators may release deposit");
    const char *merchant = m.merchant;
    struct sw_merchant_info info;
    struct sw_deposit_account a = {0};
    bool seen = false;
    if ((rc = sw_catalog_merchant_info(ctx, merchant, &info, err)) ||
        (rc = deposit_if_version(ctx, &m, err)) ||
        (rc = sw_sql_deposit_ref_seen(ctx->conn, merchant, m.ref, &seen, err)) ||
        (rc = sw_sql_deposit_account(ctx->conn, merchant, &a, err)))
        return rc;
    if (seen)
        return ref_taken(m.ref, merchant, err);
    char b[24], o[24];
    if (a.owed_fen > 0)
        return sw_fail(err, SW_E_DEPOSIT_INSUFFICIENT, m.field,
                       "store '%s' owes %s yuan: nothing can be released", merchant,
                       sw_money_format(a.owed_fen, o));
    if (m.amount > a.balance_fen)
        return sw_fail(err, SW_E_DEPOSIT_INSUFFICIENT, m.field, "the balance of '%s' is %s yuan",
                       merchant, sw_money_format(a.balance_fen, b));
    if ((rc = append(ctx, merchant, "release", -m.amount, 0, m.ref, m.note, 0, "deposit.released",
                     err)) ||
        (rc = sw__penalty_holds(ctx, merchant, err)))
        return rc;
    return deposit_view(ctx, merchant, result, err);
}

/* A new store, or a store whose requirement changed with its categories. */
static int on_merchant(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    return sw__penalty_holds(ctx, ev->merchant, err);
}

int sw__ledger_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "deposit.top_up", deposit_top_up)) ||
        (rc = sw_engine_register(e, "deposit.release", deposit_release)) ||
        (rc = sw_engine_subscribe(e, "merchant.created", on_merchant)) ||
        (rc = sw_engine_subscribe(e, "merchant.updated", on_merchant)))
        return rc;
    return SW_OK;
}
