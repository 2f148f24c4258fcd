#include "store/badge_sql.h"

#include <string.h>

#include "store/rows.h"

#define B(field, kind) SW_COL(struct sw_badge_row, field, kind)
static const struct sw_col badge_cols[] = {
    B(merchant, SW_COL_CHARS),
    B(state, SW_COL_CHARS),
    B(activated_by, SW_COL_CHARS_OR_NULL),
    B(since, SW_COL_INT),
    B(services, SW_COL_JSON_ARRAY),
    B(missing, SW_COL_JSON_ARRAY),
    B(reasons, SW_COL_JSON_ARRAY),
    B(reminder_sent_at, SW_COL_INT_OR_NULL),
    B(reminder_dismissed_at, SW_COL_INT_OR_NULL),
    B(auto_at, SW_COL_INT_OR_NULL),
    B(updated_at, SW_COL_INT),
    B(version, SW_COL_INT),
};
#undef B
static const struct sw_rowdef badge_row = SW_ROWDEF("badge", struct sw_badge_row, badge_cols);
#define BADGE_COLS                                                                                 \
    "merchant, state, activated_by, since, services, missing, reasons, reminder_sent_at,"          \
    " reminder_dismissed_at, auto_at, updated_at, version"

void sw_badge_row_release(struct sw_badge_row *b)
{
    sw_rows_release(&badge_row, b);
}

int sw_sql_badge_get(struct sw_conn *c, const char *merchant, struct sw_badge_row *b, bool *found,
                     struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " BADGE_COLS " FROM badges WHERE merchant = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &badge_row, b, found, err, "get badge");
}

int sw_sql_badge_put(struct sw_conn *c, const struct sw_badge_row *b, struct sw_error *err)
{
    return sw_rows_write(c,
                         "INSERT OR REPLACE INTO badges(" BADGE_COLS
                         ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                         &badge_row, b, err, "write badge");
}

int sw_sql_badge_merchants(struct sw_conn *c, const char *after, int max, char (*out)[72], int *n,
                           struct sw_error *err)
{
    *n = 0;
    sqlite3_stmt *s = sw_conn_stmt(
        c, "SELECT merchant FROM badges WHERE merchant > ?1 ORDER BY merchant LIMIT ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, after ? after : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, max);
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        const char *m = (const char *)sqlite3_column_text(s, 0);
        snprintf(out[(*n)++], 72, "%s", m ? m : "");
    }
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "list badges");
}

#define N(field, kind) SW_COL(struct sw_notification_row, field, kind)
static const struct sw_col notification_cols[] = {
    N(rid, SW_COL_INT), N(merchant, SW_COL_CHARS), N(type, SW_COL_CHARS),
    N(at, SW_COL_INT),  N(message, SW_COL_STR),    N(dismissed_at, SW_COL_INT_OR_NULL),
};
#undef N
static const struct sw_rowdef notification_row =
    SW_ROWDEF("notification", struct sw_notification_row, notification_cols);
#define NOTE_COLS "rid, merchant, type, at, message, dismissed_at"

void sw_notification_row_release(struct sw_notification_row *n)
{
    sw_rows_release(&notification_row, n);
}

int sw_sql_notification_insert(struct sw_conn *c, struct sw_notification_row *n,
                               struct sw_error *err)
{
    return sw_rows_insert(c,
                          "INSERT INTO notifications(" NOTE_COLS
                          ") VALUES (" SW_NEXT_RID("notifications") ",?2,?3,?4,?5,?6)",
                          &notification_row, n, &n->rid, err, "insert notification");
}

int sw_sql_notification_dismiss(struct sw_conn *c, const char *merchant, const char *type,
                                int64_t at, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE notifications SET dismissed_at = ?3 WHERE merchant = ?1"
                                   " AND type = ?2 AND dismissed_at IS NULL",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, at);
    return sw_sql_done(c, s, err, "dismiss notifications");
}

int sw_sql_notification_page(struct sw_conn *c, const char *merchant, int64_t after, int max,
                             struct sw_notification_row *out, int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT " NOTE_COLS " FROM notifications WHERE merchant = ?1"
                                   " AND rid > ?2 ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, merchant, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, max);
    return sw_rows_all(c, s, &notification_row, out, max, n, err, "list notifications");
}
