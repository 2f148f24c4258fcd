/* What statements paid an order against what it should earn now (docs/affiliate.md,
 * "Corrections"). An issued statement never changes: each line it paid or deducted stays as it
 * was, and a later change to what the order should earn becomes a pending line for the next
 * statement, the difference between the two. Per rights case: the clawback its state calls for
 * now less what statements deducted for it. For the order's commission, once a statement has
 * settled it: what that statement paid plus the corrections issued since, less the settlement
 * commission the order earns now (0 when it became invalid: it earns nothing, clawbacks
 * included). */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

/* The pending line of (order, case) becomes target (what lines of it should have taken in all)
 * less what its issued lines took; dropped when that is 0. rows: the order's lines as stored;
 * *dirty set when they change. */
static int pend(struct sw_ctx *ctx, const char *order, const char *promoter, const char *case_id,
                int64_t target, const json_t *rows, bool *dirty, struct sw_error *err)
{
    int64_t taken = 0, next = 0, pending = -1, pending_fen = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "case")), case_id) != 0)
            continue;
        int64_t n = json_integer_value(json_object_get(r, "n"));
        if (json_object_get(r, "statement"))
            taken += json_integer_value(json_object_get(r, "amount_fen"));
        else
            pending = n, pending_fen = json_integer_value(json_object_get(r, "amount_fen"));
        next = n >= next ? n + 1 : next;
    }
    if (pending < 0 ? target == taken : target - taken == pending_fen)
        return SW_OK; /* as it is */
    *dirty = true;
    if (target == taken)
        return sw_sql_aff_adjust_drop(ctx->conn, order, case_id, err);
    return sw_sql_aff_adjust_put(ctx->conn, order, case_id, pending >= 0 ? pending : next, promoter,
                                 target - taken, err);
}

/* The order's lines in its view: clawbacks (amount taken, positive; a credit is negative) and
 * corrections (amount as the statement shows it: negative takes back). */
static void render_lines(struct sw_aff_view *v, const json_t *rows)
{
    json_t *claws = json_array(), *corrections = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *c = json_string_value(json_object_get(r, "case"));
        json_t *st = json_object_get(r, "statement");
        json_int_t amount = json_integer_value(json_object_get(r, "amount_fen"));
        if (c[0])
            json_array_append_new(claws,
                                  json_pack("{s:s,s:I,s:s,s:O}", "case", c, "amount_fen", amount,
                                            "state", st ? "deducted" : "deduction_pending",
                                            "statement", st ? st : json_null()));
        else
            json_array_append_new(corrections, json_pack("{s:I,s:s,s:O}", "amount_fen", -amount,
                                                         "state", st ? "issued" : "pending",
                                                         "statement", st ? st : json_null()));
    }
    json_decref(v->clawbacks);
    json_decref(v->corrections);
    v->clawbacks = claws;
    v->corrections = corrections;
}

/* Every case the order's lines name that the fold no longer has (an anomaly dated earlier
 * keeps it from applying): it should take nothing now. */
static int orphans(struct sw_ctx *ctx, const char *order, const char *promoter, json_t *done,
                   const json_t *rows, bool *dirty, struct sw_error *err)
{
    int rc = SW_OK;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *c = json_string_value(json_object_get(r, "case"));
        if (rc || !c[0] || json_object_get(done, c))
            continue;
        rc = pend(ctx, order, promoter, c, 0, rows, dirty, err);
        json_object_set_new(done, c, json_true());
    }
    return rc;
}

int sw__aff_ledger(struct sw_ctx *ctx, struct sw_aff_view *v, const struct sw_aff_order_head *head,
                   struct sw_error *err)
{
    const char *order = v->order;
    const struct sw_aff_fold *f = v->f;
    bool invalid = v->status == SW_AS_INVALID;
    bool settled = head->statement[0] != '\0';
    json_t *rows = NULL, *done = json_object();
    bool dirty = false;
    /* most orders have no line: no read for them */
    int rc = head->has_lines ? sw_sql_aff_adjust_rows(ctx->conn, order, &rows, err) : SW_OK;
    if (!rows)
        rows = json_array();
    for (int i = 0; rc == SW_OK && i < f->ncases; i++) {
        const struct sw_aff_case *c = &f->cases[i];
        rc = pend(ctx, order, f->promoter, c->id, invalid ? 0 : c->clawback_fen, rows, &dirty, err);
        json_object_set_new(done, c->id, json_true());
    }
    if (rc == SW_OK)
        rc = orphans(ctx, order, f->promoter, done, rows, &dirty, err);
    if (rc == SW_OK && settled) {
        int64_t earns = invalid || v->settlement_fen < 0 ? 0 : v->settlement_fen;
        rc = pend(ctx, order, f->promoter, "", head->settled_commission_fen - earns, rows, &dirty,
                  err);
    }
    if (rc == SW_OK && dirty) { /* read again: what the view lists is what is stored */
        json_decref(rows);
        rows = NULL;
        rc = sw_sql_aff_adjust_rows(ctx->conn, order, &rows, err);
    }
    if (rc == SW_OK)
        render_lines(v, rows);
    if (rc == SW_OK && settled) {
        snprintf(v->statement, sizeof v->statement, "%s", head->statement);
        if (v->status == SW_AS_RECEIPT_CONFIRMED)
            v->status = SW_AS_SETTLED;
    }
    json_decref(rows);
    json_decref(done);
    return rc;
}
