/* Claims and notes: who works an item for now, and what staff wrote about it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/queue/queue_int.h"

#define MINUTE_US INT64_C(60000000)

static int staff_key(struct sw_ctx *ctx, const char *what, struct sw_error *err)
{
    if (!sw_actor_is_staff(ctx->actor) || !ctx->actor_key)
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only an operator's key %s", what);
    return SW_OK;
}

/* Refuses a decision on a claimed item; the claim (item, holder, until) is the refusal's
 * details. */
static int refuse_claimed(struct sw_ctx *ctx, const struct sw_claim_row *c, struct sw_error *err)
{
    json_decref(ctx->err_details);
    ctx->err_details = json_pack("{s:s,s:s,s:o}", "item", c->item, "holder", c->holder, "until",
                                 sw_json_instant(c->until_us));
    char until[32];
    sw_instant_format(c->until_us, until);
    return sw_fail(err, SW_E_CLAIMED, "item", "'%s' is claimed by %s until %s", c->item, c->holder,
                   until);
}

int sw__queue_check_claim(struct sw_ctx *ctx, const char *item, struct sw_error *err)
{
    if (!ctx->actor_key || !item)
        return SW_OK;
    struct sw_claim_row c = {0};
    bool found;
    int rc = sw_sql_claim_get(ctx->conn, item, ctx->now, &c, &found, err);
    if (rc == SW_OK && found && strcmp(c.holder, ctx->actor_key) != 0)
        rc = refuse_claimed(ctx, &c, err);
    json_decref(c.doc);
    return rc;
}

static json_t *claim_json(const struct sw_claim_row *c)
{
    json_t *o = json_pack("{s:s,s:s,s:o}", "item", c->item, "holder", c->holder, "until",
                          sw_json_instant(c->until_us));
    json_object_update(o, c->doc);
    return o;
}

static int q_claim(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *item = NULL;
    int64_t minutes = ctx->policy->queue.claim_minutes;
    bool given = false;
    struct sw_jfield f[] = {{"item", SW_J_ID, SW_J_REQUIRED, &item, 0, NULL},
                            {"minutes", SW_J_INT, 0, &minutes, 0, &given}};
    int rc = sw_json_read(in, "", f, 2, true, err);
    if (rc || (rc = staff_key(ctx, "claims queue items", err)))
        return rc;
    int64_t max = ctx->policy->queue.claim_max_minutes;
    if (given && (minutes < 1 || minutes > max))
        return sw_fail(err, SW_E_INVALID_VALUE, "minutes",
                       "'minutes' must be between 1 and %lld (queue.claim_max_minutes)",
                       (long long)max);
    struct sw_claim_row c = {0};
    bool found;
    if ((rc = sw_sql_claim_get(ctx->conn, item, ctx->now, &c, &found, err)))
        return rc;
    if (found && strcmp(c.holder, ctx->actor_key) != 0) {
        rc = refuse_claimed(ctx, &c, err);
        json_decref(c.doc);
        return rc;
    }
    json_decref(c.doc);
    c = (struct sw_claim_row){.until_us = ctx->now + minutes * MINUTE_US};
    snprintf(c.item, sizeof c.item, "%s", item);
    snprintf(c.holder, sizeof c.holder, "%s", ctx->actor_key);
    c.doc = json_pack("{s:o,s:o,s:b}", "by", sw_ctx_actor(ctx), "claimed_at",
                      sw_json_instant(ctx->now), "extended", found);
    rc = sw_sql_claim_put(ctx->conn, &c, err);
    json_t *out = rc ? NULL : claim_json(&c);
    json_decref(c.doc);
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, "queue.claimed", NULL, item, json_incref(out), err);
    if (rc == SW_OK)
        *result = out;
    else
        json_decref(out);
    return rc;
}

static int q_release(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *item = NULL;
    struct sw_jfield f[] = {{"item", SW_J_ID, SW_J_REQUIRED, &item, 0, NULL}};
    int rc = sw_json_read(in, "", f, 1, true, err);
    if (rc || (rc = staff_key(ctx, "releases claims", err)))
        return rc;
    struct sw_claim_row c = {0};
    bool found;
    if ((rc = sw_sql_claim_get(ctx->conn, item, ctx->now, &c, &found, err)))
        return rc;
    if (!found)
        return sw_fail(err, SW_E_NOT_FOUND, "item", "'%s' is not claimed", item);
    if (strcmp(c.holder, ctx->actor_key) != 0 && strcmp(ctx->actor, "admin") != 0)
        rc = refuse_claimed(ctx, &c, err);
    if (rc == SW_OK && (rc = sw_sql_claim_delete(ctx->conn, item, err)) == SW_OK) {
        json_t *ev = json_pack("{s:s,s:s,s:o,s:o}", "item", item, "holder", c.holder, "by",
                               sw_ctx_actor(ctx), "released_at", sw_json_instant(ctx->now));
        *result = json_incref(ev);
        rc = sw_ctx_emit(ctx, "queue.released", NULL, item, ev, err);
    }
    json_decref(c.doc);
    return rc;
}

static int q_note(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *subject = NULL, *text = NULL;
    struct sw_jfield f[] = {{"subject", SW_J_ID, SW_J_REQUIRED, &subject, 0, NULL},
                            {"text", SW_J_STR, SW_J_REQUIRED, &text, SW_NOTE_MAX_BYTES, NULL}};
    int rc = sw_json_read(in, "", f, 2, true, err);
    if (rc)
        return rc;
    if (!sw_actor_is_staff(ctx->actor))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only staff write notes");
    if (sw_text_blank(text))
        return sw_fail(err, SW_E_INVALID_VALUE, "text", "'text' must not be blank");
    json_t *doc = json_pack("{s:s,s:o}", "text", text, "by", sw_ctx_actor(ctx));
    char *dtext = sw_json_dump(doc);
    int64_t rid = 0;
    rc = dtext ? sw_sql_note_insert(ctx->conn, subject, ctx->now, dtext, &rid, err)
               : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    free(dtext);
    if (rc) {
        json_decref(doc);
        return rc;
    }
    char id[24];
    snprintf(id, sizeof id, "n%lld", (long long)rid);
    json_t *note = json_pack("{s:s,s:s,s:O,s:O,s:o}", "id", id, "subject", subject, "text",
                             json_object_get(doc, "text"), "by", json_object_get(doc, "by"), "at",
                             sw_json_instant(ctx->now));
    json_decref(doc);
    *result = json_incref(note);
    return sw_ctx_emit(ctx, "note.added", NULL, subject, note, err);
}

int sw__queue_claims_register(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_engine_register(e, "queue.claim", q_claim)) ||
        (rc = sw_engine_register(e, "queue.release", q_release)) ||
        (rc = sw_engine_register(e, "note.add", q_note)))
        return rc;
    return SW_OK;
}
