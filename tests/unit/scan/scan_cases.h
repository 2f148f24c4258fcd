/* The harness of the scanner's rule cases (test_consistency.c, test_names_and_lists.c): a
 * listing as JSON members, the rules the default policy fires on it. Included by each test. */
#ifndef SW_TEST_SCAN_CASES_H
#define SW_TEST_SCAN_CASES_H

#include "support.h"

#include <stdio.h>
#include <string.h>

#include "scan/scan.h"

static struct sw_policy *pol;

static int setup(void **state)
{
    struct sw_error err;
    return sw_policy_load_default(&pol, &err);
}

static int teardown(void **state)
{
    sw_policy_free(pol);
    return 0;
}

#define COMPLETE "\"production_date\":\"2026-01-01\",\"quality_cert\":\"q\",\"manufacturer\":\"m\""

struct scase {
    const char *name;
    const char *listing; /* without the three-no fields */
    const char *rules;   /* space-separated rules that must fire, "" for none */
};

/* The rules the scanner fires on a listing, space-separated, sorted, each once; the three-no
 * fields are added unless the listing has its own (own). */
/* The findings the default policy gives a listing (JSON members; the three-no fields added
 * unless own): a new array. */
static inline json_t *findings_of_as(const char *listing, bool own)
{
    char text[2048];
    snprintf(text, sizeof text, own ? "{%s}" : "{%s," COMPLETE "}", listing);
    json_error_t je;
    json_t *in = json_loads(text, 0, &je);
    assert_non_null(in);
    struct sw_listing l;
    struct sw_error err;
    assert_int_equal(sw_listing_from_json(in, &l, &err), SW_OK);
    json_t *f = NULL;
    assert_int_equal(sw_scan(pol->scanner, &l, &f, &err), SW_OK);
    json_decref(in); /* the findings hold copies of what they name */
    return f;
}

static inline void rules_of_as(const char *listing, bool own, char *out, size_t cap)
{
    json_t *f = findings_of_as(listing, own);
    const char *names[16];
    size_t n = 0, i;
    json_t *x;
    json_array_foreach(f, i, x)
    {
        const char *r = json_string_value(json_object_get(x, "rule"));
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen = seen || strcmp(names[k], r) == 0;
        if (!seen && n < 16)
            names[n++] = r;
    }
    for (size_t a = 0; a < n; a++) /* sort: few names */
        for (size_t b = a + 1; b < n; b++)
            if (strcmp(names[b], names[a]) < 0) {
                const char *t = names[a];
                names[a] = names[b];
                names[b] = t;
            }
    out[0] = '\0';
    for (size_t k = 0; k < n; k++)
        snprintf(out + strlen(out), cap - strlen(out), "%s%s", k ? " " : "", names[k]);
    json_decref(f);
}

static inline void run_as(const struct scase *cases, size_t n, bool own)
{
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        char got[512];
        rules_of_as(cases[i].listing, own, got, sizeof got);
        if (strcmp(got, cases[i].rules) != 0) {
            print_error("%s: got \"%s\", want \"%s\"\n", cases[i].name, got, cases[i].rules);
            wrong++;
        }
    }
    assert_int_equal(wrong, 0);
}

static inline void run(const struct scase *cases, size_t n)
{
    run_as(cases, n, false);
}

#define L(cat, title, detail, extra)                                                               \
    "\"category\":\"" cat "\",\"title\":\"" title "\",\"detail\":\"" detail "\"" extra

#endif
