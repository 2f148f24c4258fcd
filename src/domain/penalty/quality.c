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

static void rates(json_t *rows)
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
    rates(rows);
    *out = json_pack("{s:o}", "rules", rows);
    return SW_OK;
}

static int row_cmp(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    static const char *const keys[] = {"rule", "type", "policy_version"};
    for (int k = 0; k < 3; k++) {
        const char *s = json_string_value(json_object_get(x, keys[k]));
        const char *t = json_string_value(json_object_get(y, keys[k]));
        int d = strcmp(s ? s : "", t ? t : "");
        if (d)
            return d;
    }
    return 0;
}

json_t *sw_penalty_rule_quality_join(const json_t *answers)
{
    json_t *rows = json_array();
    size_t i, j, n = 0;
    const json_t *a, *r;
    json_array_foreach(answers, i, a)
    {
        n += json_array_size(json_object_get(a, "rules"));
    }
    json_t **v = calloc(n ? n : 1, sizeof *v);
    n = 0;
    json_array_foreach(answers, i, a)
    {
        json_array_foreach(json_object_get(a, "rules"), j, r)
        {
            if (v)
                v[n++] = (json_t *)r;
        }
    }
    if (v)
        qsort(v, n, sizeof *v, row_cmp);
    json_t *cur = NULL;
    for (size_t k = 0; v && k < n; k++) {
        if (cur && row_cmp(&cur, &v[k]) == 0) { /* the same rule in another partition: added */
            const char *key;
            json_t *x;
            json_object_foreach(cur, key, x)
            {
                if (json_is_integer(x))
                    json_integer_set(x, json_integer_value(x) +
                                            json_integer_value(json_object_get(v[k], key)));
            }
            continue;
        }
        cur = json_deep_copy(v[k]);
        json_array_append_new(rows, cur);
    }
    free(v);
    rates(rows);
    return json_pack("{s:o}", "rules", rows);
}
