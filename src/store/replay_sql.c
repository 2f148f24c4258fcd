#include "store/replay_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *col(sqlite3_stmt *s, int i)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    return t ? strdup(t) : NULL;
}

void sw_replay_cmd_row_free(struct sw_replay_cmd_row *r)
{
    free(r->type);
    free(r->actor);
    free(r->actor_key);
    free(r->actor_label);
    free(r->merchant);
    free(r->idem_key);
    free(r->payload);
    free(r->policy_version);
    memset(r, 0, sizeof *r);
}

int sw_replay_sql_commands(struct sw_conn *c, int64_t after, int64_t to_seq,
                           struct sw_replay_cmd_row *rows, int max, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT seq, at, type, actor, actor_key, actor_label, merchant,"
                                   " idem_key, payload, policy_version FROM commands"
                                   " WHERE seq > ?1 AND seq <= ?2 ORDER BY seq LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, to_seq);
    sqlite3_bind_int(s, 3, max);
    int r;
    *n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct sw_replay_cmd_row *row = &rows[(*n)++];
        row->seq = sqlite3_column_int64(s, 0);
        row->at = sqlite3_column_int64(s, 1);
        row->type = col(s, 2);
        row->actor = col(s, 3);
        row->actor_key = col(s, 4);
        row->actor_label = col(s, 5);
        row->merchant = col(s, 6);
        row->idem_key = col(s, 7);
        row->payload = col(s, 8);
        row->policy_version = col(s, 9);
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read commands");
}

/* Runs sql, whose one row is (a count, a seq), with ?1 bound to to_at. */
static int count_and_seq(struct sw_conn *c, const char *sql, int64_t to_at, int64_t *count,
                         int64_t *last_seq, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, to_at);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *count = sqlite3_column_int64(s, 0);
        *last_seq = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count commands");
}

int sw_replay_sql_count(struct sw_conn *c, int64_t to_at, int64_t *count, int64_t *last_seq,
                        struct sw_error *err)
{
    return count_and_seq(c, "SELECT count(*), coalesce(max(seq), 0) FROM commands WHERE at <= ?1",
                         to_at, count, last_seq, err);
}

int sw_replay_sql_window(struct sw_conn *c, int64_t to_at, int64_t *count, int64_t *last_seq,
                         struct sw_error *err)
{
    return count_and_seq(c,
                         "SELECT (SELECT count(*) FROM commands WHERE seq <= m), m FROM"
                         " (SELECT coalesce((SELECT min(seq) FROM commands WHERE at > ?1),"
                         "                  (SELECT coalesce(max(seq), 0) + 1 FROM commands)) - 1"
                         " AS m)",
                         to_at, count, last_seq, err);
}

void sw_replay_event_row_free(struct sw_replay_event_row *r)
{
    free(r->type);
    free(r->merchant);
    free(r->subject);
    free(r->payload);
    free(r->policy_version);
    memset(r, 0, sizeof *r);
}

int sw_replay_sql_events(struct sw_conn *c, int64_t after, int64_t upto_cmd,
                         struct sw_replay_event_row *rows, int max, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT seq, at, command_seq, type, merchant, subject, payload,"
                                   " policy_version FROM events WHERE seq > ?1 AND"
                                   " command_seq <= ?2 ORDER BY seq LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, upto_cmd);
    sqlite3_bind_int(s, 3, max);
    int r;
    *n = 0;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        struct sw_replay_event_row *row = &rows[(*n)++];
        row->seq = sqlite3_column_int64(s, 0);
        row->at = sqlite3_column_int64(s, 1);
        row->command_seq = sqlite3_column_int64(s, 2);
        row->type = col(s, 3);
        row->merchant = col(s, 4);
        row->subject = col(s, 5);
        row->payload = col(s, 6);
        row->policy_version = col(s, 7);
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read events");
}

int sw_replay_sql_activated_from(struct sw_conn *c, int64_t cmd_seq, char *from, size_t cap,
                                 struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT json_extract(e.payload, '$.from') FROM commands c"
                                   " JOIN events e ON e.seq >= c.first_event AND"
                                   " e.seq < c.first_event + c.nevents"
                                   " WHERE c.seq = ?1 AND e.type = 'policy.activated' LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, cmd_seq);
    from[0] = '\0';
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(from, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read activation");
}
