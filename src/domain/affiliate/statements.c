/* Monthly statements (affiliate.h): at 00:00 Asia/Shanghai on the 20th, per promoter, the
 * statement of the month before: every order confirmed in that month or earlier that no
 * statement has settled yet (and no open flag holds), with its settlement commission, plus every
 * pending clawback and correction (ledger.c); those orders become settled, those lines deducted.
 * A statement, once issued, never changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

#define RUN_DAY 20
/* Statements one command issues: a run over more promoters goes on in further commands (a
 * timer due at once), so that no command grows without bound. */
#define STATEMENTS_PER_COMMAND 500
#define TIMER_PREFIX "affiliate.statements:"

/* "YYYY-MM" -> year and month (1-12); false for anything else. */
static bool parse_month(const char *s, int *y, int *m)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return false;
    int v[6];
    for (int i = 0, k = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return false;
        v[k++] = s[i] - '0';
    }
    *y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    *m = v[4] * 10 + v[5];
    return *m >= 1 && *m <= 12;
}

static sw_instant local_midnight(int y, int m, int d)
{
    return sw_days_from_civil(y, m, d) * SW_US_PER_DAY - SW_SHANGHAI_OFFSET_US;
}

static void month_before(int y, int m, int *py, int *pm)
{
    *py = m == 1 ? y - 1 : y;
    *pm = m == 1 ? 12 : m - 1;
}

/* Schedules the run that settles month (y, m): 00:00 local on the 20th of the month after. */
static int schedule(struct sw_ctx *ctx, int y, int m, struct sw_error *err)
{
    char label[8], key[48];
    snprintf(label, sizeof label, "%04d-%02d", y, m);
    snprintf(key, sizeof key, TIMER_PREFIX "%s", label);
    sw_instant due =
        m == 12 ? local_midnight(y + 1, 1, RUN_DAY) : local_midnight(y, m + 1, RUN_DAY);
    return sw_ctx_schedule(ctx, key, due, "affiliate.statements", NULL, NULL,
                           json_pack("{s:s}", "month", label), err);
}

/* Starts the chain of monthly runs: the next run at or after now (a run due this very instant
 * is still to come). Once a run is pending the chain goes on by itself (each run schedules the
 * next), so nothing here schedules again: a month whose run has happened is never run a second
 * time, and what arrives after it (an order reported late, a flag cleared) waits for the next
 * run, which takes every order confirmed in its month or earlier. */
int sw__aff_schedule_statements(struct sw_ctx *ctx, struct sw_error *err)
{
    bool pending = false;
    int rc = sw_sql_aff_run_pending(ctx->conn, &pending, err);
    if (rc || pending)
        return rc;
    int y, m, d;
    sw_civil_from_days(sw_shanghai_day(ctx->now), &y, &m, &d);
    if (ctx->now > local_midnight(y, m, RUN_DAY)) /* this month's run is over: next month's */
        return schedule(ctx, y, m, err);
    int py, pm;
    month_before(y, m, &py, &pm);
    return schedule(ctx, py, pm, err);
}

static int collect(void *arg, const struct sw_aff_line *l, struct sw_error *err)
{
    (void)err;
    json_t *by = arg;
    json_t *p = json_object_get(by, l->promoter);
    if (!p) {
        p = json_array();
        json_object_set_new(by, l->promoter, p);
    }
    json_t *line = l->case_id
                       ? json_pack("{s:s,s:s,s:s,s:I}", "kind", l->kind, "order", l->order, "case",
                                   l->case_id, "amount_fen", (json_int_t)l->amount_fen)
                       : json_pack("{s:s,s:s,s:I}", "kind", l->kind, "order", l->order,
                                   "amount_fen", (json_int_t)l->amount_fen);
    json_array_append_new(p, line);
    return SW_OK;
}

/* The lines a statement takes, in order, and their total: a line that would carry the total
 * past SW_AFF_STATEMENT_MAX_FEN either way is left for the next statement (it stays unsettled
 * or pending), so that a total is always the exact sum of its lines (a promoter with ten
 * thousand lines of 10^15 fen would otherwise wrap a 64-bit total). A new reference. */
static json_t *within_bound(json_t *lines, int64_t *total)
{
    json_t *taken = json_array(), *l;
    size_t i;
    *total = 0;
    json_array_foreach(lines, i, l)
    {
        int64_t t = *total + json_integer_value(json_object_get(l, "amount_fen"));
        if (t > SW_AFF_STATEMENT_MAX_FEN || t < -SW_AFF_STATEMENT_MAX_FEN)
            continue;
        *total = t;
        json_array_append(taken, l);
    }
    return taken;
}

/* Issues one promoter's statement and settles what it lists. */
static int issue(struct sw_ctx *ctx, const char *promoter, const char *month, json_t *lines,
                 json_t *ids, struct sw_error *err)
{
    char id[160];
    snprintf(id, sizeof id, "st-%s-%s", promoter, month);
    if (sw_sql_aff_statement_exists(ctx->conn, id))
        return SW_OK;
    int64_t total = 0;
    size_t i;
    json_t *l;
    lines = within_bound(lines, &total);
    int rc =
        sw_sql_aff_statement_insert(ctx->conn, id, promoter, month, ctx->now, lines, total, err);
    json_array_foreach(lines, i, l)
    {
        const char *order = json_string_value(json_object_get(l, "order"));
        const char *c = json_string_value(json_object_get(l, "case"));
        bool commission = strcmp(json_string_value(json_object_get(l, "kind")), "order") == 0;
        if (rc == SW_OK) /* a correction is the pending line of case "" */
            rc = commission
                     ? sw_sql_aff_settle_order(ctx->conn, order, id,
                                               json_integer_value(json_object_get(l, "amount_fen")),
                                               err)
                     : sw_sql_aff_deduct(ctx->conn, order, c ? c : "", id, err);
        if (rc == SW_OK) /* the statement's event lists them: no event per order */
            rc = sw__aff_refold_as(ctx, order, NULL, false, err);
    }
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, "affiliate.statement_issued", NULL, id,
                         json_pack("{s:s,s:s,s:s,s:o,s:O,s:I}", "id", id, "promoter", promoter,
                                   "month", month, "issued_at", sw_json_instant(ctx->now), "lines",
                                   lines, "total_fen", (json_int_t)total),
                         err);
    if (rc == SW_OK)
        json_array_append_new(ids, json_string(id));
    json_decref(lines);
    return rc;
}

static int run(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *month = NULL;
    struct sw_jfield f[] = {{"month", SW_J_STR, SW_J_REQUIRED, &month, 7, NULL}};
    int rc = sw_json_read(in, "", f, 1, false, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "affiliate.statements is the scheduler's");
    int y = 0, m = 0;
    if (!parse_month(month, &y, &m))
        return sw_fail(err, SW_E_INVALID_VALUE, "month", "month must be YYYY-MM");
    /* confirmed in `month` or earlier: before 00:00 local on the 1st of the month after */
    sw_instant cutoff = m == 12 ? local_midnight(y + 1, 1, 1) : local_midnight(y, m + 1, 1);
    json_t *by = json_object(), *ids = json_array();
    rc = sw_sql_aff_unsettled(ctx->conn, cutoff, collect, by, err);
    const char *promoter;
    json_t *lines;
    bool more = false;
    json_object_foreach(by, promoter, lines)
    {
        char id[160];
        snprintf(id, sizeof id, "st-%s-%s", promoter, month);
        if (json_array_size(ids) == STATEMENTS_PER_COMMAND) {
            more = more || !sw_sql_aff_statement_exists(ctx->conn, id);
            continue;
        }
        if (rc == SW_OK)
            rc = issue(ctx, promoter, month, lines, ids, err);
    }
    json_decref(by);
    if (rc == SW_OK && more) { /* the rest at once, in the next command */
        char key[64];
        snprintf(key, sizeof key, TIMER_PREFIX "%s:%lld", month, (long long)ctx->command_seq);
        rc = sw_ctx_schedule(ctx, key, ctx->now, "affiliate.statements", NULL, NULL,
                             json_pack("{s:s}", "month", month), err);
    } else if (rc == SW_OK) { /* the next month's run, whatever the clock says (a jump over
                               * several 20ths runs each month in turn) */
        rc = schedule(ctx, m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, err);
    }
    if (rc == SW_OK)
        *result = json_pack("{s:s,s:o,s:b}", "month", month, "statements", ids, "more", more);
    else
        json_decref(ids);
    return rc;
}

int sw__aff_statements_register(struct sw_engine *e)
{
    return sw_engine_register(e, "affiliate.statements", run);
}

static json_t *statement_view(json_t *row)
{
    json_object_set_new(row, "issued_at",
                        sw_json_instant(json_integer_value(json_object_get(row, "issued_at"))));
    return row;
}

int sw_affiliate_statements(struct sw_conn *c, const char *promoter, const char *month,
                            const char *after, int limit, json_t **out, struct sw_error *err)
{
    int y = 0, m = 0;
    if (month && !parse_month(month, &y, &m))
        return sw_fail(err, SW_E_INVALID_VALUE, "month", "month must be YYYY-MM");
    limit = limit > 200 ? 200 : limit;
    json_t *rows = NULL;
    int rc = sw_sql_aff_statements(c, NULL, promoter, month, after, limit + 1, &rows, err);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) statement_view(r);
    *out = json_object();
    sw_page_set(*out, "statements", rows, (size_t)limit, "id");
    return SW_OK;
}

int sw_affiliate_statement_get(struct sw_conn *c, const char *id, const char *promoter,
                               json_t **out, struct sw_error *err)
{
    json_t *rows = NULL;
    int rc = sw_sql_aff_statements(c, id, promoter, NULL, NULL, 1, &rows, err);
    if (rc)
        return rc;
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown statement '%s'", id);
    }
    *out = statement_view(json_incref(json_array_get(rows, 0)));
    json_decref(rows);
    return SW_OK;
}

/* One CSV text field (RFC 4180): quoted when it holds a comma, a quote or a line break (quotes
 * doubled), and a field a spreadsheet would run as a formula (= + - @ first) is written with a
 * leading apostrophe, inside quotes. Ids are the feed's: a case id is free text. */
static bool csv_field(struct sw_buf *b, const char *v)
{
    if (!v)
        v = "";
    bool formula =
        v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r';
    if (!formula && !strpbrk(v, ",\"\r\n"))
        return sw_buf_puts(b, v);
    bool ok = sw_buf_puts(b, formula ? "\"'" : "\"");
    for (const char *p = v; ok && *p; p++)
        ok = *p == '"' ? sw_buf_puts(b, "\"\"") : sw_buf_append(b, p, 1);
    return ok && sw_buf_puts(b, "\"");
}

char *sw_affiliate_statement_csv(const json_t *st)
{
    struct sw_buf b;
    sw_buf_init(&b, 0);
    bool ok = sw_buf_puts(&b, "kind,order,case,amount_fen\r\n");
    size_t i;
    json_t *l;
    json_array_foreach(json_object_get(st, "lines"), i, l)
    {
        ok = ok && csv_field(&b, json_string_value(json_object_get(l, "kind"))) &&
             sw_buf_puts(&b, ",") &&
             csv_field(&b, json_string_value(json_object_get(l, "order"))) &&
             sw_buf_puts(&b, ",") && csv_field(&b, json_string_value(json_object_get(l, "case"))) &&
             sw_buf_printf(&b, ",%lld\r\n",
                           (long long)json_integer_value(json_object_get(l, "amount_fen")));
    }
    ok = ok && sw_buf_printf(&b, "total,,,%lld\r\n",
                             (long long)json_integer_value(json_object_get(st, "total_fen")));
    if (!ok) {
        sw_buf_release(&b);
        return NULL;
    }
    return sw_buf_steal(&b);
}
