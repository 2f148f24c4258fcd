#include "store/queue_sql.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static json_t *doc_col(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    json_t *j = t ? json_loads(t, 0, NULL) : NULL;
    return j ? j : json_object();
}

static int bind_doc(sqlite3_stmt *s, int i, const json_t *doc, struct sw_error *err)
{
    char *t = sw_json_dump(doc);
    if (!t)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    sqlite3_bind_text(s, i, t, -1, free);
    return SW_OK;
}

int sw_sql_claim_get(struct sw_conn *c, const char *item, int64_t now, struct sw_claim_row *out,
                     bool *found, struct sw_error *err)
{
    *found = false;
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT item, holder, until_us, doc FROM queue_claims WHERE item = ?1 AND until_us > ?2",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        sw_sql_text(s, 0, out->item, sizeof out->item);
        sw_sql_text(s, 1, out->holder, sizeof out->holder);
        out->until_us = sqlite3_column_int64(s, 2);
        out->doc = doc_col(s, 3);
        *found = true;
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get claim");
}

int sw_sql_claim_put(struct sw_conn *c, const struct sw_claim_row *row, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR REPLACE INTO queue_claims (item, holder, until_us,"
                                   " doc) VALUES (?1, ?2, ?3, ?4)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, row->item, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, row->holder, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, row->until_us);
    int rc = bind_doc(s, 4, row->doc, err);
    if (rc) {
        sqlite3_reset(s);
        return rc;
    }
    return sw_sql_done(c, s, err, "put claim");
}

int sw_sql_claim_delete(struct sw_conn *c, const char *item, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "DELETE FROM queue_claims WHERE item = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "delete claim");
}

int sw_sql_claims_live(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                       struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT item, holder, until_us, doc FROM queue_claims"
                                   " WHERE until_us > ?1 AND item > ?2 ORDER BY item LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, limit);
    *out = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = doc_col(s, 3);
        json_object_set_new(o, "item", json_string((const char *)sqlite3_column_text(s, 0)));
        json_object_set_new(o, "holder", json_string((const char *)sqlite3_column_text(s, 1)));
        json_object_set_new(o, "until", sw_json_instant(sqlite3_column_int64(s, 2)));
        json_array_append_new(*out, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return sw_conn_fail(c, err, "list claims");
    }
    return SW_OK;
}

int sw_sql_note_insert(struct sw_conn *c, const char *subject, int64_t at, const char *doc,
                       int64_t *rid, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "INSERT INTO notes (rid, subject, at, doc) VALUES (" SW_NEXT_RID("notes") ", ?1, ?2, ?3)",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, at);
    sqlite3_bind_text(s, 3, doc, -1, SQLITE_STATIC);
    int rc = sw_sql_done(c, s, err, "insert note");
    if (rc == SW_OK)
        *rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_notes(struct sw_conn *c, const char *subject, int64_t after, int limit, json_t **out,
                 struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid, at, doc FROM notes WHERE subject = ?1 AND rid > ?2"
                                   " ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, subject, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    *out = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = doc_col(s, 2);
        json_object_set_new(o, "rid", json_integer(sqlite3_column_int64(s, 0)));
        json_object_set_new(o, "at", sw_json_instant(sqlite3_column_int64(s, 1)));
        json_array_append_new(*out, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(*out);
        *out = NULL;
        return sw_conn_fail(c, err, "list notes");
    }
    return SW_OK;
}

void sw_approval_row_release(struct sw_approval_row *a)
{
    json_decref(a->payload);
    json_decref(a->doc);
    a->payload = a->doc = NULL;
}

static int bind_approval(sqlite3_stmt *s, const struct sw_approval_row *a, struct sw_error *err)
{
    sqlite3_bind_text(s, 2, a->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, a->requester, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, a->command, -1, SQLITE_STATIC);
    int rc = bind_doc(s, 5, a->payload, err);
    if (rc == SW_OK)
        rc = bind_doc(s, 6, a->doc, err);
    if (rc)
        sqlite3_reset(s);
    return rc;
}

int sw_sql_approval_insert(struct sw_conn *c, struct sw_approval_row *a, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "INSERT INTO approvals (rid, status, requester, command,"
                     " payload, doc) VALUES (" SW_NEXT_RID("approvals") ", ?2, ?3, ?4, ?5, ?6)",
                     err);
    if (!s)
        return err->code;
    int rc = bind_approval(s, a, err);
    if (rc == SW_OK && (rc = sw_sql_done(c, s, err, "insert approval")) == SW_OK)
        a->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_approval_update(struct sw_conn *c, const struct sw_approval_row *a, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE approvals SET status = ?2, requester = ?3, command = ?4,"
                                   " payload = ?5, doc = ?6 WHERE rid = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, a->rid);
    int rc = bind_approval(s, a, err);
    return rc ? rc : sw_sql_done(c, s, err, "update approval");
}

int sw_sql_approval_get(struct sw_conn *c, int64_t rid, struct sw_approval_row *a, bool *found,
                        struct sw_error *err)
{
    *found = false;
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT status, requester, command, payload, doc FROM approvals WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        a->rid = rid;
        sw_sql_text(s, 0, a->status, sizeof a->status);
        sw_sql_text(s, 1, a->requester, sizeof a->requester);
        sw_sql_text(s, 2, a->command, sizeof a->command);
        a->payload = doc_col(s, 3);
        a->doc = doc_col(s, 4);
        *found = true;
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get approval");
}

int sw_sql_approval_rids(struct sw_conn *c, const char *status, int64_t after, int limit,
                         int64_t *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM approvals WHERE (?1 IS NULL OR status = ?1)"
                                   " AND rid > ?2 ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, status);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    return sw_sql_ints(c, s, out, limit, n, err, "list approvals");
}

int sw_sql_approvals_pending(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT count(*) FROM approvals WHERE status = 'pending'", err);
    if (!s)
        return err->code;
    int r = sqlite3_step(s);
    *n = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count approvals");
}

int sw_sql_events_since(struct sw_conn *c, int64_t from_seq, json_t **out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT type, merchant, payload FROM events WHERE seq >= ?1 ORDER BY seq", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, from_seq);
    *out = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(s, 1);
        json_array_append_new(*out, json_pack("{s:s,s:s?,s:o}", "type",
                                              (const char *)sqlite3_column_text(s, 0), "merchant",
                                              m, "payload", doc_col(s, 2)));
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read events");
}

int sw_sql_approval_pending_for(struct sw_conn *c, const char *command, const char *subject,
                                int64_t *rid, struct sw_error *err)
{
    *rid = 0;
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM approvals WHERE status = 'pending'"
                                   " AND (?1 IS NULL OR command = ?1)"
                                   " AND json_extract(doc, '$.subject') = ?2"
                                   " ORDER BY rid LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    if (command)
        sqlite3_bind_text(s, 1, command, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 1);
    sqlite3_bind_text(s, 2, subject, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        *rid = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "find approval");
}
