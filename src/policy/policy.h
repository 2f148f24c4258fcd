/* The policy: rules as data. Loaded from a JSON file with a versioned schema, validated as a
 * whole (every problem reported with its JSON path), then immutable and shared by all
 * threads. Every decision records policy->version. */
#ifndef SW_POLICY_POLICY_H
#define SW_POLICY_POLICY_H

#include <jansson.h>
#include <stdint.h>

#include "base/calendar.h"
#include "base/err.h"
#include "scan/scan.h"

#define SW_POLICY_SCHEMA 1
#define SW_POLICY_DEFAULT_PATH "data/policy/default.json"

struct sw_policy_category {
    const char *code; /* borrowed from the policy document */
    const char *name;
    const char *industry;
    json_t *qualifications; /* array of strings: the category's own needs */
    json_t *industry_qualifications;
    int64_t deposit_fen;
};

struct sw_policy {
    json_t *doc;
    char version[64];
    int ncategories;
    struct sw_policy_category *categories;
    struct sw_calendar calendar;
    int64_t max_title_bytes;
    int64_t max_detail_bytes;
    int64_t max_images;
    struct sw_scanner *scanner; /* the compiled "scan" section: built once per policy */
};

/* Validates and loads. On failure returns policy_invalid with the first problem in err and,
 * when problems is not NULL, a new array of every {"path","message"} in *problems. */
int sw_policy_load(const char *text, size_t len, struct sw_policy **out, json_t **problems,
                   struct sw_error *err) SW_MUSTCHECK;
int sw_policy_load_file(const char *path, struct sw_policy **out, json_t **problems,
                        struct sw_error *err) SW_MUSTCHECK;
/* The built-in default (embedded in the binary). */
int sw_policy_load_default(struct sw_policy **out, struct sw_error *err) SW_MUSTCHECK;
void sw_policy_free(struct sw_policy *p);

const struct sw_policy_category *sw_policy_category(const struct sw_policy *p, const char *code);

#endif
