/* Policy versions at runtime (docs/engine.md, "Policy versions"). The writer thread owns the
 * switch: a command activates a policy with sw_ctx_policy_activate, later commands of the batch
 * run under it, and COMMIT publishes it to readers with one atomic store. Policies are never
 * freed before the engine closes: a reader that loaded the old pointer keeps using it safely,
 * and activations are rare enough for the list to stay short. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "engine/engine_int.h"
#include "store/policy_sql.h"

static int own(struct sw_engine *e, struct sw_policy *p, struct sw_error *err)
{
    if (e->nowned == e->capowned) {
        int cap = e->capowned ? 2 * e->capowned : 4;
        struct sw_policy **n = realloc(e->owned, (size_t)cap * sizeof *n);
        if (!n) {
            sw_policy_free(p);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        }
        e->owned = n;
        e->capowned = cap;
    }
    e->owned[e->nowned++] = p;
    return SW_OK;
}

int sw__policies_open(struct sw_engine *e, struct sw_error *err)
{
    atomic_store(&e->policy, e->cfg.policy);
    e->wpolicy = e->cfg.policy;
    char *doc = NULL;
    int rc = sw_sql_policy_active(&e->writer, &doc, err);
    if (rc == SW_OK && !doc && e->cfg.policy) {
        /* Nothing was activated: the log runs under the file's or the built-in policy. Its
         * document is kept under its version (as an activation keeps the one it replaces), so
         * that a replay finds the policy of every command, also after an upgrade whose
         * built-in default is another version (a version already stored keeps its document). */
        char *own_doc = sw_json_dump(e->cfg.policy->doc);
        rc = own_doc ? sw_sql_policy_put(&e->writer, e->cfg.policy->version, own_doc, 0, 0, err)
                     : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        free(own_doc);
    }
    if (rc || !doc)
        return rc;
    struct sw_policy *p = NULL;
    struct sw_error why;
    sw_error_clear(&why);
    rc = sw_policy_load(doc, strlen(doc), &p, NULL, &why);
    free(doc);
    if (rc)
        return sw_fail(err, rc, NULL, "the active policy stored in the database: %s", why.msg);
    if ((rc = own(e, p, err)))
        return rc;
    atomic_store(&e->policy, p);
    e->wpolicy = p;
    return SW_OK;
}

int sw_ctx_policy_activate(struct sw_ctx *ctx, struct sw_policy *p, struct sw_error *err)
{
    struct sw_engine *e = ctx->engine;
    int rc = own(e, p, err);
    if (rc)
        return rc;
    e->wpolicy = p;
    ctx->policy = p;
    return SW_OK;
}

void sw__policies_publish(struct sw_engine *e)
{
    if (atomic_load(&e->policy) != e->wpolicy)
        atomic_store(&e->policy, e->wpolicy);
}

void sw__policies_rollback(struct sw_engine *e)
{
    e->wpolicy = atomic_load(&e->policy);
}

void sw__policies_free(struct sw_engine *e)
{
    for (int i = 0; i < e->nowned; i++)
        sw_policy_free(e->owned[i]);
    free(e->owned);
    e->owned = NULL;
    e->nowned = e->capowned = 0;
}
