#include <sqlite3.h>

#include "store/cluster_sql.h"

int sw_sql_last_command_at(struct sw_conn *c, sw_instant *at, struct sw_error *err)
{
    sqlite3_stmt *s = NULL;
    *at = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT coalesce(max(at), 0) FROM commands", -1, &s, NULL) !=
        SQLITE_OK)
        return sw_conn_fail(c, err, "last command");
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *at = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "last command");
}

int sw_sql_snapshot(const char *path_db, const char *path_out, struct sw_error *err)
{
    struct sw_conn c;
    int rc = sw_conn_open(&c, path_db, true, SW_SYNC_NORMAL, err);
    if (rc)
        return rc;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(c.db, "VACUUM INTO ?", -1, &s, NULL) != SQLITE_OK) {
        rc = sw_conn_fail(&c, err, "snapshot");
    } else {
        sqlite3_bind_text(s, 1, path_out, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = sw_conn_fail(&c, err, "snapshot");
        sqlite3_finalize(s);
    }
    sw_conn_close(&c);
    return rc;
}
