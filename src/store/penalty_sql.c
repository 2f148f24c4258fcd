#include "store/penalty_sql.h"

#include <stdlib.h>

#include "store/rows.h"

/* ---------- violations ---------- */

#define V(field, kind) SW_COL(struct sw_violation_row, field, kind)
static const struct sw_col violation_cols[] = {
    V(rid, SW_COL_INT),
    V(merchant, SW_COL_CHARS),
    V(product, SW_COL_CHARS),
    V(type, SW_COL_CHARS),
    V(severity, SW_COL_CHARS),
    V(source, SW_COL_CHARS),
    V(status, SW_COL_CHARS),
    V(occurrences, SW_COL_INT),
    V(counted, SW_COL_BOOL),
    V(nth, SW_COL_INT),
    V(ban, SW_COL_CHARS),
    V(ban_active, SW_COL_BOOL),
    V(deduct_fen, SW_COL_INT),
    V(deducted_fen, SW_COL_INT),
    V(owed_fen, SW_COL_INT),
    V(rectification, SW_COL_CHARS),
    V(clears_store, SW_COL_BOOL),
    V(appeals, SW_COL_INT),
    V(appeal_open, SW_COL_BOOL),
    V(final, SW_COL_BOOL),
    V(created_at, SW_COL_INT),
    V(effective_at, SW_COL_INT_OR_NULL),
    V(decided_at, SW_COL_INT_OR_NULL),
    V(updated_at, SW_COL_INT),
    V(policy_version, SW_COL_CHARS),
    V(doc, SW_COL_JSON_OBJECT),
};
#undef V
static const struct sw_rowdef violation_row =
    SW_ROWDEF("violation", struct sw_violation_row, violation_cols);

/* The columns in the order of violation_cols: column i is parameter ?(i+1). */
#define VIOLATION_COLS                                                                             \
    "rid, merchant, product, type, severity, source, status, occurrences, counted, nth, ban,"      \
    " ban_active, deduct_fen, deducted_fen, owed_fen, rectification, clears_store, appeals,"       \
    " appeal_open, final, created_at, effective_at, decided_at, updated_at, policy_version, doc"

void sw_violation_row_release(struct sw_violation_row *v)
{
    sw_rows_release(&violation_row, v);
}

int sw_sql_violation_insert(struct sw_conn *c, struct sw_violation_row *v, struct sw_error *err)
{
    return sw_rows_insert(
        c,
        "INSERT INTO violations(" VIOLATION_COLS ") VALUES (" SW_NEXT_RID(
            "violations") ",?2,?3,"
                          "?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
                          "?20,?21,?22,?23,?24,?25,?26)",
        &violation_row, v, &v->rid, err, "insert violation");
}

int sw_sql_violation_update(struct sw_conn *c, const struct sw_violation_row *v,
                            struct sw_error *err)
{
    return sw_rows_write(
        c,
        "UPDATE violations SET merchant=?2, product=?3, type=?4, severity=?5, source=?6,"
        " status=?7, occurrences=?8, counted=?9, nth=?10, ban=?11, ban_active=?12,"
        " deduct_fen=?13, deducted_fen=?14, owed_fen=?15, rectification=?16, clears_store=?17,"
        " appeals=?18, appeal_open=?19, final=?20, created_at=?21, effective_at=?22,"
        " decided_at=?23, updated_at=?24, policy_version=?25, doc=?26 WHERE rid=?1",
        &violation_row, v, err, "update violation");
}

int sw_sql_violation_get(struct sw_conn *c, int64_t rid, struct sw_violation_row *v, bool *found,
                         struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " VIOLATION_COLS " FROM violations WHERE rid = ?1", rid,
                           &violation_row, v, found, err, "get violation");
}

int sw_sql_violation_count(struct sw_conn *c, const char *merchant, const char *type, int64_t since,
                           int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT count(*) FROM violations WHERE merchant = ?1 AND"
                                   " type = ?2 AND effective_at > ?3 AND status = 'in_force' AND"
                                   " counted = 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, since);
    *n = 0;
    return sw_sql_row_ints(c, s, (int64_t *const[]){n}, 1, err, "count violations");
}

int sw_sql_violation_rows_of_product(struct sw_conn *c, const char *product, const char *type,
                                     bool decided, struct sw_violation_row **rows, int *n,
                                     struct sw_error *err)
{
    *rows = NULL;
    *n = 0;
    /* the decided last, so that a product's many decided ones never crowd out an open one */
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        decided ? "SELECT " VIOLATION_COLS " FROM violations WHERE product = ?1"
                  " AND (?2 IS NULL OR type = ?2) AND status IN ('pending', 'in_force',"
                  " 'dismissed', 'overturned') ORDER BY status IN ('dismissed', 'overturned'), rid"
                : "SELECT " VIOLATION_COLS " FROM violations WHERE product = ?1"
                  " AND (?2 IS NULL OR type = ?2) AND (status = 'pending' OR"
                  " status = 'in_force') ORDER BY rid",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, product, -1, SQLITE_STATIC);
    if (type)
        sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 2);
    void *out = NULL;
    int rc = sw_rows_all_alloc(c, s, &violation_row, &out, SW_PRODUCT_VIOLATIONS_MAX, n, err,
                               "product violations");
    *rows = out;
    return rc;
}

void sw_violation_rows_free(struct sw_violation_row *rows, int n)
{
    for (int i = 0; i < n; i++)
        sw_violation_row_release(&rows[i]);
    free(rows);
}

int sw_sql_violation_banned_by_other(struct sw_conn *c, const char *product, int64_t rid,
                                     bool *banned, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "SELECT 1 FROM violations WHERE product = ?1 AND rid <> ?2 AND"
                     " +status = 'in_force' AND ban_active = 1 LIMIT 1", /* "+": below */
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, product, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, rid);
    return sw_sql_exists(c, s, banned, err, "find other bans");
}

int sw_sql_violation_reports(struct sw_conn *c, int limit, struct sw_violation_row *out, int *n,
                             struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " VIOLATION_COLS " FROM violations WHERE status ="
                                   " 'in_force' AND rectification = 'submitted' ORDER BY rid"
                                   " LIMIT ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int(s, 1, limit);
    return sw_rows_all(c, s, &violation_row, out, limit, n, err, "list rectification reports");
}

int sw_sql_violation_rids_owing(struct sw_conn *c, const char *merchant, int64_t after,
                                int64_t *out, int max, int *n, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "SELECT rid FROM violations WHERE merchant = ?1 AND rid > ?2 AND"
                     " +status = 'in_force' AND owed_fen > 0 ORDER BY rid LIMIT ?3", /* "+" */
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, max);
    return sw_sql_ints(c, s, out, max, n, err, "owing violations");
}

int sw_sql_violation_count_holding(struct sw_conn *c, const char *merchant, int64_t *rectifying,
                                   int64_t *clearing, struct sw_error *err)
{
    /* "+status": the store's own violations by its index, not every violation in force by
     * the status index (which SQLite picks without statistics: a cost that grew with the whole
     * platform's violations, on every write that recomputes a store's holds). */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT coalesce(sum(rectification = 'required' OR"
                                   " rectification = 'submitted'), 0),"
                                   " coalesce(sum(clears_store), 0) FROM violations"
                                   " WHERE merchant = ?1 AND +status = 'in_force'",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    return sw_sql_row_ints(c, s, (int64_t *const[]){rectifying, clearing}, 2, err,
                           "count holding violations");
}

#define VIOLATION_PAGE_WHERE                                                                       \
    " AND rid > ?1 AND (?2 IS NULL OR merchant = ?2) AND (?3 IS NULL OR status = ?3) AND"          \
    " (?5 IS NULL OR product = ?5) AND (?6 IS NULL OR type = ?6) AND created_at >= ?7 AND"         \
    " created_at < ?8 ORDER BY rid LIMIT ?4"

int sw_sql_violation_page(struct sw_conn *c, const struct sw_violation_filter *f, int64_t after,
                          int limit, struct sw_violation_row *out, int *n, struct sw_error *err)
{
    /* The most selective filter given leads, as an equality SQLite can take to an index
     * ("?2 IS NULL OR ..." alone keeps it off every index and scans the table). */
    static const char *const by[] = {
        "SELECT " VIOLATION_COLS " FROM violations WHERE product = ?5" VIOLATION_PAGE_WHERE,
        "SELECT " VIOLATION_COLS " FROM violations WHERE merchant = ?2" VIOLATION_PAGE_WHERE,
        "SELECT " VIOLATION_COLS " FROM violations WHERE type = ?6" VIOLATION_PAGE_WHERE,
        "SELECT " VIOLATION_COLS " FROM violations WHERE status = ?3" VIOLATION_PAGE_WHERE,
        "SELECT " VIOLATION_COLS " FROM violations WHERE 1" VIOLATION_PAGE_WHERE,
    };
    int lead = f->product ? 0 : f->merchant ? 1 : f->type ? 2 : f->status ? 3 : 4;
    sqlite3_stmt *s = sw_conn_stmt(c, by[lead], err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sw_sql_bind_text_or_null(s, 2, f->merchant);
    sw_sql_bind_text_or_null(s, 3, f->status);
    sqlite3_bind_int(s, 4, limit);
    sw_sql_bind_text_or_null(s, 5, f->product);
    sw_sql_bind_text_or_null(s, 6, f->type);
    sqlite3_bind_int64(s, 7, f->from_us);
    sqlite3_bind_int64(s, 8, f->to_us);
    return sw_rows_all(c, s, &violation_row, out, limit, n, err, "list violations");
}

/* ---------- deposit ledger ---------- */

#define A(field) SW_COL(struct sw_deposit_account, field, SW_COL_INT)
static const struct sw_col account_cols[] = {A(balance_fen), A(owed_fen), A(entries)};
#undef A
static const struct sw_rowdef account_row =
    SW_ROWDEF("deposit account", struct sw_deposit_account, account_cols);

int sw_sql_deposit_account(struct sw_conn *c, const char *merchant, struct sw_deposit_account *a,
                           struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT balance_fen, owed_fen, entries FROM deposit_accounts"
                                   " WHERE merchant = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    *a = (struct sw_deposit_account){0};
    bool found;
    return sw_rows_get(c, s, &account_row, a, &found, err, "get deposit");
}

static int put_account(struct sw_conn *c, const char *merchant, int64_t balance, int64_t owed,
                       int64_t add_entries, int64_t at, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO deposit_accounts(merchant, balance_fen, owed_fen,"
                                   " entries, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                                   " ON CONFLICT(merchant) DO UPDATE SET balance_fen = ?2,"
                                   " owed_fen = ?3, entries = entries + ?4, updated_at = ?5",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, balance);
    sqlite3_bind_int64(s, 3, owed);
    sqlite3_bind_int64(s, 4, add_entries);
    sqlite3_bind_int64(s, 5, at);
    return sw_sql_done(c, s, err, "write deposit account");
}

/* An entry as appended: every column but rid, in the order of the INSERT. */
#define E(field, kind) SW_COL(struct sw_deposit_entry, field, kind)
static const struct sw_col entry_cols[] = {
    E(merchant, SW_COL_STR_OR_NULL),  E(kind, SW_COL_STR_OR_NULL),
    E(amount_fen, SW_COL_INT),        E(balance_after_fen, SW_COL_INT),
    E(violation, SW_COL_INT_OR_NULL), E(ref, SW_COL_STR_OR_NULL),
    E(note, SW_COL_STR_OR_NULL),      E(at, SW_COL_INT),
    E(command_seq, SW_COL_INT),
};
#undef E
static const struct sw_rowdef entry_row =
    SW_ROWDEF("deposit entry", struct sw_deposit_entry, entry_cols);

int sw_sql_deposit_append(struct sw_conn *c, const struct sw_deposit_entry *e, int64_t owed_fen,
                          struct sw_error *err)
{
    int rc = sw_rows_write(c,
                           "INSERT INTO deposit_entries(merchant, kind, amount_fen,"
                           " balance_after_fen, violation, ref, note, at, command_seq)"
                           " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                           &entry_row, e, err, "append deposit entry");
    return rc ? rc : put_account(c, e->merchant, e->balance_after_fen, owed_fen, 1, e->at, err);
}

int sw_sql_deposit_ref_seen(struct sw_conn *c, const char *merchant, const char *ref, bool *seen,
                            struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT 1 FROM deposit_entries WHERE merchant = ?1 AND ref = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
    return sw_sql_exists(c, s, seen, err, "find payment");
}

int sw_sql_deposit_set_owed(struct sw_conn *c, const char *merchant, int64_t owed_fen, int64_t at,
                            struct sw_error *err)
{
    struct sw_deposit_account a = {0};
    int rc = sw_sql_deposit_account(c, merchant, &a, err);
    return rc ? rc : put_account(c, merchant, a.balance_fen, owed_fen, 0, at, err);
}

/* The JSON of a ledger entry: violation_rid, ref and note only when set. */
static const struct sw_col entry_json_cols[] = {
    SW_COL_KEY("seq", SW_COL_INT),         SW_COL_KEY("kind", SW_COL_STR),
    SW_COL_KEY("amount_fen", SW_COL_INT),  SW_COL_KEY("balance_after_fen", SW_COL_INT),
    SW_COL_KEY("at", SW_COL_INT),          SW_COL_KEY("violation_rid", SW_COL_INT_OR_NULL),
    SW_COL_KEY("ref", SW_COL_STR_OR_NULL), SW_COL_KEY("note", SW_COL_STR_OR_NULL),
};
static const struct sw_rowdef entry_json = SW_ROWDEF_KEYS("deposit entry", entry_json_cols);

int sw_sql_deposit_entries(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                           json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid, kind, amount_fen, balance_after_fen, at,"
                                   " violation, ref, note FROM deposit_entries WHERE merchant = ?1"
                                   " AND rid > ?2 ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    return sw_rows_json(c, s, &entry_json, rows, err, "list deposit entries");
}

/* ---------- appeals ---------- */

#define P(field, kind) SW_COL(struct sw_appeal_row, field, kind)
static const struct sw_col appeal_cols[] = {
    P(rid, SW_COL_INT),
    P(violation, SW_COL_INT),
    P(merchant, SW_COL_CHARS),
    P(nth, SW_COL_INT),
    P(status, SW_COL_CHARS),
    P(reason, SW_COL_STR),
    P(evidence, SW_COL_JSON_ARRAY),
    P(note, SW_COL_STR_OR_NULL),
    P(overdue, SW_COL_BOOL),
    P(created_at, SW_COL_INT),
    P(due_at, SW_COL_INT),
    P(decided_at, SW_COL_INT_OR_NULL),
    P(decided_by, SW_COL_CHARS_OR_NULL),
};
#undef P
static const struct sw_rowdef appeal_row = SW_ROWDEF("appeal", struct sw_appeal_row, appeal_cols);

/* The columns in the order of appeal_cols: column i is parameter ?(i+1). */
#define APPEAL_COLS                                                                                \
    "rid, violation, merchant, nth, status, reason, evidence, note, overdue, created_at, due_at,"  \
    " decided_at, decided_by"

int sw_sql_appeal_insert(struct sw_conn *c, struct sw_appeal_row *a, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO appeals(" APPEAL_COLS
                          ") VALUES (" SW_NEXT_RID("appeals") ",?2,?3,?4,?5,"
                                                              "?6,?7,?8,?9,?10,?11,?12,?13)",
                          &appeal_row, a, &a->rid, err, "insert appeal");
}

int sw_sql_appeal_update(struct sw_conn *c, const struct sw_appeal_row *a, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE appeals SET violation=?2, merchant=?3, nth=?4, status=?5,"
                         " reason=?6, evidence=?7, note=?8, overdue=?9, created_at=?10,"
                         " due_at=?11, decided_at=?12, decided_by=?13 WHERE rid=?1",
                         &appeal_row, a, err, "update appeal");
}

int sw_sql_appeal_get(struct sw_conn *c, int64_t rid, struct sw_appeal_row *a, bool *found,
                      struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " APPEAL_COLS " FROM appeals WHERE rid = ?1", rid,
                           &appeal_row, a, found, err, "get appeal");
}

int sw_sql_appeal_rids(struct sw_conn *c, int64_t violation, int64_t *out, int max, int *n,
                       struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT rid FROM appeals WHERE violation = ?1 ORDER BY rid", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, violation);
    return sw_sql_ints(c, s, out, max, n, err, "list appeals");
}

int sw_sql_appeal_open_rids(struct sw_conn *c, int64_t *out, int max, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM appeals WHERE status = 'open'"
                                   " ORDER BY overdue DESC, due_at, rid",
                                   err);
    if (!s)
        return err->code;
    return sw_sql_ints(c, s, out, max, n, err, "list open appeals");
}

void sw_appeal_row_release(struct sw_appeal_row *a)
{
    sw_rows_release(&appeal_row, a);
}

int sw_sql_queue_counts(struct sw_conn *c, int64_t *pending, int64_t *open, int64_t *overdue,
                        struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT (SELECT count(*) FROM violations WHERE status ="
                                   " 'pending'), count(*), coalesce(sum(overdue), 0) FROM appeals"
                                   " WHERE status = 'open'",
                                   err);
    if (!s)
        return err->code;
    return sw_sql_row_ints(c, s, (int64_t *const[]){pending, open, overdue}, 3, err,
                           "count the queue");
}

/* ---------- rescans ---------- */

#define R(field, kind) SW_COL(struct sw_rescan_row, field, kind)
static const struct sw_col rescan_cols[] = {
    R(rid, SW_COL_INT),         R(status, SW_COL_CHARS),   R(policy_version, SW_COL_CHARS),
    R(batch, SW_COL_INT),       R(total, SW_COL_INT),      R(scanned, SW_COL_INT),
    R(changed, SW_COL_INT),     R(violations, SW_COL_INT), R(delisted, SW_COL_INT),
    R(steps, SW_COL_INT),       R(cursor, SW_COL_INT),     R(upto, SW_COL_INT),
    R(created_at, SW_COL_INT),  R(updated_at, SW_COL_INT), R(finished_at, SW_COL_INT_OR_NULL),
    R(doc, SW_COL_JSON_OBJECT),
};
#undef R
static const struct sw_rowdef rescan_row = SW_ROWDEF("rescan", struct sw_rescan_row, rescan_cols);

#define RESCAN_COLS                                                                                \
    "rid, status, policy_version, batch, total, scanned, changed, violations, delisted, steps,"    \
    " cursor, upto, created_at, updated_at, finished_at, doc"

void sw_rescan_row_release(struct sw_rescan_row *r)
{
    sw_rows_release(&rescan_row, r);
}

int sw_sql_rescan_insert(struct sw_conn *c, struct sw_rescan_row *r, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO rescans(" RESCAN_COLS
                          ") VALUES (" SW_NEXT_RID("rescans") ",?2,?3,?4,?5,?6,?7,"
                                                              "?8,?9,?10,?11,?12,?13,?14,?15,?16)",
                          &rescan_row, r, &r->rid, err, "insert rescan");
}

int sw_sql_rescan_update(struct sw_conn *c, const struct sw_rescan_row *r, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE rescans SET status=?2, scanned=?6, changed=?7, violations=?8,"
                         " delisted=?9, steps=?10, cursor=?11, updated_at=?14, finished_at=?15,"
                         " doc=?16 WHERE rid=?1",
                         &rescan_row, r, err, "update rescan");
}

int sw_sql_rescan_get(struct sw_conn *c, int64_t rid, struct sw_rescan_row *r, bool *found,
                      struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " RESCAN_COLS " FROM rescans WHERE rid = ?1", rid,
                           &rescan_row, r, found, err, "get rescan");
}

int sw_sql_rescan_part(struct sw_conn *c, const char *job, struct sw_rescan_row *r, bool *found,
                       struct sw_error *err)
{
    /* a handful of jobs a partition: no index */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " RESCAN_COLS " FROM rescans WHERE"
                                   " json_extract(doc, '$.part_of') = ?1 ORDER BY rid DESC LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, job, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &rescan_row, r, found, err, "get rescan part");
}

int sw_sql_rescan_running(struct sw_conn *c, int64_t *rid, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT coalesce((SELECT rid FROM rescans WHERE status ="
                                   " 'running' ORDER BY rid LIMIT 1), 0)",
                                   err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {rid};
    return sw_sql_row_ints(c, s, outs, 1, err, "find the running rescan");
}

int sw_sql_violation_last_rid(struct sw_conn *c, int64_t *rid, struct sw_error *err)
{
    /* the id base counts as SW_NEXT_RID counts it: in a cluster partition the first
     * violation's rid is base + 1, and a step counts the rids it added */
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " SW_NEXT_RID("violations") " - 1", err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {rid};
    return sw_sql_row_ints(c, s, outs, 1, err, "last violation");
}
