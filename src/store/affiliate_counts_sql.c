/* SQL of an item's conversion counts (schema 0024_affiliate_item_counts.sql): this database's
 * own as last announced, and those other sources announced. */
#include "store/affiliate_sql.h"

int sw_sql_aff_counted_get(struct sw_conn *c, const char *item, int64_t *paid, int64_t *confirmed,
                           bool *found, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT paid, confirmed FROM aff_item_counts WHERE item = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    *paid = *found ? sqlite3_column_int64(s, 0) : 0;
    *confirmed = *found ? sqlite3_column_int64(s, 1) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get item counts");
}

int sw_sql_aff_counted_put(struct sw_conn *c, const char *item, int64_t paid, int64_t confirmed,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR REPLACE INTO aff_item_counts(item, paid, confirmed)"
                                   " VALUES (?1,?2,?3)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, paid);
    sqlite3_bind_int64(s, 3, confirmed);
    return sw_sql_done(c, s, err, "put item counts");
}

int sw_sql_aff_sources_sum(struct sw_conn *c, const char *item, int64_t *paid, int64_t *confirmed,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT TOTAL(paid), TOTAL(confirmed) FROM aff_item_sources"
                                   " WHERE item = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *paid = r == SQLITE_ROW ? (int64_t)sqlite3_column_double(s, 0) : 0;
    *confirmed = r == SQLITE_ROW ? (int64_t)sqlite3_column_double(s, 1) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "add up an item's sources");
}

int sw_sql_aff_source_merge(struct sw_conn *c, const char *item, const char *source, int64_t seq,
                            int64_t paid, int64_t confirmed, bool *changed, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "INSERT INTO aff_item_sources(item, source, seq, paid, confirmed)"
                     " VALUES (?1,?2,?3,?4,?5) ON CONFLICT DO UPDATE SET seq = excluded.seq,"
                     " paid = excluded.paid, confirmed = excluded.confirmed"
                     " WHERE excluded.seq > seq",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, seq);
    sqlite3_bind_int64(s, 4, paid);
    sqlite3_bind_int64(s, 5, confirmed);
    int rc = sw_sql_done(c, s, err, "merge an item's source");
    *changed = rc == SW_OK && sqlite3_changes(c->db) > 0;
    return rc;
}
