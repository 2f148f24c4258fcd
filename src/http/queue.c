/* Who the caller is (GET /v1/me), claims on queue items, internal notes and approvals
 * (docs/queue.md). */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/queue/queue.h"
#include "http/handlers.h"

static const char *role_name(unsigned bit)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{ROLE_ADMIN, "admin"},       {ROLE_OPERATOR, "operator"},
                 {ROLE_MERCHANT, "merchant"}, {ROLE_PROMOTER, "promoter"},
                 {ROLE_APP, "app"},           {ROLE_INGEST, "ingest"},
                 {ROLE_STREAMER, "streamer"}, {ROLE_ANALYST, "analyst"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].bit == bit)
            return names[i].name;
    return "unknown";
}

/* {role, name, merchant_id, key_id, label, permissions}: permissions are the routes this key's
 * role may call, "METHOD /path" in the route table's order (public ones left out). */
int sw__h_me(struct sw_req *r, struct sw_error *err)
{
    (void)err;
    json_t *perms = json_array();
    for (int i = 0; i < sw__routes_count; i++) {
        const struct route *rt = &sw__routes[i];
        if ((rt->roles & r->role_bit) && !(rt->roles & ROLE_PUBLIC)) {
            char s[160];
            snprintf(s, sizeof s, "%s %s", rt->method, rt->pattern);
            json_array_append_new(perms, json_string(s));
        }
    }
    const char *name = r->scope ? r->scope : r->key_id;
    r->resp = json_pack("{s:s,s:s,s:s?,s:s,s:s?,s:s,s:o}", "role", role_name(r->role_bit), "name",
                        name, "merchant_id", r->role_bit == ROLE_MERCHANT ? r->scope : NULL,
                        "key_id", r->key_id, "label", r->key_label[0] ? r->key_label : NULL,
                        "key_role", r->role, "permissions", perms);
    return SW_OK;
}

static int64_t now_of(struct sw_req *r)
{
    return sw_clock_now(sw_engine_clock(r->engine));
}

int sw__h_claims_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    r->result_on_top = true; /* {item, holder, until} at the top and in result */
    snprintf(r->location, sizeof r->location, "/v1/queue/claims"); /* the live claims */
    return sw__run_command(r, "queue.claim", payload, 201, err);
}

int sw__h_claim_delete(struct sw_req *r, struct sw_error *err)
{
    if (r->body.len > 0)
        return sw_fail(err, SW_E_BAD_REQUEST, NULL, "DELETE takes no body");
    if (!sw_id_valid(r->params[0]))
        return sw_fail(err, SW_E_NOT_FOUND, "item", "'%s' is not claimed", r->params[0]);
    return sw__run_command(r, "queue.release", json_pack("{s:s}", "item", r->params[0]), 200, err);
}

int sw__h_claims_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_queue_claims(c, now_of(r), sw__query_str(r, "after"), (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_notes_create(struct sw_req *r, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    /* the notes on the subject (a note has no read of its own); sent only with a 201, when
     * the subject is a valid id */
    const char *subject = json_string_value(json_object_get(payload, "subject"));
    if (subject && sw_id_valid(subject))
        snprintf(r->location, sizeof r->location, "/v1/notes?subject=%s", subject);
    return sw__run_command(r, "note.add", payload, 201, err);
}

int sw__h_notes_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    const char *subject = sw__query_str(r, "subject");
    if (!subject)
        return sw_fail(err, SW_E_MISSING_FIELD, "subject", "'subject' is required");
    if (!sw_id_valid(subject))
        return sw_fail(err, SW_E_INVALID_VALUE, "subject", "'subject' must be an id");
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_queue_notes(c, subject, sw__query_str(r, "after"), (int)limit, &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_approvals_list(struct sw_req *r, struct sw_error *err)
{
    int64_t limit = PAGE_DEFAULT;
    int rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, &limit, err);
    if (rc)
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    rc = sw_queue_approvals(c, sw__query_str(r, "status"), sw__query_str(r, "after"), (int)limit,
                            &r->resp, err);
    if (rc == SW_OK)
        rc = sw_queue_annotate(c, now_of(r), json_object_get(r->resp, "approvals"), err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__h_approval_get(struct sw_req *r, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(r->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_queue_get_approval(c, r->params[0], &r->resp, err);
    sw_pool_release(pool, c);
    return rc;
}

int sw__queue_annotate(struct sw_req *r, struct sw_conn *c, json_t *items, struct sw_error *err)
{
    if (sw__viewer(r) || r->role_bit == ROLE_PROMOTER || r->role_bit == ROLE_STREAMER ||
        r->role_bit == ROLE_APP)
        return SW_OK;
    return sw_queue_annotate(c, now_of(r), items, err);
}

int sw__queue_counts(struct sw_req *r, struct sw_conn *c, struct sw_error *err)
{
    int64_t n = 0;
    int rc = sw_queue_approvals_pending(c, &n, err);
    if (rc)
        return rc;
    json_object_set_new(r->resp, "approvals_pending", json_integer(n));
    static const char *const lists[] = {"pending_violations",    "open_appeals",
                                        "rectification_reports", "qualifications_in_review",
                                        "filings_in_review",     "affiliate_alerts"};
    for (size_t i = 0; rc == SW_OK && i < sizeof lists / sizeof lists[0]; i++)
        rc = sw__queue_annotate(r, c, json_object_get(r->resp, lists[i]), err);
    return rc;
}
