#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"
#include "base/json.h"

enum { MAX_CATEGORIES = 4096 };

/* Problems are collected, not returned at the first one: `policy check` shows them all. */
struct checker {
    json_t *problems;
};

#define problem(ck, ...) sw_json_problem((ck)->problems, __VA_ARGS__)

static bool code_valid(const char *s, bool dotted)
{
    int dots = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (c == '.') {
            if (n == 0 || s[n + 1] == '\0' || s[n - 1] == '.')
                return false;
            dots++;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return n > 0 && n < 48 && (dotted ? dots >= 1 : dots == 0);
}

static void check_string_list(struct checker *ck, json_t *arr, const char *path)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        if (!json_is_string(e) || !code_valid(json_string_value(e), false)) {
            char p[200];
            snprintf(p, sizeof p, "%s[%zu]", path, i);
            problem(ck, p, "must be a snake_case code");
        }
    }
}

static void check_industries(struct checker *ck, json_t *ind)
{
    const char *k;
    json_t *v;
    static const char *const allowed[] = {"name", "qualifications", NULL};
    json_object_foreach(ind, k, v)
    {
        char p[128];
        snprintf(p, sizeof p, "$.industries.%s", k);
        if (!code_valid(k, false))
            problem(ck, p, "industry code must be snake_case");
        if (!json_is_object(v)) {
            problem(ck, p, "must be an object");
            continue;
        }
        sw_json_closed(ck->problems, v, p, allowed);
        sw_json_want(ck->problems, v, p, "name", JSON_STRING, true);
        json_t *q = sw_json_want(ck->problems, v, p, "qualifications", JSON_ARRAY, true);
        if (q) {
            char qp[160];
            snprintf(qp, sizeof qp, "%s.qualifications", p);
            check_string_list(ck, q, qp);
        }
    }
}

static void check_categories(struct checker *ck, json_t *cats, json_t *ind)
{
    const char *k;
    json_t *v;
    static const char *const allowed[] = {"name", "industry", "qualifications", "deposit_fen",
                                          NULL};
    if (json_object_size(cats) > MAX_CATEGORIES)
        problem(ck, "$.categories", "more than %d categories", MAX_CATEGORIES);
    json_object_foreach(cats, k, v)
    {
        char p[128];
        sw__policy_key_path(p, sizeof p, "$.categories", k);
        if (!code_valid(k, true))
            problem(ck, p, "category code must look like 'industry.leaf'");
        if (!json_is_object(v)) {
            problem(ck, p, "must be an object");
            continue;
        }
        sw_json_closed(ck->problems, v, p, allowed);
        sw_json_want(ck->problems, v, p, "name", JSON_STRING, true);
        json_t *i = sw_json_want(ck->problems, v, p, "industry", JSON_STRING, true);
        if (i && ind && !json_object_get(ind, json_string_value(i)))
            problem(ck, p, "unknown industry '%s'", json_string_value(i));
        json_t *q = sw_json_want(ck->problems, v, p, "qualifications", JSON_ARRAY, true);
        if (q) {
            char qp[160];
            snprintf(qp, sizeof qp, "%s.qualifications", p);
            check_string_list(ck, q, qp);
        }
        json_t *d = sw_json_want(ck->problems, v, p, "deposit_fen", JSON_INTEGER, true);
        if (d && (json_integer_value(d) < 0 || json_integer_value(d) > INT64_C(1000000000000))) {
            char dp[160]; /* the field itself: $.categories["fresh.fruit"].deposit_fen */
            snprintf(dp, sizeof dp, "%s.deposit_fen", p);
            problem(ck, dp, "must be between 0 and 10^12");
        }
    }
}

static int64_t limit_of(struct checker *ck, json_t *cat, const char *key, int64_t dflt, int64_t max)
{
    json_t *v = cat ? sw_json_want(ck->problems, cat, "$.catalog", key, JSON_INTEGER, false) : NULL;
    if (!v)
        return dflt;
    if (json_integer_value(v) < 1 || json_integer_value(v) > max) {
        char p[96];
        snprintf(p, sizeof p, "$.catalog.%s", key);
        problem(ck, p, "must be between 1 and %lld", (long long)max);
        return dflt;
    }
    return json_integer_value(v);
}

/* The region's shipped years (data/calendar/<region>-<year>.json), checked like a policy year. */
static void load_shipped_years(struct sw_policy *p, struct checker *ck, const char *region)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "data/calendar/%s-", region);
    for (int i = 0; i < sw__embedded_count; i++) {
        const struct sw_embedded_file *f = &sw__embedded[i];
        if (strncmp(f->path, prefix, strlen(prefix)) != 0)
            continue;
        json_t *doc, *found = json_array();
        struct sw_error e;
        struct sw_calendar_year y;
        if (sw_json_parse_object(f->data, f->len, &doc, &e)) {
            problem(ck, "$.calendar", "%s: %s", f->path, e.msg);
            json_decref(found);
            continue;
        }
        if (sw_calendar_year_check(doc, "", region, &y, found) == 0 &&
            sw_calendar_put(&p->calendar, &y, &e))
            problem(ck, "$.calendar", "%s: %s", f->path, e.msg);
        size_t k;
        const json_t *pr;
        json_array_foreach(found, k, pr)
        {
            problem(ck, "$.calendar", "%s: %s: %s", f->path,
                    json_string_value(json_object_get(pr, "path")),
                    json_string_value(json_object_get(pr, "message")));
        }
        json_decref(found);
        json_decref(doc);
    }
}

/* calendar.years: years the operator adds without a rebuild (the State Council publishes
 * each year's days off in the autumn before). Each is checked exactly like a shipped file and
 * replaces a shipped year of the same number; a year given twice is a problem. */
static void load_policy_years(struct sw_policy *p, struct checker *ck, const json_t *years,
                              const char *region)
{
    int seen[SW_CALENDAR_MAX_YEARS] = {0};
    if (json_array_size(years) > SW_CALENDAR_MAX_YEARS) {
        problem(ck, "$.calendar.years", "at most %d years", SW_CALENDAR_MAX_YEARS);
        return;
    }
    size_t i;
    const json_t *v;
    json_array_foreach(years, i, v)
    {
        char path[64], ypath[80];
        snprintf(path, sizeof path, "$.calendar.years[%zu]", i);
        snprintf(ypath, sizeof ypath, "%s.year", path);
        struct sw_calendar_year y;
        int bad = sw_calendar_year_check(v, path, region, &y, ck->problems);
        size_t j = 0;
        while (y.year && j < i && seen[j] != y.year)
            j++;
        struct sw_error e;
        if (y.year && j < i)
            problem(ck, ypath, "year %d is given twice (also at $.calendar.years[%zu])", y.year, j);
        else if (!bad && sw_calendar_put(&p->calendar, &y, &e))
            problem(ck, ypath, "%s", e.msg);
        seen[i] = y.year;
    }
}

static int load_calendar(struct sw_policy *p, struct checker *ck, json_t *calcfg)
{
    const char *region = "cn";
    const json_t *years = NULL;
    if (calcfg) {
        static const char *const allowed[] = {"region", "years", NULL};
        sw_json_closed(ck->problems, calcfg, "$.calendar", allowed);
        json_t *r = sw_json_want(ck->problems, calcfg, "$.calendar", "region", JSON_STRING, true);
        if (r && !code_valid(json_string_value(r), false))
            problem(ck, "$.calendar.region", "must be a snake_case code such as 'cn'");
        else if (r)
            region = json_string_value(r);
        years = sw_json_want(ck->problems, calcfg, "$.calendar", "years", JSON_ARRAY, false);
    }
    sw_calendar_init(&p->calendar);
    load_shipped_years(p, ck, region);
    load_policy_years(p, ck, years, region);
    if (p->calendar.nyears == 0)
        problem(ck, "$.calendar.region", "no calendar data for region '%s'", region);
    return 0;
}

void sw__policy_key_path(char *out, size_t n, const char *parent, const char *key)
{
    bool plain =
        (key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z') || key[0] == '_';
    for (const char *c = key; plain && *c; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '_';
    if (plain) {
        snprintf(out, n, "%s.%s", parent, key);
        return;
    }
    char q[128];
    size_t w = 0;
    for (const char *c = key; *c && w + 3 < sizeof q; c++) {
        if (*c == '"' || *c == '\\')
            q[w++] = '\\';
        q[w++] = *c;
    }
    q[w] = '\0';
    snprintf(out, n, "%s[\"%s\"]", parent, q);
}

/* A category pattern ("fresh.*", "beauty.skincare", "*") that matches none of the policy's
 * categories silently disables what it guards: fod.* is a typo, not a rule. */
static void pattern_matches(struct checker *ck, const json_t *cats, const char *path,
                            const char *pat)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)cats, k, v)
    {
        if (sw_policy_category_matches(pat, k))
            return;
    }
    problem(ck, path, "category pattern '%s' matches no category", pat);
}

static void pattern_list(struct checker *ck, const json_t *cats, const json_t *arr,
                         const char *path)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v)
    {
        char p[192];
        snprintf(p, sizeof p, "%s[%zu]", path, i);
        if (json_is_string(v))
            pattern_matches(ck, cats, p, json_string_value(v));
    }
}

static void pattern_keys(struct checker *ck, const json_t *cats, const json_t *obj,
                         const char *path)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        char p[192];
        sw__policy_key_path(p, sizeof p, path, k);
        pattern_matches(ck, cats, p, k);
    }
}

/* Every list of category patterns in the policy, against its categories. */
static void check_patterns(struct checker *ck, const json_t *doc, const json_t *cats)
{
    const json_t *scan = json_object_get(doc, "scan");
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(scan, "lists"), i, v)
    {
        char p[96];
        snprintf(p, sizeof p, "$.scan.lists[%zu].categories", i);
        pattern_list(ck, cats, json_object_get(v, "categories"), p);
    }
    const json_t *brands =
        json_object_get(json_object_get(json_object_get(scan, "consistency"), "brand"), "brands");
    json_array_foreach(brands, i, v)
    {
        char p[128];
        snprintf(p, sizeof p, "$.scan.consistency.brand.brands[%zu].categories", i);
        pattern_list(ck, cats, json_object_get(v, "categories"), p);
    }
    pattern_list(ck, cats,
                 json_object_get(json_object_get(doc, "promotion"), "admitted_categories"),
                 "$.promotion.admitted_categories");
    pattern_keys(ck, cats, json_object_get(json_object_get(doc, "badge"), "category_extras"),
                 "$.badge.category_extras");
    pattern_keys(ck, cats, json_object_get(json_object_get(doc, "filing"), "required_documents"),
                 "$.filing.required_documents");
}

static void build(struct sw_policy *p, struct checker *ck)
{
    json_t *doc = p->doc;
    static const char *const allowed[] = {
        "schema",   "version", "description", "calendar",    "industries", "categories",
        "catalog",  "scan",    "penalties",   "rate_limits", "promotion",  "filing",
        "services", "badge",   "affiliate",   "queue",       "approvals",  NULL};
    sw_json_closed(ck->problems, doc, "$", allowed);
    json_t *schema = sw_json_want(ck->problems, doc, "$", "schema", JSON_INTEGER, true);
    if (schema && json_integer_value(schema) != SW_POLICY_SCHEMA)
        problem(ck, "$.schema", "unsupported schema %lld (this build reads %d)",
                (long long)json_integer_value(schema), SW_POLICY_SCHEMA);
    json_t *ver = sw_json_want(ck->problems, doc, "$", "version", JSON_STRING, true);
    if (ver && (json_string_length(ver) == 0 || json_string_length(ver) >= sizeof p->version ||
                !sw_id_valid(json_string_value(ver))))
        problem(ck, "$.version", "must be 1-63 characters of A-Z a-z 0-9 _ - . :");
    else if (ver)
        snprintf(p->version, sizeof p->version, "%s", json_string_value(ver));
    sw_json_want(ck->problems, doc, "$", "description", JSON_STRING, false);
    load_calendar(p, ck, sw_json_want(ck->problems, doc, "$", "calendar", JSON_OBJECT, false));
    json_t *ind = sw_json_want(ck->problems, doc, "$", "industries", JSON_OBJECT, true);
    if (ind)
        check_industries(ck, ind);
    json_t *cats = sw_json_want(ck->problems, doc, "$", "categories", JSON_OBJECT, true);
    if (cats)
        check_categories(ck, cats, ind);
    json_t *catalog = sw_json_want(ck->problems, doc, "$", "catalog", JSON_OBJECT, false);
    if (catalog) {
        static const char *const callowed[] = {"max_title_bytes", "max_detail_bytes", "max_images",
                                               NULL};
        sw_json_closed(ck->problems, catalog, "$.catalog", callowed);
    }
    p->max_title_bytes = limit_of(ck, catalog, "max_title_bytes", 240, 4096);
    p->max_detail_bytes = limit_of(ck, catalog, "max_detail_bytes", 65536, 1 << 20);
    p->max_images = limit_of(ck, catalog, "max_images", 20, 100);
    sw__policy_penalties(p, ck->problems,
                         sw_json_want(ck->problems, doc, "$", "penalties", JSON_OBJECT, false));
    sw__policy_rate_limits(p, ck->problems,
                           sw_json_want(ck->problems, doc, "$", "rate_limits", JSON_OBJECT, false));
    sw__policy_promotion(p, ck->problems,
                         sw_json_want(ck->problems, doc, "$", "promotion", JSON_OBJECT, false));
    sw__policy_filing(p, ck->problems,
                      sw_json_want(ck->problems, doc, "$", "filing", JSON_OBJECT, false));
    sw__policy_affiliate(p, ck->problems,
                         sw_json_want(ck->problems, doc, "$", "affiliate", JSON_OBJECT, false));
    sw__policy_queue(p, ck->problems,
                     sw_json_want(ck->problems, doc, "$", "queue", JSON_OBJECT, false),
                     sw_json_want(ck->problems, doc, "$", "approvals", JSON_OBJECT, false));
    sw__policy_services(p, ck->problems,
                        sw_json_want(ck->problems, doc, "$", "services", JSON_OBJECT, false),
                        sw_json_want(ck->problems, doc, "$", "badge", JSON_OBJECT, false));
    if (!cats)
        return;
    if (json_is_object(cats))
        check_patterns(ck, doc, cats);
    /* the scanner borrows from the section it is built from: the policy keeps it. It is built
     * (and so checked) after problems elsewhere too, so that `policy check` reports all of
     * them; such a policy is refused anyway. */
    bool ok = json_array_size(ck->problems) == 0;
    p->scan_doc = sw__policy_scan_section(p, json_object_get(doc, "scan"), ck->problems);
    p->scanner = sw_scanner_build(p->scan_doc, p->version, ck->problems);
    if (!p->scanner || !ok)
        return;
    p->categories = calloc(json_object_size(cats) + 1, sizeof *p->categories);
    const char *k;
    json_t *v;
    json_object_foreach(cats, k, v)
    {
        struct sw_policy_category *c = &p->categories[p->ncategories++];
        c->code = k;
        c->name = json_string_value(json_object_get(v, "name"));
        c->industry = json_string_value(json_object_get(v, "industry"));
        c->qualifications = json_object_get(v, "qualifications");
        c->industry_qualifications =
            json_object_get(json_object_get(ind, c->industry), "qualifications");
        c->deposit_fen = json_integer_value(json_object_get(v, "deposit_fen"));
    }
}

int sw_policy_load(const char *text, size_t len, struct sw_policy **out, json_t **problems,
                   struct sw_error *err)
{
    json_t *doc;
    int rc = sw_json_parse_object(text, len, &doc, err);
    if (rc) {
        if (problems)
            *problems = json_pack("[{s:s,s:s}]", "path", "$", "message", err->msg);
        char msg[sizeof err->msg]; /* sw_fail writes err->msg: not its own argument */
        snprintf(msg, sizeof msg, "%s", err->msg);
        return sw_fail(err, SW_E_POLICY_INVALID, "$", "%s", msg);
    }
    struct sw_policy *p = calloc(1, sizeof *p);
    struct checker ck = {json_array()};
    p->doc = doc;
    build(p, &ck);
    if (json_array_size(ck.problems)) {
        json_t *first = json_array_get(ck.problems, 0);
        sw_fail(err, SW_E_POLICY_INVALID, json_string_value(json_object_get(first, "path")),
                "%s: %s (%zu problems)", json_string_value(json_object_get(first, "path")),
                json_string_value(json_object_get(first, "message")), json_array_size(ck.problems));
        if (problems)
            *problems = ck.problems;
        else
            json_decref(ck.problems);
        sw_policy_free(p);
        return SW_E_POLICY_INVALID;
    }
    if (problems)
        *problems = ck.problems;
    else
        json_decref(ck.problems);
    *out = p;
    return SW_OK;
}

int sw_policy_load_file(const char *path, struct sw_policy **out, json_t **problems,
                        struct sw_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sw_fail(err, SW_E_POLICY_INVALID, NULL, "cannot open policy '%s'", path);
    char *buf = malloc(SW_JSON_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, SW_JSON_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int rc = sw_policy_load(buf, n, out, problems, err);
    free(buf);
    return rc;
}

int sw_policy_load_default(struct sw_policy **out, struct sw_error *err)
{
    const struct sw_embedded_file *f = sw_embedded_find(SW_POLICY_DEFAULT_PATH);
    if (!f)
        return sw_fail(err, SW_E_INTERNAL, NULL, "default policy not embedded");
    return sw_policy_load(f->data, f->len, out, NULL, err);
}

void sw_policy_free(struct sw_policy *p)
{
    if (!p)
        return;
    sw_scanner_free(p->scanner);
    json_decref(p->doc);
    free(p->categories);
    free(p->filing.streamers);
    free(p->services);
    json_decref(p->scan_doc);
    free(p);
}

const struct sw_policy_category *sw_policy_category(const struct sw_policy *p, const char *code)
{
    for (int i = 0; i < p->ncategories; i++)
        if (strcmp(p->categories[i].code, code) == 0)
            return &p->categories[i];
    return NULL;
}
