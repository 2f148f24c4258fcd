#include "store/access_sql.h"

#include <string.h>

#include "store/rows.h"

#define O(field, kind) SW_COL(struct sw_order_row, field, kind)
static const struct sw_col order_cols[] = {
    O(rid, SW_COL_INT),
    O(id, SW_COL_CHARS),
    O(merchant, SW_COL_CHARS),
    O(status, SW_COL_CHARS),
    O(status_at, SW_COL_INT),
    O(items, SW_COL_JSON_ARRAY),
    O(amounts, SW_COL_JSON_OBJECT),
    O(times, SW_COL_JSON_OBJECT),
    O(buyer_masked, SW_COL_JSON_OR_NULL),
    O(buyer_sealed, SW_COL_STR_OR_NULL),
    O(events, SW_COL_INT),
    O(version, SW_COL_INT),
    O(created_at, SW_COL_INT),
    O(updated_at, SW_COL_INT),
};
#undef O
static const struct sw_rowdef order_row = SW_ROWDEF("order", struct sw_order_row, order_cols);

/* The columns in the order of order_cols: column i is parameter ?(i+1). */
#define ORDER_COLS                                                                                 \
    "rid, id, merchant, status, status_at, items, amounts, times, buyer_masked, buyer_sealed,"     \
    " events, version, created_at, updated_at"

void sw_order_row_release(struct sw_order_row *o)
{
    sw_rows_release(&order_row, o);
}

int sw_sql_order_insert(struct sw_conn *c, struct sw_order_row *o, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO orders(" ORDER_COLS ") VALUES (NULL,?2,?3,?4,?5,"
                          "?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                          &order_row, o, &o->rid, err, "insert order");
}

int sw_sql_order_update(struct sw_conn *c, const struct sw_order_row *o, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE orders SET id=?2, merchant=?3, status=?4, status_at=?5,"
                         " items=?6, amounts=?7, times=?8, buyer_masked=?9,"
                         " buyer_sealed=?10, events=?11, version=?12, created_at=?13,"
                         " updated_at=?14 WHERE rid=?1",
                         &order_row, o, err, "update order");
}

int sw_sql_order_get(struct sw_conn *c, int64_t rid, struct sw_order_row *o, bool *found,
                     struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " ORDER_COLS " FROM orders WHERE rid = ?1", rid, &order_row,
                           o, found, err, "get order");
}

int sw_sql_order_load_ids(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return sw_sql_load_idmap(c, "SELECT rid, id FROM orders", m, err, "load order ids");
}

int sw_sql_order_rids(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                      int64_t *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM orders WHERE merchant = ?1 AND rid > ?2"
                                   " ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    return sw_sql_ints(c, s, out, limit, n, err, "list orders");
}

struct grant_row {
    char status[16];
    int64_t version;
};
static const struct sw_col grant_cols[] = {
    SW_COL(struct grant_row, status, SW_COL_CHARS),
    SW_COL(struct grant_row, version, SW_COL_INT),
};
static const struct sw_rowdef grant_row = SW_ROWDEF("grant", struct grant_row, grant_cols);

int sw_sql_grant_get(struct sw_conn *c, const char *merchant, const char *app, char status[16],
                     int64_t *version, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT status, version FROM grants WHERE merchant = ?1 AND app = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, app, -1, SQLITE_STATIC);
    struct grant_row g = {0};
    bool found;
    int rc = sw_rows_get(c, s, &grant_row, &g, &found, err, "get grant");
    memcpy(status, g.status, sizeof g.status);
    *version = g.version;
    return rc;
}

int sw_sql_grant_put(struct sw_conn *c, const char *merchant, const char *app, bool granted,
                     int64_t at, int64_t version, struct sw_error *err)
{
    sqlite3_stmt *s =
        granted ? sw_conn_stmt(c,
                               "INSERT INTO grants(merchant, app, status, granted_at, revoked_at,"
                               " version) VALUES (?1, ?2, 'granted', ?3, NULL, ?4)"
                               " ON CONFLICT(merchant, app) DO UPDATE SET status = 'granted',"
                               " granted_at = ?3, revoked_at = NULL, version = ?4",
                               err)
                : sw_conn_stmt(c,
                               "UPDATE grants SET status = 'revoked', revoked_at = ?3,"
                               " version = ?4 WHERE merchant = ?1 AND app = ?2",
                               err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, app, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_int64(s, 4, version);
    return sw_sql_done(c, s, err, "write grant");
}

/* The JSON of a grant: revoked_at only once revoked. */
static const struct sw_col grant_json_cols[] = {
    SW_COL_KEY("app", SW_COL_STR),
    SW_COL_KEY("status", SW_COL_STR),
    SW_COL_KEY("granted_at", SW_COL_INT),
    SW_COL_KEY("version", SW_COL_INT),
    SW_COL_KEY("revoked_at", SW_COL_INT_OR_NULL),
};
static const struct sw_rowdef grant_json = SW_ROWDEF_KEYS("grant", grant_json_cols);

int sw_sql_grants_list(struct sw_conn *c, const char *merchant, const char *after, int limit,
                       json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT app, status, granted_at, version, revoked_at FROM grants"
                                   " WHERE merchant = ?1 AND app > ?2 ORDER BY app LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, after, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, limit);
    return sw_rows_json(c, s, &grant_json, rows, err, "list grants");
}

int sw_sql_logistics_seen(struct sw_conn *c, int64_t order_rid, const char *event_id, bool *seen,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT 1 FROM logistics_events WHERE order_rid = ?1 AND event_id = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, order_rid);
    sqlite3_bind_text(s, 2, event_id, -1, SQLITE_STATIC);
    return sw_sql_exists(c, s, seen, err, "find tracking");
}

#define L(field, kind) SW_COL(struct sw_logistics_row, field, kind)
static const struct sw_col logistics_cols[] = {
    L(order_rid, SW_COL_INT),
    L(event_id, SW_COL_STR_OR_NULL),
    L(at, SW_COL_INT),
    L(status, SW_COL_STR_OR_NULL),
    L(description, SW_COL_STR_OR_NULL),
    L(location, SW_COL_STR_OR_NULL),
    L(carrier, SW_COL_STR_OR_NULL),
    L(tracking_no, SW_COL_STR_OR_NULL),
    L(received_at, SW_COL_INT),
};
#undef L
static const struct sw_rowdef logistics_row =
    SW_ROWDEF("logistics event", struct sw_logistics_row, logistics_cols);

int sw_sql_logistics_insert(struct sw_conn *c, const struct sw_logistics_row *l,
                            struct sw_error *err)
{
    return sw_rows_write(c,
                         "INSERT INTO logistics_events(order_rid, event_id, at, status,"
                         " description, location, carrier, tracking_no, received_at)"
                         " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                         &logistics_row, l, err, "insert tracking event");
}

/* The JSON of a tracking event: the optional texts only when given. */
static const struct sw_col logistics_json_cols[] = {
    SW_COL_KEY("event_id", SW_COL_STR),
    SW_COL_KEY("at", SW_COL_INT),
    SW_COL_KEY("status", SW_COL_STR),
    SW_COL_KEY("received_at", SW_COL_INT),
    SW_COL_KEY("description", SW_COL_STR_OR_NULL),
    SW_COL_KEY("location", SW_COL_STR_OR_NULL),
    SW_COL_KEY("carrier", SW_COL_STR_OR_NULL),
    SW_COL_KEY("tracking_no", SW_COL_STR_OR_NULL),
};
static const struct sw_rowdef logistics_json =
    SW_ROWDEF_KEYS("logistics event", logistics_json_cols);

int sw_sql_logistics_list(struct sw_conn *c, int64_t order_rid, int limit, json_t **rows,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT event_id, at, status, received_at, description,"
                                   " location, carrier, tracking_no FROM logistics_events"
                                   " WHERE order_rid = ?1 ORDER BY at, rid LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, order_rid);
    sqlite3_bind_int(s, 2, limit);
    return sw_rows_json(c, s, &logistics_json, rows, err, "list tracking events");
}
