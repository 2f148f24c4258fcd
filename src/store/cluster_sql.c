#include <sqlite3.h>

#include "store/cluster_sql.h"

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
