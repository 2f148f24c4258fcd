/* Quick promotion: the state machine and the review (promotion.h states the rules). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/promotion/promotion_int.h"
#include "domain/qualification/qualification.h"

static const char *const status_names[SW_PROMO_STATUS_COUNT] = {
    "running", "abnormal", "review_failed", "completed", "refunded"};
static const char *const event_names[SW_PE_COUNT] = {
    "pause",          "cancel",           "refund",        "check_failed",
    "checks_cleared", "estimate_reached", "duration_ended"};
const char *const sw_impression_outcome_names[SW_IMP_OUTCOME_COUNT] = {
    "counted", "duplicate", "not_counted", "late", "unknown_promotion"};

const char *sw_promo_status_name(enum sw_promo_status s)
{
    return status_names[s];
}

const char *sw_promo_event_name(enum sw_promo_event ev)
{
    return event_names[ev];
}

int sw_promo_status_parse(const char *s, enum sw_promo_status *out)
{
    for (int i = 0; i < SW_PROMO_STATUS_COUNT; i++)
        if (strcmp(s, status_names[i]) == 0) {
            *out = (enum sw_promo_status)i;
            return SW_OK;
        }
    return SW_E_INVALID_VALUE;
}

int sw_promotion_transition(enum sw_promo_status s, enum sw_promo_event ev,
                            enum sw_promo_status *next)
{
    bool live = s == SW_PROMO_RUNNING || s == SW_PROMO_ABNORMAL;
    switch (ev) {
    case SW_PE_PAUSE:
    case SW_PE_CANCEL:
        return live ? SW_E_PROMOTION_NOT_PAUSABLE : SW_E_STATE_CONFLICT;
    case SW_PE_REFUND:
        if (s == SW_PROMO_REFUNDED)
            return SW_E_ALREADY_REFUNDED;
        if (s != SW_PROMO_REVIEW_FAILED)
            return SW_E_STATE_CONFLICT;
        *next = SW_PROMO_REFUNDED;
        return SW_OK;
    case SW_PE_CHECK_FAILED:
        if (!live)
            return SW_E_STATE_CONFLICT;
        *next = SW_PROMO_ABNORMAL;
        return SW_OK;
    case SW_PE_CHECKS_CLEARED:
        if (!live)
            return SW_E_STATE_CONFLICT;
        *next = SW_PROMO_RUNNING;
        return SW_OK;
    case SW_PE_ESTIMATE_REACHED:
        /* late reports of impressions shown while it ran can complete an abnormal order */
        if (!live)
            return SW_E_STATE_CONFLICT;
        *next = SW_PROMO_COMPLETED;
        return SW_OK;
    case SW_PE_DURATION_ENDED:
        /* an abnormal order's end keeps moving out: its duration cannot end */
        if (s != SW_PROMO_RUNNING)
            return SW_E_STATE_CONFLICT;
        *next = SW_PROMO_COMPLETED;
        return SW_OK;
    }
    return SW_E_STATE_CONFLICT;
}

void sw__promo_id(int64_t rid, char out[SW_PROMO_ID_BUF])
{
    snprintf(out, SW_PROMO_ID_BUF, "pr%" PRId64, rid);
}

bool sw_promotion_parse_id(const char *s, int64_t *rid)
{
    return s && s[0] == 'p' && sw_id_parse_numbered(s + 1, 'r', rid);
}

static void add_reason(struct sw_ctx *ctx, json_t *reasons, const char *code, const char *rule,
                       const char *fmt, ...) SW_PRINTF(5, 6);
static void add_reason(struct sw_ctx *ctx, json_t *reasons, const char *code, const char *rule,
                       const char *fmt, ...)
{
    char detail[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    json_array_append_new(reasons,
                          json_pack("{s:s,s:s,s:s,s:s}", "code", code, "rule", rule,
                                    "policy_version", ctx->policy->version, "detail", detail));
}

static bool in_array(const json_t *arr, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), code) == 0)
            return true;
    }
    return false;
}

/* qualification_missing for every code of `need` (from `rule`) the store does not hold now;
 * `seen` collects the codes already checked (a code both levels ask for is one reason). */
static int need_codes(struct sw_ctx *ctx, const char *merchant, const json_t *need,
                      const char *rule, const char *who, json_t *seen, json_t *reasons,
                      struct sw_error *err)
{
    size_t i;
    json_t *v;
    json_array_foreach(need, i, v)
    {
        const char *code = json_string_value(v);
        if (!code || in_array(seen, code))
            continue;
        json_array_append_new(seen, json_string(code));
        bool held = false;
        int rc = sw_qualification_holds(ctx->conn, merchant, code, ctx->now, &held, err);
        if (rc)
            return rc;
        if (!held)
            add_reason(ctx, reasons, "qualification_missing", rule,
                       "%s requires qualification '%s': store '%s' holds no approved, unexpired"
                       " record of it",
                       who, code, merchant);
    }
    return SW_OK;
}

static int check_qualifications(struct sw_ctx *ctx, const char *merchant,
                                const struct sw_policy_category *cat, json_t *reasons,
                                struct sw_error *err)
{
    char rule[160], who[160];
    json_t *seen = json_array();
    snprintf(rule, sizeof rule, "categories.%s.qualifications", cat->code);
    snprintf(who, sizeof who, "category '%s'", cat->code);
    int rc = need_codes(ctx, merchant, cat->qualifications, rule, who, seen, reasons, err);
    if (rc == SW_OK) {
        snprintf(rule, sizeof rule, "industries.%s.qualifications", cat->industry);
        snprintf(who, sizeof who, "industry '%s'", cat->industry);
        rc = need_codes(ctx, merchant, cat->industry_qualifications, rule, who, seen, reasons, err);
    }
    json_decref(seen);
    return rc;
}

int sw__promo_review(struct sw_ctx *ctx, const char *merchant, const char *product, bool running,
                     json_t **reasons, struct sw_error *err)
{
    struct sw_product_info pi = {0};
    int rc = sw_catalog_product_info(ctx, product, &pi, err);
    if (rc)
        return rc;
    json_decref(pi.findings);
    *reasons = json_array();
    if (pi.status == SW_PRODUCT_BANNED && running)
        add_reason(ctx, *reasons, "product_banned", "promotion.review.product_listed",
                   "product '%s' is banned", product);
    else if (pi.status != SW_PRODUCT_LISTED)
        add_reason(ctx, *reasons, "product_delisted", "promotion.review.product_listed",
                   "product '%s' is %s, not listed", product, sw_product_status_name(pi.status));
    const char *rule = NULL;
    if (!sw_policy_promotion_admits(ctx->policy, pi.category, &rule))
        add_reason(ctx, *reasons, "category_not_admitted", SW_POLICY_PROMOTION_ADMITTED,
                   "category '%s' is not admitted to quick promotion", pi.category);
    const struct sw_policy_category *cat = sw_policy_category(ctx->policy, pi.category);
    if (cat && (rc = check_qualifications(ctx, merchant, cat, *reasons, err))) {
        json_decref(*reasons);
        *reasons = NULL;
    }
    return rc;
}
