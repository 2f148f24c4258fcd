/* SQL of the affiliate module's review and monitoring (schema 0015_affiliate.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/affiliate_sql.h"
#include "store/rows.h"

static json_t *parse_or_empty(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    json_t *j = t ? json_loads(t, 0, NULL) : NULL;
    return j ? j : json_array();
}

int sw_sql_aff_promoter_get(struct sw_conn *c, const char *id, json_t **devices, json_t **addresses,
                            int64_t *version, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT devices, address_hashes, version FROM aff_promoters WHERE id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *devices = r == SQLITE_ROW ? parse_or_empty(s, 0) : json_array();
    *addresses = r == SQLITE_ROW ? parse_or_empty(s, 1) : json_array();
    *version = r == SQLITE_ROW ? sqlite3_column_int64(s, 2) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get promoter");
}

int sw_sql_aff_promoter_put(struct sw_conn *c, const char *id, const json_t *devices,
                            const json_t *addresses, int64_t version, int64_t at,
                            struct sw_error *err)
{
    char *d = json_dumps(devices, JSON_COMPACT), *a = json_dumps(addresses, JSON_COMPACT);
    sqlite3_stmt *s = d && a ? sw_conn_stmt(c,
                                            "INSERT OR REPLACE INTO aff_promoters(id, devices,"
                                            " address_hashes, version, updated_at)"
                                            " VALUES (?1,?2,?3,?4,?5)",
                                            err)
                             : NULL;
    int rc = s ? SW_OK : (d && a ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "no memory"));
    if (s) {
        sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, d, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, a, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, version);
        sqlite3_bind_int64(s, 5, at);
        rc = sw_sql_done(c, s, err, "write promoter");
    }
    free(d);
    free(a);
    return rc;
}

int sw_sql_aff_flag_open(struct sw_conn *c, const char *order, const char *rule, const char *reason,
                         const json_t *evidence, const char *policy_version, int64_t at,
                         bool *fresh, struct sw_error *err)
{
    char *ev = json_dumps(evidence, JSON_COMPACT);
    sqlite3_stmt *s = ev ? sw_conn_stmt(c,
                                        "INSERT INTO aff_flags(order_id, rule, reason,"
                                        " evidence, policy_version, state, at)"
                                        " VALUES (?1,?2,?3,?4,?5,'open',?6)"
                                        " ON CONFLICT(order_id, rule) DO UPDATE SET"
                                        " evidence = excluded.evidence, policy_version ="
                                        " excluded.policy_version WHERE state = 'open' AND"
                                        " (evidence <> excluded.evidence OR policy_version <>"
                                        " excluded.policy_version)",
                                        err)
                         : NULL;
    int rc = s ? SW_OK : (ev ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "no memory"));
    if (s) {
        sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, rule, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 4, ev, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 5, policy_version, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 6, at);
        rc = sw_sql_done(c, s, err, "flag an affiliate order");
        if (fresh)
            *fresh = rc == SW_OK && sqlite3_changes(c->db) == 1;
    }
    free(ev);
    return rc;
}

static const struct sw_col flag_cols[] = {
    SW_COL_KEY("rule", SW_COL_STR),
    SW_COL_KEY("reason", SW_COL_STR),
    SW_COL_KEY("evidence", SW_COL_JSON_OBJECT),
    SW_COL_KEY("policy_version", SW_COL_STR),
    SW_COL_KEY("state", SW_COL_STR),
    SW_COL_KEY("at_us", SW_COL_INT),
    SW_COL_KEY("decided_by", SW_COL_JSON_OR_NULL),
    SW_COL_KEY("decided_at_us", SW_COL_INT_OR_NULL),
    SW_COL_KEY("note", SW_COL_STR_OR_NULL),
};
static const struct sw_rowdef flag_row = SW_ROWDEF_KEYS("flag", flag_cols);

int sw_sql_aff_flags(struct sw_conn *c, const char *order, json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rule, reason, evidence, policy_version, state, at,"
                                   " decided_by, decided_at, note FROM aff_flags"
                                   " WHERE order_id = ?1 ORDER BY at, rule",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    return sw_rows_json(c, s, &flag_row, rows, err, "list flags");
}

int sw_sql_aff_flags_decide(struct sw_conn *c, const char *order, const char *state,
                            const json_t *by, const char *note, int64_t at, int *n,
                            struct sw_error *err)
{
    char *b = json_dumps(by, JSON_COMPACT);
    sqlite3_stmt *s = b ? sw_conn_stmt(c,
                                       "UPDATE aff_flags SET state = ?2, decided_by = ?3,"
                                       " decided_at = ?4, note = ?5 WHERE order_id = ?1"
                                       " AND state = 'open'",
                                       err)
                        : NULL;
    int rc = s ? SW_OK : (b ? err->code : sw_fail(err, SW_E_INTERNAL, NULL, "no memory"));
    *n = 0;
    if (s) {
        sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, state, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, b, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 4, at);
        sw_sql_bind_text_or_null(s, 5, note);
        if ((rc = sw_sql_done(c, s, err, "decide flags")) == SW_OK)
            *n = sqlite3_changes(c->db);
    }
    free(b);
    return rc;
}

int sw_sql_aff_paid_put(struct sw_conn *c, const char *order, const char *promoter, int64_t at,
                        const char *const *fps, int nfps, struct sw_error *err)
{
    sqlite3_stmt *q = sw_conn_stmt(c, "SELECT at FROM aff_paid WHERE order_id = ?1", err);
    if (!q)
        return err->code;
    sqlite3_bind_text(q, 1, order, -1, SQLITE_STATIC);
    int64_t was = 0; /* 0: not paid before */
    int r = sqlite3_step(q);
    if (r == SQLITE_ROW)
        was = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    int rc =
        r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read a paid order");
    sqlite3_stmt *s = rc ? NULL
                         : sw_conn_stmt(c,
                                        "INSERT INTO aff_paid(order_id, promoter, at) VALUES"
                                        " (?1,?2,?3) ON CONFLICT DO UPDATE SET promoter ="
                                        " excluded.promoter, at = excluded.at",
                                        err);
    if (!s)
        return rc ? rc : err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    rc = sw_sql_done(c, s, err, "record a paid order");
    /* one row an order and fingerprint: a payment reported again at another time moves it */
    static const char *const sql[] = {
        "DELETE FROM aff_buys WHERE promoter = ?1 AND fp = ?2 AND at = ?3 AND order_id = ?4",
        "INSERT OR IGNORE INTO aff_buys(promoter, fp, at, order_id) VALUES (?1,?2,?3,?4)"};
    for (int i = 0; rc == SW_OK && i < nfps * 2; i++) {
        if (i % 2 == 0 && (was == 0 || was == at))
            continue;
        sqlite3_stmt *b = sw_conn_stmt(c, sql[i % 2], err);
        if (!b)
            return err->code;
        sqlite3_bind_text(b, 1, promoter, -1, SQLITE_STATIC);
        sqlite3_bind_text(b, 2, fps[i / 2], -1, SQLITE_STATIC);
        sqlite3_bind_int64(b, 3, i % 2 ? at : was);
        sqlite3_bind_text(b, 4, order, -1, SQLITE_STATIC);
        rc = sw_sql_done(c, b, err, "record a buyer fingerprint");
    }
    return rc;
}

static const struct sw_col buy_cols[] = {SW_COL_KEY("order", SW_COL_STR),
                                         SW_COL_KEY("at", SW_COL_INT)};
static const struct sw_rowdef buy_row = SW_ROWDEF_KEYS("buy", buy_cols);

/* A statement over a fingerprint's orders on one promoter's links in [from, to], bound. */
static sqlite3_stmt *buys_stmt(struct sw_conn *c, const char *sql, const char *promoter,
                               const char *fp, int64_t from, int64_t to, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return NULL;
    sqlite3_bind_text(s, 1, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, fp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, from);
    sqlite3_bind_int64(s, 4, to);
    return s;
}

int sw_sql_aff_buys_first(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                          int64_t to, int max, bool unflagged, json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = buys_stmt(
        c,
        unflagged ? "SELECT order_id, at FROM aff_buys b WHERE promoter = ?1 AND fp = ?2 AND"
                    " at >= ?3 AND at < ?4 AND NOT EXISTS (SELECT 1 FROM aff_flags f WHERE"
                    " f.order_id = b.order_id AND f.rule = 'repeat_buyer')"
                    " ORDER BY at, order_id LIMIT ?5"
                  : "SELECT order_id, at FROM aff_buys WHERE promoter = ?1 AND"
                    " fp = ?2 AND at >= ?3 AND at < ?4 ORDER BY at, order_id LIMIT ?5",
        promoter, fp, from, to, err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 5, max);
    return sw_rows_json(c, s, &buy_row, rows, err, "list a fingerprint's orders");
}

int sw_sql_aff_buys_before(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                           int64_t at, const char *order, int max, int64_t *count, json_t **rows,
                           struct sw_error *err)
{
#define BEFORE                                                                                     \
    " FROM aff_buys WHERE promoter = ?1 AND fp = ?2 AND at > ?3 AND"                               \
    " (at < ?4 OR (at = ?4 AND order_id < ?5))"
    sqlite3_stmt *s = buys_stmt(c, "SELECT count(*)" BEFORE, promoter, fp, from, at, err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 5, order, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *count = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    if (r != SQLITE_ROW)
        return sw_conn_fail(c, err, "count a fingerprint's orders");
    json_t *latest = NULL;
    s = buys_stmt(c, "SELECT order_id, at" BEFORE " ORDER BY at DESC, order_id DESC LIMIT ?6",
                  promoter, fp, from, at, err);
#undef BEFORE
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 5, order, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 6, max);
    int rc = sw_rows_json(c, s, &buy_row, &latest, err, "list a fingerprint's orders");
    if (rc)
        return rc;
    *rows = json_array(); /* their ids, oldest first */
    for (size_t i = json_array_size(latest); i-- > 0;)
        json_array_append(*rows, json_object_get(json_array_get(latest, i), "order"));
    json_decref(latest);
    return SW_OK;
}

int sw_sql_aff_buys_count(struct sw_conn *c, const char *promoter, const char *fp, int64_t from,
                          int64_t to, int64_t *count, struct sw_error *err)
{
    sqlite3_stmt *s = buys_stmt(c,
                                "SELECT count(*) FROM aff_buys WHERE promoter = ?1 AND"
                                " fp = ?2 AND at >= ?3 AND at <= ?4",
                                promoter, fp, from, to, err);
    if (!s)
        return err->code;
    int r = sqlite3_step(s);
    *count = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count a fingerprint's orders");
}

int sw_sql_aff_paid_in(struct sw_conn *c, const char *promoter, int64_t from, int64_t to,
                       int64_t *count, json_t **orders, struct sw_error *err)
{
    /* the count alone is one index range counted inside SQLite, not a row per order here */
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        orders ? "SELECT order_id FROM aff_paid WHERE promoter = ?1 AND at >= ?2"
                 " AND at < ?3 ORDER BY at, order_id"
               : "SELECT count(*) FROM aff_paid WHERE promoter = ?1 AND at >= ?2 AND at < ?3",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    *count = 0;
    if (orders)
        *orders = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (!orders) {
            *count = sqlite3_column_int64(s, 0);
            continue;
        }
        (*count)++;
        json_array_append_new(*orders, json_string((const char *)sqlite3_column_text(s, 0)));
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "count paid orders");
}

int sw_sql_aff_alert_put(struct sw_conn *c, const char *id, const char *promoter, int64_t hour,
                         int64_t count, double baseline, int64_t at, struct sw_error *err)
{
    /* orders: read from aff_paid with the alert (sw_sql_aff_alerts), not copied into it on
     * every paid order of the hour (10,000 orders in one hour wrote 10^8 ids) */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO aff_alerts(id, promoter, hour, count, baseline,"
                                   " orders, at) VALUES (?1,?2,?3,?4,?5,'[]',?6)"
                                   " ON CONFLICT(id) DO UPDATE SET count = excluded.count,"
                                   " baseline = excluded.baseline",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, hour);
    sqlite3_bind_int64(s, 4, count);
    sqlite3_bind_double(s, 5, baseline);
    sqlite3_bind_int64(s, 6, at);
    return sw_sql_done(c, s, err, "raise an alert");
}

/* Steps s to its end, collecting its first column (text or integer) into *out, a JSON array;
 * on failure *out is NULL and the error names `what`. */
static int first_column(struct sw_conn *c, sqlite3_stmt *s, bool text, json_t **out,
                        const char *what, struct sw_error *err)
{
    *out = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(*out, text ? json_string((const char *)sqlite3_column_text(s, 0))
                                         : json_integer(sqlite3_column_int64(s, 0)));
    sqlite3_reset(s);
    if (r == SQLITE_DONE)
        return SW_OK;
    json_decref(*out);
    *out = NULL;
    return sw_conn_fail(c, err, what);
}

int sw_sql_aff_alert_drop(struct sw_conn *c, const char *id, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "DELETE FROM aff_alerts WHERE id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "withdraw an alert");
}

int sw_sql_aff_alert_hours(struct sw_conn *c, const char *promoter, int64_t after, int64_t to,
                           json_t **hours, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT hour FROM aff_alerts WHERE promoter = ?1 AND hour > ?2"
                                   " AND hour <= ?3 ORDER BY hour",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int64(s, 3, to);
    return first_column(c, s, false, hours, "find alerts", err);
}

int sw_sql_aff_conv_withdraw(struct sw_conn *c, const char *item, const char *promoter,
                             json_t **orders, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "DELETE FROM aff_flags WHERE rule = 'conversion_outlier' AND"
                                   " state = 'open' AND order_id IN (SELECT order_id FROM aff_conv"
                                   " WHERE item = ?1 AND promoter = ?2) RETURNING order_id",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    return first_column(c, s, true, orders, "withdraw conversion flags", err);
}

int sw_sql_aff_alerts(struct sw_conn *c, const char *after, int max, json_t **rows,
                      struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT id, promoter, hour, count, baseline, orders FROM"
                                   " aff_alerts WHERE id > ?1 ORDER BY id LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, max);
    *rows = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_array_append_new(*rows,
                              json_pack("{s:s,s:s,s:I,s:I,s:f}", "id", sqlite3_column_text(s, 0),
                                        "promoter", sqlite3_column_text(s, 1), "hour_us",
                                        (json_int_t)sqlite3_column_int64(s, 2), "count",
                                        (json_int_t)sqlite3_column_int64(s, 3), "baseline",
                                        sqlite3_column_double(s, 4)));
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE)
        return sw_conn_fail(c, err, "list alerts");
    /* each alert lists the promoter's paid orders of its hour, as they are now */
    size_t i;
    json_t *row;
    json_array_foreach(*rows, i, row)
    {
        int64_t hour = json_integer_value(json_object_get(row, "hour_us")), n = 0;
        json_t *orders = NULL;
        int rc = sw_sql_aff_paid_in(c, json_string_value(json_object_get(row, "promoter")), hour,
                                    hour + INT64_C(3600000000), &n, &orders, err);
        if (rc)
            return rc;
        json_object_set_new(row, "orders", orders);
    }
    return SW_OK;
}

int sw_sql_aff_conv_put(struct sw_conn *c, const char *order, const char *promoter,
                        const char *item, bool paid, bool confirmed, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "INSERT INTO aff_conv(order_id, promoter, item, paid, confirmed)"
                     " VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO UPDATE SET"
                     " paid = excluded.paid, confirmed = excluded.confirmed"
                     " WHERE paid != excluded.paid OR confirmed != excluded.confirmed",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, item, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, paid);
    sqlite3_bind_int(s, 5, confirmed);
    return sw_sql_done(c, s, err, "record a conversion");
}

int sw_sql_aff_conv_promoters(struct sw_conn *c, const char *item, json_t **rows,
                              struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT c.promoter, SUM(c.paid), SUM(c.confirmed),"
                                   " COUNT(f.order_id) FROM aff_conv c LEFT JOIN aff_flags f"
                                   " ON f.order_id = c.order_id AND f.rule = 'conversion_outlier'"
                                   " AND f.state = 'open' WHERE c.item = ?1"
                                   " GROUP BY c.promoter ORDER BY c.promoter",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    *rows = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(*rows, json_pack("[sIII]", (const char *)sqlite3_column_text(s, 0),
                                               (json_int_t)sqlite3_column_int64(s, 1),
                                               (json_int_t)sqlite3_column_int64(s, 2),
                                               (json_int_t)sqlite3_column_int64(s, 3)));
    sqlite3_reset(s);
    if (r == SQLITE_DONE)
        return SW_OK;
    json_decref(*rows);
    *rows = NULL;
    return sw_conn_fail(c, err, "count conversions");
}

int sw_sql_aff_conv_confirmed(struct sw_conn *c, const char *item, const char *promoter,
                              json_t **orders, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT order_id FROM aff_conv WHERE item = ?1 AND"
                                   " promoter = ?2 AND confirmed = 1 ORDER BY order_id",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, promoter, -1, SQLITE_STATIC);
    return first_column(c, s, true, orders, "list confirmed orders", err);
}
