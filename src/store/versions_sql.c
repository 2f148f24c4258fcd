#include "store/versions_sql.h"

/* One integer from a statement whose ?1 is already bound; 0 when there is no row. */
static int one_int(struct sw_conn *c, sqlite3_stmt *s, int64_t *out, struct sw_error *err)
{
    int r = sqlite3_step(s);
    *out = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read version");
}

int sw_sql_violation_version(struct sw_conn *c, int64_t rid, int64_t *out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT version + (SELECT COALESCE(SUM(version), 0) FROM appeals"
                                   " WHERE violation = ?1) FROM violations WHERE rid = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    return one_int(c, s, out, err);
}

int sw_sql_appeal_version(struct sw_conn *c, int64_t rid, int64_t *out, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT version FROM appeals WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    return one_int(c, s, out, err);
}

int sw_sql_deposit_version(struct sw_conn *c, const char *merchant, int64_t *out,
                           struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT version FROM deposit_accounts WHERE merchant = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    return one_int(c, s, out, err);
}
