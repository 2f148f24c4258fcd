/* Reads of claims, notes and approvals, and the module's registration. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/queue/queue_int.h"

int sw_queue_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw__queue_claims_register(e)) || (rc = sw__queue_approvals_register(e)))
        return rc;
    return SW_OK;
}

bool sw_queue_store_sees_event(const char *type)
{
    return strncmp(type, "queue.", 6) != 0 && strncmp(type, "note.", 5) != 0 &&
           strncmp(type, "approval.", 9) != 0;
}

int sw_queue_claims(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                    struct sw_error *err)
{
    json_t *items = NULL;
    int rc = sw_sql_claims_live(c, now, after, limit + 1, &items, err);
    if (rc)
        return rc;
    *out = json_object();
    sw_page_set(*out, "claims", items, (size_t)limit, "item");
    return SW_OK;
}

int sw_queue_annotate(struct sw_conn *c, int64_t now, json_t *items, struct sw_error *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *id = json_string_value(json_object_get(it, "id"));
        if (!id)
            continue;
        struct sw_claim_row row = {0};
        bool found;
        int rc = sw_sql_claim_get(c, id, now, &row, &found, err);
        if (rc)
            return rc;
        json_object_set_new(it, "claimed_by", found ? json_string(row.holder) : json_null());
        json_object_set_new(it, "claimed_until",
                            found ? sw_json_instant(row.until_us) : json_null());
        json_decref(row.doc);
    }
    return SW_OK;
}

static int after_rid(const char *after, char prefix, int64_t *rid, struct sw_error *err)
{
    *rid = 0;
    if (after && !sw_id_parse_numbered(after, prefix, rid))
        return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    return SW_OK;
}

int sw_queue_notes(struct sw_conn *c, const char *subject, const char *after, int limit,
                   json_t **out, struct sw_error *err)
{
    int64_t from;
    json_t *rows = NULL;
    int rc = after_rid(after, 'n', &from, err);
    if (rc || (rc = sw_sql_notes(c, subject, from, limit + 1, &rows, err)))
        return rc;
    size_t i;
    json_t *n;
    json_t *notes = json_array();
    json_array_foreach(rows, i, n)
    {
        char id[24];
        snprintf(id, sizeof id, "n%lld", (long long)json_integer_value(json_object_get(n, "rid")));
        json_array_append_new(notes,
                              json_pack("{s:s,s:s,s:O,s:O,s:O}", "id", id, "subject", subject,
                                        "text", json_object_get(n, "text"), "by",
                                        json_object_get(n, "by"), "at", json_object_get(n, "at")));
    }
    json_decref(rows);
    *out = json_object();
    sw_page_set(*out, "notes", notes, (size_t)limit, "id");
    return SW_OK;
}

static int approval_json(struct sw_conn *c, int64_t rid, json_t **out, bool *found,
                         struct sw_error *err)
{
    struct sw_approval_row a = {0};
    int rc = sw_sql_approval_get(c, rid, &a, found, err);
    if (rc == SW_OK && *found)
        *out = sw__approval_render(&a);
    sw_approval_row_release(&a);
    return rc;
}

int sw_queue_get_approval(struct sw_conn *c, const char *id, json_t **out, struct sw_error *err)
{
    int64_t rid;
    bool found = false;
    int rc = SW_OK;
    if (strncmp(id, "ap", 2) == 0 && sw_id_parse_numbered(id + 1, 'p', &rid))
        rc = approval_json(c, rid, out, &found, err);
    if (rc == SW_OK && !found)
        rc = sw_fail(err, SW_E_NOT_FOUND, "id", "unknown approval '%s'", id);
    return rc;
}

int sw_queue_approvals(struct sw_conn *c, const char *status, const char *after, int limit,
                       json_t **out, struct sw_error *err)
{
    static const char *const statuses[] = {"pending", "approved", "rejected"};
    bool ok = !status;
    for (size_t i = 0; i < 3 && !ok; i++)
        ok = strcmp(status, statuses[i]) == 0;
    if (!ok)
        return sw_fail(err, SW_E_INVALID_VALUE, "status",
                       "'status' must be pending, approved or rejected");
    int64_t from = 0;
    if (after && !(strncmp(after, "ap", 2) == 0 && sw_id_parse_numbered(after + 1, 'p', &from)))
        return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    int64_t rids[201];
    int n = 0;
    int rc = sw_sql_approval_rids(c, status ? status : "pending", from, limit + 1, rids, &n, err);
    json_t *items = json_array();
    for (int i = 0; rc == SW_OK && i < n; i++) {
        json_t *o = NULL;
        bool found;
        rc = approval_json(c, rids[i], &o, &found, err);
        if (o)
            json_array_append_new(items, o);
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    *out = json_object();
    sw_page_set(*out, "approvals", items, (size_t)limit, "id");
    return SW_OK;
}

int sw_queue_approvals_pending(struct sw_conn *c, int64_t *n, struct sw_error *err)
{
    return sw_sql_approvals_pending(c, n, err);
}
