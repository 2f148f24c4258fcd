#include "store/journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/instant.h"

int sw_journal_insert_command(struct sw_conn *c, const struct sw_journal_command *cmd,
                              struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "INSERT INTO commands(seq, at, type, actor, merchant, idem_key, payload, result,"
        " policy_version, first_event, nevents, actor_key, actor_label)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, cmd->seq);
    sqlite3_bind_int64(s, 2, cmd->at);
    sqlite3_bind_text(s, 3, cmd->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, cmd->actor, -1, SQLITE_STATIC);
    sw_sql_bind_text_or_null(s, 5, cmd->merchant);
    sw_sql_bind_text_or_null(s, 6, cmd->idem_key);
    sqlite3_bind_text(s, 7, cmd->payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 8, cmd->result, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 9, cmd->policy_version, -1, SQLITE_STATIC);
    if (cmd->nevents)
        sqlite3_bind_int64(s, 10, cmd->first_event);
    else
        sqlite3_bind_null(s, 10);
    sqlite3_bind_int64(s, 11, cmd->nevents);
    sw_sql_bind_text_or_null(s, 12, cmd->actor_key);
    sw_sql_bind_text_or_null(s, 13, cmd->actor_label);
    return sw_sql_done(c, s, err, "insert command");
}

static json_t *load_json_col(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
}

int sw_journal_get_command(struct sw_conn *c, int64_t seq, char **type, json_t **payload,
                           json_t **result, int64_t *at, int64_t *first_event, int64_t *nevents,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT type, payload, result, at, first_event, nevents"
                                   " FROM commands WHERE seq = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, seq);
    int r = sqlite3_step(s);
    if (r != SQLITE_ROW) {
        sqlite3_reset(s);
        return r == SQLITE_DONE
                   ? sw_fail(err, SW_E_INTERNAL, NULL, "command %lld missing", (long long)seq)
                   : sw_conn_fail(c, err, "get command");
    }
    *type = strdup((const char *)sqlite3_column_text(s, 0));
    *payload = load_json_col(s, 1);
    *result = load_json_col(s, 2);
    *at = sqlite3_column_int64(s, 3);
    *first_event = sqlite3_column_int64(s, 4);
    *nevents = sqlite3_column_int64(s, 5);
    sqlite3_reset(s);
    return SW_OK;
}

int sw_journal_insert_event(struct sw_conn *c, int64_t seq, int64_t at, const char *type,
                            const char *merchant, const char *subject, const char *payload,
                            const char *policy_version, int64_t command_seq, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO events(seq, at, type, merchant, subject, payload,"
                                   " policy_version, command_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, seq);
    sqlite3_bind_int64(s, 2, at);
    sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
    sw_sql_bind_text_or_null(s, 4, merchant);
    sw_sql_bind_text_or_null(s, 5, subject);
    sqlite3_bind_text(s, 6, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, command_seq);
    return sw_sql_done(c, s, err, "insert event");
}

int sw_journal_event_payload(struct sw_conn *c, int64_t seq, json_t **out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT payload FROM events WHERE seq = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, seq);
    int r = sqlite3_step(s);
    *out = r == SQLITE_ROW ? load_json_col(s, 0) : NULL;
    sqlite3_reset(s);
    if (!*out)
        return sw_fail(err, SW_E_INTERNAL, NULL, "event %lld missing", (long long)seq);
    return SW_OK;
}

int sw_journal_event_refs(struct sw_conn *c, int64_t first, int64_t n, json_t **out,
                          struct sw_error *err)
{
    json_t *arr = json_array();
    if (n > 0) {
        sqlite3_stmt *s = sw_conn_stmt(
            c, "SELECT seq, type FROM events WHERE seq >= ?1 AND seq < ?2 ORDER BY seq", err);
        if (!s) {
            json_decref(arr);
            return err->code;
        }
        sqlite3_bind_int64(s, 1, first);
        sqlite3_bind_int64(s, 2, first + n);
        while (sqlite3_step(s) == SQLITE_ROW)
            json_array_append_new(arr, json_pack("{s:I,s:s}", "seq",
                                                 (json_int_t)sqlite3_column_int64(s, 0), "type",
                                                 (const char *)sqlite3_column_text(s, 1)));
        sqlite3_reset(s);
    }
    *out = arr;
    return SW_OK;
}

/* The actor of an event is its command's (columns key, role, label from col). */
static json_t *event_actor(sqlite3_stmt *s, int col)
{
    const char *role = (const char *)sqlite3_column_text(s, col + 1);
    json_t *label = sqlite3_column_type(s, col + 2) == SQLITE_NULL
                        ? json_null()
                        : json_string((const char *)sqlite3_column_text(s, col + 2));
    const char *key = (const char *)sqlite3_column_text(s, col);
    return json_pack("{s:o,s:s,s:o}", "key", key ? json_string(key) : json_null(), "role",
                     role ? role : "system", "label", label ? label : json_null());
}

static json_t *event_json(sqlite3_stmt *s)
{
    char at[32];
    json_t *ev = json_object();
    json_object_set_new(ev, "seq", json_integer(sqlite3_column_int64(s, 0)));
    json_object_set_new(ev, "at", json_string(sw_instant_format(sqlite3_column_int64(s, 1), at)));
    json_object_set_new(ev, "type", json_string((const char *)sqlite3_column_text(s, 2)));
    const char *m = (const char *)sqlite3_column_text(s, 3);
    json_object_set_new(ev, "merchant", m ? json_string(m) : json_null());
    const char *sub = (const char *)sqlite3_column_text(s, 4);
    json_object_set_new(ev, "subject", sub ? json_string(sub) : json_null());
    json_t *p = load_json_col(s, 5);
    json_object_set_new(ev, "payload", p ? p : json_null());
    json_object_set_new(ev, "policy_version", json_string((const char *)sqlite3_column_text(s, 6)));
    json_object_set_new(ev, "command_seq", json_integer(sqlite3_column_int64(s, 7)));
    json_object_set_new(ev, "actor", event_actor(s, 8));
    return ev;
}

int sw_journal_events_page(struct sw_conn *c, int64_t after, int limit, json_t **out,
                           struct sw_error *err)
{
    struct sw_event_filter all = {.from_us = INT64_MIN, .to_us = INT64_MAX};
    return sw_journal_events_find(c, &all, after, INT64_MAX, limit, out, err);
}

/* An event with its command's actor (the events table does not repeat it). */
#define EVENT_COLS                                                                                 \
    "e.seq, e.at, e.type, e.merchant, e.subject, e.payload, e.policy_version, e.command_seq,"      \
    " c.actor_key, c.actor, c.actor_label FROM events e LEFT JOIN commands c"                      \
    " ON c.seq = e.command_seq"
#define EVENT_FILTERS                                                                              \
    " e.seq > ?1 AND e.seq <= ?8 AND (?2 IS NULL OR e.merchant = ?2) AND"                          \
    " (?3 IS NULL OR e.type = ?3) AND (?4 IS NULL OR e.subject = ?4) AND e.at >= ?5 AND"           \
    " e.at < ?6 ORDER BY e.seq LIMIT ?7"

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

int sw_journal_events_find(struct sw_conn *c, const struct sw_event_filter *f, int64_t after,
                           int64_t upto, int limit, json_t **out, struct sw_error *err)
{
    /* The filters walk the log in seq order between the bounds: the events table has no index
     * but its key, as an index on an append-heavy log costs a page write per event
     * (0007_list_filters.sql). The caller bounds the walk with upto. */
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " EVENT_COLS " WHERE" EVENT_FILTERS, err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    bind_opt(s, 2, f->merchant);
    bind_opt(s, 3, f->type);
    bind_opt(s, 4, f->subject);
    sqlite3_bind_int64(s, 5, f->from_us);
    sqlite3_bind_int64(s, 6, f->to_us);
    sqlite3_bind_int(s, 7, limit);
    sqlite3_bind_int64(s, 8, upto);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, event_json(s));
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "read events");
    }
    *out = arr;
    return SW_OK;
}

int sw_journal_max_seqs(struct sw_conn *c, int64_t *cmd_seq, int64_t *event_seq,
                        struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT (SELECT ifnull(max(seq),0) FROM commands), (SELECT ifnull(max(seq),0) FROM events)",
        err);
    if (!s)
        return err->code;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return sw_conn_fail(c, err, "max seqs");
    }
    *cmd_seq = sqlite3_column_int64(s, 0);
    *event_seq = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return SW_OK;
}

int sw_journal_load_idem(struct sw_conn *c, struct sw_map *map, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT seq, idem_key FROM commands WHERE idem_key IS NOT NULL", err);
    if (!s)
        return err->code;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 1);
        if (!sw_map_put(map, k, strlen(k), (uint64_t)sqlite3_column_int64(s, 0))) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory loading idempotency keys");
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "load idempotency keys");
}

int sw_journal_timer_put(struct sw_conn *c, const char *key, int64_t due_us, const char *kind,
                         const char *merchant, const char *subject, const char *payload,
                         struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "INSERT INTO timers(key, due_us, kind, merchant, subject, payload)"
        " VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT(key) DO UPDATE SET due_us=?2, kind=?3,"
        " merchant=?4, subject=?5, payload=?6",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, due_us);
    sqlite3_bind_text(s, 3, kind, -1, SQLITE_STATIC);
    sw_sql_bind_text_or_null(s, 4, merchant);
    sw_sql_bind_text_or_null(s, 5, subject);
    sqlite3_bind_text(s, 6, payload, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "schedule timer");
}

int sw_journal_timer_del(struct sw_conn *c, const char *key, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "DELETE FROM timers WHERE key = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "cancel timer");
}

static char *dup_col(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    return t ? strdup(t) : NULL;
}

int sw_journal_timer_next(struct sw_conn *c, int64_t to, struct sw_timer_row *row, bool *found,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT id, due_us, kind, merchant, subject, payload, key"
                                   " FROM timers WHERE due_us <= ?1 ORDER BY due_us, id LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, to);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found) {
        row->id = sqlite3_column_int64(s, 0);
        row->due_us = sqlite3_column_int64(s, 1);
        row->kind = dup_col(s, 2);
        row->merchant = dup_col(s, 3);
        row->subject = dup_col(s, 4);
        row->payload = load_json_col(s, 5);
        row->key = dup_col(s, 6);
    }
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "next timer");
    return SW_OK;
}

void sw_journal_timer_row_free(struct sw_timer_row *row)
{
    free(row->kind);
    free(row->merchant);
    free(row->subject);
    free(row->key);
    json_decref(row->payload);
    memset(row, 0, sizeof *row);
}

int sw_journal_timers_list(struct sw_conn *c, int64_t after_due_us, int64_t after_id, int limit,
                           json_t **out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT key, due_us, kind, merchant, subject, id FROM timers"
                                   " WHERE (due_us, id) > (?1, ?2) ORDER BY due_us, id LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after_due_us);
    sqlite3_bind_int64(s, 2, after_id);
    sqlite3_bind_int(s, 3, limit);
    json_t *arr = json_array();
    while (sqlite3_step(s) == SQLITE_ROW) {
        char due[32], cursor[48];
        const char *m = (const char *)sqlite3_column_text(s, 3);
        const char *sub = (const char *)sqlite3_column_text(s, 4);
        snprintf(cursor, sizeof cursor, "%lld.%lld", (long long)sqlite3_column_int64(s, 1),
                 (long long)sqlite3_column_int64(s, 5));
        json_array_append_new(arr,
                              json_pack("{s:s,s:s,s:s,s:o,s:o,s:s}", "key",
                                        (const char *)sqlite3_column_text(s, 0), "due",
                                        sw_instant_format(sqlite3_column_int64(s, 1), due), "kind",
                                        (const char *)sqlite3_column_text(s, 2), "merchant",
                                        m ? json_string(m) : json_null(), "subject",
                                        sub ? json_string(sub) : json_null(), "cursor", cursor));
    }
    sqlite3_reset(s);
    *out = arr;
    return SW_OK;
}

int sw_journal_key_insert(struct sw_conn *c, const char *id, const unsigned char hash[32],
                          const char *role, const char *label, int64_t expires_at, int64_t at,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO api_keys(id, hash, role, created_at, label,"
                                   " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 2, hash, 32, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, at);
    sw_sql_bind_text_or_null(s, 5, label);
    if (expires_at)
        sqlite3_bind_int64(s, 6, expires_at);
    else
        sqlite3_bind_null(s, 6);
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r == SQLITE_CONSTRAINT_PRIMARYKEY || r == SQLITE_CONSTRAINT_UNIQUE)
        return sw_fail(err, SW_E_ALREADY_EXISTS, "id", "key '%s' already exists", id);
    if (r != SQLITE_DONE)
        return sw_conn_fail(c, err, "insert key");
    return SW_OK;
}

#define KEY_COLUMNS "id, role, label, created_at, expires_at, revoked_at"

static void key_row_read(sqlite3_stmt *s, struct sw_key_row *k)
{
    const char *label = (const char *)sqlite3_column_text(s, 2);
    snprintf(k->id, sizeof k->id, "%s", (const char *)sqlite3_column_text(s, 0));
    snprintf(k->role, sizeof k->role, "%s", (const char *)sqlite3_column_text(s, 1));
    snprintf(k->label, sizeof k->label, "%s", label ? label : "");
    k->created_at = sqlite3_column_int64(s, 3);
    k->expires_at = sqlite3_column_int64(s, 4);
    k->revoked_at = sqlite3_column_int64(s, 5);
}

int sw_journal_key_find(struct sw_conn *c, const unsigned char hash[32], struct sw_key_row *out,
                        bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT " KEY_COLUMNS " FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL", err);
    if (!s)
        return err->code;
    sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found)
        key_row_read(s, out);
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "find key");
    return SW_OK;
}

static json_t *instant_or_null(int64_t us)
{
    char buf[32];
    return us ? json_string(sw_instant_format(us, buf)) : json_null();
}

int sw_journal_keys_list(struct sw_conn *c, const char *after, int limit, json_t **out,
                         struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT " KEY_COLUMNS " FROM api_keys WHERE id > ?1 ORDER BY id LIMIT ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct sw_key_row k;
        key_row_read(s, &k);
        json_t *label = k.label[0] ? json_string(k.label) : NULL;
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "id", k.id, "role",
                                             k.role, "label", label ? label : json_null(),
                                             "created_at", instant_or_null(k.created_at),
                                             "expires_at", instant_or_null(k.expires_at),
                                             "revoked_at", instant_or_null(k.revoked_at)));
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "list keys");
    }
    *out = arr;
    return SW_OK;
}

int sw_journal_key_role_live(struct sw_conn *c, const char *role, int64_t now, bool *live,
                             struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT 1 FROM api_keys WHERE role = ?1 AND revoked_at IS NULL"
                                   " AND (expires_at IS NULL OR expires_at > ?2) LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    int r = sqlite3_step(s);
    *live = r == SQLITE_ROW;
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "find key role");
    return SW_OK;
}

int sw_journal_key_revoke(struct sw_conn *c, const char *id, int64_t at, bool *found,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, at);
    int rc = sw_sql_done(c, s, err, "revoke key");
    *found = sqlite3_changes(c->db) > 0;
    return rc;
}

int sw_journal_key_exists(struct sw_conn *c, const char *id, bool *exists, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT 1 FROM api_keys WHERE id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *exists = r == SQLITE_ROW;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "find key");
}

/* {id, hash, role, label?, created_at, expires_at?, revoked_at?}: key.sync's payload. */
static json_t *key_record(sqlite3_stmt *s)
{
    char hex[65];
    const void *h = sqlite3_column_blob(s, 6);
    if (!h || sqlite3_column_bytes(s, 6) != 32)
        return NULL;
    sodium_bin2hex(hex, sizeof hex, h, 32);
    struct sw_key_row k;
    key_row_read(s, &k);
    json_t *o = json_pack("{s:s,s:s,s:s,s:o}", "id", k.id, "hash", hex, "role", k.role,
                          "created_at", instant_or_null(k.created_at));
    if (o && k.label[0])
        json_object_set_new(o, "label", json_string(k.label));
    if (o && k.expires_at)
        json_object_set_new(o, "expires_at", instant_or_null(k.expires_at));
    if (o && k.revoked_at)
        json_object_set_new(o, "revoked_at", instant_or_null(k.revoked_at));
    return o;
}

int sw_journal_key_records(struct sw_conn *c, const char *id, json_t **out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " KEY_COLUMNS ", hash FROM api_keys"
                                   " WHERE ?1 IS NULL OR id = ?1 ORDER BY id",
                                   err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, id);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *rec = key_record(s);
        if (rec)
            json_array_append_new(arr, rec);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "read keys");
    }
    *out = arr;
    return SW_OK;
}

int sw_journal_subjects_since(struct sw_conn *c, int64_t after, sw_journal_subject_fn fn, void *arg,
                              struct sw_error *err)
{
    /* An appeal's events are the violation's too (its appeals list), and so are the deposit's
     * deductions for a violation (a later credit paying what it owed): their payload names it.
     * (Refunds are not: the violation's own event that follows holds their effect.) */
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "SELECT seq, at, type, subject,"
                     " CASE WHEN type LIKE 'appeal.%' OR type = 'deposit.deducted' THEN"
                     " json_extract(payload, '$.violation') END"
                     " FROM events WHERE seq > ?1 ORDER BY seq",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *subject = (const char *)sqlite3_column_text(s, 3);
        const char *parent = (const char *)sqlite3_column_text(s, 4);
        fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
           (const char *)sqlite3_column_text(s, 2), subject ? subject : "", parent);
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read the event log's subjects");
}

int sw_journal_event_at(struct sw_conn *c, int64_t seq, json_t **payload, bool *found,
                        struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT payload FROM events WHERE seq = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, seq);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    *payload = *found ? load_json_col(s, 0) : NULL;
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "read an event");
    if (*found && !*payload)
        return sw_fail(err, SW_E_INTERNAL, NULL, "event %lld is not JSON", (long long)seq);
    return SW_OK;
}
