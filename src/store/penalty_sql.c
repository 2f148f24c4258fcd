#include "store/penalty_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static void bind_opt_time(sqlite3_stmt *s, int i, int64_t t)
{
    if (t)
        sqlite3_bind_int64(s, i, t);
    else
        sqlite3_bind_null(s, i);
}

/* ---------- violations ---------- */

#define VIOLATION_COLS                                                                             \
    "rid, merchant, product, type, severity, source, status, occurrences, counted, nth, ban,"      \
    " ban_active, deduct_fen, deducted_fen, owed_fen, rectification, clears_store, appeals,"       \
    " appeal_open, final, created_at, effective_at, decided_at, updated_at, policy_version, doc"

/* Binds every column but rid to ?2..?26 (the order of VIOLATION_COLS). */
static void bind_violation(sqlite3_stmt *s, const struct sw_violation_row *v)
{
    sqlite3_bind_text(s, 2, v->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, v->product, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, v->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, v->severity, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, v->source, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, v->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, v->occurrences);
    sqlite3_bind_int(s, 9, v->counted);
    sqlite3_bind_int64(s, 10, v->nth);
    sqlite3_bind_text(s, 11, v->ban, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 12, v->ban_active);
    sqlite3_bind_int64(s, 13, v->deduct_fen);
    sqlite3_bind_int64(s, 14, v->deducted_fen);
    sqlite3_bind_int64(s, 15, v->owed_fen);
    sqlite3_bind_text(s, 16, v->rectification, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 17, v->clears_store);
    sqlite3_bind_int64(s, 18, v->appeals);
    sqlite3_bind_int(s, 19, v->appeal_open);
    sqlite3_bind_int(s, 20, v->final);
    sqlite3_bind_int64(s, 21, v->created_at);
    bind_opt_time(s, 22, v->effective_at);
    bind_opt_time(s, 23, v->decided_at);
    sqlite3_bind_int64(s, 24, v->updated_at);
    sqlite3_bind_text(s, 25, v->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 26, sw_json_dump(v->doc), -1, free);
}

static void read_violation(sqlite3_stmt *s, struct sw_violation_row *v)
{
    v->rid = sqlite3_column_int64(s, 0);
    sw_sql_text(s, 1, v->merchant, sizeof v->merchant);
    sw_sql_text(s, 2, v->product, sizeof v->product);
    sw_sql_text(s, 3, v->type, sizeof v->type);
    sw_sql_text(s, 4, v->severity, sizeof v->severity);
    sw_sql_text(s, 5, v->source, sizeof v->source);
    sw_sql_text(s, 6, v->status, sizeof v->status);
    v->occurrences = sqlite3_column_int64(s, 7);
    v->counted = sqlite3_column_int(s, 8);
    v->nth = sqlite3_column_int64(s, 9);
    sw_sql_text(s, 10, v->ban, sizeof v->ban);
    v->ban_active = sqlite3_column_int(s, 11);
    v->deduct_fen = sqlite3_column_int64(s, 12);
    v->deducted_fen = sqlite3_column_int64(s, 13);
    v->owed_fen = sqlite3_column_int64(s, 14);
    sw_sql_text(s, 15, v->rectification, sizeof v->rectification);
    v->clears_store = sqlite3_column_int(s, 16);
    v->appeals = sqlite3_column_int64(s, 17);
    v->appeal_open = sqlite3_column_int(s, 18);
    v->final = sqlite3_column_int(s, 19);
    v->created_at = sqlite3_column_int64(s, 20);
    v->effective_at = sqlite3_column_int64(s, 21);
    v->decided_at = sqlite3_column_int64(s, 22);
    v->updated_at = sqlite3_column_int64(s, 23);
    sw_sql_text(s, 24, v->policy_version, sizeof v->policy_version);
    v->doc = json_loadb((const char *)sqlite3_column_blob(s, 25),
                        (size_t)sqlite3_column_bytes(s, 25), 0, NULL);
    if (!v->doc)
        v->doc = json_object();
}

void sw_violation_row_release(struct sw_violation_row *v)
{
    json_decref(v->doc);
    v->doc = NULL;
}

int sw_sql_violation_insert(struct sw_conn *c, struct sw_violation_row *v, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO violations(" VIOLATION_COLS ") VALUES (NULL,?2,?3,"
                                   "?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
                                   "?20,?21,?22,?23,?24,?25,?26)",
                                   err);
    if (!s)
        return err->code;
    bind_violation(s, v);
    int rc = sw_sql_done(c, s, err, "insert violation");
    if (rc == SW_OK)
        v->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_violation_update(struct sw_conn *c, const struct sw_violation_row *v,
                            struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "UPDATE violations SET merchant=?2, product=?3, type=?4, severity=?5, source=?6,"
        " status=?7, occurrences=?8, counted=?9, nth=?10, ban=?11, ban_active=?12,"
        " deduct_fen=?13, deducted_fen=?14, owed_fen=?15, rectification=?16, clears_store=?17,"
        " appeals=?18, appeal_open=?19, final=?20, created_at=?21, effective_at=?22,"
        " decided_at=?23, updated_at=?24, policy_version=?25, doc=?26 WHERE rid=?1",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, v->rid);
    bind_violation(s, v);
    return sw_sql_done(c, s, err, "update violation");
}

int sw_sql_violation_get(struct sw_conn *c, int64_t rid, struct sw_violation_row *v, bool *found,
                         struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT " VIOLATION_COLS " FROM violations WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found)
        read_violation(s, v);
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get violation");
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
    int r = sqlite3_step(s);
    *n = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count violations");
}

/* Reads up to max rows of VIOLATION_COLS from s into out and resets s. */
static int read_rows(struct sw_conn *c, sqlite3_stmt *s, struct sw_violation_row *out, int max,
                     int *n, struct sw_error *err, const char *what)
{
    int r = SQLITE_DONE;
    *n = 0;
    while (*n < max && (r = sqlite3_step(s)) == SQLITE_ROW)
        read_violation(s, &out[(*n)++]);
    if (*n == max)
        r = SQLITE_DONE;
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}

int sw_sql_violation_rows_of_product(struct sw_conn *c, const char *product, const char *type,
                                     struct sw_violation_row **rows, int *n, struct sw_error *err)
{
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " VIOLATION_COLS " FROM violations WHERE product = ?1"
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
    *rows = calloc(SW_PRODUCT_VIOLATIONS_MAX, sizeof **rows);
    if (!*rows) {
        sqlite3_reset(s);
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    }
    int rc = read_rows(c, s, *rows, SW_PRODUCT_VIOLATIONS_MAX, n, err, "product violations");
    if (rc) {
        sw_violation_rows_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
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
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT 1 FROM violations WHERE product = ?1 AND rid <> ?2 AND"
                                   " status = 'in_force' AND ban_active = 1 LIMIT 1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, product, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, rid);
    int r = sqlite3_step(s);
    *banned = r == SQLITE_ROW;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "find other bans");
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
    return read_rows(c, s, out, limit, n, err, "list rectification reports");
}

int sw_sql_violation_rids_owing(struct sw_conn *c, const char *merchant, int64_t after,
                                int64_t *out, int max, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM violations WHERE merchant = ?1 AND rid > ?2 AND"
                                   " status = 'in_force' AND owed_fen > 0 ORDER BY rid LIMIT ?3",
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
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT coalesce(sum(rectification = 'required' OR"
                                   " rectification = 'submitted'), 0),"
                                   " coalesce(sum(clears_store), 0) FROM violations"
                                   " WHERE merchant = ?1 AND status = 'in_force'",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *rectifying = sqlite3_column_int64(s, 0);
        *clearing = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count holding violations");
}

#define VIOLATION_PAGE_WHERE                                                                       \
    " AND rid > ?1 AND (?2 IS NULL OR merchant = ?2) AND (?3 IS NULL OR status = ?3) AND"          \
    " (?5 IS NULL OR product = ?5) AND (?6 IS NULL OR type = ?6) AND created_at >= ?7 AND"         \
    " created_at < ?8 ORDER BY rid LIMIT ?4"

static void bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

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
    bind_text_or_null(s, 2, f->merchant);
    bind_text_or_null(s, 3, f->status);
    sqlite3_bind_int(s, 4, limit);
    bind_text_or_null(s, 5, f->product);
    bind_text_or_null(s, 6, f->type);
    sqlite3_bind_int64(s, 7, f->from_us);
    sqlite3_bind_int64(s, 8, f->to_us);
    return read_rows(c, s, out, limit, n, err, "list violations");
}

/* ---------- deposit ledger ---------- */

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
    int r = sqlite3_step(s);
    *a = (struct sw_deposit_account){0};
    if (r == SQLITE_ROW) {
        a->balance_fen = sqlite3_column_int64(s, 0);
        a->owed_fen = sqlite3_column_int64(s, 1);
        a->entries = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get deposit");
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

int sw_sql_deposit_append(struct sw_conn *c, const struct sw_deposit_entry *e, int64_t owed_fen,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO deposit_entries(merchant, kind, amount_fen,"
                                   " balance_after_fen, violation, ref, note, at, command_seq)"
                                   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, e->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, e->amount_fen);
    sqlite3_bind_int64(s, 4, e->balance_after_fen);
    if (e->violation)
        sqlite3_bind_int64(s, 5, e->violation);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_text(s, 6, e->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, e->note, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, e->at);
    sqlite3_bind_int64(s, 9, e->command_seq);
    int rc = sw_sql_done(c, s, err, "append deposit entry");
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
    int r = sqlite3_step(s);
    *seen = r == SQLITE_ROW;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "find payment");
}

int sw_sql_deposit_set_owed(struct sw_conn *c, const char *merchant, int64_t owed_fen, int64_t at,
                            struct sw_error *err)
{
    struct sw_deposit_account a = {0};
    int rc = sw_sql_deposit_account(c, merchant, &a, err);
    return rc ? rc : put_account(c, merchant, a.balance_fen, owed_fen, 0, at, err);
}

int sw_sql_deposit_entries(struct sw_conn *c, const char *merchant, int64_t after, int limit,
                           json_t **rows, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid, kind, amount_fen, balance_after_fen, violation,"
                                   " ref, note, at FROM deposit_entries WHERE merchant = ?1 AND"
                                   " rid > ?2 ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, limit);
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack(
            "{s:I,s:s,s:I,s:I,s:I}", "seq", (json_int_t)sqlite3_column_int64(s, 0), "kind",
            (const char *)sqlite3_column_text(s, 1), "amount_fen",
            (json_int_t)sqlite3_column_int64(s, 2), "balance_after_fen",
            (json_int_t)sqlite3_column_int64(s, 3), "at", (json_int_t)sqlite3_column_int64(s, 7));
        if (sqlite3_column_type(s, 4) != SQLITE_NULL)
            json_object_set_new(o, "violation_rid", json_integer(sqlite3_column_int64(s, 4)));
        if (sqlite3_column_type(s, 5) != SQLITE_NULL)
            json_object_set_new(o, "ref", json_string((const char *)sqlite3_column_text(s, 5)));
        if (sqlite3_column_type(s, 6) != SQLITE_NULL)
            json_object_set_new(o, "note", json_string((const char *)sqlite3_column_text(s, 6)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, "list deposit entries");
    }
    *rows = arr;
    return SW_OK;
}

/* ---------- appeals ---------- */

#define APPEAL_COLS                                                                                \
    "rid, violation, merchant, nth, status, reason, evidence, note, overdue, created_at, due_at,"  \
    " decided_at, decided_by"

static void bind_appeal(sqlite3_stmt *s, const struct sw_appeal_row *a)
{
    sqlite3_bind_int64(s, 2, a->violation);
    sqlite3_bind_text(s, 3, a->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, a->nth);
    sqlite3_bind_text(s, 5, a->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, a->reason ? a->reason : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, sw_json_dump(a->evidence), -1, free);
    sqlite3_bind_text(s, 8, a->note, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 9, a->overdue);
    sqlite3_bind_int64(s, 10, a->created_at);
    sqlite3_bind_int64(s, 11, a->due_at);
    bind_opt_time(s, 12, a->decided_at);
    sqlite3_bind_text(s, 13, a->decided_by[0] ? a->decided_by : NULL, -1, SQLITE_STATIC);
}

int sw_sql_appeal_insert(struct sw_conn *c, struct sw_appeal_row *a, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO appeals(" APPEAL_COLS ") VALUES (NULL,?2,?3,?4,?5,"
                                   "?6,?7,?8,?9,?10,?11,?12,?13)",
                                   err);
    if (!s)
        return err->code;
    bind_appeal(s, a);
    int rc = sw_sql_done(c, s, err, "insert appeal");
    if (rc == SW_OK)
        a->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_appeal_update(struct sw_conn *c, const struct sw_appeal_row *a, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c,
                     "UPDATE appeals SET violation=?2, merchant=?3, nth=?4, status=?5,"
                     " reason=?6, evidence=?7, note=?8, overdue=?9, created_at=?10,"
                     " due_at=?11, decided_at=?12, decided_by=?13 WHERE rid=?1",
                     err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, a->rid);
    bind_appeal(s, a);
    return sw_sql_done(c, s, err, "update appeal");
}

int sw_sql_appeal_get(struct sw_conn *c, int64_t rid, struct sw_appeal_row *a, bool *found,
                      struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " APPEAL_COLS " FROM appeals WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found) {
        a->rid = sqlite3_column_int64(s, 0);
        a->violation = sqlite3_column_int64(s, 1);
        sw_sql_text(s, 2, a->merchant, sizeof a->merchant);
        a->nth = sqlite3_column_int64(s, 3);
        sw_sql_text(s, 4, a->status, sizeof a->status);
        a->reason = strdup((const char *)sqlite3_column_text(s, 5));
        a->evidence = json_loads((const char *)sqlite3_column_text(s, 6), 0, NULL);
        if (!a->evidence)
            a->evidence = json_array();
        const char *note = (const char *)sqlite3_column_text(s, 7);
        a->note = note ? strdup(note) : NULL;
        a->overdue = sqlite3_column_int(s, 8);
        a->created_at = sqlite3_column_int64(s, 9);
        a->due_at = sqlite3_column_int64(s, 10);
        a->decided_at = sqlite3_column_int64(s, 11);
        sw_sql_text(s, 12, a->decided_by, sizeof a->decided_by);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get appeal");
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
    free(a->reason);
    free(a->note);
    json_decref(a->evidence);
    a->reason = a->note = NULL;
    a->evidence = NULL;
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
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW) {
        *pending = sqlite3_column_int64(s, 0);
        *open = sqlite3_column_int64(s, 1);
        *overdue = sqlite3_column_int64(s, 2);
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, "count the queue");
}
