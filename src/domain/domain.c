#include "domain/domain.h"

#include "domain/admin/admin.h"
#include "domain/access/access.h"
#include "domain/affiliate/affiliate.h"
#include "domain/badge/badge.h"
#include "domain/catalog/catalog.h"
#include "domain/filing/filing.h"
#include "domain/penalty/penalty.h"
#include "domain/promotion/promotion.h"
#include "domain/qualification/qualification.h"
#include "engine/asof.h"

int sw_if_version(const struct sw_if_version *iv, int64_t have, const char *what, const char *id,
                  struct sw_error *err)
{
    if (!iv->given || iv->want == have)
        return SW_OK;
    return sw_fail(err, SW_E_VERSION_MISMATCH, "if_version",
                   "%s '%s' is at version %lld, not %lld: read it again before changing it", what,
                   id, (long long)have, (long long)iv->want);
}

int sw_domain_register_all(struct sw_engine *e)
{
    int rc;
    if ((rc = sw_admin_register(e)) || (rc = sw_catalog_register(e)) ||
        (rc = sw_penalty_register(e)) || (rc = sw_access_register(e)) ||
        (rc = sw_qualification_register(e)) || (rc = sw_promotion_register(e)) ||
        (rc = sw_filing_register(e)) || (rc = sw_badge_register(e)) ||
        (rc = sw_affiliate_register(e)) || (rc = sw_asof_register(e)))
        return rc;
    return SW_OK;
}

bool sw_domain_store_sees(const char *type, const json_t *payload)
{
    return sw_penalty_store_sees_event(type, payload);
}
