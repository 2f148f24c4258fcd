/* The policy's "affiliate" section (docs/affiliate.md): the thresholds of order review and
 * spike monitoring. Every key is optional; the defaults are RULES.md's.
 *   repeat_buyer        {"max_orders": 3, "window_hours": 24}
 *   conversion_outlier  {"factor_pct": 150, "min_promoter_orders": 20,
 *                        "min_platform_orders": 50}
 *   spike               {"factor": 5, "min_orders": 20, "baseline_hours": 24} */
#include <stdio.h>

#include "base/json.h"
#include "policy/policy.h"

struct knob {
    const char *section, *key;
    int64_t *out, dflt, min, max, scale;
};

void sw__policy_affiliate(struct sw_policy *p, json_t *problems, json_t *section)
{
    struct sw_affiliate_policy *a = &p->affiliate;
    const int64_t hour = INT64_C(3600000000);
    const struct knob knobs[] = {
        {"repeat_buyer", "max_orders", &a->repeat_max_orders, 3, 1, 1000, 1},
        {"repeat_buyer", "window_hours", &a->repeat_window_us, 24, 1, 720, hour},
        {"conversion_outlier", "factor_pct", &a->outlier_factor_pct, 150, 100, 100000, 1},
        {"conversion_outlier", "min_promoter_orders", &a->outlier_min_promoter, 20, 1, 1000000, 1},
        {"conversion_outlier", "min_platform_orders", &a->outlier_min_platform, 50, 1, 1000000, 1},
        {"spike", "factor", &a->spike_factor, 5, 1, 1000, 1},
        {"spike", "min_orders", &a->spike_min_orders, 20, 1, 1000000, 1},
        {"spike", "baseline_hours", &a->spike_baseline_hours, 24, 1, 720, 1},
    };
    static const char *const sections[] = {"repeat_buyer", "conversion_outlier", "spike", NULL};
    if (section)
        sw_json_closed(problems, section, "$.affiliate", sections);
    for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
        const struct knob *k = &knobs[i];
        *k->out = k->dflt * k->scale;
        char path[96];
        snprintf(path, sizeof path, "$.affiliate.%s", k->section);
        json_t *s =
            section ? sw_json_want(problems, section, "$.affiliate", k->section, JSON_OBJECT, false)
                    : NULL;
        json_t *v = s ? sw_json_want(problems, s, path, k->key, JSON_INTEGER, false) : NULL;
        if (v && (json_integer_value(v) < k->min || json_integer_value(v) > k->max))
            sw_json_problem(problems, path, "%s must be between %lld and %lld", k->key,
                            (long long)k->min, (long long)k->max);
        else if (v)
            *k->out = json_integer_value(v) * k->scale;
    }
}
