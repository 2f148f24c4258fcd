#include "store/affiliate_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "store/rows.h"

int sw_sql_aff_event_insert(struct sw_conn *c, const struct sw_aff_event_row *e, bool *fresh,
                            struct sw_error *err)
{
    *fresh = false;
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "INSERT INTO aff_events(event_id, order_id, at, type, promoter, merchant, item,"
        " amount_fen, rate_bp, buyer_id, buyer_device, buyer_address, settled_fen, case_id,"
        " case_state, refund_fen, arrived) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,"
        "?14,?15,?16,?17) ON CONFLICT (event_id) DO NOTHING",
        err);
    if (!s)
        return err->code;
    sqlite3_clear_bindings(s); /* a statement kept from the last event keeps its values */
    const char *texts[] = {e->event_id, e->order_id};
    for (int i = 0; i < 2; i++)
        sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, e->at);
    const char *more[] = {e->type, e->promoter, e->merchant, e->item};
    for (int i = 0; i < 4; i++)
        sqlite3_bind_text(s, i + 4, more[i], -1, SQLITE_STATIC);
    const char *type = e->type;
    bool paid = strcmp(type, "paid") == 0, rights = strcmp(type, "rights_case") == 0;
    if (paid || strcmp(type, "partial_refund") == 0)
        sqlite3_bind_int64(s, 8, e->amount_fen);
    if (paid) {
        sqlite3_bind_int64(s, 9, e->rate_bp);
        sw_sql_bind_text_or_null(s, 10, e->buyer_id);
        sw_sql_bind_text_or_null(s, 11, e->buyer_device);
        sw_sql_bind_text_or_null(s, 12, e->buyer_address);
    }
    if (strcmp(type, "receipt_confirmed") == 0)
        sqlite3_bind_int64(s, 13, e->settled_fen);
    if (rights) {
        sw_sql_bind_text_or_null(s, 14, e->case_id);
        sw_sql_bind_text_or_null(s, 15, e->case_state);
        sqlite3_bind_int64(s, 16, e->refund_fen);
    }
    sqlite3_bind_int64(s, 17, e->arrived);
    int rc = sw_sql_done(c, s, err, "insert affiliate event");
    *fresh = rc == SW_OK && sqlite3_changes(c->db) == 1;
    return rc;
}

static const char *text_at(sqlite3_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s, col);
}

int sw_sql_aff_order_events(struct sw_conn *c, const char *order, int max,
                            int (*fn)(void *arg, const struct sw_aff_event_row *e,
                                      struct sw_error *err),
                            void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT rid, at, event_id, order_id, type, promoter, merchant, item, amount_fen, rate_bp,"
        " settled_fen, refund_fen, buyer_id, buyer_device, buyer_address, case_id, case_state,"
        " arrived FROM aff_events WHERE order_id = ?1 ORDER BY rid LIMIT ?2",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, max);
    int r, rc = SW_OK;
    while (rc == SW_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        struct sw_aff_event_row e = {
            .rid = sqlite3_column_int64(s, 0),
            .at = sqlite3_column_int64(s, 1),
            .event_id = text_at(s, 2),
            .order_id = text_at(s, 3),
            .type = text_at(s, 4),
            .promoter = text_at(s, 5),
            .merchant = text_at(s, 6),
            .item = text_at(s, 7),
            .amount_fen = sqlite3_column_int64(s, 8),
            .rate_bp = sqlite3_column_int64(s, 9),
            .settled_fen = sqlite3_column_int64(s, 10),
            .refund_fen = sqlite3_column_int64(s, 11),
            .buyer_id = text_at(s, 12),
            .buyer_device = text_at(s, 13),
            .buyer_address = text_at(s, 14),
            .case_id = text_at(s, 15),
            .case_state = text_at(s, 16),
            .arrived = sqlite3_column_int64(s, 17),
        };
        rc = fn(arg, &e, err);
    }
    if (rc == SW_OK && r != SQLITE_DONE)
        rc = sw_conn_fail(c, err, "read affiliate events");
    sqlite3_reset(s);
    return rc;
}

#define O(field, kind) SW_COL(struct sw_aff_order_row, field, kind)
static const struct sw_col order_cols[] = {
    O(order_id, SW_COL_CHARS),
    O(promoter, SW_COL_CHARS),
    O(status, SW_COL_CHARS),
    O(confirmed_at, SW_COL_INT_OR_NULL),
    O(statement, SW_COL_CHARS_OR_NULL),
    O(doc, SW_COL_JSON_OBJECT),
    O(version, SW_COL_INT),
    O(updated_at, SW_COL_INT),
};
#undef O
static const struct sw_rowdef order_row =
    SW_ROWDEF("affiliate order", struct sw_aff_order_row, order_cols);
#define ORDER_COLS "order_id, promoter, status, confirmed_at, statement, doc, version, updated_at"

void sw_aff_order_row_release(struct sw_aff_order_row *o)
{
    sw_rows_release(&order_row, o);
}

int sw_sql_aff_order_get(struct sw_conn *c, const char *order, struct sw_aff_order_row *o,
                         bool *found, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT " ORDER_COLS " FROM aff_orders WHERE order_id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &order_row, o, found, err, "get affiliate order");
}

void sw_aff_order_head_release(struct sw_aff_order_head *h)
{
    free(h->doc);
    h->doc = NULL;
}

int sw_sql_aff_order_head(struct sw_conn *c, const char *order, struct sw_aff_order_head *h,
                          bool *found, struct sw_error *err)
{
    *found = false;
    memset(h, 0, sizeof *h);
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "SELECT statement, doc, version, settled_commission_fen, EXISTS (SELECT 1"
                     " FROM aff_clawbacks c WHERE c.order_id = ?1) FROM aff_orders"
                     " WHERE order_id = ?1",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    bool oom = false;
    if (r == SQLITE_ROW) {
        const char *st = text_at(s, 0), *doc = text_at(s, 1);
        snprintf(h->statement, sizeof h->statement, "%s", st ? st : "");
        oom = doc && !(h->doc = strdup(doc));
        h->version = sqlite3_column_int64(s, 2);
        h->settled_commission_fen = sqlite3_column_int64(s, 3);
        h->has_lines = sqlite3_column_int(s, 4) != 0;
        *found = true;
    }
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "read an affiliate order");
    return oom ? sw_fail(err, SW_E_INTERNAL, NULL, "out of memory") : SW_OK;
}

int sw_sql_aff_order_write(struct sw_conn *c, const struct sw_aff_order_write *w, bool exists,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        exists ? "UPDATE aff_orders SET promoter = ?2, status = ?3, confirmed_at = ?4, doc = ?5,"
                 " version = ?6, updated_at = ?7 WHERE order_id = ?1"
               : "INSERT INTO aff_orders(order_id, promoter, status, confirmed_at, doc, version,"
                 " updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7)",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, w->order_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, w->promoter, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, w->status, -1, SQLITE_STATIC);
    if (w->confirmed_at)
        sqlite3_bind_int64(s, 4, w->confirmed_at);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_text(s, 5, w->doc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, w->version);
    sqlite3_bind_int64(s, 7, w->updated_at);
    return sw_sql_done(c, s, err, "write affiliate order");
}

static const char *const order_pages[] = {
    "SELECT " ORDER_COLS " FROM aff_orders WHERE promoter = ?1 AND order_id > ?3"
    " AND (?2 IS NULL OR status = ?2) ORDER BY order_id LIMIT ?4",
    "SELECT " ORDER_COLS " FROM aff_orders WHERE status = ?2 AND order_id > ?3"
    " ORDER BY order_id LIMIT ?4",
    "SELECT " ORDER_COLS " FROM aff_orders WHERE order_id > ?3 ORDER BY order_id LIMIT ?4",
};

int sw_sql_aff_order_page(struct sw_conn *c, const char *promoter, const char *status,
                          const char *after, int max, struct sw_aff_order_row *out, int *n,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, order_pages[promoter ? 0 : status ? 1 : 2], err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, promoter);
    sw_sql_bind_text_or_null(s, 2, status);
    sqlite3_bind_text(s, 3, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, max);
    return sw_rows_all(c, s, &order_row, out, max, n, err, "list affiliate orders");
}

int sw_sql_aff_held_set(struct sw_conn *c, const char *order, const struct sw_aff_held_row *held,
                        int n, struct sw_error *err)
{
    sqlite3_stmt *d = sw_conn_stmt(c, "DELETE FROM aff_held WHERE order_id = ?1", err);
    if (!d)
        return err->code;
    sqlite3_bind_text(d, 1, order, -1, SQLITE_STATIC);
    int rc = sw_sql_done(c, d, err, "clear held events");
    for (int i = 0; rc == SW_OK && i < n; i++) {
        sqlite3_stmt *s = sw_conn_stmt(c,
                                       "INSERT OR REPLACE INTO aff_held(event_id, order_id,"
                                       " type, at, waiting_for) VALUES (?1,?2,?3,?4,?5)",
                                       err);
        if (!s)
            return err->code;
        sqlite3_bind_text(s, 1, held[i].event_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, order, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, held[i].type, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, held[i].at);
        sqlite3_bind_text(s, 5, held[i].waiting_for, -1, SQLITE_STATIC);
        rc = sw_sql_done(c, s, err, "hold an affiliate event");
    }
    return rc;
}

static const struct sw_col held_cols[] = {
    SW_COL_KEY("event_id", SW_COL_STR),    SW_COL_KEY("order", SW_COL_STR),
    SW_COL_KEY("type", SW_COL_STR),        SW_COL_KEY("at_us", SW_COL_INT),
    SW_COL_KEY("waiting_for", SW_COL_STR),
};
static const struct sw_rowdef held_row = SW_ROWDEF_KEYS("held event", held_cols);

int sw_sql_aff_held_page(struct sw_conn *c, const char *after, int max, json_t **rows,
                         struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT event_id, order_id, type, at, waiting_for FROM aff_held"
                                   " WHERE event_id > ?1 ORDER BY event_id LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, max);
    return sw_rows_json(c, s, &held_row, rows, err, "list held affiliate events");
}

int sw_sql_aff_adjust_put(struct sw_conn *c, const char *order, const char *case_id, int64_t n,
                          const char *promoter, int64_t amount, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO aff_clawbacks(order_id, case_id, n, promoter,"
                                   " amount_fen) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO UPDATE"
                                   " SET amount_fen = excluded.amount_fen WHERE statement IS NULL",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, n);
    sqlite3_bind_text(s, 4, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, amount);
    return sw_sql_done(c, s, err, "record a pending line");
}

int sw_sql_aff_adjust_drop(struct sw_conn *c, const char *order, const char *case_id,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "DELETE FROM aff_clawbacks WHERE order_id = ?1 AND case_id = ?2"
                                   " AND statement IS NULL",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, case_id, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "drop a pending line");
}

static const struct sw_col adjust_cols[] = {
    SW_COL_KEY("case", SW_COL_STR),
    SW_COL_KEY("n", SW_COL_INT),
    SW_COL_KEY("amount_fen", SW_COL_INT),
    SW_COL_KEY("statement", SW_COL_STR_OR_NULL),
};
static const struct sw_rowdef adjust_row = SW_ROWDEF_KEYS("pending line", adjust_cols);

int sw_sql_aff_adjust_rows(struct sw_conn *c, const char *order, json_t **rows,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT case_id, n, amount_fen, statement FROM aff_clawbacks"
                                   " WHERE order_id = ?1 ORDER BY rowid",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    return sw_rows_json(c, s, &adjust_row, rows, err, "read an order's lines");
}

int sw_sql_aff_unsettled(struct sw_conn *c, int64_t cutoff,
                         int (*fn)(void *arg, const struct sw_aff_line *l, struct sw_error *err),
                         void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT p, o, c, a, k FROM (SELECT promoter AS p, order_id AS o, NULL AS c,"
        " json_extract(doc, '$.settlement_commission_fen') AS a, 0 AS k FROM aff_orders"
        " WHERE status = 'receipt_confirmed' AND statement IS NULL AND confirmed_at < ?1"
        " AND NOT EXISTS (SELECT 1 FROM aff_flags f WHERE f.order_id = aff_orders.order_id"
        " AND f.state = 'open')"
        /* a clawback goes with its order's commission: in the statement that settles the
         * order, or any later one; a correction (case '') follows a settled order's */
        " UNION ALL SELECT c.promoter, c.order_id, NULLIF(c.case_id, ''), -c.amount_fen,"
        " CASE WHEN c.case_id = '' THEN 2 ELSE 1 END"
        " FROM aff_clawbacks c JOIN aff_orders o ON o.order_id = c.order_id"
        " WHERE c.statement IS NULL AND (o.statement IS NOT NULL OR (o.status ="
        " 'receipt_confirmed' AND o.confirmed_at < ?1 AND NOT EXISTS (SELECT 1 FROM"
        " aff_flags f WHERE f.order_id = o.order_id AND f.state = 'open'))))"
        " ORDER BY p, k, o, c",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, cutoff);
    int r, rc = SW_OK;
    while (rc == SW_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        static const char *const kinds[] = {"order", "clawback", "correction"};
        int k = sqlite3_column_int(s, 4);
        struct sw_aff_line l = {(const char *)sqlite3_column_text(s, 0),
                                (const char *)sqlite3_column_text(s, 1),
                                (const char *)sqlite3_column_text(s, 2),
                                kinds[k >= 0 && k < 3 ? k : 0], sqlite3_column_int64(s, 3)};
        rc = fn(arg, &l, err);
    }
    if (rc == SW_OK && r != SQLITE_DONE)
        rc = sw_conn_fail(c, err, "list unsettled affiliate lines");
    sqlite3_reset(s);
    return rc;
}

int sw_sql_aff_settle_order(struct sw_conn *c, const char *order, const char *statement,
                            int64_t commission_fen, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE aff_orders SET statement = ?2,"
                                   " settled_commission_fen = ?3 WHERE order_id = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, statement, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, commission_fen);
    return sw_sql_done(c, s, err, "settle an affiliate order");
}

int sw_sql_aff_deduct(struct sw_conn *c, const char *order, const char *case_id,
                      const char *statement, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "UPDATE aff_clawbacks SET statement = ?3 WHERE order_id = ?1 AND case_id = ?2"
                     " AND statement IS NULL",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, statement, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "deduct a clawback");
}

int sw_sql_aff_statement_insert(struct sw_conn *c, const char *id, const char *promoter,
                                const char *month, int64_t issued_at, const json_t *lines,
                                int64_t total, struct sw_error *err)
{
    char *text = json_dumps(lines, JSON_COMPACT);
    sqlite3_stmt *s = text
                          ? sw_conn_stmt(c,
                                         "INSERT INTO aff_statements(id, promoter, month,"
                                         " issued_at, lines, total_fen) VALUES (?1,?2,?3,?4,?5,?6)",
                                         err)
                          : NULL;
    if (!s) {
        free(text);
        return text ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise lines");
    }
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, month, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, issued_at);
    sqlite3_bind_text(s, 5, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, total);
    int rc = sw_sql_done(c, s, err, "issue a statement");
    free(text);
    return rc;
}

bool sw_sql_aff_statement_exists(struct sw_conn *c, const char *id)
{
    struct sw_error err;
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT 1 FROM aff_statements WHERE id = ?1", &err);
    if (!s)
        return false;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    bool yes = false;
    return sw_sql_exists(c, s, &yes, &err, "find a statement") == SW_OK && yes;
}

int sw_sql_aff_run_pending(struct sw_conn *c, bool *yes, struct sw_error *err)
{
    /* by the timers' unique key (';' follows ':'), not a scan of every timer */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT 1 FROM timers WHERE key >= 'affiliate.statements:' "
                                   "AND key < 'affiliate.statements;' LIMIT 1",
                                   err);
    *yes = false;
    return s ? sw_sql_exists(c, s, yes, err, "find the monthly run") : err->code;
}

static const struct sw_col statement_cols[] = {
    SW_COL_KEY("id", SW_COL_STR),           SW_COL_KEY("promoter", SW_COL_STR),
    SW_COL_KEY("month", SW_COL_STR),        SW_COL_KEY("issued_at", SW_COL_INT),
    SW_COL_KEY("lines", SW_COL_JSON_ARRAY), SW_COL_KEY("total_fen", SW_COL_INT),
};
static const struct sw_rowdef statement_row = SW_ROWDEF_KEYS("statement", statement_cols);

int sw_sql_aff_statements(struct sw_conn *c, const char *id, const char *promoter,
                          const char *month, const char *after, int max, json_t **rows,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT id, promoter, month, issued_at, lines, total_fen"
                                   " FROM aff_statements WHERE (?1 IS NULL OR id = ?1)"
                                   " AND (?2 IS NULL OR promoter = ?2) AND (?3 IS NULL OR"
                                   " month = ?3) AND id > ?4 ORDER BY id LIMIT ?5",
                                   err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, id);
    sw_sql_bind_text_or_null(s, 2, promoter);
    sw_sql_bind_text_or_null(s, 3, month);
    sqlite3_bind_text(s, 4, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, max);
    return sw_rows_json(c, s, &statement_row, rows, err, "list statements");
}
