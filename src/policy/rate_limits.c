/* The policy's "rate_limits" section: token buckets per API key and route class, applied by
 * the HTTP adapter (docs/api.md, "Rate limits"). A bucket holds at most `burst` requests and
 * refills at `per_second`; the roles in `exempt_roles` are not limited. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"

#define MAX_RATE 1000000
#define MAX_BURST 10000000
#define MAX_BYTES (INT64_C(1) << 32)

const char *const sw_rate_class_names[SW_RATE__COUNT] = {"read", "write", "scan", "feed",
                                                         "write_bytes"};

/* The built-in values when the section or a class is absent: generous enough for any single
 * well-behaved client, low enough that one key cannot monopolise the scanner or the writer. */
static const struct sw_rate_limit DEFAULTS[SW_RATE__COUNT] = {
    {1000, 2000}, /* read */
    {500, 1000},  /* write */
    {50, 100},    /* scan */
    {2000, 4000}, /* feed */
    /* write_bytes: 1 MiB of bodies a second, 4 MiB at once; one 64 KiB edit every 62 ms */
    {INT64_C(1) << 20, INT64_C(4) << 20},
};
static const char *const ROLE_KINDS[] = {"admin",    "operator", "ingest", "merchant",
                                         "promoter", "streamer", "app",    NULL};

static int64_t int_in(json_t *pr, json_t *obj, const char *path, const char *key, int64_t dflt,
                      int64_t max)
{
    json_t *v = sw_json_want(pr, obj, path, key, JSON_INTEGER, true);
    if (!v)
        return dflt;
    if (json_integer_value(v) < 1 || json_integer_value(v) > max) {
        char p[128];
        snprintf(p, sizeof p, "%s.%s", path, key);
        sw_json_problem(pr, p, "must be between 1 and %lld", (long long)max);
        return dflt;
    }
    return json_integer_value(v);
}

static void read_exempt(struct sw_rate_policy *rp, json_t *pr, json_t *list)
{
    size_t i;
    json_t *e;
    rp->nexempt = 0;
    json_array_foreach(list, i, e)
    {
        char p[64];
        snprintf(p, sizeof p, "$.rate_limits.exempt_roles[%zu]", i);
        int k = 0;
        while (ROLE_KINDS[k] &&
               !(json_is_string(e) && strcmp(json_string_value(e), ROLE_KINDS[k]) == 0))
            k++;
        if (!ROLE_KINDS[k])
            sw_json_problem(pr, p,
                            "must be one of admin, operator, ingest, merchant, promoter, "
                            "streamer, app");
        else if (rp->nexempt < SW_RATE_MAX_EXEMPT)
            rp->exempt[rp->nexempt++] = ROLE_KINDS[k];
    }
}

void sw__policy_rate_limits(struct sw_policy *p, json_t *pr, json_t *section)
{
    struct sw_rate_policy *rp = &p->rate_limits;
    memcpy(rp->classes, DEFAULTS, sizeof rp->classes);
    rp->exempt[0] = "admin";
    rp->exempt[1] = "operator";
    rp->nexempt = 2;
    if (!section)
        return;
    static const char *const allowed[] = {"exempt_roles", "read",        "write", "scan",
                                          "feed",         "write_bytes", NULL};
    sw_json_closed(pr, section, "$.rate_limits", allowed);
    json_t *ex = sw_json_want(pr, section, "$.rate_limits", "exempt_roles", JSON_ARRAY, false);
    if (ex)
        read_exempt(rp, pr, ex);
    for (int c = 0; c < SW_RATE__COUNT; c++) {
        const char *name = sw_rate_class_names[c];
        json_t *cls = sw_json_want(pr, section, "$.rate_limits", name, JSON_OBJECT, false);
        if (!cls)
            continue;
        char path[64];
        snprintf(path, sizeof path, "$.rate_limits.%s", name);
        static const char *const callowed[] = {"per_second", "burst", NULL};
        sw_json_closed(pr, cls, path, callowed);
        bool bytes = c == SW_RATE_WRITE_BYTES;
        rp->classes[c].per_second = int_in(pr, cls, path, "per_second", DEFAULTS[c].per_second,
                                           bytes ? MAX_BYTES : MAX_RATE);
        rp->classes[c].burst =
            int_in(pr, cls, path, "burst", DEFAULTS[c].burst, bytes ? MAX_BYTES : MAX_BURST);
    }
}

bool sw_rate_exempt(const struct sw_rate_policy *rp, const char *role)
{
    size_t n = strcspn(role, ":");
    for (int i = 0; i < rp->nexempt; i++)
        if (strlen(rp->exempt[i]) == n && strncmp(rp->exempt[i], role, n) == 0)
            return true;
    return false;
}
