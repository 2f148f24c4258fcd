/* The policy's "services" catalogue and "badge" section (docs/badge.md):
 *   services  {"<code>": {"name": "7天无理由退货", "promises": ["7天无理由", ...]}}: every
 *             after-sales service the platform knows. A product's after_sales and a store's
 *             commitments hold codes of it; the scanner's after-sales consistency check takes
 *             its promises from it (scan.consistency.after_sales lists no promises itself).
 *   badge     {"base_services": [codes], "category_extras": {"fresh.*": [codes], ...},
 *              "auto_activation_hours": 24} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"

#define MAX_SERVICES 64
#define MAX_PROMISES 64
#define DEFAULT_AUTO_HOURS 24
#define MAX_AUTO_HOURS 720

static bool code_shape(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return true;
}

static void read_service(struct sw_policy *p, json_t *problems, const char *code, json_t *v)
{
    char path[96];
    snprintf(path, sizeof path, "$.services.%.60s", code);
    if (!code_shape(code))
        sw_json_problem(problems, path, "a service code is snake_case, 1-63 characters");
    if (!json_is_object(v)) {
        sw_json_problem(problems, path, "must be an object {name, promises}");
        return;
    }
    static const char *const allowed[] = {"name", "promises", NULL};
    sw_json_closed(problems, v, path, allowed);
    json_t *name = sw_json_want(problems, v, path, "name", JSON_STRING, true);
    json_t *pr = sw_json_want(problems, v, path, "promises", JSON_ARRAY, false);
    if (json_array_size(pr) > MAX_PROMISES)
        sw_json_problem(problems, path, "at most %d promises", MAX_PROMISES);
    size_t i;
    json_t *t;
    json_array_foreach(pr, i, t)
    {
        if (!json_is_string(t) || json_string_length(t) == 0 || json_string_length(t) > 64)
            sw_json_problem(problems, path, "promises[%zu] must be a phrase of 1-64 bytes", i);
    }
    if (name)
        p->services[p->nservices++] =
            (struct sw_service){code, json_string_value(name), pr ? pr : NULL};
}

/* Every item of arr must be a catalogue code. */
static void known_codes(const struct sw_policy *p, json_t *problems, const char *path,
                        const json_t *arr)
{
    if (!json_is_array(arr)) {
        sw_json_problem(problems, path, "must be an array of service codes");
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c)
    {
        if (!json_is_string(c) || !sw_policy_service(p, json_string_value(c)))
            sw_json_problem(problems, path, "item %zu is not a code of the services catalogue", i);
    }
}

static void read_badge(struct sw_policy *p, json_t *problems, json_t *badge)
{
    static const char *const allowed[] = {"base_services", "category_extras",
                                          "auto_activation_hours", NULL};
    sw_json_closed(problems, badge, "$.badge", allowed);
    json_t *base = sw_json_want(problems, badge, "$.badge", "base_services", JSON_ARRAY, true);
    if (base)
        known_codes(p, problems, "$.badge.base_services", base);
    json_t *ex = sw_json_want(problems, badge, "$.badge", "category_extras", JSON_OBJECT, false);
    const char *k;
    json_t *v;
    json_object_foreach(ex, k, v)
    {
        char path[128];
        sw__policy_key_path(path, sizeof path, "$.badge.category_extras", k);
        if (!sw_policy_pattern_shape(k))
            sw_json_problem(problems, path, "must be a category code, 'industry.*' or '*'");
        known_codes(p, problems, path, v);
    }
    json_t *h =
        sw_json_want(problems, badge, "$.badge", "auto_activation_hours", JSON_INTEGER, false);
    if (h && (json_integer_value(h) < 1 || json_integer_value(h) > MAX_AUTO_HOURS))
        sw_json_problem(problems, "$.badge.auto_activation_hours", "must be between 1 and %d",
                        MAX_AUTO_HOURS);
    else if (h)
        p->badge.auto_after_us = json_integer_value(h) * INT64_C(3600000000);
    p->badge.base = base;
    p->badge.extras = ex;
}

void sw__policy_services(struct sw_policy *p, json_t *problems, json_t *services, json_t *badge)
{
    p->nservices = 0;
    p->services = NULL;
    p->badge = (struct sw_badge_policy){NULL, NULL, DEFAULT_AUTO_HOURS * INT64_C(3600000000)};
    if (services && json_object_size(services) > MAX_SERVICES)
        sw_json_problem(problems, "$.services", "at most %d services", MAX_SERVICES);
    else if (services) {
        p->services = calloc(json_object_size(services) + 1, sizeof *p->services);
        const char *k;
        json_t *v;
        json_object_foreach(services, k, v) read_service(p, problems, k, v);
    }
    if (badge)
        read_badge(p, problems, badge);
}

const struct sw_service *sw_policy_service(const struct sw_policy *p, const char *code)
{
    for (int i = 0; i < p->nservices; i++)
        if (strcmp(p->services[i].code, code) == 0)
            return &p->services[i];
    return NULL;
}

static void append_new(json_t *out, const json_t *codes)
{
    size_t i, j;
    json_t *c, *o;
    json_array_foreach(codes, i, c)
    {
        bool seen = false;
        json_array_foreach(out, j, o) seen = seen || json_equal(o, c);
        if (!seen)
            json_array_append(out, c);
    }
}

json_t *sw_policy_badge_services(const struct sw_policy *p, const char *category)
{
    json_t *out = json_array();
    append_new(out, p->badge.base);
    const char *k;
    json_t *v;
    json_object_foreach(p->badge.extras, k, v)
    {
        if (category && sw_policy_category_matches(k, category))
            append_new(out, v);
    }
    return out;
}

json_t *sw__policy_scan_section(const struct sw_policy *p, const json_t *scan, json_t *problems)
{
    if (!scan)
        return NULL;
    json_t *copy = json_deep_copy(scan);
    json_t *as = json_object_get(json_object_get(copy, "consistency"), "after_sales");
    if (!json_is_object(as))
        return copy;
    if (json_object_get(as, "promises")) {
        sw_json_problem(problems, "$.scan.consistency.after_sales.promises",
                        "the promises come from the services catalogue ($.services.<code>."
                        "promises): list them there");
        return copy;
    }
    json_t *promises = json_array();
    for (int i = 0; i < p->nservices; i++)
        if (json_array_size(p->services[i].promises))
            json_array_append_new(promises, json_pack("{s:s,s:O}", "service", p->services[i].code,
                                                      "terms", p->services[i].promises));
    json_object_set_new(as, "promises", promises);
    return copy;
}

int sw_policy_check_after_sales(const struct sw_policy *p, const json_t *codes,
                                struct sw_error *err)
{
    size_t i;
    const json_t *c;
    json_array_foreach(codes, i, c)
    {
        if (!sw_policy_service(p, json_string_value(c))) {
            char path[32];
            snprintf(path, sizeof path, "after_sales[%zu]", i);
            return sw_fail(err, SW_E_INVALID_VALUE, path,
                           "unknown service '%s': after_sales holds codes of the policy's "
                           "services catalogue",
                           json_string_value(c));
        }
    }
    return SW_OK;
}

int sw_policy_check_listing(const struct sw_policy *p, const struct sw_listing *l,
                            struct sw_error *err)
{
    if (l->category && !sw_policy_category(p, l->category))
        return sw_fail(err, SW_E_UNKNOWN_CATEGORY, "category", "unknown category '%s'",
                       l->category);
    return sw_policy_check_after_sales(p, l->after_sales, err);
}
