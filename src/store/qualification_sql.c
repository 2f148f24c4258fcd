#include "store/qualification_sql.h"

#include "store/rows.h"

#define Q(field, kind) SW_COL(struct sw_qualification_row, field, kind)
static const struct sw_col qualification_cols[] = {
    Q(rid, SW_COL_INT),
    Q(merchant, SW_COL_CHARS),
    Q(code, SW_COL_CHARS),
    Q(status, SW_COL_CHARS),
    Q(documents, SW_COL_JSON_ARRAY),
    Q(expires_on, SW_COL_INT),
    Q(expires_at, SW_COL_INT),
    Q(submitted_by, SW_COL_JSON_OR_NULL),
    Q(decided_by, SW_COL_JSON_OR_NULL),
    Q(decided_at, SW_COL_INT_OR_NULL),
    Q(note, SW_COL_STR_OR_NULL),
    Q(revoked_by, SW_COL_JSON_OR_NULL),
    Q(revoked_at, SW_COL_INT_OR_NULL),
    Q(revoke_note, SW_COL_STR_OR_NULL),
    Q(expired_at, SW_COL_INT_OR_NULL),
    Q(created_at, SW_COL_INT),
    Q(updated_at, SW_COL_INT),
    Q(version, SW_COL_INT),
};
#undef Q
static const struct sw_rowdef qualification_row =
    SW_ROWDEF("qualification", struct sw_qualification_row, qualification_cols);

/* The columns in the order of qualification_cols: column i is parameter ?(i+1). */
#define QUAL_COLS                                                                                  \
    "rid, merchant, code, status, documents, expires_on, expires_at, submitted_by, decided_by,"    \
    " decided_at, note, revoked_by, revoked_at, revoke_note, expired_at, created_at, updated_at,"  \
    " version"

void sw_qualification_row_release(struct sw_qualification_row *q)
{
    sw_rows_release(&qualification_row, q);
}

int sw_sql_qualification_insert(struct sw_conn *c, struct sw_qualification_row *q,
                                struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO qualifications(" QUAL_COLS ") VALUES (" SW_NEXT_RID(
                              "qualifications") ",?2,?3,?4,?5,?6,"
                                                "?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
                          &qualification_row, q, &q->rid, err, "insert qualification");
}

int sw_sql_qualification_update(struct sw_conn *c, const struct sw_qualification_row *q,
                                struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE qualifications SET status=?4, documents=?5, expires_on=?6,"
                         " expires_at=?7, submitted_by=?8, decided_by=?9, decided_at=?10,"
                         " note=?11, revoked_by=?12, revoked_at=?13, revoke_note=?14,"
                         " expired_at=?15, updated_at=?17, version=?18 WHERE rid=?1",
                         &qualification_row, q, err, "update qualification");
}

int sw_sql_qualification_get(struct sw_conn *c, int64_t rid, struct sw_qualification_row *q,
                             bool *found, struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " QUAL_COLS " FROM qualifications WHERE rid = ?1", rid,
                           &qualification_row, q, found, err, "get qualification");
}

int sw_sql_qualification_page(struct sw_conn *c, const struct sw_qualification_filter *f,
                              int64_t after, int max, struct sw_qualification_row *out, int *n,
                              struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " QUAL_COLS " FROM qualifications WHERE merchant = ?1"
                                   " AND rid > ?2 AND (?3 IS NULL OR status = ?3)"
                                   " AND (?4 IS NULL OR code = ?4) ORDER BY rid LIMIT ?5",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, f->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sw_sql_bind_text_or_null(s, 3, f->status);
    sw_sql_bind_text_or_null(s, 4, f->code);
    sqlite3_bind_int(s, 5, max);
    return sw_rows_all(c, s, &qualification_row, out, max, n, err, "list qualifications");
}

int sw_sql_qualification_in_review(struct sw_conn *c, int max, struct sw_qualification_row *out,
                                   int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " QUAL_COLS " FROM qualifications"
                                   " WHERE status = 'reviewing' ORDER BY created_at, rid LIMIT ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, max);
    return sw_rows_all(c, s, &qualification_row, out, max, n, err, "list qualifications in review");
}

int sw_sql_qualification_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT COUNT(*) FROM qualifications WHERE status = 'reviewing'", err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {n};
    return sw_sql_row_ints(c, s, outs, 1, err, "count qualifications in review");
}

int sw_sql_qualification_held(struct sw_conn *c, const char *merchant, const char *code, int64_t at,
                              bool *held, struct sw_error *err)
{
    /* Approved records keep their decided_at when they expire or are revoked, so the same
     * test answers for any instant, past or present. */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT 1 FROM qualifications WHERE merchant = ?1 AND code = ?2"
                                   " AND +status IN ('approved', 'expired', 'revoked')"
                                   " AND decided_at <= ?3 AND expires_at > ?3"
                                   " AND (revoked_at IS NULL OR revoked_at > ?3) LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    return sw_sql_exists(c, s, held, err, "find held qualification");
}
