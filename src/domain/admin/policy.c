/* policy.activate: a new policy version put in force while the server runs (docs/engine.md,
 * "Policy versions"; docs/operator-guide.md). The document is validated and compiled before the
 * writer (the prepare hook); the writer only checks the version against the ones already used,
 * stores the document and switches. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/admin/admin.h"
#include "store/policy_sql.h"

struct policy_prep {
    struct sw_policy *p; /* NULL when the document does not load: the handler refuses it */
};

static int load_doc(const json_t *in, struct sw_policy **out, struct sw_error *err)
{
    char *text = sw_json_dump(in);
    if (!text)
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot serialise the policy");
    int rc = sw_policy_load(text, strlen(text), out, NULL, err);
    free(text);
    return rc;
}

/* Loading compiles the scanner: work a client controls, done on the submitting thread. */
static int prep_policy(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                       void **out, struct sw_error *err)
{
    (void)e;
    (void)reader;
    struct policy_prep *pp = calloc(1, sizeof *pp);
    if (!pp)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    struct sw_error ignored;
    if (load_doc(cmd->payload, &pp->p, &ignored) != SW_OK)
        pp->p = NULL;
    *out = pp;
    return SW_OK;
}

static void prep_policy_free(void *v)
{
    struct policy_prep *pp = v;
    sw_policy_free(pp->p);
    free(pp);
}

/* A version names one document forever: the one in force, or one used before, may only come
 * back with the very same document. *same is set when p is the policy in force already. */
static int check_version(struct sw_ctx *ctx, const struct sw_policy *p, bool *same,
                         struct sw_error *err)
{
    *same = strcmp(p->version, ctx->policy->version) == 0;
    if (*same)
        return json_equal(p->doc, ctx->policy->doc)
                   ? SW_OK
                   : sw_fail(err, SW_E_STATE_CONFLICT, "version",
                             "policy version '%s' is in force with another document; give the "
                             "new document a new version",
                             p->version);
    char *stored = NULL;
    int rc = sw_sql_policy_get(ctx->conn, p->version, &stored, err);
    if (rc || !stored)
        return rc;
    json_t *doc = NULL;
    rc = sw_json_parse(stored, strlen(stored), &doc, err);
    free(stored);
    if (rc == SW_OK && !json_equal(doc, p->doc))
        rc = sw_fail(err, SW_E_STATE_CONFLICT, "version",
                     "policy version '%s' was used before with another document; a version names "
                     "one document",
                     p->version);
    json_decref(doc);
    return rc;
}

/* Stores the outgoing version (if it predates activations) and the new one, then switches. */
static int activate(struct sw_ctx *ctx, struct sw_policy *p, struct sw_error *err)
{
    char *from_doc = sw_json_dump(ctx->policy->doc), *to_doc = sw_json_dump(p->doc);
    int rc = from_doc && to_doc ? SW_OK : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (rc == SW_OK)
        rc = sw_sql_policy_put(ctx->conn, ctx->policy->version, from_doc, 0, 0, err);
    if (rc == SW_OK)
        rc = sw_sql_policy_put(ctx->conn, p->version, to_doc, ctx->now, ctx->command_seq, err);
    free(from_doc);
    free(to_doc);
    if (rc) {
        sw_policy_free(p);
        return rc;
    }
    return sw_ctx_policy_activate(ctx, p, err);
}

static int policy_activate(struct sw_ctx *ctx, const json_t *in, json_t **result,
                           struct sw_error *err)
{
    if (!ctx->actor || (strcmp(ctx->actor, "admin") != 0 && strcmp(ctx->actor, "cli") != 0))
        return sw_fail(err, SW_E_FORBIDDEN, NULL, "only admins may activate a policy");
    const struct policy_prep *pp = ctx->prepared;
    struct sw_policy *p = NULL;
    int rc = SW_OK;
    if (pp && pp->p) {
        p = pp->p;
        ((struct policy_prep *)pp)->p = NULL; /* taken: the engine owns it from here on */
    } else if ((rc = load_doc(in, &p, err))) {
        return rc;
    }
    if (!p)
        return sw_fail(err, SW_E_INTERNAL, NULL, "the policy did not load");
    bool same = false;
    if ((rc = check_version(ctx, p, &same, err)) || same) {
        sw_policy_free(p);
        if (rc == SW_OK)
            *result = json_pack("{s:s,s:s,s:b}", "from", ctx->policy->version, "to",
                                ctx->policy->version, "activated", 0);
        return rc;
    }
    char from[sizeof p->version];
    memcpy(from, ctx->policy->version, sizeof from);
    if ((rc = activate(ctx, p, err)))
        return rc;
    /* Subscribers run in this transaction and see the new policy in ctx->policy. */
    if ((rc = sw_ctx_emit(ctx, "policy.activated", NULL, ctx->policy->version,
                          json_pack("{s:s,s:s}", "from", from, "to", ctx->policy->version), err)))
        return rc;
    *result = json_pack("{s:s,s:s,s:b}", "from", from, "to", ctx->policy->version, "activated", 1);
    return SW_OK;
}

int sw__admin_policy_register(struct sw_engine *e)
{
    int rc = sw_engine_register(e, "policy.activate", policy_activate);
    return rc ? rc : sw_engine_set_prepare(e, "policy.activate", prep_policy, prep_policy_free);
}
