#include <stdlib.h>
#include <string.h>

#include "store/queue_view_sql.h"

static const char *const SCHEMA[] = {
    "CREATE TABLE IF NOT EXISTS queue_view (p INTEGER NOT NULL, list TEXT NOT NULL,"
    " id TEXT NOT NULL, num INTEGER NOT NULL, rank INTEGER NOT NULL, at INTEGER NOT NULL,"
    " ver INTEGER NOT NULL, doc TEXT, PRIMARY KEY (p, list, id)) WITHOUT ROWID",
    /* a list in its order, the pending violations by id; a claim by its item */
    "CREATE INDEX IF NOT EXISTS queue_view_order ON queue_view (list, rank DESC, at, num)",
    "CREATE INDEX IF NOT EXISTS queue_view_num ON queue_view (list, num)",
    "CREATE INDEX IF NOT EXISTS queue_view_item ON queue_view (id, list)",
};

/* Steps s, which selects at most one doc, into *doc (NULL: no row; free()), and resets it. */
static int doc_row(struct sw_conn *c, sqlite3_stmt *s, char **doc, struct sw_error *err)
{
    int rc = sqlite3_step(s);
    const char *text = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    *doc = text ? strdup(text) : NULL;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "queue model");
}

int sw_sql_queue_view_schema(struct sw_conn *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (size_t i = 0; rc == SW_OK && i < sizeof SCHEMA / sizeof SCHEMA[0]; i++)
        rc = sw_conn_exec(c, SCHEMA[i], err);
    return rc;
}

int sw_sql_queue_view_clear(struct sw_conn *c, struct sw_error *err)
{
    /* made again: an older release's table may have another shape */
    int rc = sw_conn_exec(c, "DROP TABLE IF EXISTS queue_view", err);
    return rc ? rc : sw_sql_queue_view_schema(c, err);
}

int sw_sql_queue_view_put(struct sw_conn *c, const struct sw_queue_view_row *row,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR REPLACE INTO queue_view (p, list, id, num, rank, at,"
                                   " ver, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, row->p);
    sqlite3_bind_text(s, 2, row->list, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, row->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, row->num);
    sqlite3_bind_int64(s, 5, row->rank);
    sqlite3_bind_int64(s, 6, row->at);
    sqlite3_bind_int64(s, 7, row->ver);
    sw_sql_bind_text_or_null(s, 8, row->doc);
    return sw_sql_done(c, s, err, "queue model");
}

int sw_sql_queue_view_del(struct sw_conn *c, int p, const char *list, const char *id,
                          struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "DELETE FROM queue_view WHERE p = ? AND list = ? AND id = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_text(s, 2, list, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "queue model");
}

int sw_sql_queue_view_page(struct sw_conn *c, const char *list, int64_t after, int limit,
                           json_t **out, struct sw_error *err)
{
    /* a list whose rows all have rank 0 and at 0 (the pending violations) seeks by num */
    bool by_num = strcmp(list, "pending") == 0 || strcmp(list, "report") == 0;
    sqlite3_stmt *s = by_num
                          ? sw_conn_stmt(c,
                                         "SELECT p, doc FROM queue_view WHERE list = ? AND num > ?"
                                         " ORDER BY num LIMIT ?",
                                         err)
                          : sw_conn_stmt(c,
                                         "SELECT p, doc FROM queue_view WHERE list = ? AND num > ?"
                                         " ORDER BY rank DESC, at, num LIMIT ?",
                                         err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, list, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *doc = (const char *)sqlite3_column_text(s, 1);
        json_t *item = doc ? json_loads(doc, 0, NULL) : NULL;
        if (item)
            json_array_append_new(arr, json_pack("[i,o]", sqlite3_column_int(s, 0), item));
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "queue model");
    }
    *out = arr;
    return SW_OK;
}

int sw_sql_queue_view_count(struct sw_conn *c, const char *list, int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT count(*) FROM queue_view WHERE list = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, list, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "queue model");
}

int sw_sql_queue_view_ver(struct sw_conn *c, int p, const char *list, const char *id, int64_t *ver,
                          bool *found, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT ver FROM queue_view WHERE p = ? AND list = ? AND id = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_text(s, 2, list, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    *ver = *found ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "queue model");
}

int sw_sql_queue_view_claim(struct sw_conn *c, const char *item, int64_t now, char **doc,
                            struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT doc FROM queue_view WHERE id = ? AND list = 'claim'"
                                   " AND ver > ? ORDER BY ver DESC LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    return doc_row(c, s, doc, err);
}

int sw_sql_queue_view_doc(struct sw_conn *c, int p, const char *list, const char *id, char **doc,
                          struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT doc FROM queue_view WHERE p = ? AND list = ? AND id = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_text(s, 2, list, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, id, -1, SQLITE_STATIC);
    return doc_row(c, s, doc, err);
}
