/* Point-in-time reads of filing records (docs/point-in-time.md): every event of a record holds
 * the whole record, history included. */
#include "domain/filing/filing.h"
#include "engine/asof.h"

static void filing_step(json_t **state, const struct sw_asof_event *ev)
{
    sw_asof_replace(state, ev->payload);
}

static const struct sw_asof_kind filing_kind = {5, "filing.", filing_step};

int sw_filing_get_at(struct sw_engine *e, struct sw_conn *c, const char *id, const char *viewer,
                     int64_t at_us, json_t **out, struct sw_error *err)
{
    int64_t last = 0;
    int rc = sw_asof_fold(e, c, &filing_kind, id, at_us, out, &last, err);
    if (rc == SW_OK && !*out)
        return sw_fail(err, SW_E_NOT_FOUND, "id", "unknown filing '%s'", id);
    if (rc == SW_OK)
        sw_actor_redact(*out, viewer);
    return rc;
}
