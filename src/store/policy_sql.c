#include "store/policy_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text of column 0 of a statement whose parameters are bound (malloc'd), NULL for no row. */
static int one_text(struct sw_conn *c, sqlite3_stmt *s, char **out, struct sw_error *err)
{
    *out = NULL;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        *out = strdup(t ? t : "");
        if (!*out) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read policy");
}

int sw_sql_policy_active(struct sw_conn *c, char **doc, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT doc FROM policies WHERE command_seq IS NOT NULL"
                                   " ORDER BY command_seq DESC LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    return one_text(c, s, doc, err);
}

int sw_sql_policy_get(struct sw_conn *c, const char *version, char **doc, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT doc FROM policies WHERE version = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, version, -1, SQLITE_STATIC);
    return one_text(c, s, doc, err);
}

int sw_sql_policy_put(struct sw_conn *c, const char *version, const char *doc, int64_t at,
                      int64_t command_seq, struct sw_error *err)
{
    const char *sql = command_seq > 0
                          ? "INSERT INTO policies (version, doc, activated_at, command_seq)"
                            " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (version) DO UPDATE SET"
                            " activated_at = excluded.activated_at,"
                            " command_seq = excluded.command_seq"
                          : "INSERT INTO policies (version, doc) VALUES (?1, ?2)"
                            " ON CONFLICT (version) DO NOTHING";
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, doc, -1, SQLITE_STATIC);
    if (command_seq > 0) {
        sqlite3_bind_int64(s, 3, at);
        sqlite3_bind_int64(s, 4, command_seq);
    }
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "store policy");
}

int sw_sql_policy_last_used(struct sw_conn *c, char *version, size_t cap, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT policy_version FROM commands ORDER BY seq DESC LIMIT 1", err);
    if (!s)
        return err->code;
    version[0] = '\0';
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        snprintf(version, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "last command");
}
