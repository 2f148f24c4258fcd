/* The policy's "promotion" section (quick promotion, docs/promotion.md): which categories may
 * be promoted (`admitted_categories`: exact codes, `industry.*` or `*`) and how long impression
 * reports may lag (`stats_delay_minutes`, default 120). Without the section nothing is
 * admitted. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"

#define DEFAULT_DELAY_MIN 120
#define MAX_DELAY_MIN 10080 /* a week */
#define MAX_PATTERNS 256

static bool pattern_shape(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return false;
    if (strcmp(s, "*") == 0)
        return true;
    const char *star = strchr(s, '*');
    if (star && (star != s + n - 1 || n < 3 || s[n - 2] != '.'))
        return false; /* a star only as the whole leaf: "beauty.*" */
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '.' ||
              *c == '*'))
            return false;
    return true;
}

void sw__policy_promotion(struct sw_policy *p, json_t *problems, json_t *section)
{
    p->promotion.stats_delay_us = (int64_t)DEFAULT_DELAY_MIN * INT64_C(60000000);
    p->promotion.admitted = NULL;
    if (!section)
        return;
    static const char *const allowed[] = {"admitted_categories", "stats_delay_minutes", NULL};
    sw_json_closed(problems, section, "$.promotion", allowed);
    json_t *adm =
        sw_json_want(problems, section, "$.promotion", "admitted_categories", JSON_ARRAY, true);
    if (adm && json_array_size(adm) > MAX_PATTERNS)
        sw_json_problem(problems, "$.promotion.admitted_categories", "at most %d patterns",
                        MAX_PATTERNS);
    size_t i;
    json_t *v;
    json_array_foreach(adm, i, v)
    {
        if (!json_is_string(v) || !pattern_shape(json_string_value(v)))
            sw_json_problem(problems, "$.promotion.admitted_categories",
                            "item %zu must be a category code, 'industry.*' or '*'", i);
    }
    p->promotion.admitted = adm;
    json_t *d =
        sw_json_want(problems, section, "$.promotion", "stats_delay_minutes", JSON_INTEGER, false);
    if (d && (json_integer_value(d) < 0 || json_integer_value(d) > MAX_DELAY_MIN))
        sw_json_problem(problems, "$.promotion.stats_delay_minutes",
                        "must be between 0 and %d minutes", MAX_DELAY_MIN);
    else if (d)
        p->promotion.stats_delay_us = (int64_t)json_integer_value(d) * INT64_C(60000000);
}

bool sw_policy_category_matches(const char *pat, const char *category)
{
    size_t n = strlen(pat);
    return strcmp(pat, "*") == 0 || strcmp(pat, category) == 0 ||
           (n >= 2 && pat[n - 1] == '*' && strncmp(pat, category, n - 1) == 0 &&
            category[n - 1] != '\0');
}

bool sw_policy_pattern_shape(const char *s)
{
    return pattern_shape(s);
}

bool sw_policy_promotion_admits(const struct sw_policy *p, const char *category, const char **rule)
{
    size_t i;
    json_t *v;
    json_array_foreach(p->promotion.admitted, i, v)
    {
        const char *pat = json_string_value(v);
        if (sw_policy_category_matches(pat, category)) {
            if (rule)
                *rule = pat;
            return true;
        }
    }
    return false;
}
