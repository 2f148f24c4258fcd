/* SQL of a cluster node's read model of every partition's item counts
 * (src/domain/affiliate/model.c): per item and partition, the count its last
 * affiliate.item_counted announced, with that event's seq, and `chg`, the model's own order of
 * changes, by which an owner finds what changed since it last looked. */
#include "store/affiliate_sql.h"

static const char *const VIEW_SCHEMA[] = {
    "CREATE TABLE IF NOT EXISTS aff_counts_view (item TEXT NOT NULL, p INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, paid INTEGER NOT NULL, confirmed INTEGER NOT NULL,"
    " chg INTEGER NOT NULL, PRIMARY KEY (item, p)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS aff_counts_view_chg ON aff_counts_view (chg)",
    "CREATE INDEX IF NOT EXISTS aff_counts_view_p ON aff_counts_view (p, chg)",
};

int sw_sql_aff_view_schema(struct sw_conn *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (size_t i = 0; rc == SW_OK && i < sizeof VIEW_SCHEMA / sizeof VIEW_SCHEMA[0]; i++)
        rc = sw_conn_exec(c, VIEW_SCHEMA[i], err);
    return rc;
}

int sw_sql_aff_view_clear(struct sw_conn *c, struct sw_error *err)
{
    return sw_conn_exec(c, "DELETE FROM aff_counts_view", err);
}

int sw_sql_aff_view_put(struct sw_conn *c, const char *item, int p, int64_t seq, int64_t paid,
                        int64_t confirmed, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "INSERT INTO aff_counts_view(item, p, seq, paid, confirmed, chg) VALUES (?1,?2,?3,?4,?5,"
        " (SELECT IFNULL(MAX(chg), 0) + 1 FROM aff_counts_view)) ON CONFLICT DO UPDATE SET"
        " seq = excluded.seq, paid = excluded.paid, confirmed = excluded.confirmed,"
        " chg = excluded.chg WHERE excluded.seq > seq",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, p);
    sqlite3_bind_int64(s, 3, seq);
    sqlite3_bind_int64(s, 4, paid);
    sqlite3_bind_int64(s, 5, confirmed);
    return sw_sql_done(c, s, err, "model an item's count");
}

static int rows(struct sw_conn *c, sqlite3_stmt *s,
                int (*fn)(void *arg, const struct sw_aff_view_row *r, struct sw_error *err),
                void *arg, struct sw_error *err)
{
    int r, rc = SW_OK;
    while (rc == SW_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        /* p NULL: an item of q's that no other partition announced */
        struct sw_aff_view_row row = {
            (const char *)sqlite3_column_text(s, 0),
            sqlite3_column_type(s, 1) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 1),
            sqlite3_column_int64(s, 2),
            sqlite3_column_int64(s, 3),
            sqlite3_column_int64(s, 4),
            sqlite3_column_int64(s, 5)};
        rc = fn(arg, &row, err);
    }
    sqlite3_reset(s);
    if (rc)
        return rc;
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "read the item counts model");
}

int sw_sql_aff_view_changed(struct sw_conn *c, int q, int64_t after, int limit,
                            int (*fn)(void *arg, const struct sw_aff_view_row *r,
                                      struct sw_error *err),
                            void *arg, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "SELECT s.item, s.p, s.seq, s.paid, s.confirmed, s.chg FROM aff_counts_view s"
                     " WHERE s.chg > ?2 AND s.p != ?1 AND EXISTS (SELECT 1 FROM aff_counts_view m"
                     " WHERE m.item = s.item AND m.p = ?1) ORDER BY s.chg LIMIT ?3",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, q);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    return rows(c, s, fn, arg, err);
}

int sw_sql_aff_view_items(struct sw_conn *c, int q, int64_t after, int limit,
                          int (*fn)(void *arg, const struct sw_aff_view_row *r,
                                    struct sw_error *err),
                          void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT m.item, s.p, s.seq, s.paid, s.confirmed, m.chg FROM (SELECT item, chg"
        " FROM aff_counts_view WHERE p = ?1 AND chg > ?2 ORDER BY chg LIMIT ?3) m"
        " LEFT JOIN aff_counts_view s ON s.item = m.item AND s.p != ?1 ORDER BY m.chg, s.p",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, q);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    return rows(c, s, fn, arg, err);
}

int sw_sql_aff_view_last(struct sw_conn *c, int64_t *chg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT IFNULL(MAX(chg), 0) FROM aff_counts_view", err);
    if (!s)
        return err->code;
    int r = sqlite3_step(s);
    *chg = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "read the item counts model");
}
