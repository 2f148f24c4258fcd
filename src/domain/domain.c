#include "domain/domain.h"

#include <string.h>

#include "base/json.h"

#include "domain/admin/admin.h"
#include "domain/access/access.h"
#include "domain/affiliate/affiliate.h"
#include "domain/badge/badge.h"
#include "domain/catalog/catalog.h"
#include "domain/filing/filing.h"
#include "domain/penalty/penalty.h"
#include "domain/promotion/promotion.h"
#include "domain/qualification/qualification.h"
#include "domain/queue/queue.h"
#include "engine/asof.h"

int sw_if_version(const struct sw_if_version *iv, int64_t have, const char *what, const char *id,
                  struct sw_error *err)
{
    if (!iv->given || iv->want == have || iv->want == SW_IF_VERSION_ANY)
        return SW_OK;
    return sw_fail(err, SW_E_VERSION_MISMATCH, "if_version",
                   "%s '%s' is at version %lld, not %lld: read it again before changing it", what,
                   id, (long long)have, (long long)iv->want);
}

int sw_decision_read(const json_t *in, size_t note_max, struct sw_decision *d, struct sw_error *err)
{
    const char *decision = NULL;
    *d = (struct sw_decision){0};
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &d->id, 0, NULL},
        {"decision", SW_J_STR, SW_J_REQUIRED, &decision, 16, NULL},
        {"note", SW_J_STR, 0, &d->note, note_max, NULL},
        SW_IF_VERSION_FIELD(d->iv),
    };
    int rc = sw_json_unknown(in, "", f, sizeof f / sizeof f[0], err);
    if (rc || (rc = sw_json_read(in, "", f, 2, false, err)))
        return rc;
    d->approve = strcmp(decision, "approve") == 0;
    if (!d->approve && strcmp(decision, "reject") != 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "decision",
                       "decision must be 'approve' or 'reject'");
    return sw_json_read(in, "", f + 2, sizeof f / sizeof f[0] - 2, false, err);
}

int sw_domain_register_all(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_admin_register(e)) || (rc = sw_catalog_register(e)) ||
        (rc = sw_penalty_register(e)) || (rc = sw_access_register(e)) ||
        (rc = sw_qualification_register(e)) || (rc = sw_promotion_register(e)) ||
        (rc = sw_filing_register(e)) || (rc = sw_badge_register(e)) ||
        (rc = sw_affiliate_register(e)) || (rc = sw_asof_register(e)) ||
        /* last: it wraps the other modules' decisions (claims, approvals) */
        (rc = sw_queue_register(e)))
        return rc;
    return SW_OK;
}

bool sw_domain_store_sees(const char *type, const json_t *payload)
{
    return sw_queue_store_sees_event(type) && sw_penalty_store_sees_event(type, payload);
}
