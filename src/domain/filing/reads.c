/* Reads of the filing module, on read connections. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/filing/filing_int.h"

#define PAGE_MAX 200

static int filing_load(struct sw_conn *c, const char *id, const char *viewer,
                       struct sw_filing_row *f, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw__filing_parse_id("f", id, &rid) && (rc = sw_sql_filing_get(c, rid, f, &found, err)))
        return rc;
    if (found && !sw__filing_visible(viewer, f->merchant, f->streamer, NULL)) {
        sw_filing_row_release(f);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown filing '%s'", id);
}

int sw_filing_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                  struct sw_error *err)
{
    struct sw_filing_row f = {0};
    int rc = filing_load(c, id, viewer, &f, err);
    if (rc)
        return rc;
    *out = sw__filing_render(&f);
    sw_actor_redact(*out, viewer);
    sw_filing_row_release(&f);
    return SW_OK;
}

int sw_filing_history(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                      struct sw_error *err)
{
    struct sw_filing_row f = {0};
    int rc = filing_load(c, id, viewer, &f, err);
    if (rc)
        return rc;
    *out = json_pack("{s:s,s:s,s:O,s:I}", "id", id, "status", f.status, "history", f.history,
                     "version", (json_int_t)f.version);
    sw_actor_redact(*out, viewer);
    sw_filing_row_release(&f);
    return SW_OK;
}

/* The viewer's own scope replaces the filter it would set. */
static void scope(const char *viewer, const char **merchant, const char **streamer)
{
    const char *own = sw_actor_merchant(viewer), *me = sw_actor_streamer(viewer);
    if (own)
        *merchant = own;
    if (me)
        *streamer = me;
}

static json_t *render_filings(struct sw_filing_row *rows, int n, const char *viewer)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, sw__filing_render(&rows[i]));
        sw_filing_row_release(&rows[i]);
    }
    sw_actor_redact(arr, viewer);
    return arr;
}

/* A cursor is an object the viewer sees; anything else is an unknown cursor, so that no one
 * learns which ids exist beyond what they see. */
static int bad_cursor(const char *after, struct sw_error *err)
{
    return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
}

int sw_filing_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                   json_t **out, struct sw_error *err)
{
    enum sw_filing_status st;
    if (q->status && sw_filing_status_parse(q->status, &st) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", q->status);
    struct sw_filing_filter f = {q->merchant, q->streamer, q->status, q->product};
    scope(viewer, &f.merchant, &f.streamer);
    int64_t cursor = 0;
    if (q->after) {
        struct sw_filing_row a = {0};
        if (filing_load(c, q->after, viewer, &a, err) != SW_OK)
            return bad_cursor(q->after, err);
        cursor = a.rid;
        sw_filing_row_release(&a);
    }
    int limit = q->limit > PAGE_MAX ? PAGE_MAX : q->limit;
    struct sw_filing_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_filing_page(c, &f, cursor, limit + 1, rows, &n, err);
    if (rc == SW_OK) {
        *out = json_object();
        sw_page_set(*out, "filings", render_filings(rows, n, viewer), (size_t)limit, "id");
    }
    free(rows);
    return rc;
}

int sw_filing_in_review(struct sw_conn *c, int limit, json_t **out, struct sw_error *err)
{
    limit = limit > PAGE_MAX ? PAGE_MAX : limit;
    struct sw_filing_row *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    struct sw_filing_filter f = {.status = "reviewing"};
    int n = 0;
    int rc = sw_sql_filing_page(c, &f, 0, limit, rows, &n, err);
    if (rc == SW_OK)
        *out = render_filings(rows, n, NULL);
    free(rows);
    return rc;
}

int sw_filing_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    return sw_sql_filing_in_review_count(c, n, err);
}

int sw_streamer_get(struct sw_conn *c, const struct sw_policy *pol, const char *id, json_t **out,
                    struct sw_error *err)
{
    struct sw_streamer_row s = {0};
    bool found = false;
    int rc = sw_sql_streamer_get(c, id, &s, &found, err);
    if (rc)
        return rc;
    if (found) {
        *out = sw__streamer_render(&s);
        sw_streamer_row_release(&s);
        return SW_OK;
    }
    const struct sw_filing_streamer *p = sw_policy_filing_streamer(pol, id);
    if (!p)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown streamer '%s'", id);
    *out =
        json_pack("{s:s,s:s,s:b,s:o,s:s,s:i,s:n,s:n,s:n}", "id", p->id, "nickname", p->nickname,
                  "designated", 1, "merchant", p->merchant ? json_string(p->merchant) : json_null(),
                  "source", "policy", "version", 0, "created_at", "updated_at", "updated_by");
    return SW_OK;
}

/* --- distributions --- */

static int distribution_load(struct sw_conn *c, const char *id, const char *viewer,
                             struct sw_distribution_row *d, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw__filing_parse_id("d", id, &rid) &&
        (rc = sw_sql_distribution_get(c, rid, d, &found, err)))
        return rc;
    if (found && !sw__filing_visible(viewer, d->merchant, d->streamer, NULL)) {
        sw_distribution_row_release(d);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown distribution '%s'", id);
}

int sw_distribution_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                        struct sw_error *err)
{
    struct sw_distribution_row d = {0};
    int rc = distribution_load(c, id, viewer, &d, err);
    if (rc)
        return rc;
    *out = sw__distribution_render(&d);
    sw_actor_redact(*out, viewer);
    sw_distribution_row_release(&d);
    return SW_OK;
}

int sw_distribution_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                         json_t **out, struct sw_error *err)
{
    struct sw_party_filter f = {q->merchant, q->streamer};
    scope(viewer, &f.merchant, &f.streamer);
    int64_t cursor = 0;
    if (q->after) {
        struct sw_distribution_row a = {0};
        if (distribution_load(c, q->after, viewer, &a, err) != SW_OK)
            return bad_cursor(q->after, err);
        cursor = a.rid;
        sw_distribution_row_release(&a);
    }
    int limit = q->limit > PAGE_MAX ? PAGE_MAX : q->limit;
    struct sw_distribution_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_distribution_page(c, &f, cursor, limit + 1, rows, &n, err);
    if (rc == SW_OK) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            json_array_append_new(arr, sw__distribution_render(&rows[i]));
            sw_distribution_row_release(&rows[i]);
        }
        sw_actor_redact(arr, viewer);
        *out = json_object();
        sw_page_set(*out, "distributions", arr, (size_t)limit, "id");
    }
    free(rows);
    return rc;
}

/* --- live sessions --- */

static int session_load(struct sw_conn *c, const char *id, const char *viewer,
                        struct sw_session_row *s, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc;
    if (sw__filing_parse_id("ls", id, &rid) && (rc = sw_sql_session_get(c, rid, s, &found, err)))
        return rc;
    if (found &&
        !sw__filing_visible(viewer, s->merchant, s->streamer, s->partner[0] ? s->partner : NULL)) {
        sw_session_row_release(s);
        found = false;
    }
    return found ? SW_OK : sw_fail(err, SW_E_NOT_FOUND, "id", "unknown live session '%s'", id);
}

int sw_live_session_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                        struct sw_error *err)
{
    struct sw_session_row s = {0};
    int rc = session_load(c, id, viewer, &s, err);
    if (rc == SW_OK && (rc = sw__session_full(c, &s, out, err)) == SW_OK)
        sw_actor_redact(*out, viewer);
    sw_session_row_release(&s);
    return rc;
}

int sw_live_session_list(struct sw_conn *c, const struct sw_filing_query *q, const char *viewer,
                         json_t **out, struct sw_error *err)
{
    struct sw_party_filter f = {q->merchant, q->streamer};
    scope(viewer, &f.merchant, &f.streamer);
    int64_t cursor = 0;
    if (q->after) {
        struct sw_session_row a = {0};
        if (session_load(c, q->after, viewer, &a, err) != SW_OK)
            return bad_cursor(q->after, err);
        cursor = a.rid;
        sw_session_row_release(&a);
    }
    int limit = q->limit > PAGE_MAX ? PAGE_MAX : q->limit;
    struct sw_session_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_session_page(c, &f, cursor, limit + 1, rows, &n, err);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *one = NULL;
        if (rc == SW_OK && (rc = sw__session_full(c, &rows[i], &one, err)) == SW_OK)
            json_array_append_new(arr, one);
        sw_session_row_release(&rows[i]);
    }
    if (rc == SW_OK) {
        sw_actor_redact(arr, viewer);
        *out = json_object();
        sw_page_set(*out, "live_sessions", arr, (size_t)limit, "id");
    } else {
        json_decref(arr);
    }
    free(rows);
    return rc;
}
