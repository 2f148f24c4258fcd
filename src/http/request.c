/* Helpers every handler shares: query parameters, bodies, path ids, commands. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/money.h"
#include "base/pii.h"
#include "domain/access/access.h"
#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "domain/penalty/penalty.h"
#include "domain/queue/queue.h"
#include "http/handlers.h"
#include "scan/scan.h"
#include "store/journal.h"

/* A header key as the command log holds it: scoped by the API key that sent it. */
static void header_key_scoped(const struct sw_req *r, const char *key, char *out, size_t n)
{
    snprintf(out, n, "key:%s|%s", r->key_id, key);
}

/* A header key is 1-128 printable ASCII characters (spaces inside too). */
static bool header_key_ok(const char *key)
{
    size_t len = strlen(key);
    bool ok = len > 0 && len <= IDEM_KEY_MAX;
    for (size_t i = 0; ok && i < len; i++)
        ok = key[i] >= 0x20 && key[i] < 0x7f;
    return ok;
}

static int bad_key(struct sw_error *err)
{
    return sw_fail(err, SW_E_INVALID_VALUE, "Idempotency-Key",
                   "Idempotency-Key must be 1-%d printable ASCII characters", IDEM_KEY_MAX);
}

bool sw__idem_header(struct sw_req *r, char *out, size_t n, struct sw_error *err)
{
    const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    if (!key)
        return false;
    if (!header_key_ok(key)) {
        bad_key(err);
        return false;
    }
    header_key_scoped(r, key, out, n);
    return true;
}

/* A write whose body does not parse, sent with an Idempotency-Key: the key answers for the
 * request first made with it (docs/api.md, "Writes"), so a key the log holds makes it 409
 * idempotency_conflict; otherwise the parse error stands. The engine decides, as for any
 * repeat of a key: the command request.unparsed (which only fails with the parse error) under
 * the scoped key is a repeat of another command when the key is known. Single-node mode (in
 * cluster mode the partition is not known without a body). */
static int unparsed(struct sw_req *r, struct sw_error *err)
{
    const char *key = r->conn && r->route && r->route->write && !r->srv->exec
                          ? MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key")
                          : NULL;
    if (!key || !key[0] || strlen(key) > IDEM_KEY_MAX)
        return err->code;
    char idem[sizeof r->key_id + IDEM_KEY_MAX + 8];
    header_key_scoped(r, key, idem, sizeof idem);
    json_t *payload = json_pack("{s:s,s:s,s:s}", "code", sw_err_name(err->code), "field",
                                err->field, "message", err->msg);
    struct sw_cmd cmd = {.type = "request.unparsed",
                         .actor = r->role,
                         .actor_key = r->key_id[0] ? r->key_id : NULL,
                         .idem_key = idem,
                         .payload = payload};
    int rc = payload ? sw_engine_execute(r->srv->engine, &cmd) : err->code;
    if (rc == SW_E_IDEMPOTENCY_CONFLICT)
        *err = cmd.err;
    sw_cmd_release(&cmd);
    json_decref(payload);
    return err->code;
}

int sw__body_object(struct sw_req *r, json_t **out, struct sw_error *err)
{
    *out = NULL;
    if (r->body.len == 0 && strcmp(r->method, "PATCH") == 0) /* an edit is its body */
        return sw_fail(err, SW_E_INVALID_JSON, NULL, "a PATCH needs a JSON object body");
    if (r->body.len == 0) { /* an action's body is optional: POST .../list */
        *out = json_object();
        return SW_OK;
    }
    int rc = sw_json_parse_object(r->body.data, r->body.len, out, err);
    return rc ? unparsed(r, err) : SW_OK;
}

int sw__query_int(struct sw_req *r, const char *name, int64_t dflt, int64_t min, int64_t max,
                  int64_t *out, struct sw_error *err)
{
    const char *v = sw__query_str(r, name);
    if (!v) {
        *out = dflt;
        return SW_OK;
    }
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    /* digits, a minus first at most: strtoll would also take " 1" and "+1" */
    bool plain = (*v >= '0' && *v <= '9') || (*v == '-' && v[1] >= '0' && v[1] <= '9');
    if (!plain || *end || errno == ERANGE || x < min || x > max) /* ERANGE: not clamped */
        return sw_fail(err, SW_E_INVALID_VALUE, name,
                       "query parameter '%s' must be an integer "
                       "between %lld and %lld",
                       name, (long long)min, (long long)max);
    *out = x;
    return SW_OK;
}

const char *sw__query_str(struct sw_req *r, const char *name)
{
    if (r->fwd) /* a read another node forwarded (forward.c) */
        return json_string_value(json_object_get(json_object_get(r->fwd, "query"), name));
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sw__req_header(struct sw_req *r, const char *name)
{
    if (r->fwd)
        return json_string_value(json_object_get(json_object_get(r->fwd, "headers"), name));
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* A path id goes into the payload; a body that names another id is refused. */
int sw__put_path_id(json_t *payload, const char *field, const char *id, struct sw_error *err)
{
    json_t *have = json_object_get(payload, field);
    if (have && (!json_is_string(have) || strcmp(json_string_value(have), id) != 0))
        return sw_fail(err, SW_E_INVALID_VALUE, field, "'%s' in the body differs from the path",
                       field);
    if (!sw_id_valid(id))
        return sw_fail(err, SW_E_NOT_FOUND, field, "unknown %s '%s'", field, id);
    json_object_set_new(payload, field, json_string(id));
    return SW_OK;
}

int sw__put_key_store(json_t *payload, const struct sw_req *r, struct sw_error *err)
{
    if (json_object_get(payload, "merchant"))
        return sw_fail(err, SW_E_UNKNOWN_FIELD, "merchant",
                       "unknown field 'merchant': the store is the key's");
    return sw__put_path_id(payload, "merchant", r->scope, err);
}

bool sw__is_merchant(const struct sw_req *r)
{
    return r->role_bit == ROLE_MERCHANT;
}

/* If-Match: "<version>" becomes the payload's if_version, which the command compares with the
 * object's version inside the writer (docs/api.md "HTTP conventions"), so that the check and
 * the write are one step. "*" asks for nothing more than the object existing
 * (SW_IF_VERSION_ANY). A weak tag never
 * matches (If-Match compares strongly). */
static int take_if_match(struct sw_req *r, json_t *payload, struct sw_error *err)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
    if (!h)
        return SW_OK;
    if (json_object_get(payload, "if_version"))
        return sw_fail(err, SW_E_BAD_REQUEST, "If-Match",
                       "give the expected version once: If-Match or 'if_version'");
    h += strspn(h, " \t");
    if (strcmp(h, "*") == 0) {
        /* any version of an object that exists: a command on an object takes it, one that
         * creates its object refuses it (400 bad_request, as it refuses a version) */
        json_object_set_new(payload, "if_version", json_integer(SW_IF_VERSION_ANY));
        return SW_OK;
    }
    if (strncmp(h, "W/", 2) == 0)
        return sw_fail(err, SW_E_VERSION_MISMATCH, "If-Match",
                       "If-Match compares strongly: a weak ETag never matches");
    char *end = NULL;
    long long v = h[0] == '"' && h[1] >= '0' && h[1] <= '9' ? strtoll(h + 1, &end, 10) : -1;
    if (v < 0 || !end || *end != '"' || end[1 + strspn(end + 1, " \t")] != '\0')
        return sw_fail(err, SW_E_INVALID_VALUE, "If-Match",
                       "If-Match takes one ETag as the server sent it: \"<version>\"");
    json_object_set_new(payload, "if_version", json_integer(v));
    return SW_OK;
}

/* For If-Match the client named no field: the answer names the header. A command that takes
 * no version refuses if_version as an unknown field. */
static void name_if_match(struct sw_req *r, struct sw_error *err)
{
    if (strcmp(err->field, "if_version") != 0 ||
        !MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match"))
        return;
    if (err->code == SW_E_UNKNOWN_FIELD)
        sw_fail(err, SW_E_BAD_REQUEST, "If-Match", "%s %s takes no If-Match", r->method,
                r->route->pattern);
    else
        snprintf(err->field, sizeof err->field, "If-Match");
}

/* A fact's own key ("deposit.top_up:m9:pay-001") is internal: a conflict on it is told in the
 * client's terms, the body field that made it. */
static void name_fact_key(const json_t *payload, const char *key_field, struct sw_error *err)
{
    if (err->code == SW_E_IDEMPOTENCY_CONFLICT && strcmp(err->field, "Idempotency-Key") == 0)
        sw_fail(err, SW_E_IDEMPOTENCY_CONFLICT, key_field,
                "'%s' '%s' was already used for a different request", key_field,
                json_string_value(json_object_get(payload, key_field)));
}

int sw__run_command(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                    struct sw_error *err)
{
    return sw__run_keyed(r, type, payload, ok_status, NULL, NULL, err);
}

/* As run_command; without an Idempotency-Key header, the body's key_field (a payment
 * reference, a feed's event id) is the key, scoped by the command type: a fact delivered
 * twice is applied once. A header key is the sender's own: it is scoped by the API key that
 * sent it, so that two operators' keys never answer each other's requests. A fact key keeps
 * the scope it always had (the role, not the key), so that two keys of one feed delivering
 * the same payment still apply it once, and facts logged before keys were scoped stay
 * recognised. */
/* In cluster mode, a node's own administration (its API keys, its maintenance switch) stays
 * in its node database; everything else goes to the partition's owner. */
static bool node_local(const char *type)
{
    return strncmp(type, "key.", 4) == 0 || strncmp(type, "admin.", 6) == 0 ||
           strncmp(type, "demo.", 5) == 0;
}

int sw__execute(struct sw_req *r, struct sw_cmd *cmd)
{
    if (r->srv->exec && !node_local(cmd->type)) {
        sw__route_to_object(r, cmd);
        if (r->srv->id_claim && strcmp(cmd->type, "product.create") == 0)
            return sw__create_claimed(r, cmd);
        return r->srv->exec(r->srv->cluster, cmd);
    }
    return sw_engine_execute(r->srv->engine, cmd);
}

int sw__run_keyed(struct sw_req *r, const char *type, json_t *payload, int ok_status,
                  const char *key_field, const char *key_scope, struct sw_error *err)
{
    char idem[sizeof r->key_id + SW_ROLE_MAX + IDEM_KEY_MAX + 160];
    const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    char fact_key[IDEM_KEY_MAX + 140];
    const json_t *kv = key_field ? json_object_get(payload, key_field) : NULL;
    if (!key && json_is_string(kv) && json_string_length(kv) <= IDEM_KEY_MAX) {
        snprintf(fact_key, sizeof fact_key, "%s:%s:%s", type, key_scope ? key_scope : "",
                 json_string_value(kv));
        key = fact_key;
    }
    if (key) {
        /* a key made of the body's field is the field's, which the command checks and names
         * (ref, event_id) */
        if (key != fact_key && !header_key_ok(key)) {
            json_decref(payload);
            return bad_key(err);
        }
        if (key == fact_key)
            snprintf(idem, sizeof idem, "%s|%s", r->role, key);
        else
            header_key_scoped(r, key, idem, sizeof idem);
    }
    size_t fields = json_object_size(payload);
    int rc = take_if_match(r, payload, err);
    if (rc) {
        json_decref(payload);
        return rc;
    }
    json_t *m = json_object_get(payload, "merchant");
    /* the body as sent, unless If-Match added a field to the payload */
    bool as_sent = r->log_body && r->body.data && json_object_size(payload) == fields;
    struct sw_cmd cmd = {
        .type = type,
        .actor = r->role,
        .actor_key = r->key_id[0] ? r->key_id : NULL,
        .actor_label = r->key_label[0] ? r->key_label : NULL,
        .merchant =
            json_is_string(m) ? json_string_value(m) : (sw__is_merchant(r) ? r->scope : NULL),
        .idem_key = key ? idem : NULL,
        .payload = payload,
        .payload_text = as_sent ? r->body.data : NULL,
        .hint = r->cmd_hint,
    };
    rc = sw__execute(r, &cmd);
    if (rc) {
        *err = cmd.err;
        err->code = rc;
        name_if_match(r, err);
        if (key == fact_key)
            name_fact_key(payload, key_field, err);
        if (cmd.err_details) { /* the refusal's own details (the owner's, in a cluster) */
            json_decref(r->err_details);
            r->err_details = cmd.err_details;
            cmd.err_details = NULL;
        }
        json_decref(payload);
        return err->code;
    }
    char at[32];
    sw_instant_format(cmd.at, at);
    if (cmd.result_text) {
        /* The handler rendered its result as text: splice it, same keys in the same order. */
        char *events = sw_cmd_events_text(&cmd);
        json_t *named = sw__violations_of(r, &cmd);
        char *vtext = named ? sw_json_dump(named) : NULL;
        json_decref(named);
        struct sw_buf b;
        sw_buf_init(&b, 0);
        /* result_on_top: the result object's members first, then the usual answer */
        size_t rlen = strlen(cmd.result_text);
        bool top = r->result_on_top && rlen > 2 && cmd.result_text[0] == '{';
        bool ok =
            events && sw_buf_puts(&b, "{") &&
            (!top || (sw_buf_append(&b, cmd.result_text + 1, rlen - 2) && sw_buf_puts(&b, ","))) &&
            sw_buf_printf(&b,
                          "\"result\":%s,\"command_seq\":%lld,\"at\":\"%s\","
                          "\"events\":%s,\"replayed\":%s%s%s}",
                          cmd.result_text, (long long)cmd.seq, at, events,
                          cmd.replayed ? "true" : "false", vtext ? ",\"violations\":" : "",
                          vtext ? vtext : "");
        free(events);
        free(vtext);
        if (!ok) {
            sw_buf_release(&b);
            sw_cmd_release(&cmd);
            json_decref(payload);
            return sw_fail(err, SW_E_INTERNAL, NULL, "cannot render the result");
        }
        r->text_resp = sw_buf_steal(&b);
        r->text_is_json = true;
    } else {
        r->resp = json_pack("{s:O,s:I,s:s,s:O,s:b}", "result", cmd.result, "command_seq",
                            (json_int_t)cmd.seq, "at", at, "events", sw_cmd_events(&cmd),
                            "replayed", cmd.replayed);
        json_t *named = sw__violations_of(r, &cmd);
        if (named)
            json_object_set_new(r->resp, "violations", named);
        if (r->result_on_top && json_is_object(cmd.result))
            json_object_update_missing(r->resp, cmd.result);
    }
    r->replayed = cmd.replayed;
    r->status = ok_status;
    /* a decision the approval gate held (docs/queue.md): accepted, not applied; the approval
     * is at the top of the answer and in result */
    if (json_is_object(json_object_get(cmd.result, "approval")) && sw_queue_gated(type)) {
        r->status = 202;
        if (r->resp)
            json_object_set(r->resp, "approval", json_object_get(cmd.result, "approval"));
    }
    sw_cmd_release(&cmd);
    json_decref(payload);
    return SW_OK;
}

/* Body + path id -> command. */
int sw__write_with_id(struct sw_req *r, const char *type, const char *field, int status,
                      struct sw_error *err)
{
    return sw__write_keyed(r, type, field, status, NULL, err);
}

bool sw__is_app(const struct sw_req *r)
{
    return r->role_bit == ROLE_APP;
}

/* A merchant key sees only its own store: any other id is 404, as if it did not exist. */
int sw__own_merchant(struct sw_req *r, const char *id, struct sw_error *err)
{
    if (sw__is_merchant(r) && strcmp(r->scope, id) != 0)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown merchant '%s'", id);
    return SW_OK;
}

int sw__store_list_open(struct sw_req *r, int64_t *limit, struct sw_conn **c, struct sw_error *err)
{
    *c = NULL;
    int rc = sw__own_merchant(r, r->params[0], err);
    if (rc || (rc = sw__query_int(r, "limit", PAGE_DEFAULT, 1, 200, limit, err)))
        return rc;
    struct sw_pool *pool = sw_engine_readers(r->engine);
    *c = sw_pool_acquire(pool);
    json_t *m = NULL;
    rc = sw_catalog_get_merchant(*c, r->params[0], &m, err);
    json_decref(m);
    if (rc) {
        sw_pool_release(pool, *c);
        *c = NULL;
    }
    return rc;
}

const char *sw__viewer(const struct sw_req *r)
{
    return sw__is_merchant(r) ? r->role : NULL;
}

/* Body + path id -> command, idempotent by the body's key_field (scoped by the path id) when
 * no header is sent. */
int sw__write_keyed(struct sw_req *r, const char *type, const char *field, int status,
                    const char *key_field, struct sw_error *err)
{
    json_t *payload;
    int rc = sw__body_object(r, &payload, err);
    if (rc)
        return rc;
    if ((rc = sw__put_path_id(payload, field, r->params[0], err))) {
        json_decref(payload);
        return rc;
    }
    return sw__run_keyed(r, type, payload, status, key_field, r->params[0], err);
}

/* The created object's id, from the rendered result. */
static json_t *result_id(struct sw_req *r)
{
    if (r->resp)
        return json_incref(json_object_get(json_object_get(r->resp, "result"), "id"));
    json_t *doc = r->text_resp ? json_loads(r->text_resp, 0, NULL) : NULL;
    json_t *id = json_incref(json_object_get(json_object_get(doc, "result"), "id"));
    json_decref(doc);
    return id;
}

void sw__locate(struct sw_req *r, const char *collection)
{
    json_t *id = result_id(r);
    if (json_is_string(id))
        snprintf(r->location, sizeof r->location, "%s/%s", collection, json_string_value(id));
    json_decref(id);
}

void sw__etag_of(struct sw_req *r)
{
    json_t *v = json_object_get(r->resp, "version");
    r->etag = json_is_integer(v) ? json_integer_value(v) : SW_NO_ETAG;
}

/* ---------- query parameters ---------- */

#define PARAMS_SEEN_MAX 16

struct params_check {
    const char *allowed; /* "after,limit" or NULL */
    const char *seen[PARAMS_SEEN_MAX];
    int nseen;
    struct sw_error *err;
};

bool sw__param_listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, name, n) == 0)
            return true;
        p = end ? end + 1 : NULL;
    }
    return false;
}

static enum MHD_Result check_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    (void)value;
    struct params_check *pc = cls;
    if (!sw__param_listed(pc->allowed, key)) {
        sw_fail(pc->err, SW_E_UNKNOWN_PARAMETER, key, "unknown query parameter '%.64s'", key);
        return MHD_NO;
    }
    for (int i = 0; i < pc->nseen; i++)
        if (strcmp(pc->seen[i], key) == 0) {
            sw_fail(pc->err, SW_E_INVALID_VALUE, key,
                    "query parameter '%.64s' given more than once", key);
            return MHD_NO;
        }
    /* A listed name is one of the route's few parameters: the array cannot fill up. */
    if (pc->nseen < PARAMS_SEEN_MAX)
        pc->seen[pc->nseen++] = key;
    return MHD_YES;
}

int sw__check_params(struct sw_req *r, const char *allowed, struct sw_error *err)
{
    struct params_check pc = {.allowed = allowed, .err = err};
    sw_error_clear(err);
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_param, &pc);
    return err->code;
}

static int query_instant(struct sw_req *r, const char *name, int64_t dflt, int64_t *out,
                         struct sw_error *err)
{
    const char *v = sw__query_str(r, name);
    *out = dflt;
    if (!v)
        return SW_OK;
    sw_instant at;
    if (sw_instant_parse(v, strlen(v), &at, err) != SW_OK)
        return sw_fail(err, SW_E_INVALID_VALUE, name,
                       "query parameter '%s' must be an RFC 3339 instant", name);
    *out = at;
    return SW_OK;
}

/* An RFC 3339 instant before 1970 (the engine's instants start there): YYYY-MM-DDT... with
 * YYYY below 1970; the rest is checked on the same instant moved to 1970. */
static bool before_epoch(const char *v)
{
    size_t n = strlen(v);
    if (n < 20 || n > 64 || v[4] != '-' || (v[10] != 'T' && v[10] != 't'))
        return false;
    for (int i = 0; i < 4; i++)
        if (v[i] < '0' || v[i] > '9')
            return false;
    if (memcmp(v, "1970", 4) >= 0)
        return false;
    char moved[65];
    memcpy(moved, v, n + 1);
    memcpy(moved, "1972", 4); /* a leap year: 02-29 stays a day */
    sw_instant ignored;
    struct sw_error e = {0};
    return sw_instant_parse(moved, n, &ignored, &e) == SW_OK;
}

int sw__query_at(struct sw_req *r, struct sw_error *err)
{
    /* an instant before 1970 is before every object: 404, not a malformed instant */
    const char *v = sw__query_str(r, "at");
    if (v && before_epoch(v)) {
        r->at_us = -1;
        return SW_OK;
    }
    return query_instant(r, "at", 0, &r->at_us, err);
}

int sw__query_range(struct sw_req *r, int64_t *from_us, int64_t *to_us, struct sw_error *err)
{
    int rc;
    if ((rc = query_instant(r, "from", INT64_MIN, from_us, err)) ||
        (rc = query_instant(r, "to", INT64_MAX, to_us, err)))
        return rc;
    if (*to_us < *from_us)
        return sw_fail(err, SW_E_INVALID_VALUE, "to", "'to' is before 'from'");
    return SW_OK;
}

int sw__job_idem_of(const struct sw_req *r, struct sw_job_idem *out, struct sw_error *err)
{
    const char *key = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Idempotency-Key");
    memset(out, 0, sizeof *out);
    if (key && !header_key_ok(key))
        return bad_key(err);
    if (key)
        snprintf(out->key, sizeof out->key, "%s|%s", r->key_id, key);
    crypto_generichash(out->body, sizeof out->body, (const unsigned char *)r->body.data,
                       r->body.data ? r->body.len : 0, NULL, 0);
    return SW_OK;
}

int sw__job_idem_check(const struct sw_job_idem *seen, const struct sw_job_idem *now, bool *same,
                       struct sw_error *err)
{
    *same = false;
    if (!now->key[0] || strcmp(seen->key, now->key) != 0)
        return SW_OK;
    if (memcmp(seen->body, now->body, sizeof now->body) == 0) {
        *same = true;
        return SW_OK;
    }
    return sw_fail(err, SW_E_IDEMPOTENCY_CONFLICT, "Idempotency-Key",
                   "this Idempotency-Key was used with another body");
}
