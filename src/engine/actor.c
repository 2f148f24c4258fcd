/* Who sent a command: its role (what it may do) and, for the audit log, the key and its
 * label (who did it). */
#include <string.h>

#include "engine/engine.h"

const char *sw_actor_merchant(const char *actor)
{
    return actor && strncmp(actor, "merchant:", 9) == 0 ? actor + 9 : NULL;
}

const char *sw_actor_streamer(const char *actor)
{
    return actor && strncmp(actor, "streamer:", 9) == 0 ? actor + 9 : NULL;
}

bool sw_actor_is_feed(const char *actor)
{
    return sw_actor_is_staff(actor) || (actor && strcmp(actor, "ingest") == 0);
}

bool sw_actor_is_staff(const char *actor)
{
    return actor && (strcmp(actor, "admin") == 0 || strcmp(actor, "operator") == 0 ||
                     strcmp(actor, "system") == 0 || strcmp(actor, "cli") == 0);
}

json_t *sw_actor_json(const char *key, const char *role, const char *label)
{
    return json_pack("{s:o,s:s,s:o}", "key", key ? json_string(key) : json_null(), "role",
                     role ? role : "system", "label", label ? json_string(label) : json_null());
}

json_t *sw_ctx_actor(const struct sw_ctx *ctx)
{
    return sw_actor_json(ctx->actor_key, ctx->actor, ctx->actor_label);
}

json_t *sw_actor_normalize(const json_t *stored)
{
    if (json_is_string(stored))
        return sw_actor_json(NULL, json_string_value(stored), NULL);
    return stored ? json_incref((json_t *)stored) : NULL;
}

static bool is_actor(const json_t *o)
{
    return json_object_size(o) == 3 && json_object_get(o, "key") && json_object_get(o, "label") &&
           json_is_string(json_object_get(o, "role"));
}

void sw_actor_redact(json_t *doc, const char *viewer)
{
    if (!viewer)
        return;
    if (json_is_array(doc)) {
        size_t i;
        json_t *v;
        json_array_foreach(doc, i, v) sw_actor_redact(v, viewer);
        return;
    }
    if (!json_is_object(doc))
        return;
    if (is_actor(doc)) {
        if (strcmp(json_string_value(json_object_get(doc, "role")), viewer) != 0) {
            json_object_set_new(doc, "key", json_null());
            json_object_set_new(doc, "label", json_null());
        }
        return;
    }
    const char *k;
    json_t *v;
    json_object_foreach(doc, k, v) sw_actor_redact(v, viewer);
}
