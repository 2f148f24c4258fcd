/* Reads of the qualification module, on read connections. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/qualification/qualification_int.h"

#define PAGE_MAX 200

int sw_qualification_get(struct sw_conn *c, const char *id, const char *viewer, json_t **out,
                         struct sw_error *err)
{
    int64_t rid;
    struct sw_qualification_row q = {0};
    bool found = false;
    int rc;
    if (sw_qualification_parse_id(id, &rid) &&
        (rc = sw_sql_qualification_get(c, rid, &q, &found, err)))
        return rc;
    const char *own = sw_actor_merchant(viewer);
    if (found && own && strcmp(own, q.merchant) != 0) {
        sw_qualification_row_release(&q);
        found = false;
    }
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown qualification '%s'", id);
    *out = sw__qualification_render(&q);
    sw_actor_redact(*out, viewer);
    sw_qualification_row_release(&q);
    return SW_OK;
}

/* A page cursor is a record of the listed store; anything else is an unknown cursor, so that a
 * store cannot learn which ids exist elsewhere. */
static int cursor_of(struct sw_conn *c, const char *after, const char *merchant, int64_t *rid,
                     struct sw_error *err)
{
    struct sw_qualification_row q = {0};
    bool found = false;
    int rc;
    if (sw_qualification_parse_id(after, rid) &&
        (rc = sw_sql_qualification_get(c, *rid, &q, &found, err)))
        return rc;
    bool ok = found && strcmp(q.merchant, merchant) == 0;
    if (found)
        sw_qualification_row_release(&q);
    return ok ? SW_OK : sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
}

static json_t *render_rows(struct sw_qualification_row *rows, int n, const char *viewer)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_array_append_new(arr, sw__qualification_render(&rows[i]));
        sw_qualification_row_release(&rows[i]);
    }
    sw_actor_redact(arr, viewer);
    return arr;
}

int sw_qualification_list(struct sw_conn *c, const char *merchant, const char *status,
                          const char *code, const char *after, int limit, const char *viewer,
                          json_t **out, struct sw_error *err)
{
    enum sw_qualification_status s;
    if (status && sw_qualification_status_parse(status, &s) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, "status", "unknown status '%s'", status);
    int64_t cursor = 0;
    int rc = after ? cursor_of(c, after, merchant, &cursor, err) : SW_OK;
    if (rc)
        return rc;
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    /* limit + 1 read: the extra one only says that there is another page */
    struct sw_qualification_row *rows = calloc((size_t)limit + 1, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    struct sw_qualification_filter f = {.merchant = merchant, .status = status, .code = code};
    int n = 0;
    rc = sw_sql_qualification_page(c, &f, cursor, limit + 1, rows, &n, err);
    if (rc == SW_OK) {
        *out = json_object();
        sw_page_set(*out, "qualifications", render_rows(rows, n, viewer), (size_t)limit, "id");
    }
    free(rows);
    return rc;
}

int sw_qualification_in_review(struct sw_conn *c, int limit, json_t **out, struct sw_error *err)
{
    if (limit > PAGE_MAX)
        limit = PAGE_MAX;
    struct sw_qualification_row *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int n = 0;
    int rc = sw_sql_qualification_in_review(c, limit, rows, &n, err);
    if (rc == SW_OK)
        *out = render_rows(rows, n, NULL);
    free(rows);
    return rc;
}

int sw_qualification_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    return sw_sql_qualification_in_review_count(c, n, err);
}
