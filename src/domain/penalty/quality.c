/* Rule quality: how each rule's violations ended, from the operators' own decisions (issue 17).
 * An upheld appeal (overturned) and a dismissed finding are the labels of a wrong decision. */
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/penalty/penalty_int.h"

static json_t *rate(int64_t part, int64_t whole)
{
    return whole > 0 ? json_real((double)part / (double)whole) : json_null();
}

void sw__quality_rates(json_t *rows)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        int64_t in_force = json_integer_value(json_object_get(r, "in_force")),
                overturned = json_integer_value(json_object_get(r, "overturned")),
                dismissed = json_integer_value(json_object_get(r, "dismissed"));
        /* took effect: in force now, or in force until an appeal overturned it */
        json_object_set_new(r, "overturn_rate", rate(overturned, in_force + overturned));
        json_object_set_new(r, "dismiss_rate", rate(dismissed, dismissed + in_force + overturned));
    }
}

int sw_penalty_rule_quality(struct sw_conn *c, const char *rule, const char *policy_version,
                            json_t **out, struct sw_error *err)
{
    json_t *rows = NULL;
    int rc = sw_sql_rule_quality(c, rule, policy_version, &rows, err);
    if (rc)
        return rc;
    sw__quality_rates(rows);
    *out = json_pack("{s:o}", "rules", rows);
    return SW_OK;
}
