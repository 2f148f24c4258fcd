/* Cluster mode: the node's API keys and the cluster's key store (docs/scale-out.md, "Keys";
 * src/cluster/keys.c). A key made or revoked here is published once it committed in node.db;
 * every record of the store (another node's key, or a revocation) comes back through
 * sw_http_key_sync and is applied to node.db by the key.sync command, so a request's key is
 * still checked locally, and every node accepts every key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/log.h"
#include "http/handlers.h"
#include "store/journal.h"

/* The records of key `id` (NULL: every key) of node.db. */
static int records(struct sw_server *s, const char *id, json_t **out, struct sw_error *err)
{
    struct sw_pool *pool = sw_engine_readers(s->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    int rc = sw_journal_key_records(c, id, out, err);
    sw_pool_release(pool, c);
    return rc;
}

static int publish(struct sw_server *s, const json_t *rec, struct sw_error *err)
{
    if (!s->key_publish) /* single-node mode: nothing to share */
        return SW_OK;
    char *text = sw_json_dump(rec);
    int rc = text ? s->key_publish(s->cluster, text, err)
                  : sw_fail(err, SW_E_INTERNAL, NULL, "cannot encode the key");
    free(text);
    return rc;
}

/* A command of the node itself (actor system) on its engine, for key `id`: its result (a new
 * reference), or NULL when it failed, which is logged as `event`. */
static json_t *run_as_node(struct sw_server *s, const char *type, const char *label,
                           const char *idem, json_t *payload, const char *event, const char *id)
{
    struct sw_cmd cmd = {.type = type,
                         .actor = "system",
                         .actor_label = label,
                         .idem_key = idem,
                         .payload = payload};
    json_t *result = NULL;
    if (sw_engine_execute(s->engine, &cmd) != SW_OK)
        sw_log(SW_LOG_ERROR, event, "key '%s': %s", id, cmd.err.msg);
    else
        result = json_incref(cmd.result);
    sw_cmd_release(&cmd);
    return result;
}

/* The node's own revocation of a key it could not publish (another node had the id first):
 * the id is the other node's key everywhere, here too once its record comes. */
static void withdraw(struct sw_server *s, const char *id)
{
    char idem[160];
    snprintf(idem, sizeof idem, "keywithdraw|%s", id);
    json_t *payload = json_pack("{s:s}", "id", id);
    json_decref(run_as_node(s, "key.revoke", "cluster key store: the id is another node's key",
                            idem, payload, "keys.withdraw", id));
    json_decref(payload);
    sw__auth_forget_all(s);
}

int sw__keys_publish(struct sw_req *r, const char *id, struct sw_error *err)
{
    struct sw_server *s = r->srv;
    if (!s->key_publish)
        return SW_OK;
    json_t *recs = NULL;
    int rc = records(s, id, &recs, err);
    const json_t *rec = rc ? NULL : json_array_get(recs, 0);
    if (rc == SW_OK && rec)
        rc = publish(s, rec, err);
    json_decref(recs);
    if (rc == SW_E_ALREADY_EXISTS && !r->replayed)
        withdraw(s, id);
    return rc;
}

void sw_http_key_sync(void *server, const char *record)
{
    struct sw_server *s = server;
    json_t *payload = json_loads(record, 0, NULL);
    const char *id = json_string_value(json_object_get(payload, "id"));
    const char *revoked = json_string_value(json_object_get(payload, "revoked_at"));
    if (!id) {
        sw_log(SW_LOG_ERROR, "keys.sync", "a key record without an id in the key store");
        json_decref(payload);
        return;
    }
    /* one command per record state: the same record handed over again changes nothing */
    char idem[400];
    snprintf(idem, sizeof idem, "keysync|%.64s|%.40s", id, revoked ? revoked : "live");
    json_t *result =
        run_as_node(s, "key.sync", "cluster key store", idem, payload, "keys.sync", id);
    if (json_is_true(json_object_get(result, "changed")))
        sw__auth_forget_all(s); /* a revocation takes effect at the next request */
    json_decref(result);
    json_decref(payload);
}

int sw_http_keys_replicate(struct sw_server *s, struct sw_error *err)
{
    json_t *recs = NULL;
    int rc = s->key_publish ? records(s, NULL, &recs, err) : SW_OK;
    size_t i;
    const json_t *rec;
    json_array_foreach(recs, i, rec)
    {
        struct sw_error e;
        if (publish(s, rec, &e) != SW_OK) /* another node's key under the id: that one wins */
            sw_log(SW_LOG_ERROR, "keys.replicate", "key '%s': %s",
                   json_string_value(json_object_get(rec, "id")), e.msg);
    }
    json_decref(recs);
    return rc;
}
