#include "store/affiliate_sql.h"

#include <stdio.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "store/rows.h"

int sw_sql_aff_event_insert(struct sw_conn *c, const char *event_id, const char *order, int64_t at,
                            const char *doc, bool *fresh, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR IGNORE INTO aff_events(event_id, order_id, at, doc)"
                                   " VALUES (?1, ?2, ?3, ?4)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, event_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, order, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_text(s, 4, doc, -1, SQLITE_STATIC);
    int rc = sw_sql_done(c, s, err, "insert affiliate event");
    *fresh = rc == SW_OK && sqlite3_changes(c->db) == 1;
    return rc;
}

int sw_sql_aff_order_events(struct sw_conn *c, const char *order, int max, int64_t *rids,
                            json_t **docs, int *n, struct sw_error *err)
{
    *n = 0;
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT rid, doc FROM aff_events WHERE order_id = ?1 ORDER BY rid LIMIT ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, order, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, max);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        const char *doc = (const char *)sqlite3_column_text(s, 1);
        json_t *j = doc ? json_loads(doc, 0, NULL) : NULL;
        if (!j)
            continue;
        rids[*n] = sqlite3_column_int64(s, 0);
        docs[(*n)++] = j;
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK
                                               : sw_conn_fail(c, err, "read affiliate events");
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

int sw_sql_aff_order_put(struct sw_conn *c, const struct sw_aff_order_row *o, struct sw_error *err)
{
    return sw_rows_write(
        c, "INSERT OR REPLACE INTO aff_orders(" ORDER_COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        &order_row, o, err, "write affiliate order");
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

int sw_sql_aff_held_set(struct sw_conn *c, const char *order, const json_t *held,
                        struct sw_error *err)
{
    sqlite3_stmt *d = sw_conn_stmt(c, "DELETE FROM aff_held WHERE order_id = ?1", err);
    if (!d)
        return err->code;
    sqlite3_bind_text(d, 1, order, -1, SQLITE_STATIC);
    int rc = sw_sql_done(c, d, err, "clear held events");
    size_t i;
    json_t *h;
    json_array_foreach(held, i, h)
    {
        sqlite3_stmt *s = rc ? NULL
                             : sw_conn_stmt(c,
                                            "INSERT OR REPLACE INTO aff_held(event_id, order_id,"
                                            " type, at, waiting_for) VALUES (?1,?2,?3,?4,?5)",
                                            err);
        if (!s)
            return rc ? rc : err->code;
        sqlite3_bind_text(s, 1, json_string_value(json_object_get(h, "event_id")), -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(s, 2, order, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 3, json_string_value(json_object_get(h, "type")), -1, SQLITE_STATIC);
        const char *at = json_string_value(json_object_get(h, "at"));
        sw_instant t = 0;
        struct sw_error perr;
        if (at && sw_instant_parse(at, strlen(at), &t, &perr) != SW_OK)
            t = 0;
        sqlite3_bind_int64(s, 4, t);
        sqlite3_bind_text(s, 5, json_string_value(json_object_get(h, "waiting_for")), -1,
                          SQLITE_STATIC);
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
