#include "store/access_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static json_t *json_col(sqlite3_stmt *s, int col, bool object)
{
    json_t *v = NULL;
    if (sqlite3_column_type(s, col) != SQLITE_NULL)
        v = json_loadb((const char *)sqlite3_column_blob(s, col),
                       (size_t)sqlite3_column_bytes(s, col), 0, NULL);
    return v ? v : object ? json_object() : json_array();
}

void sw_order_row_release(struct sw_order_row *o)
{
    json_decref(o->items);
    json_decref(o->amounts);
    json_decref(o->times);
    json_decref(o->buyer_masked);
    free(o->buyer_sealed);
    o->items = o->amounts = o->times = o->buyer_masked = NULL;
    o->buyer_sealed = NULL;
}

#define ORDER_COLS                                                                                 \
    "rid, id, merchant, status, status_at, items, amounts, times, buyer_masked, buyer_sealed,"     \
    " events, version, created_at, updated_at"

static void bind_order(sqlite3_stmt *s, const struct sw_order_row *o)
{
    sqlite3_bind_text(s, 2, o->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, o->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, o->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, o->status_at);
    sqlite3_bind_text(s, 6, sw_json_dump(o->items), -1, free);
    sqlite3_bind_text(s, 7, sw_json_dump(o->amounts), -1, free);
    sqlite3_bind_text(s, 8, sw_json_dump(o->times), -1, free);
    if (o->buyer_masked)
        sqlite3_bind_text(s, 9, sw_json_dump(o->buyer_masked), -1, free);
    else
        sqlite3_bind_null(s, 9);
    sqlite3_bind_text(s, 10, o->buyer_sealed, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 11, o->events);
    sqlite3_bind_int64(s, 12, o->version);
    sqlite3_bind_int64(s, 13, o->created_at);
    sqlite3_bind_int64(s, 14, o->updated_at);
}

int sw_sql_order_insert(struct sw_conn *c, struct sw_order_row *o, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO orders(" ORDER_COLS ") VALUES (NULL,?2,?3,?4,?5,"
                                   "?6,?7,?8,?9,?10,?11,?12,?13,?14)",
                                   err);
    if (!s)
        return err->code;
    bind_order(s, o);
    int rc = sw_sql_done(c, s, err, "insert order");
    if (rc == SW_OK)
        o->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_order_update(struct sw_conn *c, const struct sw_order_row *o, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE orders SET id=?2, merchant=?3, status=?4, status_at=?5,"
                                   " items=?6, amounts=?7, times=?8, buyer_masked=?9,"
                                   " buyer_sealed=?10, events=?11, version=?12, created_at=?13,"
                                   " updated_at=?14 WHERE rid=?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, o->rid);
    bind_order(s, o);
    return sw_sql_done(c, s, err, "update order");
}

int sw_sql_order_get(struct sw_conn *c, int64_t rid, struct sw_order_row *o, bool *found,
                     struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " ORDER_COLS " FROM orders WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found) {
        o->rid = sqlite3_column_int64(s, 0);
        sw_sql_text(s, 1, o->id, sizeof o->id);
        sw_sql_text(s, 2, o->merchant, sizeof o->merchant);
        sw_sql_text(s, 3, o->status, sizeof o->status);
        o->status_at = sqlite3_column_int64(s, 4);
        o->items = json_col(s, 5, false);
        o->amounts = json_col(s, 6, true);
        o->times = json_col(s, 7, true);
        o->buyer_masked = sqlite3_column_type(s, 8) == SQLITE_NULL ? NULL : json_col(s, 8, true);
        const char *sealed = (const char *)sqlite3_column_text(s, 9);
        o->buyer_sealed = sealed ? strdup(sealed) : NULL;
        o->events = sqlite3_column_int64(s, 10);
        o->version = sqlite3_column_int64(s, 11);
        o->created_at = sqlite3_column_int64(s, 12);
        o->updated_at = sqlite3_column_int64(s, 13);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get order");
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

int sw_sql_grant_get(struct sw_conn *c, const char *merchant, const char *app, char status[16],
                     int64_t *version, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT status, version FROM grants WHERE merchant = ?1 AND app = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, app, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    status[0] = '\0';
    *version = 0;
    if (r == SQLITE_ROW) {
        sw_sql_text(s, 0, status, 16);
        *version = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get grant");
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

int sw_sql_grants_list(struct sw_conn *c, const char *merchant, const char *after, int limit,
                       json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT app, status, granted_at, revoked_at, version FROM grants"
                                   " WHERE merchant = ?1 AND app > ?2 ORDER BY app LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, after, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, limit);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack("{s:s,s:s,s:I,s:I}", "app", (const char *)sqlite3_column_text(s, 0),
                              "status", (const char *)sqlite3_column_text(s, 1), "granted_at",
                              (json_int_t)sqlite3_column_int64(s, 2), "version",
                              (json_int_t)sqlite3_column_int64(s, 4));
        if (sqlite3_column_type(s, 3) != SQLITE_NULL)
            json_object_set_new(o, "revoked_at", json_integer(sqlite3_column_int64(s, 3)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "list grants");
    }
    *rows = arr;
    return SW_OK;
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
    int r = sqlite3_step(s);
    *seen = r == SQLITE_ROW;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "find tracking");
}

int sw_sql_logistics_insert(struct sw_conn *c, const struct sw_logistics_row *l,
                            struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO logistics_events(order_rid, event_id, at, status,"
                                   " description, location, carrier, tracking_no, received_at)"
                                   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, l->order_rid);
    sqlite3_bind_text(s, 2, l->event_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, l->at);
    sqlite3_bind_text(s, 4, l->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, l->description, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, l->location, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, l->carrier, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, l->tracking_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, l->received_at);
    return sw_sql_done(c, s, err, "insert tracking event");
}

int sw_sql_logistics_list(struct sw_conn *c, int64_t order_rid, int limit, json_t **rows,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT event_id, at, status, description, location, carrier,"
                                   " tracking_no, received_at FROM logistics_events"
                                   " WHERE order_rid = ?1 ORDER BY at, rid LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, order_rid);
    sqlite3_bind_int(s, 2, limit);
    json_t *arr = json_array();
    int r;
    static const char *const opt[] = {"description", "location", "carrier", "tracking_no"};
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o =
            json_pack("{s:s,s:I,s:s,s:I}", "event_id", (const char *)sqlite3_column_text(s, 0),
                      "at", (json_int_t)sqlite3_column_int64(s, 1), "status",
                      (const char *)sqlite3_column_text(s, 2), "received_at",
                      (json_int_t)sqlite3_column_int64(s, 7));
        for (int i = 0; i < 4; i++)
            if (sqlite3_column_type(s, 3 + i) != SQLITE_NULL)
                json_object_set_new(o, opt[i],
                                    json_string((const char *)sqlite3_column_text(s, 3 + i)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "list tracking events");
    }
    *rows = arr;
    return SW_OK;
}
