#include "domain/admin/admin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "store/journal.h"

bool sw_role_valid(const char *role)
{
    static const char *const plain[] = {"admin", "operator", "ingest", NULL};
    static const char *const scoped[] = {
        "merchant:", "promoter:", "app:", "streamer:", "analyst:", NULL};
    if (strlen(role) >= SW_ROLE_MAX)
        return false;
    for (int i = 0; plain[i]; i++)
        if (strcmp(role, plain[i]) == 0)
            return true;
    for (int i = 0; scoped[i]; i++) {
        size_t n = strlen(scoped[i]);
        if (strncmp(role, scoped[i], n) == 0)
            return sw_id_valid(role + n); /* the id is the rest: merchant:a:b is store a:b */
    }
    return false;
}

static int hex32(const char *s, unsigned char out[32])
{
    size_t n = 0;
    const char *end = NULL;
    if (strlen(s) != 64 || sodium_hex2bin(out, 32, s, 64, NULL, &n, &end) != 0 || n != 32 ||
        *end != '\0')
        return -1;
    return 0;
}

/* A key's role and its hash (64 hex digits, read into h): what key.create and key.sync check. */
static int role_and_hash(const char *role, const char *hash, unsigned char h[32],
                         struct sw_error *err)
{
    if (!sw_role_valid(role))
        return sw_fail(err, SW_E_INVALID_VALUE, "role", "role must be %s", SW_ROLES_TEXT);
    if (hex32(hash, h))
        return sw_fail(err, SW_E_INVALID_VALUE, "hash", "hash must be 64 hex digits");
    return SW_OK;
}

static int require_admin(struct sw_ctx *ctx, struct sw_error *err)
{
    if (!ctx->actor || (strcmp(ctx->actor, "admin") != 0 && strcmp(ctx->actor, "cli") != 0))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only admins may manage keys and maintenance");
    return SW_OK;
}

/* A key for a store names one that exists: a key for a mistyped id would act on nothing. In
 * cluster mode the store is not in the node's database: the HTTP layer looked it up in its
 * partition and says what it found (checked: 1 found, 0 not found, -1 not looked up). */
static int key_role_target(struct sw_ctx *ctx, const char *role, int checked, struct sw_error *err)
{
    const char *store = sw_actor_merchant(role);
    if (!store || checked == 1)
        return SW_OK;
    if (checked == 0)
        return sw_fail(err, SW_E_UNKNOWN_REFERENCE, "role", "role names unknown merchant '%s'",
                       store);
    struct sw_merchant_info mi;
    int rc = sw_catalog_merchant_info(ctx, store, &mi, err);
    if (rc == SW_E_NOT_FOUND)
        return sw_fail(err, SW_E_UNKNOWN_REFERENCE, "role", "role names unknown merchant '%s'",
                       store);
    return rc;
}

static int key_create(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL, *role = NULL, *hash = NULL, *label = NULL;
    int64_t expires_at = 0;
    bool found = false;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"role", SW_J_STR, SW_J_REQUIRED, &role, SW_ROLE_MAX, NULL},
        {"hash", SW_J_STR, SW_J_REQUIRED, &hash, 64, NULL},
        {"label", SW_J_STR, 0, &label, SW_KEY_LABEL_MAX, NULL},
        {"expires_at", SW_J_INSTANT, 0, &expires_at, 0, NULL},
        {"store_checked", SW_J_BOOL, 0, &found, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_admin(ctx, err)))
        return rc;
    unsigned char h[32];
    if ((rc = role_and_hash(role, hash, h, err)))
        return rc;
    if (json_object_get(in, "expires_at") && expires_at <= ctx->now)
        return sw_fail(err, SW_E_RULE_REFUSED, "expires_at", "expires_at must be in the future");
    int checked = json_object_get(in, "store_checked") ? found : -1;
    if ((rc = key_role_target(ctx, role, checked, err)) ||
        (rc = sw_journal_key_insert(ctx->conn, id, h, role, label, expires_at, ctx->now, err)))
        return rc;
    /* The audit log records who got which role, never the secret or its hash. */
    json_t *ev = json_pack("{s:s,s:s,s:s?,s:o}", "id", id, "role", role, "label", label,
                           "expires_at", sw_json_instant_opt(expires_at));
    *result = json_deep_copy(ev);
    if ((rc = sw_ctx_emit(ctx, "key.created", NULL, id, ev, err))) {
        json_decref(*result);
        *result = NULL;
    }
    return rc;
}

static int key_revoke(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *id = NULL;
    struct sw_jfield f[] = {{"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    /* the node itself withdraws a key whose id the cluster's key store gave another node */
    bool node = ctx->actor && strcmp(ctx->actor, "system") == 0;
    if (rc || (!node && (rc = require_admin(ctx, err))))
        return rc;
    bool found;
    if ((rc = sw_journal_key_revoke(ctx->conn, id, ctx->now, &found, err)))
        return rc;
    bool exists = false;
    if (!found && (rc = sw_journal_key_exists(ctx->conn, id, &exists, err)))
        return rc;
    if (!found && exists) /* it is there, listed with its revoked_at: its state refuses this */
        return sw_fail(err, SW_E_STATE_CONFLICT, "id", "key '%s' is already revoked", id);
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown key '%s'", id);
    rc = sw_ctx_emit(ctx, "key.revoked", NULL, id, json_pack("{s:s}", "id", id), err);
    if (rc == SW_OK)
        *result = json_pack("{s:s,s:b}", "id", id, "revoked", 1);
    return rc;
}

/* A key the cluster's key store holds (docs/scale-out.md, "Keys"), brought into this node's
 * keys by the node itself (actor system): a key it lacks is added as it was made (its hash,
 * role, label, expiry and creation instant), a revocation it lacks is applied; a key it has
 * with another hash is refused (already_exists: one id, two secrets). Nothing else changes,
 * and the audit log says key.created / key.revoked as for a key made here. */
struct key_record {
    const char *id, *role, *hash, *label;
    int64_t created_at, expires_at, revoked_at;
    unsigned char h[32];
};

static int key_record_read(const json_t *in, struct key_record *k, struct sw_error *err)
{
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &k->id, 0, NULL},
        {"role", SW_J_STR, SW_J_REQUIRED, &k->role, SW_ROLE_MAX, NULL},
        {"hash", SW_J_STR, SW_J_REQUIRED, &k->hash, 64, NULL},
        {"label", SW_J_STR, 0, &k->label, SW_KEY_LABEL_MAX, NULL},
        {"created_at", SW_J_INSTANT, SW_J_REQUIRED, &k->created_at, 0, NULL},
        {"expires_at", SW_J_INSTANT, 0, &k->expires_at, 0, NULL},
        {"revoked_at", SW_J_INSTANT, 0, &k->revoked_at, 0, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc)
        return rc;
    return role_and_hash(k->role, k->hash, k->h, err);
}

static int key_add(struct sw_ctx *ctx, const struct key_record *k, struct sw_error *err)
{
    int rc = sw_journal_key_insert(ctx->conn, k->id, k->h, k->role, k->label, k->expires_at,
                                   k->created_at, err);
    if (rc)
        return rc;
    json_t *ev = json_pack("{s:s,s:s,s:s?,s:o}", "id", k->id, "role", k->role, "label", k->label,
                           "expires_at", sw_json_instant_opt(k->expires_at));
    return sw_ctx_emit(ctx, "key.created", NULL, k->id, ev, err);
}

static int key_sync(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct key_record k = {0};
    int rc = key_record_read(in, &k, err);
    if (rc)
        return rc;
    if (!ctx->actor || strcmp(ctx->actor, "system") != 0)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "keys are synced by the node itself");
    json_t *have = NULL;
    if ((rc = sw_journal_key_records(ctx->conn, k.id, &have, err)))
        return rc;
    const json_t *mine = json_array_get(have, 0);
    const char *my_hash = json_string_value(json_object_get(mine, "hash"));
    bool revoked = json_is_string(json_object_get(mine, "revoked_at")), changed = false, found;
    if (mine && strcmp(my_hash, k.hash) != 0)
        rc = sw_fail(err, SW_E_ALREADY_EXISTS, "id", "key '%s' is another key on this node", k.id);
    if (rc == SW_OK && !mine) {
        rc = key_add(ctx, &k, err);
        changed = true;
    }
    if (rc == SW_OK && k.revoked_at && (!mine || !revoked) &&
        (rc = sw_journal_key_revoke(ctx->conn, k.id, k.revoked_at, &found, err)) == SW_OK) {
        rc = sw_ctx_emit(ctx, "key.revoked", NULL, k.id, json_pack("{s:s}", "id", k.id), err);
        changed = true;
    }
    json_decref(have);
    if (rc == SW_OK)
        *result = json_pack("{s:s,s:b}", "id", k.id, "changed", changed);
    return rc;
}

static int maintenance(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    bool enabled = false;
    int64_t retry = 60;
    const char *reason = NULL;
    struct sw_jfield f[] = {
        {"enabled", SW_J_BOOL, SW_J_REQUIRED, &enabled, 0, NULL},
        {"retry_after_s", SW_J_INT, 0, &retry, 86400, NULL},
        {"reason", SW_J_STR, 0, &reason, SW_MAINT_REASON_MAX, NULL},
    };
    int rc = sw_json_read(in, "", f, sizeof f / sizeof f[0], true, err);
    if (rc || (rc = require_admin(ctx, err)))
        return rc;
    if (retry < 1)
        return sw_fail(err, SW_E_INVALID_VALUE, "retry_after_s", "retry_after_s must be >= 1");
    char v[32];
    snprintf(v, sizeof v, "%d:%lld", enabled ? 1 : 0, (long long)retry);
    /* Each change states its reason: a change without one leaves none. */
    if ((rc = sw_meta_put(ctx->conn, "maintenance", v, err)) ||
        (rc = sw_meta_put(ctx->conn, "maintenance_reason", reason ? reason : "", err)))
        return rc;
    json_t *ev = json_pack("{s:b,s:I}", "enabled", enabled, "retry_after_s", (json_int_t)retry);
    if (reason)
        json_object_set_new(ev, "reason", json_string(reason));
    *result = json_deep_copy(ev);
    rc = sw_ctx_emit(ctx, "admin.maintenance_changed", NULL, "maintenance", ev, err);
    if (rc) {
        json_decref(*result);
        *result = NULL;
    }
    return rc;
}

int sw_admin_maintenance_state(struct sw_conn *c, bool *enabled, int *retry_after_s, char *reason,
                               struct sw_error *err)
{
    char v[32];
    bool found;
    reason[0] = '\0';
    int rc = sw_meta_get(c, "maintenance_reason", reason, SW_MAINT_REASON_MAX + 1, &found, err);
    if (rc == SW_OK)
        rc = sw_meta_get(c, "maintenance", v, sizeof v, &found, err);
    *enabled = false;
    *retry_after_s = 60;
    if (rc == SW_OK && found) {
        /* "<0|1>:<seconds>", written by the maintenance command above */
        char *end;
        long e = strtol(v, &end, 10);
        if (*end == ':') {
            long r = strtol(end + 1, &end, 10);
            if (*end == '\0' && r > 0 && r <= 86400) {
                *enabled = e != 0;
                *retry_after_s = (int)r;
            }
        }
    }
    return rc;
}

/* A write whose body did not parse, sent with an Idempotency-Key the log did not hold (the
 * engine answers a known key as a repeat: idempotency_conflict): it fails with the parse
 * error, so nothing is logged and the key stays free. */
static int request_unparsed(struct sw_ctx *ctx, const json_t *in, json_t **result,
                            struct sw_error *err)
{
    (void)ctx;
    (void)result;
    const char *name = json_string_value(json_object_get(in, "code"));
    const char *field = json_string_value(json_object_get(in, "field"));
    const char *msg = json_string_value(json_object_get(in, "message"));
    int code = name ? sw_err_from_name(name) : -1;
    if (code != SW_E_INVALID_JSON && code != SW_E_INVALID_UTF8 && code != SW_E_BAD_REQUEST)
        code = SW_E_INVALID_JSON;
    return sw_fail(err, code, field && field[0] ? field : NULL, "%s", msg ? msg : "invalid JSON");
}

/* A manual clock's move recorded under its Idempotency-Key (POST /v1/admin/clock, docs/api.md):
 * the HTTP layer asks first with no outcome, which is refused (nothing logged) unless the key is
 * a repeat (the engine then answers the first move's result: the outcome is the volatile
 * field), moves the clock, then records the move with its outcome. */
static int clock_moved(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)ctx;
    const json_t *now = json_object_get(in, "now"), *o = json_object_get(in, "outcome");
    if (!json_is_string(now))
        return sw_fail(err, SW_E_INVALID_VALUE, "now", "now must be an instant");
    if (!json_is_object(o))
        return sw_fail(err, SW_E_NOT_FOUND, "outcome", "no clock move recorded under this key");
    *result =
        json_pack("{s:O,s:O}", "now", now, "timers_fired", json_object_get(o, "timers_fired"));
    return *result ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
}

int sw_admin_clock_record(struct sw_engine *e, const struct sw_cmd *who, sw_instant to, int fired,
                          json_t **result, bool *replayed, struct sw_error *err)
{
    char now[32];
    sw_instant_format(to, now);
    json_t *payload =
        fired < 0 ? json_pack("{s:s,s:n}", "now", now, "outcome")
                  : json_pack("{s:s,s:{s:i}}", "now", now, "outcome", "timers_fired", fired);
    struct sw_cmd cmd = {.type = "admin.clock",
                         .actor = who->actor,
                         .actor_key = who->actor_key,
                         .actor_label = who->actor_label,
                         .idem_key = who->idem_key,
                         .payload = payload};
    int rc = payload ? sw_engine_execute(e, &cmd) : SW_E_INTERNAL;
    if (rc == SW_OK) {
        *result = json_incref(cmd.result);
        *replayed = cmd.replayed;
    } else if (!payload) {
        sw_fail(err, rc, NULL, "out of memory");
    } else {
        *err = cmd.err;
        err->code = rc;
    }
    sw_cmd_release(&cmd);
    json_decref(payload);
    return rc;
}

/* The demo data set's key seed: the command only records it; `serve --demo` sends it with a
 * fixed idempotency key, so every later run gets the first seed back. */
static int demo_seed(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *seed = NULL;
    struct sw_jfield f[] = {{"seed", SW_J_STR, SW_J_REQUIRED, &seed, 64, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc || (rc = require_admin(ctx, err)))
        return rc;
    *result = json_pack("{s:s}", "seed", seed);
    return SW_OK;
}

int sw_admin_register(struct sw_engine *e)
{
    int rc;
    /* Every start proposes a fresh seed; the first one logged wins (a replay). */
    if ((rc = sw_engine_register(e, "demo.seed", demo_seed)) ||
        (rc = sw_engine_set_volatile_field(e, "demo.seed", "seed")))
        return rc;
    if ((rc = sw_engine_register(e, "key.create", key_create)) ||
        (rc = sw_engine_set_volatile_field(e, "key.create", "hash")) ||
        (rc = sw_engine_register(e, "key.revoke", key_revoke)) ||
        (rc = sw_engine_register(e, "key.sync", key_sync)) ||
        (rc = sw_engine_register(e, "request.unparsed", request_unparsed)) ||
        (rc = sw_engine_register(e, "admin.clock", clock_moved)) ||
        (rc = sw_engine_set_volatile_field(e, "admin.clock", "outcome")) ||
        (rc = sw_engine_register(e, "admin.maintenance", maintenance)) ||
        (rc = sw__admin_policy_register(e)))
        return rc;
    return SW_OK;
}
