#include "store/promotion_sql.h"

#include <string.h>

#include "base/json.h"
#include "store/rows.h"

#define P(field, kind) SW_COL(struct sw_promotion_row, field, kind)
static const struct sw_col promotion_cols[] = {
    P(rid, SW_COL_INT),
    P(merchant, SW_COL_CHARS),
    P(product, SW_COL_CHARS),
    P(status, SW_COL_CHARS),
    P(reasons, SW_COL_JSON_ARRAY),
    P(price_fen, SW_COL_INT),
    P(estimated_exposure, SW_COL_INT),
    P(duration_hours, SW_COL_INT),
    P(actual_exposure, SW_COL_INT),
    P(created_at, SW_COL_INT),
    P(started_at, SW_COL_INT_OR_NULL),
    P(ends_at, SW_COL_INT_OR_NULL),
    P(abnormal_since, SW_COL_INT_OR_NULL),
    P(completed_at, SW_COL_INT_OR_NULL),
    P(completion, SW_COL_CHARS_OR_NULL),
    P(final_at, SW_COL_INT_OR_NULL),
    P(finalized, SW_COL_BOOL),
    P(first_impression, SW_COL_INT_OR_NULL),
    P(refund, SW_COL_JSON_OR_NULL),
    P(created_by, SW_COL_JSON_OR_NULL),
    P(version, SW_COL_INT),
    P(updated_at, SW_COL_INT),
};
#undef P
static const struct sw_rowdef promotion_row =
    SW_ROWDEF("promotion", struct sw_promotion_row, promotion_cols);

/* The columns in the order of promotion_cols: column i is parameter ?(i+1). */
#define PROMO_COLS                                                                                 \
    "p.rid, p.merchant, p.product, p.status, p.reasons, p.price_fen, p.estimated_exposure,"        \
    " p.duration_hours, c.actual_exposure, p.created_at, p.started_at, p.ends_at,"                 \
    " p.abnormal_since, p.completed_at, p.completion, p.final_at, p.finalized,"                    \
    " p.first_impression, p.refund, p.created_by, c.version, p.updated_at"
#define PROMO_FROM " FROM promotions p JOIN promotion_counts c ON c.rid = p.rid"

#define H(field, kind) SW_COL(struct sw_promotion_history_row, field, kind)
static const struct sw_col history_cols[] = {
    H(promotion, SW_COL_INT),
    H(n, SW_COL_INT),
    H(at, SW_COL_INT),
    H(from_status, SW_COL_CHARS_OR_NULL),
    H(to_status, SW_COL_CHARS),
    H(cause, SW_COL_CHARS),
    H(reasons, SW_COL_JSON_ARRAY),
    H(event_seq, SW_COL_INT),
};
#undef H
static const struct sw_rowdef history_row =
    SW_ROWDEF("promotion transition", struct sw_promotion_history_row, history_cols);

void sw_promotion_row_release(struct sw_promotion_row *p)
{
    sw_rows_release(&promotion_row, p);
}

int sw_sql_promotion_insert(struct sw_conn *c, struct sw_promotion_row *p, struct sw_error *err)
{
    int rc = sw_rows_insert(c,
                            "INSERT INTO promotions(rid, merchant, product, status, reasons,"
                            " price_fen, estimated_exposure, duration_hours, created_at,"
                            " started_at, ends_at, abnormal_since, completed_at, completion,"
                            " final_at, finalized, first_impression, refund, created_by,"
                            " updated_at) VALUES (" SW_NEXT_RID(
                                "promotions") ",?2,?3,?4,?5,?6,?7,?8,?10,?11,?12,?13,?14,"
                                              "?15,?16,?17,?18,?19,?20,?22)",
                            &promotion_row, p, &p->rid, err, "insert promotion");
    return rc ? rc
              : sw_rows_write(c,
                              "INSERT INTO promotion_counts(rid, actual_exposure, version)"
                              " VALUES (?1, ?9, ?21)",
                              &promotion_row, p, err, "insert promotion counts");
}

int sw_sql_promotion_update(struct sw_conn *c, const struct sw_promotion_row *p,
                            struct sw_error *err)
{
    int rc = sw_rows_write(c,
                           "UPDATE promotions SET status=?4, reasons=?5, started_at=?11,"
                           " ends_at=?12, abnormal_since=?13, completed_at=?14, completion=?15,"
                           " final_at=?16, finalized=?17, first_impression=?18, refund=?19,"
                           " updated_at=?22 WHERE rid=?1",
                           &promotion_row, p, err, "update promotion");
    return rc ? rc
              : sw_rows_write(c,
                              "UPDATE promotion_counts SET actual_exposure=?9, version=?21"
                              " WHERE rid=?1",
                              &promotion_row, p, err, "update promotion counts");
}

int sw_sql_promotion_get(struct sw_conn *c, int64_t rid, struct sw_promotion_row *p, bool *found,
                         struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " PROMO_COLS PROMO_FROM " WHERE p.rid = ?1", rid,
                           &promotion_row, p, found, err, "get promotion");
}

int sw_sql_promotion_set_exposure(struct sw_conn *c, int64_t rid, int64_t actual,
                                  struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE promotion_counts SET actual_exposure = ?2,"
                                   " version = version + 1 WHERE rid = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_int64(s, 2, actual);
    return sw_sql_done(c, s, err, "count exposure");
}

int sw_sql_promotion_set_first_impression(struct sw_conn *c, int64_t rid, int64_t rowid,
                                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "UPDATE promotions SET first_impression = ?2 WHERE rid = ?1 AND first_impression IS NULL",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_int64(s, 2, rowid);
    return sw_sql_done(c, s, err, "note first impression");
}

int sw_sql_promotion_page(struct sw_conn *c, const char *merchant, const char *status,
                          int64_t after, int max, struct sw_promotion_row *out, int *n,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " PROMO_COLS PROMO_FROM " WHERE p.rid > ?1"
                                   " AND (?2 IS NULL OR p.merchant = ?2)"
                                   " AND (?3 IS NULL OR p.status = ?3) ORDER BY p.rid LIMIT ?4",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sw_sql_bind_text_or_null(s, 2, merchant);
    sw_sql_bind_text_or_null(s, 3, status);
    sqlite3_bind_int(s, 4, max);
    return sw_rows_all(c, s, &promotion_row, out, max, n, err, "list promotions");
}

static int rids(struct sw_conn *c, sqlite3_stmt *s, int max, int64_t *out, int *n,
                struct sw_error *err, const char *what)
{
    int r;
    *n = 0;
    while (*n < max && (r = sqlite3_step(s)) == SQLITE_ROW)
        out[(*n)++] = sqlite3_column_int64(s, 0);
    if (*n < max && r != SQLITE_DONE) {
        sqlite3_reset(s);
        return sw_conn_fail(c, err, what);
    }
    sqlite3_reset(s);
    return SW_OK;
}

int sw_sql_promotion_live_rids(struct sw_conn *c, const char *product, const char *merchant,
                               int64_t after, int max, int64_t *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s;
    if (product)
        s = sw_conn_stmt(c,
                         "SELECT rid FROM promotions WHERE product = ?1 AND rid > ?2 AND +status IN"
                         " ('running', 'abnormal') ORDER BY rid LIMIT ?3",
                         err);
    else if (merchant)
        s = sw_conn_stmt(c,
                         "SELECT rid FROM promotions WHERE merchant = ?1 AND rid > ?2 AND +status"
                         " IN ('running', 'abnormal') ORDER BY rid LIMIT ?3",
                         err);
    else
        s = sw_conn_stmt(c,
                         "SELECT rid FROM promotions WHERE status IN ('running', 'abnormal')"
                         " AND ?1 IS NULL AND rid > ?2 ORDER BY rid LIMIT ?3",
                         err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, product ? product : merchant);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, max);
    return rids(c, s, max, out, n, err, "list live promotions");
}

int sw_sql_promotion_dedupe_rids(struct sw_conn *c, int64_t after, int max, int64_t *out, int *n,
                                 struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM promotions WHERE status IN ('running',"
                                   " 'abnormal', 'completed') AND finalized = 0 AND rid > ?1"
                                   " ORDER BY rid LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, max);
    return rids(c, s, max, out, n, err, "list orders still counting");
}

int sw_sql_promotion_max_rid(struct sw_conn *c, int64_t *max_rid, int64_t *first_row,
                             struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT COALESCE((SELECT MAX(rid) FROM promotions), 0),"
                                   " COALESCE((SELECT MIN(first_impression) FROM promotions"
                                   " WHERE finalized = 0 AND status IN ('running', 'abnormal',"
                                   " 'completed')), 9223372036854775807)",
                                   err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {max_rid, first_row};
    return sw_sql_row_ints(c, s, outs, 2, err, "find live impressions");
}

int sw_sql_promotion_history_add(struct sw_conn *c, const struct sw_promotion_history_row *h,
                                 struct sw_error *err)
{
    return sw_rows_write(c,
                         "INSERT INTO promotion_history(promotion, n, at, from_status, to_status,"
                         " cause, reasons, event_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                         &history_row, h, err, "add promotion transition");
}

int sw_sql_promotion_history_json(struct sw_conn *c, int64_t rid, json_t **out,
                                  struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT at, from_status, to_status, cause, reasons, event_seq"
                                   " FROM promotion_history WHERE promotion = ?1 ORDER BY n",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    *out = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *from = (const char *)sqlite3_column_text(s, 1);
        const char *reasons = (const char *)sqlite3_column_text(s, 4);
        json_t *rs = reasons ? json_loads(reasons, 0, NULL) : NULL;
        json_array_append_new(*out, json_pack("{s:o,s:o,s:s,s:s,s:o,s:I}", "at",
                                              sw_json_instant(sqlite3_column_int64(s, 0)), "from",
                                              from ? json_string(from) : json_null(), "to",
                                              (const char *)sqlite3_column_text(s, 2), "cause",
                                              (const char *)sqlite3_column_text(s, 3), "reasons",
                                              rs ? rs : json_array(), "event_seq",
                                              (json_int_t)sqlite3_column_int64(s, 5)));
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return sw_conn_fail(c, err, "read promotion history");
    }
    return SW_OK;
}

int sw_sql_promotion_history_each(struct sw_conn *c, int64_t rid,
                                  void (*fn)(void *arg, int64_t at, const char *to), void *arg,
                                  struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT at, to_status FROM promotion_history WHERE promotion = ?1 ORDER BY n", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1));
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read promotion history");
}

int sw_sql_promotion_history_count(struct sw_conn *c, int64_t rid, int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT COUNT(*) FROM promotion_history WHERE promotion = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int64_t *const outs[] = {n};
    return sw_sql_row_ints(c, s, outs, 1, err, "count promotion transitions");
}

int sw_sql_impression_add(struct sw_conn *c, int64_t promotion, const char *id, size_t len,
                          int64_t at, bool counted, int64_t *rowid, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO impressions(promotion, impression_id, at, counted)"
                                   " VALUES (?1, ?2, ?3, ?4)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, promotion);
    sqlite3_bind_text(s, 2, id, (int)len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_int(s, 4, counted ? 1 : 0);
    int rc = sw_sql_done(c, s, err, "add impression");
    if (rc == SW_OK)
        *rowid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_impression_is(struct sw_conn *c, int64_t rowid, const char *id, size_t len, bool *same,
                         struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT impression_id FROM impressions WHERE rowid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rowid);
    int r = sqlite3_step(s);
    *same = r == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == len &&
            memcmp(sqlite3_column_text(s, 0), id, len) == 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read impression");
}

int sw_sql_impression_scan(struct sw_conn *c, int64_t from,
                           void (*fn)(void *arg, int64_t rowid, int64_t promotion, const char *id,
                                      size_t len),
                           void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT rowid, promotion, impression_id FROM impressions WHERE rowid >= ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, from);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
           (const char *)sqlite3_column_text(s, 2), (size_t)sqlite3_column_bytes(s, 2));
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "scan impressions");
}
