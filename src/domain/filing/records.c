/* Filing records: the workflow (a pure transition function), the deadline rule, and the
 * store's and operators' commands on a record (filing.h states the rules). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/filing/filing_int.h"

#define MAX_DOCUMENTS 50
#define DOC_FIELD_MAX 2000

static const char *const status_names[SW_FILING_STATUS_COUNT] = {"pending", "reviewing", "approved",
                                                                 "rejected"};
static const char *const action_names[SW_FILING_ACTION_COUNT] = {
    "submitted", "withdrawn", "approved", "rejected", "reset", "reason_added"};
static const char *const refusal_names[] = {NULL, "not_filed", "not_approved", "filed_too_late"};
const char *const sw__filing_reasons[SW_FILING_REASONS] = {"self_built", "pk", "distribution",
                                                           "product_edit"};

const char *sw_filing_status_name(enum sw_filing_status s)
{
    return status_names[s];
}

int sw_filing_status_parse(const char *s, enum sw_filing_status *out)
{
    for (int i = 0; i < SW_FILING_STATUS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum sw_filing_status)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

const char *sw_filing_action_name(enum sw_filing_action a)
{
    return action_names[a];
}

const char *sw_filing_refusal_name(enum sw_filing_refusal r)
{
    return refusal_names[r];
}

int sw_filing_transition(enum sw_filing_status s, enum sw_filing_action a,
                         enum sw_filing_status *next)
{
    enum sw_filing_status to;
    switch (a) {
    case SW_FA_SUBMIT:
        if (s != SW_FILING_PENDING && s != SW_FILING_REJECTED)
            return SW_E_STATE_CONFLICT;
        to = SW_FILING_REVIEWING;
        break;
    case SW_FA_WITHDRAW:
        if (s != SW_FILING_REVIEWING)
            return SW_E_STATE_CONFLICT;
        to = SW_FILING_PENDING;
        break;
    case SW_FA_APPROVE:
    case SW_FA_REJECT:
        if (s != SW_FILING_REVIEWING)
            return SW_E_STATE_CONFLICT;
        to = a == SW_FA_APPROVE ? SW_FILING_APPROVED : SW_FILING_REJECTED;
        break;
    case SW_FA_RESET: /* RULES §4 scenario 4: any record goes back to pending (a rejected one
                         too; a pending one gains the reason) */
        to = SW_FILING_PENDING;
        break;
    case SW_FA_ADD_REASON:
        to = s;
        break;
    default:
        return SW_E_STATE_CONFLICT;
    }
    *next = to;
    return SW_OK;
}

int sw_filing_deadline(const struct sw_calendar *cal, int64_t session_day, int lead,
                       sw_instant *end, struct sw_error *err)
{
    int64_t day = session_day;
    int y, m, d;
    sw_civil_from_days(session_day, &y, &m, &d);
    if (!sw_calendar_has_year(cal, y))
        return sw_calendar_year_missing(cal, y, err);
    if (lead > 0) {
        int rc = sw_calendar_working_day_before(cal, session_day, lead, &day, err);
        if (rc)
            return rc;
    }
    *end = (day + 1) * SW_US_PER_DAY - SW_SHANGHAI_OFFSET_US;
    return SW_OK;
}

enum sw_filing_refusal sw_filing_check(bool exists, enum sw_filing_status s,
                                       sw_instant submitted_at, sw_instant deadline_end)
{
    if (!exists)
        return SW_FR_NOT_FILED;
    if (s != SW_FILING_APPROVED)
        return SW_FR_NOT_APPROVED;
    return submitted_at >= deadline_end ? SW_FR_FILED_TOO_LATE : SW_FR_NONE;
}

void sw__filing_id(const char *prefix, int64_t rid, char out[SW_FILING_ID_BUF])
{
    snprintf(out, SW_FILING_ID_BUF, "%s%" PRId64, prefix, rid);
}

bool sw__filing_parse_id(const char *prefix, const char *s, int64_t *rid)
{
    size_t n = strlen(prefix);
    if (!s || strncmp(s, prefix, n) != 0 || s[n] < '1' || s[n] > '9' || strlen(s + n) > 18)
        return false;
    int64_t v = 0;
    for (const char *p = s + n; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *rid = v;
    return true;
}

int sw__streamer_info(struct sw_ctx *ctx, const char *id, struct sw_streamer_info *out,
                      struct sw_error *err)
{
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", id);
    struct sw_streamer_row row = {0};
    bool found = false;
    int rc = sw_sql_streamer_get(ctx->conn, id, &row, &found, err);
    if (rc)
        return rc;
    if (found) {
        out->known = true;
        out->designated = row.designated;
        snprintf(out->nickname, sizeof out->nickname, "%s", row.nickname);
        snprintf(out->merchant, sizeof out->merchant, "%s", row.merchant);
        sw_streamer_row_release(&row);
        return SW_OK;
    }
    const struct sw_filing_streamer *p = sw_policy_filing_streamer(ctx->policy, id);
    if (p) {
        out->known = out->designated = true;
        snprintf(out->nickname, sizeof out->nickname, "%s", p->nickname);
        snprintf(out->merchant, sizeof out->merchant, "%s", p->merchant ? p->merchant : "");
    }
    return SW_OK;
}

bool sw__filing_visible(const char *viewer, const char *merchant, const char *streamer,
                        const char *partner)
{
    if (!viewer)
        return true;
    const char *own = sw_actor_merchant(viewer);
    if (own)
        return strcmp(own, merchant) == 0;
    const char *me = sw_actor_streamer(viewer);
    return me && ((streamer && strcmp(me, streamer) == 0) || (partner && strcmp(me, partner) == 0));
}

static json_t *or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

json_t *sw__filing_render(const struct sw_filing_row *f)
{
    char id[SW_FILING_ID_BUF];
    sw__filing_id("f", f->rid, id);
    return json_pack("{s:s,s:s,s:s,s:{s:s,s:s},s:s,s:O,s:O,s:O,s:o,s:o,s:o,s:o,s:o,s:O,s:I,s:o,"
                     "s:o}",
                     "id", id, "merchant", f->merchant, "product", f->product, "streamer", "id",
                     f->streamer, "nickname", f->nickname, "status", f->status, "reasons",
                     f->reasons, "required_documents", f->required, "documents", f->documents,
                     "submitted_at", sw_json_instant_opt(f->submitted_at), "submitted_by",
                     or_null(f->submitted_by), "decided_at", sw_json_instant_opt(f->decided_at),
                     "decided_by", or_null(f->decided_by), "note",
                     f->note ? json_string(f->note) : json_null(), "history", f->history, "version",
                     (json_int_t)f->version, "created_at", sw_json_instant(f->created_at),
                     "updated_at", sw_json_instant(f->updated_at));
}

static int emit(struct sw_ctx *ctx, const struct sw_filing_row *f, const char *event,
                struct sw_error *err)
{
    char id[SW_FILING_ID_BUF];
    sw__filing_id("f", f->rid, id);
    return sw_ctx_emit(ctx, event, f->merchant, id, sw__filing_render(f), err);
}

/* Appends {at, action, from, to, by} and detail's fields to f's history. */
static void remember(struct sw_ctx *ctx, struct sw_filing_row *f, const char *action,
                     const char *from, const json_t *detail)
{
    json_t *h = json_pack("{s:o,s:s,s:o,s:s,s:o}", "at", sw_json_instant(ctx->now), "action",
                          action, "from", from ? json_string(from) : json_null(), "to", f->status,
                          "by", sw_ctx_actor(ctx));
    if (detail)
        json_object_update(h, (json_t *)detail);
    json_array_append_new(f->history, h);
}

static int add_reason(struct sw_filing_row *f, const char *reason)
{
    size_t i;
    json_t *v;
    json_array_foreach(f->reasons, i, v)
    {
        if (strcmp(json_string_value(v), reason) == 0)
            return 0;
    }
    json_array_append_new(f->reasons, json_string(reason));
    return 1;
}

/* The documents a product's category asks for under the policy in force. */
static int required_for(struct sw_ctx *ctx, const char *product, json_t **out, struct sw_error *err)
{
    struct sw_product_info pi;
    int rc = sw_catalog_product_info(ctx, product, &pi, err);
    if (rc)
        return rc;
    json_decref(pi.findings);
    *out = sw_policy_filing_documents(ctx->policy, pi.category);
    return SW_OK;
}

/* Stores f with the documents its product's category asks for now, a new version, and emits
 * event; only_if_changed: nothing at all when the documents are the same. */
static int save(struct sw_ctx *ctx, struct sw_filing_row *f, const char *event,
                bool only_if_changed, struct sw_error *err)
{
    json_t *req = NULL;
    int rc = required_for(ctx, f->product, &req, err);
    if (rc || (only_if_changed && json_equal(req, f->required))) {
        json_decref(req);
        return rc;
    }
    json_decref(f->required);
    f->required = req;
    f->updated_at = ctx->now;
    f->version++;
    if ((rc = sw_sql_filing_update(ctx->conn, f, err)))
        return rc;
    return emit(ctx, f, event, err);
}

int sw__filing_move(struct sw_ctx *ctx, struct sw_filing_row *f, enum sw_filing_action a,
                    const char *event, const json_t *detail, struct sw_error *err)
{
    enum sw_filing_status s, next;
    if (sw_filing_status_parse(f->status, &s) != SW_OK)
        return sw_fail(err, SW_E_INTERNAL, NULL, "filing has status '%s'", f->status);
    if (sw_filing_transition(s, a, &next) != SW_OK) {
        char id[SW_FILING_ID_BUF];
        sw__filing_id("f", f->rid, id);
        return sw_fail(err, SW_E_STATE_CONFLICT, "id", "filing '%s' is %s: it cannot be %s", id,
                       f->status, action_names[a]);
    }
    snprintf(f->status, sizeof f->status, "%s", status_names[next]);
    remember(ctx, f, action_names[a], status_names[s], detail);
    return save(ctx, f, event, false, err);
}

int sw__filing_refresh_documents(struct sw_ctx *ctx, struct sw_filing_row *f, struct sw_error *err)
{
    return save(ctx, f, "filing.documents_changed", true, err);
}

/* A policy activated: every record still to be submitted or decided (not approved) shows the
 * documents the new policy asks for, as its next submission and decision check them. */
int sw__filing_refresh_open(struct sw_ctx *ctx, struct sw_error *err)
{
    enum { PAGE = 64 };
    struct sw_filing_row rows[PAGE];
    struct sw_filing_filter all = {0};
    int64_t after = 0;
    int n, rc;
    do {
        if ((rc = sw_sql_filing_page(ctx->conn, &all, after, PAGE, rows, &n, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            after = rows[i].rid;
            if (rc == SW_OK && strcmp(rows[i].status, "approved") != 0)
                rc = sw__filing_refresh_documents(ctx, &rows[i], err);
            sw_filing_row_release(&rows[i]);
        }
        if (rc)
            return rc;
    } while (n == PAGE);
    return SW_OK;
}

int sw__filing_ensure(struct sw_ctx *ctx, const char *merchant, const char *product,
                      const struct sw_streamer_info *s, const char *reason, const json_t *detail,
                      int64_t *rid, struct sw_error *err)
{
    struct sw_filing_row f = {0};
    bool found = false;
    int rc = sw_sql_filing_find(ctx->conn, product, s->id, &f, &found, err);
    if (rc)
        return rc;
    json_t *d = json_pack("{s:s}", "reason", reason);
    if (detail)
        json_object_update(d, (json_t *)detail);
    if (found) {
        *rid = f.rid;
        if (add_reason(&f, reason))
            rc = sw__filing_move(ctx, &f, SW_FA_ADD_REASON, "filing.reason_added", d, err);
        json_decref(d);
        sw_filing_row_release(&f);
        return rc;
    }
    snprintf(f.merchant, sizeof f.merchant, "%s", merchant);
    snprintf(f.product, sizeof f.product, "%s", product);
    snprintf(f.streamer, sizeof f.streamer, "%s", s->id);
    snprintf(f.nickname, sizeof f.nickname, "%s", s->nickname);
    snprintf(f.status, sizeof f.status, "%s", status_names[SW_FILING_PENDING]);
    f.reasons = json_pack("[s]", reason);
    f.documents = json_array();
    f.history = json_array();
    f.created_at = f.updated_at = ctx->now;
    f.version = 1;
    remember(ctx, &f, "created", NULL, d);
    json_decref(d);
    if ((rc = required_for(ctx, product, &f.required, err)) == SW_OK &&
        (rc = sw_sql_filing_insert(ctx->conn, &f, err)) == SW_OK &&
        (rc = emit(ctx, &f, "filing.created", err)) == SW_OK)
        *rid = f.rid;
    sw_filing_row_release(&f);
    return rc;
}

/* The record named by id, if the sender may act on it: its store (others: not_found), or
 * staff when staff_ok; the version when If-Match was sent. */
static int load(struct sw_ctx *ctx, const char *id, const struct sw_if_version *iv, bool staff_ok,
                struct sw_filing_row *f, struct sw_error *err)
{
    const char *own = sw_actor_merchant(ctx->actor);
    if (!own && !(staff_ok && sw_actor_is_staff(ctx->actor)))
        return sw_fail(err, SW_E_FORBIDDEN, NULL,
                       staff_ok ? "only operators decide filings"
                                : "only the product's store may submit or withdraw its filing");
    int64_t rid;
    bool found = false;
    int rc;
    if (sw__filing_parse_id("f", id, &rid) &&
        (rc = sw_sql_filing_get(ctx->conn, rid, f, &found, err)))
        return rc;
    if (found && own && strcmp(own, f->merchant) != 0) {
        sw_filing_row_release(f);
        found = false;
    }
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown filing '%s'", id);
    if ((rc = sw_if_version(iv, f->version, "filing", id, err)))
        sw_filing_row_release(f);
    return rc;
}

/* A document is a code ("food_inspection_report") or {"code": ..., and other string fields}. */
static int document_code(json_t *d, size_t i, const char **code, struct sw_error *err)
{
    char path[48];
    snprintf(path, sizeof path, "documents[%zu]", i);
    if (json_is_string(d))
        *code = json_string_value(d);
    else if (json_is_object(d) && json_is_string(json_object_get(d, "code")))
        *code = json_string_value(json_object_get(d, "code"));
    else
        return sw_fail(err, SW_E_WRONG_TYPE, path,
                       "a document is a code or an object with a string 'code'");
    if (!sw_id_valid(*code))
        return sw_fail(err, SW_E_INVALID_VALUE, path,
                       "a document code is 1-63 characters of A-Z a-z 0-9 _ - . :");
    const char *k;
    json_t *v;
    json_object_foreach(d, k, v)
    {
        if (!json_is_string(v) || json_string_length(v) > DOC_FIELD_MAX)
            return sw_fail(err, SW_E_INVALID_VALUE, path,
                           "document field '%s' must be a string of at most %d bytes", k,
                           DOC_FIELD_MAX);
    }
    return SW_OK;
}

/* documents_missing naming every required code the submission lacks. */
static int check_documents(const json_t *docs, const json_t *required, struct sw_error *err)
{
    char missing[512] = "";
    size_t i, j, len = 0;
    json_t *r, *d;
    json_array_foreach(required, i, r)
    {
        bool have = false;
        json_array_foreach(docs, j, d)
        {
            const char *c = json_is_string(d) ? json_string_value(d)
                                              : json_string_value(json_object_get(d, "code"));
            have = have || strcmp(c, json_string_value(r)) == 0;
        }
        if (!have && len < sizeof missing)
            len += (size_t)snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "",
                                    json_string_value(r));
    }
    if (!missing[0])
        return SW_OK;
    return sw_fail(err, SW_E_DOCUMENTS_MISSING, "documents", "documents missing: %s", missing);
}

/* The documents the policy in force asks for a product's record are all among docs. */
static int documents_in_force(struct sw_ctx *ctx, const char *product, const json_t *docs,
                              struct sw_error *err)
{
    json_t *req = NULL;
    int rc = required_for(ctx, product, &req, err);
    if (rc == SW_OK)
        rc = check_documents(docs, req, err);
    json_decref(req);
    return rc;
}

static int f_submit(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    json_t *docs = NULL;
    struct sw_if_version iv;
    struct sw_jfield fl[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"documents", SW_J_ARR, SW_J_REQUIRED, &docs, MAX_DOCUMENTS, NULL},
        SW_IF_VERSION_FIELD(iv),
    };
    int rc = sw_json_read(in, "", fl, sizeof fl / sizeof fl[0], true, err);
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d)
    {
        const char *code;
        if (rc == SW_OK)
            rc = document_code(d, i, &code, err);
    }
    struct sw_filing_row f = {0};
    if (rc || (rc = load(ctx, id, &iv, false, &f, err)))
        return rc;
    struct sw_merchant_info mi;
    if ((rc = sw_catalog_merchant_info(ctx, f.merchant, &mi, err)) == SW_OK &&
        mi.status == SW_MERCHANT_CLEARED)
        rc = sw_fail(err, SW_E_MERCHANT_CLEARED, "id", "store '%s' is cleared: it cannot file",
                     f.merchant);
    if (rc) {
        sw_filing_row_release(&f);
        return rc;
    }
    if ((rc = documents_in_force(ctx, f.product, docs, err)) == SW_OK) {
        json_decref(f.documents);
        f.documents = json_deep_copy(docs);
        json_decref(f.submitted_by);
        f.submitted_by = sw_ctx_actor(ctx);
        f.submitted_at = ctx->now;
        if ((rc = sw__filing_move(ctx, &f, SW_FA_SUBMIT, "filing.submitted", NULL, err)) == SW_OK)
            *result = sw__filing_render(&f);
    }
    sw_filing_row_release(&f);
    return rc;
}

static int f_withdraw(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    struct sw_if_version iv;
    struct sw_jfield fl[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}, SW_IF_VERSION_FIELD(iv)};
    int rc = sw_json_read(in, "", fl, sizeof fl / sizeof fl[0], true, err);
    struct sw_filing_row f = {0};
    if (rc || (rc = load(ctx, id, &iv, false, &f, err)))
        return rc;
    if ((rc = sw__filing_move(ctx, &f, SW_FA_WITHDRAW, "filing.withdrawn", NULL, err)) == SW_OK)
        *result = sw__filing_render(&f);
    sw_filing_row_release(&f);
    return rc;
}

static int f_decide(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct sw_decision d;
    int rc = sw_decision_read(in, SW_FILING_NOTE_MAX, &d, err);
    if (rc)
        return rc;
    const char *note = d.note;
    bool ok = d.approve;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only operators decide filings");
    struct sw_filing_row f = {0};
    if ((rc = load(ctx, d.id, &d.iv, true, &f, err)))
        return rc;
    /* approval is a formal check: the documents the policy in force asks for are there */
    if (ok && strcmp(f.status, "reviewing") == 0 &&
        (rc = documents_in_force(ctx, f.product, f.documents, err))) {
        sw_filing_row_release(&f);
        return rc;
    }
    json_decref(f.decided_by);
    f.decided_by = sw_ctx_actor(ctx);
    f.decided_at = ctx->now;
    free(f.note);
    f.note = note && note[0] ? strdup(note) : NULL;
    json_t *detail = note && note[0] ? json_pack("{s:s}", "note", note) : NULL;
    if ((rc = sw__filing_move(ctx, &f, ok ? SW_FA_APPROVE : SW_FA_REJECT,
                              ok ? "filing.approved" : "filing.rejected", detail, err)) == SW_OK)
        *result = sw__filing_render(&f);
    json_decref(detail);
    sw_filing_row_release(&f);
    return rc;
}

int sw__filing_records_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "filing.submit", f_submit)) ||
        (rc = sw_engine_register(e, "filing.withdraw", f_withdraw)) ||
        (rc = sw_engine_register(e, "filing.decide", f_decide)))
        return rc;
    return SW_OK;
}

int sw_filing_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw__filing_records_register(e)) || (rc = sw__filing_scenarios_register(e)) ||
        (rc = sw__filing_sessions_register(e)))
        return rc;
    return SW_OK;
}

int sw__filing_reset(struct sw_ctx *ctx, struct sw_filing_row *f, const json_t *fields,
                     struct sw_error *err)
{
    add_reason(f, "product_edit");
    json_t *d = json_pack("{s:s,s:O}", "reason", "product_edit", "fields", fields);
    int rc = sw__filing_move(ctx, f, SW_FA_RESET, "filing.reset", d, err);
    json_decref(d);
    return rc;
}

int sw__filing_rename(struct sw_ctx *ctx, const char *streamer, const char *nickname,
                      struct sw_error *err)
{
    int64_t rids[64], after = 0;
    int n, rc;
    do {
        if ((rc = sw_sql_filing_rids_to_rename(ctx->conn, streamer, nickname, after, 64, rids, &n,
                                               err)))
            return rc;
        for (int i = 0; rc == SW_OK && i < n; i++) {
            struct sw_filing_row f = {0};
            bool found = false;
            after = rids[i];
            if ((rc = sw_sql_filing_get(ctx->conn, rids[i], &f, &found, err)) || !found)
                continue;
            /* the record shows the nickname: its view changed, so its version and its log do
             * (the ETag, and ?at= folding the record's events) */
            snprintf(f.nickname, sizeof f.nickname, "%s", nickname);
            f.updated_at = ctx->now;
            f.version++;
            if ((rc = sw_sql_filing_update(ctx->conn, &f, err)) == SW_OK)
                rc = emit(ctx, &f, "filing.streamer_renamed", err);
            sw_filing_row_release(&f);
        }
        if (rc)
            return rc;
    } while (n == 64);
    return SW_OK;
}
