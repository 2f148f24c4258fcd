#include "store/filing_sql.h"

#include <string.h>

#include "store/rows.h"

/* --- streamers --- */

#define C(field, kind) SW_COL(struct sw_streamer_row, field, kind)
static const struct sw_col streamer_cols[] = {
    C(id, SW_COL_CHARS),
    C(nickname, SW_COL_CHARS),
    C(designated, SW_COL_BOOL),
    C(merchant, SW_COL_CHARS_OR_NULL),
    C(updated_by, SW_COL_JSON_OR_NULL),
    C(created_at, SW_COL_INT),
    C(updated_at, SW_COL_INT),
    C(version, SW_COL_INT),
};
#undef C
static const struct sw_rowdef streamer_row =
    SW_ROWDEF("streamer", struct sw_streamer_row, streamer_cols);
#define STREAMER_COLS                                                                              \
    "id, nickname, designated, merchant, updated_by, created_at, updated_at, version"

void sw_streamer_row_release(struct sw_streamer_row *s)
{
    sw_rows_release(&streamer_row, s);
}

int sw_sql_streamer_get(struct sw_conn *c, const char *id, struct sw_streamer_row *s, bool *found,
                        struct sw_error *err)
{
    sqlite3_stmt *st =
        sw_conn_stmt(c, "SELECT " STREAMER_COLS " FROM streamers WHERE id = ?1", err);
    if (!st)
        return err->code;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return sw_rows_get(c, st, &streamer_row, s, found, err, "get streamer");
}

int sw_sql_streamer_insert(struct sw_conn *c, const struct sw_streamer_row *s, struct sw_error *err)
{
    return sw_rows_write(
        c, "INSERT INTO streamers(" STREAMER_COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
        &streamer_row, s, err, "insert streamer");
}

int sw_sql_streamer_update(struct sw_conn *c, const struct sw_streamer_row *s, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE streamers SET nickname=?2, designated=?3, merchant=?4,"
                         " updated_by=?5, updated_at=?7, version=?8 WHERE id=?1",
                         &streamer_row, s, err, "update streamer");
}

int sw_sql_streamers_of_store(struct sw_conn *c, const char *merchant, int max,
                              struct sw_streamer_row *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " STREAMER_COLS " FROM streamers WHERE merchant = ?1"
                                   " ORDER BY id LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, max);
    return sw_rows_all(c, s, &streamer_row, out, max, n, err, "list a store's streamers");
}

/* --- filing records --- */

#define F(field, kind) SW_COL(struct sw_filing_row, field, kind)
static const struct sw_col filing_cols[] = {
    F(rid, SW_COL_INT),
    F(merchant, SW_COL_CHARS),
    F(product, SW_COL_CHARS),
    F(streamer, SW_COL_CHARS),
    F(nickname, SW_COL_CHARS),
    F(status, SW_COL_CHARS),
    F(reasons, SW_COL_JSON_ARRAY),
    F(required, SW_COL_JSON_ARRAY),
    F(documents, SW_COL_JSON_ARRAY),
    F(history, SW_COL_JSON_ARRAY),
    F(submitted_at, SW_COL_INT_OR_NULL),
    F(submitted_by, SW_COL_JSON_OR_NULL),
    F(decided_at, SW_COL_INT_OR_NULL),
    F(decided_by, SW_COL_JSON_OR_NULL),
    F(note, SW_COL_STR_OR_NULL),
    F(created_at, SW_COL_INT),
    F(updated_at, SW_COL_INT),
    F(version, SW_COL_INT),
};
#undef F
static const struct sw_rowdef filing_row = SW_ROWDEF("filing", struct sw_filing_row, filing_cols);
#define FILING_COLS                                                                                \
    "rid, merchant, product, streamer, nickname, status, reasons, required, documents, history,"   \
    " submitted_at, submitted_by, decided_at, decided_by, note, created_at, updated_at, version"

void sw_filing_row_release(struct sw_filing_row *f)
{
    sw_rows_release(&filing_row, f);
}

int sw_sql_filing_insert(struct sw_conn *c, struct sw_filing_row *f, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO filings(" FILING_COLS ") VALUES (" SW_NEXT_RID(
                              "filings") ",?2,?3,?4,?5,?6,?7,?8,"
                                         "?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)",
                          &filing_row, f, &f->rid, err, "insert filing");
}

int sw_sql_filing_update(struct sw_conn *c, const struct sw_filing_row *f, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE filings SET nickname=?5, status=?6, reasons=?7, required=?8,"
                         " documents=?9, history=?10, submitted_at=?11, submitted_by=?12,"
                         " decided_at=?13, decided_by=?14, note=?15, updated_at=?17, version=?18"
                         " WHERE rid=?1",
                         &filing_row, f, err, "update filing");
}

int sw_sql_filing_get(struct sw_conn *c, int64_t rid, struct sw_filing_row *f, bool *found,
                      struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " FILING_COLS " FROM filings WHERE rid = ?1", rid,
                           &filing_row, f, found, err, "get filing");
}

int sw_sql_filing_find(struct sw_conn *c, const char *product, const char *streamer,
                       struct sw_filing_row *f, bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT " FILING_COLS " FROM filings WHERE product = ?1 AND streamer = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, product, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, streamer, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &filing_row, f, found, err, "find filing");
}

int sw_sql_filing_rids_of_product(struct sw_conn *c, const char *product, int64_t after, int max,
                                  int64_t *out, int *n, struct sw_error *err)
{
    *n = 0;
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM filings WHERE product = ?1 AND rid > ?2"
                                   " ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, product, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, max);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
        out[(*n)++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sw_fail(err, SW_E_STORAGE_FAILED, NULL, "list a product's filings: %s",
                       sqlite3_errstr(rc));
    return SW_OK;
}

int sw_sql_filing_rids_to_rename(struct sw_conn *c, const char *streamer, const char *nickname,
                                 int64_t after, int max, int64_t *out, int *n, struct sw_error *err)
{
    *n = 0;
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM filings WHERE streamer = ?1 AND rid > ?3"
                                   " AND nickname <> ?2 ORDER BY rid LIMIT ?4",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, streamer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, nickname, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, after);
    sqlite3_bind_int(s, 4, max);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max)
        out[(*n)++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sw_fail(err, SW_E_STORAGE_FAILED, NULL, "list a streamer's filings: %s",
                       sqlite3_errstr(rc));
    return SW_OK;
}

/* One statement per leading filter, so that each walks its own index. */
#define FILING_FILTERS                                                                             \
    " AND (?2 IS NULL OR merchant = ?2) AND (?3 IS NULL OR streamer = ?3)"                         \
    " AND (?4 IS NULL OR status = ?4) AND (?5 IS NULL OR product = ?5)"
static const char *const filing_pages[] = {
    "SELECT " FILING_COLS " FROM filings WHERE merchant = ?2 AND rid > ?1" FILING_FILTERS
    " ORDER BY rid LIMIT ?6",
    "SELECT " FILING_COLS " FROM filings WHERE streamer = ?3 AND rid > ?1" FILING_FILTERS
    " ORDER BY rid LIMIT ?6",
    "SELECT " FILING_COLS " FROM filings WHERE rid > ?1" FILING_FILTERS " ORDER BY rid LIMIT ?6",
    /* the review queue: oldest submission first */
    "SELECT " FILING_COLS " FROM filings WHERE status = 'reviewing' AND (?1 = 0 OR"
    " (submitted_at, rid) > (SELECT submitted_at, rid FROM filings WHERE rid = ?1))" FILING_FILTERS
    " ORDER BY submitted_at, rid LIMIT ?6",
};

int sw_sql_filing_page(struct sw_conn *c, const struct sw_filing_filter *f, int64_t after, int max,
                       struct sw_filing_row *out, int *n, struct sw_error *err)
{
    int which = f->status && strcmp(f->status, "reviewing") == 0 ? 3
                : f->merchant                                    ? 0
                : f->streamer                                    ? 1
                                                                 : 2;
    sqlite3_stmt *s = sw_conn_stmt(c, filing_pages[which], err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sw_sql_bind_text_or_null(s, 2, f->merchant);
    sw_sql_bind_text_or_null(s, 3, f->streamer);
    sw_sql_bind_text_or_null(s, 4, f->status);
    sw_sql_bind_text_or_null(s, 5, f->product);
    sqlite3_bind_int(s, 6, max);
    return sw_rows_all(c, s, &filing_row, out, max, n, err, "list filings");
}

int sw_sql_filing_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT COUNT(*) FROM filings WHERE status = 'reviewing'", err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {n};
    return sw_sql_row_ints(c, s, outs, 1, err, "count filings in review");
}

/* --- distributions --- */

#define D(field, kind) SW_COL(struct sw_distribution_row, field, kind)
static const struct sw_col distribution_cols[] = {
    D(rid, SW_COL_INT),
    D(streamer, SW_COL_CHARS),
    D(nickname, SW_COL_CHARS_OR_NULL),
    D(product, SW_COL_CHARS),
    D(merchant, SW_COL_CHARS),
    D(filing, SW_COL_INT_OR_NULL),
    D(created_by, SW_COL_JSON_OR_NULL),
    D(created_at, SW_COL_INT),
};
#undef D
static const struct sw_rowdef distribution_row =
    SW_ROWDEF("distribution", struct sw_distribution_row, distribution_cols);
#define DIST_COLS "rid, streamer, nickname, product, merchant, filing, created_by, created_at"

void sw_distribution_row_release(struct sw_distribution_row *d)
{
    sw_rows_release(&distribution_row, d);
}

int sw_sql_distribution_insert(struct sw_conn *c, struct sw_distribution_row *d,
                               struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO distributions(" DIST_COLS
                          ") VALUES (" SW_NEXT_RID("distributions") ",?2,?3,?4,?5,?6,?7,"
                                                                    "?8)",
                          &distribution_row, d, &d->rid, err, "insert distribution");
}

int sw_sql_distribution_get(struct sw_conn *c, int64_t rid, struct sw_distribution_row *d,
                            bool *found, struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " DIST_COLS " FROM distributions WHERE rid = ?1", rid,
                           &distribution_row, d, found, err, "get distribution");
}

int sw_sql_distribution_find(struct sw_conn *c, const char *streamer, const char *product,
                             struct sw_distribution_row *d, bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT " DIST_COLS " FROM distributions WHERE streamer = ?1 AND product = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, streamer, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, product, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &distribution_row, d, found, err, "find distribution");
}

int sw_sql_distribution_set_filing(struct sw_conn *c, int64_t rid, int64_t filing,
                                   struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "UPDATE distributions SET filing = ?2 WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    sqlite3_bind_int64(s, 2, filing);
    return sw_sql_done(c, s, err, "link distribution");
}

#define PARTY_FILTERS " AND (?2 IS NULL OR merchant = ?2)"
static const char *const distribution_pages[] = {
    "SELECT " DIST_COLS " FROM distributions WHERE merchant = ?2 AND rid > ?1"
    " AND (?3 IS NULL OR streamer = ?3) ORDER BY rid LIMIT ?4",
    "SELECT " DIST_COLS " FROM distributions WHERE streamer = ?3 AND rid > ?1" PARTY_FILTERS
    " ORDER BY rid LIMIT ?4",
    "SELECT " DIST_COLS " FROM distributions WHERE rid > ?1 ORDER BY rid LIMIT ?4",
};

static sqlite3_stmt *party_page(struct sw_conn *c, const char *const sql[3],
                                const struct sw_party_filter *f, int64_t after, int max,
                                struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql[f->merchant ? 0 : f->streamer ? 1 : 2], err);
    if (!s)
        return NULL;
    sqlite3_bind_int64(s, 1, after);
    sw_sql_bind_text_or_null(s, 2, f->merchant);
    sw_sql_bind_text_or_null(s, 3, f->streamer);
    sqlite3_bind_int(s, 4, max);
    return s;
}

int sw_sql_distribution_page(struct sw_conn *c, const struct sw_party_filter *f, int64_t after,
                             int max, struct sw_distribution_row *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = party_page(c, distribution_pages, f, after, max, err);
    return s ? sw_rows_all(c, s, &distribution_row, out, max, n, err, "list distributions")
             : err->code;
}

/* --- live sessions --- */

#define S(field, kind) SW_COL(struct sw_session_row, field, kind)
static const struct sw_col session_cols[] = {
    S(rid, SW_COL_INT),         S(merchant, SW_COL_CHARS),
    S(streamer, SW_COL_CHARS),  S(partner, SW_COL_CHARS_OR_NULL),
    S(start_at, SW_COL_INT),    S(doc, SW_COL_JSON_OBJECT),
    S(cart, SW_COL_JSON_ARRAY), S(created_by, SW_COL_JSON_OR_NULL),
    S(created_at, SW_COL_INT),  S(updated_at, SW_COL_INT),
    S(version, SW_COL_INT),
};
#undef S
static const struct sw_rowdef session_row =
    SW_ROWDEF("live session", struct sw_session_row, session_cols);
#define SESSION_COLS                                                                               \
    "rid, merchant, streamer, partner, start_at, doc, cart, created_by, created_at, updated_at,"   \
    " version"

void sw_session_row_release(struct sw_session_row *s)
{
    sw_rows_release(&session_row, s);
}

int sw_sql_session_insert(struct sw_conn *c, struct sw_session_row *s, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO live_sessions(" SESSION_COLS
                          ") VALUES (" SW_NEXT_RID("live_sessions") ",?2,?3,?4,?5,?6,"
                                                                    "?7,?8,?9,?10,?11)",
                          &session_row, s, &s->rid, err, "insert live session");
}

int sw_sql_session_update(struct sw_conn *c, const struct sw_session_row *s, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE live_sessions SET doc=?6, cart=?7, updated_at=?10, version=?11"
                         " WHERE rid=?1",
                         &session_row, s, err, "update live session");
}

int sw_sql_session_get(struct sw_conn *c, int64_t rid, struct sw_session_row *s, bool *found,
                       struct sw_error *err)
{
    return sw_rows_get_rid(c, "SELECT " SESSION_COLS " FROM live_sessions WHERE rid = ?1", rid,
                           &session_row, s, found, err, "get live session");
}

static const char *const session_pages[] = {
    "SELECT " SESSION_COLS " FROM live_sessions WHERE merchant = ?2 AND rid > ?1"
    " AND (?3 IS NULL OR streamer = ?3 OR partner = ?3) ORDER BY rid LIMIT ?4",
    "SELECT " SESSION_COLS " FROM live_sessions WHERE rid IN (SELECT rid FROM live_sessions"
    " WHERE streamer = ?3 AND rid > ?1 UNION SELECT rid FROM live_sessions WHERE partner = ?3"
    " AND rid > ?1)" PARTY_FILTERS " ORDER BY rid LIMIT ?4",
    "SELECT " SESSION_COLS " FROM live_sessions WHERE rid > ?1 ORDER BY rid LIMIT ?4",
};

int sw_sql_session_page(struct sw_conn *c, const struct sw_party_filter *f, int64_t after, int max,
                        struct sw_session_row *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = party_page(c, session_pages, f, after, max, err);
    return s ? sw_rows_all(c, s, &session_row, out, max, n, err, "list live sessions") : err->code;
}

/* --- lottery approvals --- */

#define L(field, kind) SW_COL(struct sw_lottery_row, field, kind)
static const struct sw_col lottery_cols[] = {
    L(rid, SW_COL_INT),
    L(session, SW_COL_INT),
    L(product, SW_COL_CHARS),
    L(note, SW_COL_STR_OR_NULL),
    L(approved_by, SW_COL_JSON_OR_NULL),
    L(approved_at, SW_COL_INT),
};
#undef L
static const struct sw_rowdef lottery_row =
    SW_ROWDEF("lottery approval", struct sw_lottery_row, lottery_cols);
#define LOTTERY_COLS "rid, session, product, note, approved_by, approved_at"

void sw_lottery_row_release(struct sw_lottery_row *l)
{
    sw_rows_release(&lottery_row, l);
}

int sw_sql_lottery_insert(struct sw_conn *c, struct sw_lottery_row *l, struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO lottery_approvals(" LOTTERY_COLS
                          ") VALUES (" SW_NEXT_RID("lottery_approvals") ",?2,?3,?4,"
                                                                        "?5,?6)",
                          &lottery_row, l, &l->rid, err, "insert lottery approval");
}

int sw_sql_lottery_find(struct sw_conn *c, int64_t session, const char *product,
                        struct sw_lottery_row *l, bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " LOTTERY_COLS " FROM lottery_approvals"
                                   " WHERE session = ?1 AND product = ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, session);
    sqlite3_bind_text(s, 2, product, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &lottery_row, l, found, err, "find lottery approval");
}

int sw_sql_lottery_of_session(struct sw_conn *c, int64_t session, int max,
                              struct sw_lottery_row *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " LOTTERY_COLS " FROM lottery_approvals"
                                   " WHERE session = ?1 ORDER BY rid LIMIT ?2",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, session);
    sqlite3_bind_int(s, 2, max);
    return sw_rows_all(c, s, &lottery_row, out, max, n, err, "list lottery approvals");
}
