/* Rule quality from the log's own labels (issue 17): per rule and policy version, how its
 * violations ended (penalty_sql.h). */
#include <sqlite3.h>

#include "store/penalty_sql.h"
#include "store/rows.h"

static const struct sw_col quality_cols[] = {
    SW_COL_KEY("rule", SW_COL_STR),           SW_COL_KEY("type", SW_COL_STR),
    SW_COL_KEY("policy_version", SW_COL_STR), SW_COL_KEY("violations", SW_COL_INT),
    SW_COL_KEY("pending", SW_COL_INT),        SW_COL_KEY("dismissed", SW_COL_INT),
    SW_COL_KEY("in_force", SW_COL_INT),       SW_COL_KEY("appealed", SW_COL_INT),
    SW_COL_KEY("overturned", SW_COL_INT),
};
static const struct sw_rowdef quality_row = SW_ROWDEF_KEYS("rule quality", quality_cols);

/* The rows of quality_cols added up from `violations`, a query of one row per violation and
 * rule it counts under (type, status, appealed, policy_version, rule); ?1 and ?2 filter by rule
 * and policy version when not NULL. One database's violations and a node's read model of them
 * are added up by this one query. */
#define QUALITY_ROWS(violations)                                                                   \
    "SELECT rule, type, policy_version, count(*), sum(status = 'pending'),"                        \
    " sum(status = 'dismissed'), sum(status = 'in_force'), sum(appealed),"                         \
    " sum(status = 'overturned') FROM (" violations ")"                                            \
    " WHERE (?1 IS NULL OR rule = ?1) AND (?2 IS NULL OR policy_version = ?2)"                     \
    " GROUP BY rule, type, policy_version ORDER BY rule, type, policy_version"

int sw_sql_rule_quality(struct sw_conn *c, const char *rule, const char *policy_version,
                        json_t **rows, struct sw_error *err)
{
    /* a violation counts once for each rule its findings cite; one without findings (an
     * operator's, the review statistics') under "<source>.<type>" */
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        QUALITY_ROWS("SELECT DISTINCT v.rid, v.type, v.status, v.appeals > 0 AS appealed,"
                     " v.policy_version, coalesce(json_extract(f.value, '$.rule'),"
                     " v.source || '.' || v.type) AS rule FROM violations v"
                     " LEFT JOIN json_each(v.doc, '$.findings') f"),
        err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, rule);
    sw_sql_bind_text_or_null(s, 2, policy_version);
    return sw_rows_json(c, s, &quality_row, rows, err, "rule quality");
}

/* ---- the same in a cluster node's read model (src/domain/penalty/quality_model.c) ---- */

static const char *const VIEW_SCHEMA[] = {
    "CREATE TABLE IF NOT EXISTS quality_view (p INTEGER NOT NULL, id TEXT NOT NULL,"
    " type TEXT NOT NULL, status TEXT NOT NULL, appealed INTEGER NOT NULL,"
    " policy_version TEXT NOT NULL, rules TEXT NOT NULL, PRIMARY KEY (p, id)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS quality_view_id ON quality_view (id)",
};

int sw_sql_quality_view_schema(struct sw_conn *c, struct sw_error *err)
{
    int rc = SW_OK;
    for (size_t i = 0; rc == SW_OK && i < sizeof VIEW_SCHEMA / sizeof VIEW_SCHEMA[0]; i++)
        rc = sw_conn_exec(c, VIEW_SCHEMA[i], err);
    return rc;
}

int sw_sql_quality_view_has(struct sw_conn *c, const char *id, bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT 1 FROM quality_view WHERE id = ? LIMIT 1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    sqlite3_reset(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SW_OK
                                                 : sw_conn_fail(c, err, "rule quality model");
}

int sw_sql_quality_view_clear(struct sw_conn *c, struct sw_error *err)
{
    return sw_conn_exec(c, "DELETE FROM quality_view", err);
}

int sw_sql_quality_view_put(struct sw_conn *c, int p, const char *id, const char *type,
                            const char *status, bool appealed, const char *policy_version,
                            const char *rules, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT OR REPLACE INTO quality_view (p, id, type, status,"
                                   " appealed, policy_version, rules) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, status, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, appealed);
    sqlite3_bind_text(s, 6, policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, rules, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "rule quality model");
}

int sw_sql_quality_view_appealed(struct sw_conn *c, int p, const char *id, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "UPDATE quality_view SET appealed = 1 WHERE p = ? AND id = ?", err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, p);
    sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
    return sw_sql_done(c, s, err, "rule quality model");
}

int sw_sql_quality_view_rows(struct sw_conn *c, const char *rule, const char *policy_version,
                             json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     QUALITY_ROWS("SELECT DISTINCT v.p, v.id, v.type, v.status, v.appealed,"
                                  " v.policy_version, r.value AS rule FROM quality_view v,"
                                  " json_each(v.rules) r"),
                     err);
    if (!s)
        return err->code;
    sw_sql_bind_text_or_null(s, 1, rule);
    sw_sql_bind_text_or_null(s, 2, policy_version);
    return sw_rows_json(c, s, &quality_row, rows, err, "rule quality model");
}
