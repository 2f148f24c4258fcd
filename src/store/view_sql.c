#include <string.h>

#include "store/view_sql.h"

static const char EVENTS[] =
    "CREATE TABLE IF NOT EXISTS view_events (p INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " at INTEGER NOT NULL, type TEXT NOT NULL, subject TEXT, doc TEXT NOT NULL,"
    " PRIMARY KEY (p, seq)) WITHOUT ROWID";
static const char POSITIONS[] = "CREATE TABLE IF NOT EXISTS view_pos (p INTEGER PRIMARY KEY,"
                                " seq INTEGER NOT NULL, top INTEGER NOT NULL)";
static const char *const SCHEMA[] = {
    EVENTS,
    /* the feed's filters, each within a partition in seq order */
    "CREATE INDEX IF NOT EXISTS view_events_type ON view_events (p, type, seq)",
    "CREATE INDEX IF NOT EXISTS view_events_subject ON view_events (p, subject, seq)",
    POSITIONS,
    "CREATE TABLE IF NOT EXISTS view_meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)",
};

int sw_view_sql_open(struct sw_conn *c, const char *path, struct sw_error *err)
{
    int rc = sw_conn_open(c, path, false, SW_SYNC_NORMAL, err);
    for (size_t i = 0; rc == SW_OK && i < sizeof SCHEMA / sizeof SCHEMA[0]; i++)
        rc = sw_conn_exec(c, SCHEMA[i], err);
    if (rc != SW_OK && c->db)
        sw_conn_close(c);
    return rc;
}

int sw_view_sql_load(struct sw_conn *c, int n, int64_t *pos, int64_t *top, uint64_t *stream_seq,
                     struct sw_error *err)
{
    memset(pos, 0, (size_t)n * sizeof *pos);
    memset(top, 0, (size_t)n * sizeof *top);
    *stream_seq = 0;
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT p, seq, top FROM view_pos", err);
    if (!s)
        return err->code;
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t p = sqlite3_column_int64(s, 0);
        if (p >= 0 && p < n) {
            pos[p] = sqlite3_column_int64(s, 1);
            top[p] = sqlite3_column_int64(s, 2);
        }
    }
    sqlite3_reset(s);
    s = sw_conn_stmt(c, "SELECT v FROM view_meta WHERE k = 'stream_seq'", err);
    if (!s)
        return err->code;
    if (sqlite3_step(s) == SQLITE_ROW)
        *stream_seq = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return SW_OK;
}

int sw_view_sql_put(struct sw_conn *c, int p, int64_t seq, int64_t at, const char *type,
                    const char *subject, const char *doc, bool *added, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR IGNORE INTO view_events (p, seq, at, type, subject,"
                                   " doc) VALUES (?, ?, ?, ?, ?, ?)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_int64(s, 2, seq);
    sqlite3_bind_int64(s, 3, at);
    sqlite3_bind_text(s, 4, type, -1, SQLITE_STATIC);
    sw_sql_bind_text_or_null(s, 5, subject);
    sqlite3_bind_text(s, 6, doc, -1, SQLITE_STATIC);
    int rc = sw_sql_done(c, s, err, "view event");
    *added = rc == SW_OK && sqlite3_changes(c->db) > 0;
    return rc;
}

int sw_view_sql_advance(struct sw_conn *c, int p, int64_t *pos, int64_t top, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT seq FROM view_events WHERE p = ? AND seq > ? ORDER BY seq LIMIT 4096", err);
    if (!s)
        return err->code;
    for (bool more = true; more;) {
        sqlite3_bind_int(s, 1, p);
        sqlite3_bind_int64(s, 2, *pos);
        int rows = 0;
        bool hole = false;
        while (!hole && sqlite3_step(s) == SQLITE_ROW) {
            rows++;
            if (sqlite3_column_int64(s, 0) == *pos + 1)
                (*pos)++;
            else
                hole = true;
        }
        sqlite3_reset(s);
        more = !hole && rows == 4096;
    }
    s = sw_conn_stmt(c,
                     "INSERT INTO view_pos (p, seq, top) VALUES (?, ?, ?) ON CONFLICT (p) DO"
                     " UPDATE SET seq = excluded.seq, top = excluded.top",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_int64(s, 2, *pos);
    sqlite3_bind_int64(s, 3, top);
    return sw_sql_done(c, s, err, "view position");
}

int sw_view_sql_meta_put(struct sw_conn *c, const char *k, int64_t v, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO view_meta (k, v) VALUES (?, ?)"
                                   " ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, v);
    return sw_sql_done(c, s, err, "view meta");
}

int sw_view_sql_meta_get(struct sw_conn *c, const char *k, int64_t *v, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT v FROM view_meta WHERE k = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "view meta");
}

int sw_view_sql_save_stream(struct sw_conn *c, uint64_t stream_seq, struct sw_error *err)
{
    return sw_view_sql_meta_put(c, "stream_seq", (int64_t)stream_seq, err);
}

int sw_view_sql_events(struct sw_conn *c, int p, int64_t after, int64_t upto,
                       const struct sw_event_filter *f, int limit, json_t **out,
                       struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT doc FROM view_events WHERE p = ?1 AND seq > ?2 AND seq <= ?3 AND"
        " (?4 IS NULL OR type = ?4) AND (?5 IS NULL OR subject = ?5) AND at >= ?6 AND at < ?7"
        " ORDER BY seq LIMIT ?8",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int64(s, 3, upto);
    sw_sql_bind_text_or_null(s, 4, f->type);
    sw_sql_bind_text_or_null(s, 5, f->subject);
    sqlite3_bind_int64(s, 6, f->from_us);
    sqlite3_bind_int64(s, 7, f->to_us);
    sqlite3_bind_int(s, 8, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *ev = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
        if (ev)
            json_array_append_new(arr, ev);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "view events");
    }
    *out = arr;
    return SW_OK;
}
