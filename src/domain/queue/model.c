/* The operator queue (GET /v1/queue) as a read model of events, for cluster mode
 * (docs/scale-out.md, "Read models"): a node keeps it from every partition's events, in each
 * partition's order, and answers the queue across stores without asking the partitions.
 *
 * Which event moves which item: the events of violations, appeals, qualifications, filings and
 * approvals carry the object as a read renders it (its id the event's subject). Each such event
 * puts the object on the list its status now says, or takes it off:
 *   violation     status pending                                  -> pending (by id)
 *                 status in_force, penalty.rectification submitted -> report (by id)
 *   appeal        status open          -> appeal (overdue first, then by due_at, then id)
 *   qualification status reviewing     -> qualification (by submitted_at, then id)
 *   filing        status reviewing     -> filing (by submitted_at, then id)
 *   approval      status pending       -> approval (counted)
 * A deduction that pays what a listed violation owed (after a top-up) moves its penalty's
 * deducted_fen and owed_fen, as the deposit ledger does (deposit.deducted names it).
 * An appeal's events also change its violation's `appeals` (filed, open, left) and
 * `last_appeal`, which no violation event carries unless the appeal ends it (violation.final,
 * violation.overturned): the model changes a listed violation's copy as the penalty module
 * changes the violation (src/domain/penalty/appeals.c).
 * A product's events carry its version (what a queued violation's product_version_now shows);
 * queue.claimed / queue.released hold and drop a claim, which lapses at its end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "domain/queue/queue.h"
#include "store/queue_view_sql.h"

/* The number of a generated id ("v3000000000005" -> 3000000000005): its letters, then 1 to 18
 * digits, the first not 0; 0 for another id. */
static int64_t id_number(const char *id)
{
    while (*id >= 'a' && *id <= 'z')
        id++;
    size_t digits = strspn(id, "0123456789");
    if (digits == 0 || digits > 18 || id[digits] || id[0] == '0')
        return 0;
    int64_t n = 0;
    for (; *id; id++)
        n = n * 10 + (*id - '0');
    return n;
}

/* An instant of a document (RFC 3339) in microseconds, for ordering; 0 when absent. */
static int64_t instant_of(const json_t *doc, const char *key)
{
    const char *s = sw_json_str_or_empty(doc, key);
    sw_instant t = 0;
    struct sw_error ignored;
    return *s && sw_instant_parse(s, strlen(s), &t, &ignored) == SW_OK ? t : 0;
}

static bool str_is(const json_t *o, const char *key, const char *want)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v && strcmp(v, want) == 0;
}

/* The list an object's document puts it on (NULL: none), and its order there. */
static const char *list_of(const char *kind, const json_t *doc, int64_t *rank, int64_t *at)
{
    *rank = 0;
    *at = 0;
    if (strcmp(kind, "violation") == 0) {
        if (str_is(doc, "status", "pending"))
            return "pending";
        if (str_is(doc, "status", "in_force") &&
            str_is(json_object_get(doc, "penalty"), "rectification", "submitted"))
            return "report";
        return NULL;
    }
    if (strcmp(kind, "appeal") == 0) {
        *rank = json_is_true(json_object_get(doc, "overdue"));
        *at = instant_of(doc, "due_at");
        return str_is(doc, "status", "open") ? "appeal" : NULL;
    }
    if (strcmp(kind, "qualification") == 0 || strcmp(kind, "filing") == 0) {
        *at = instant_of(doc, "submitted_at");
        return str_is(doc, "status", "reviewing") ? kind : NULL;
    }
    return str_is(doc, "status", "pending") ? "approval" : NULL; /* an approval */
}

static const char *const KINDS[][3] = {
    {"violation", "pending", "report"},       {"appeal", "appeal", NULL},
    {"qualification", "qualification", NULL}, {"filing", "filing", NULL},
    {"approval", "approval", NULL},
};

/* An object's event: off every list of its kind, then onto the one its status says. */
static int object_event(struct sw_conn *c, int p, int k, const char *id, const json_t *doc,
                        struct sw_error *err)
{
    int rc = SW_OK;
    for (int i = 1; rc == SW_OK && i < 3 && KINDS[k][i]; i++)
        rc = sw_sql_queue_view_del(c, p, KINDS[k][i], id, err);
    struct sw_queue_view_row row = {.p = p, .id = id, .num = id_number(id)};
    row.list = list_of(KINDS[k][0], doc, &row.rank, &row.at);
    if (rc || !row.list)
        return rc;
    char *text = json_dumps(doc, JSON_COMPACT);
    row.doc = text;
    rc = text ? sw_sql_queue_view_put(c, &row, err)
              : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    free(text);
    return rc;
}

/* A change to a listed violation that no event of the violation carries: fn changes the copy
 * of violation vid (on whichever of its kind's lists it is in partition p) as the module that
 * owns it changes the violation, and the copy is put back. Not listed: nothing to change. */
typedef void (*violation_change_fn)(json_t *v, const json_t *arg, const char *at);

static int change_violation(struct sw_conn *c, int p, const char *vid, violation_change_fn fn,
                            const json_t *arg, const char *at, struct sw_error *err)
{
    int rc = SW_OK;
    for (int i = 1; vid && rc == SW_OK && i < 3; i++) {
        char *text = NULL;
        if ((rc = sw_sql_queue_view_doc(c, p, KINDS[0][i], vid, &text, err)) || !text)
            continue;
        json_t *v = json_loads(text, 0, NULL);
        free(text);
        if (!v)
            continue;
        fn(v, arg, at);
        rc = object_event(c, p, 0, vid, v, err);
        json_decref(v);
    }
    return rc;
}

/* Appeal ap filed: it opens and counts (the appeals left go down with it); decided: it closes
 * (penalty/appeals.c). */
static void appeal_changes(json_t *v, const json_t *ap, const char *at)
{
    json_t *apps = json_object_get(v, "appeals");
    bool open = str_is(ap, "status", "open");
    int64_t filed = json_integer_value(json_object_get(apps, "filed"));
    int64_t left = json_integer_value(json_object_get(apps, "left"));
    int64_t nth = json_integer_value(json_object_get(ap, "nth"));
    if (open && nth > filed) {
        left = left > nth - filed ? left - (nth - filed) : 0;
        json_object_set_new(apps, "filed", json_integer(nth));
        json_object_set_new(apps, "left", json_integer(left));
        json_object_set_new(v, "updated_at", json_string(at));
    } else if (!open) {
        json_object_set(v, "last_appeal", json_object_get(ap, "id"));
    }
    json_object_set_new(apps, "open", json_boolean(open));
}

/* A deduction from the deposit that pays what a violation owed (penalty/ledger.c settle_one,
 * after a top-up). A deduction at the violation's own decision is followed by the violation's
 * event, which replaces the copy. */
static void deduction_changes(json_t *v, const json_t *entry, const char *at)
{
    int64_t take = -json_integer_value(json_object_get(entry, "amount_fen"));
    if (take <= 0)
        return;
    json_t *pen = json_object_get(v, "penalty");
    int64_t owed = json_integer_value(json_object_get(pen, "owed_fen"));
    int64_t deducted = json_integer_value(json_object_get(pen, "deducted_fen"));
    json_object_set_new(pen, "deducted_fen", json_integer(deducted + take));
    json_object_set_new(pen, "owed_fen", json_integer(owed > take ? owed - take : 0));
    json_object_set_new(v, "updated_at", json_string(at));
}

static int claim_event(struct sw_conn *c, int p, const char *item, const json_t *pl,
                       struct sw_error *err)
{
    const char *until = sw_json_str_or_empty(pl, "until");
    sw_instant end = 0;
    struct sw_error ignored;
    if (sw_instant_parse(until, strlen(until), &end, &ignored) != SW_OK)
        return SW_OK;
    json_t *doc = json_pack("{s:O,s:O}", "holder", json_object_get(pl, "holder"), "until",
                            json_object_get(pl, "until"));
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    struct sw_queue_view_row row = {.p = p, .list = "claim", .id = item, .ver = end, .doc = text};
    int rc = text ? sw_sql_queue_view_put(c, &row, err)
                  : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    free(text);
    return rc;
}

int sw_queue_model_open(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_queue_view_schema(c, err);
}

int sw_queue_model_clear(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_queue_view_clear(c, err);
}

/* Whether a product event is of a version that was scanned (the catalog's scan.product_version
 * moves to it): a creation, a scan, an edit of more than the price and stock (an edit of those
 * alone is scanned again only when the text states a price, and then a scan event follows when
 * it finds anything; a ban or a listing is no scan). */
static bool rescanned(const char *type, const json_t *pl)
{
    if (strcmp(type, "product.created") == 0 || strcmp(type, "product.scanned") == 0)
        return true;
    if (strcmp(type, "product.updated") != 0)
        return false;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)json_object_get(pl, "after"), k, v)
    {
        if (strcmp(k, "price_fen") != 0 && strcmp(k, "stock") != 0)
            return true;
    }
    return false;
}

int sw_queue_model_apply(struct sw_conn *c, int p, const json_t *ev, struct sw_error *err)
{
    const char *type = sw_json_str_or_empty(ev, "type");
    const char *subject = json_string_value(json_object_get(ev, "subject"));
    const json_t *pl = json_object_get(ev, "payload");
    if (!subject || !json_is_object(pl))
        return SW_OK;
    if (strcmp(type, "queue.claimed") == 0)
        return claim_event(c, p, subject, pl, err);
    if (strcmp(type, "queue.released") == 0)
        return sw_sql_queue_view_del(c, p, "claim", subject, err);
    if (strcmp(type, "deposit.deducted") == 0)
        return change_violation(c, p, json_string_value(json_object_get(pl, "violation")),
                                deduction_changes, pl, sw_json_str_or_empty(ev, "at"), err);
    if (strncmp(type, "product.", 8) == 0) {
        const json_t *v = json_object_get(pl, "version");
        struct sw_queue_view_row row = {
            .p = p, .list = "product", .id = subject, .ver = json_integer_value(v)};
        int rc = json_is_integer(v) ? sw_sql_queue_view_put(c, &row, err) : SW_OK;
        /* the version whose content the last scan read (the product's scan.product_version) */
        row.list = "product_content";
        if (rc == SW_OK && json_is_integer(v) && rescanned(type, pl))
            rc = sw_sql_queue_view_put(c, &row, err);
        return rc;
    }
    const char *dot = strchr(type, '.');
    if (!dot || !str_is(pl, "id", subject) || !json_is_string(json_object_get(pl, "status")))
        return SW_OK; /* not an object's document */
    int rc = SW_OK;
    json_t *doc = json_deep_copy(pl);
    /* what the penalty module adds to a violation's document in its event (penalty.c
     * write_and_emit's extra: the reason a ban was lifted or a violation overturned) */
    if (strncmp(type, "violation.", 10) == 0)
        json_object_del(doc, "reason");
    for (int k = 0; rc == SW_OK && k < (int)(sizeof KINDS / sizeof KINDS[0]); k++)
        if (strlen(KINDS[k][0]) == (size_t)(dot - type) &&
            strncmp(type, KINDS[k][0], (size_t)(dot - type)) == 0)
            rc = object_event(c, p, k, subject, doc, err);
    json_decref(doc);
    if (rc == SW_OK && strncmp(type, "appeal.", 7) == 0)
        rc = change_violation(c, p, json_string_value(json_object_get(pl, "violation")),
                              appeal_changes, pl, sw_json_str_or_empty(ev, "at"), err);
    return rc;
}

int sw_queue_model_annotate(struct sw_conn *c, int64_t now, json_t *items, struct sw_error *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *id = json_string_value(json_object_get(it, "id"));
        if (!id)
            continue;
        char *text = NULL;
        int rc = sw_sql_queue_view_claim(c, id, now, &text, err);
        if (rc)
            return rc;
        json_t *claim = text ? json_loads(text, 0, NULL) : NULL;
        free(text);
        json_object_set(it, "claimed_by", claim ? json_object_get(claim, "holder") : json_null());
        json_object_set(it, "claimed_until", claim ? json_object_get(claim, "until") : json_null());
        json_decref(claim);
    }
    return SW_OK;
}

/* Each queued violation's product version now, and whether its content changed since the scan
 * (a ban or a listing moves the version only). */
static int mark_changed(struct sw_conn *c, json_t *rows, json_t *items, struct sw_error *err)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        json_t *v = json_array_get(r, 1);
        int64_t now = 0;
        bool found = false;
        int rc = sw_sql_queue_view_ver(c, (int)json_integer_value(json_array_get(r, 0)), "product",
                                       sw_json_str_or_empty(v, "product"), &now, &found, err);
        if (rc)
            return rc;
        int64_t content = now;
        bool has_content = false;
        if (found && (rc = sw_sql_queue_view_ver(
                          c, (int)json_integer_value(json_array_get(r, 0)), "product_content",
                          sw_json_str_or_empty(v, "product"), &content, &has_content, err)))
            return rc;
        if (found) {
            json_t *was = json_object_get(v, "product_version");
            json_object_set_new(v, "product_version_now", json_integer(now));
            json_object_set_new(
                v, "product_changed",
                json_boolean(json_is_integer(was) &&
                             json_integer_value(was) != (has_content ? content : now)));
        }
        json_array_append(items, v);
    }
    return SW_OK;
}

static int list(struct sw_conn *c, json_t *out, const char *name, const char *list, int limit,
                struct sw_error *err)
{
    json_t *rows = NULL, *items = json_array();
    int rc = sw_sql_queue_view_page(c, list, 0, limit, &rows, err);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) json_array_append(items, json_array_get(r, 1));
    json_decref(rows);
    json_object_set_new(out, name, items);
    return rc;
}

int sw_queue_model_read(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                        struct sw_error *err)
{
    int64_t from = 0;
    if (after) { /* a violation's id; "@p<N>" after it (a cursor of earlier releases) is left */
        char id[64];
        snprintf(id, sizeof id, "%.*s", (int)strcspn(after, "@"), after);
        if (id[0] != 'v' || id[1] < '1' || id[1] > '9' || !(from = id_number(id)))
            return sw_fail(err, SW_E_INVALID_VALUE, "after", "unknown cursor '%s'", after);
    }
    json_t *rows = NULL, *pending = json_array();
    int rc = sw_sql_queue_view_page(c, "pending", from, limit + 1, &rows, err);
    if (rc == SW_OK)
        rc = mark_changed(c, rows, pending, err);
    json_decref(rows);
    *out = json_object();
    sw_page_set(*out, "pending_violations", pending, (size_t)limit, "id");
    static const char *const lists[][2] = {{"open_appeals", "appeal"},
                                           {"rectification_reports", "report"},
                                           {"qualifications_in_review", "qualification"},
                                           {"filings_in_review", "filing"}};
    for (size_t k = 0; rc == SW_OK && k < sizeof lists / sizeof lists[0]; k++)
        rc = list(c, *out, lists[k][0], lists[k][1], limit, err);
    int64_t overdue = 0, approvals = 0;
    json_t *a;
    size_t i;
    json_array_foreach(json_object_get(*out, "open_appeals"), i, a) overdue +=
        json_is_true(json_object_get(a, "overdue"));
    if (rc == SW_OK)
        rc = sw_sql_queue_view_count(c, "approval", &approvals, err);
    json_object_set_new(*out, "overdue_appeals", json_integer(overdue));
    json_object_set_new(*out, "approvals_pending", json_integer(approvals));
    static const char *const annotated[] = {"pending_violations", "open_appeals",
                                            "rectification_reports", "qualifications_in_review",
                                            "filings_in_review"};
    for (size_t k = 0; rc == SW_OK && k < sizeof annotated / sizeof annotated[0]; k++)
        rc = sw_queue_model_annotate(c, now, json_object_get(*out, annotated[k]), err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
