/* The policy: rules as data. Loaded from a JSON file with a versioned schema, validated as a
 * whole (every problem reported with its JSON path), then immutable and shared by all
 * threads. Every decision records policy->version. */
#ifndef SW_POLICY_POLICY_H
#define SW_POLICY_POLICY_H

#include <jansson.h>
#include <stdbool.h>
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

/* One step of a repeat ladder: what the nth counted violation of a type (from..to, to = 0
 * meaning "and later") costs. */
struct sw_penalty_step {
    int from, to;
    bool has_deduct;    /* the step sets the deduction (deduct_fen or deduct_all) */
    int64_t deduct_fen; /* fixed deduction, overrides the severity amounts */
    bool deduct_all;    /* the whole deposit balance */
    bool rectification; /* the merchant must submit a report an operator accepts */
    bool clear_store;   /* the store is cleared (清退) */
};

enum sw_confirm { SW_CONFIRM_IMMEDIATE, SW_CONFIRM_QUEUE };
/* What findings of a type do (audit before publication, enforcement after, RULES.md §3), on a
 * product that is not listed (on_unlisted) and on one that is (on_listed): keep the product
 * off sale until an edit clears them (block: listing refused; a listed product is delisted),
 * make a violation (penalise), or stay findings on the product (ignore). */
enum sw_finding_action { SW_FA_BLOCK, SW_FA_PENALISE, SW_FA_IGNORE };
const char *sw_finding_action_name(enum sw_finding_action a);
enum sw_ban { SW_BAN_NONE, SW_BAN_UNTIL_FIXED, SW_BAN_PERMANENT };
#define SW_PENALTY_MAX_TYPES 32
#define SW_PENALTY_MAX_STEPS 8

/* How one violation type is penalised (RULES.md §3). */
struct sw_penalty_rule {
    const char *type; /* borrowed from the policy document */
    enum sw_confirm confirm;
    enum sw_ban ban;
    enum sw_finding_action on_unlisted; /* default block */
    enum sw_finding_action on_listed;   /* default penalise */
    bool counted;        /* counts towards repeats (the ladder); `implicated` does not */
    bool per_occurrence; /* each distinct finding is deducted, else the worst one once */
    int64_t deduct_minor_fen, deduct_severe_fen;
    int nsteps;
    struct sw_penalty_step steps[SW_PENALTY_MAX_STEPS];
};

struct sw_penalty_policy {
    int count_window_days;
    int appeals_max;
    int64_t appeal_sla_us;
    bool rectification_restricts_store;
    int64_t implicated_min_good_rate_bp; /* below this good-review rate an spu is implicated */
    int64_t implicated_min_reviews;      /* with at least this many reviews */
    int ntypes;
    struct sw_penalty_rule types[SW_PENALTY_MAX_TYPES];
};

/* Token buckets per API key and route class (the "rate_limits" section). */
/* SW_RATE_WRITE_BYTES counts the bytes of write bodies (the write class), not requests: the
 * single writer stores every body, so a key's share of it is bounded in bytes too. */
enum sw_rate_class {
    SW_RATE_READ,
    SW_RATE_WRITE,
    SW_RATE_SCAN,
    SW_RATE_FEED,
    SW_RATE_WRITE_BYTES,
    SW_RATE__COUNT
};
#define SW_RATE_MAX_EXEMPT 8
struct sw_rate_limit {
    int64_t per_second; /* refill rate, requests per second */
    int64_t burst;      /* bucket size */
};
struct sw_rate_policy {
    struct sw_rate_limit classes[SW_RATE__COUNT];
    const char *exempt[SW_RATE_MAX_EXEMPT]; /* role kinds ("admin", "merchant"), static strings */
    int nexempt;
};
extern const char *const sw_rate_class_names[SW_RATE__COUNT];

/* Quick promotion (the "promotion" section). */
struct sw_promotion_policy {
    json_t *admitted;       /* borrowed array of patterns: "beauty.skincare", "beauty.*", "*" */
    int64_t stats_delay_us; /* how late an impression report may come (default 2 h) */
};

/* Designated-streamer filing (the "filing" section). */
struct sw_filing_streamer {
    const char *id, *nickname, *merchant; /* borrowed from the document; merchant may be NULL */
};
struct sw_filing_policy {
    int nstreamers;
    struct sw_filing_streamer *streamers; /* owned array: the designated streamers at start */
    int lead_working_days;                /* default 2 */
    json_t *required_documents;           /* borrowed object: pattern -> array of codes */
};

/* The catalogue of after-sales services (the "services" section): one vocabulary for the
 * scanner's promises, products' after_sales, stores' commitments and the badge rules. */
struct sw_service {
    const char *code, *name; /* borrowed from the document */
    json_t *promises;        /* borrowed array of phrases that promise it (may be empty) */
};
/* The assurance badge (the "badge" section). */
struct sw_badge_policy {
    json_t *base;          /* borrowed array of service codes every store and product needs */
    json_t *extras;        /* borrowed object: category pattern -> array of service codes */
    int64_t auto_after_us; /* a dismissed reminder turns into activation after (default 24 h) */
};

/* Affiliate order review and monitoring (the "affiliate" section). */
struct sw_affiliate_policy {
    int64_t repeat_max_orders;    /* more paid orders than this by one fingerprint ... */
    int64_t repeat_window_us;     /* ... within this window is repeat_buyer (3, 24 h) */
    int64_t outlier_factor_pct;   /* conversion above platform's x this / 100 (150) */
    int64_t outlier_min_promoter; /* with at least this many of the promoter's orders (20) */
    int64_t outlier_min_platform; /* and this many platform-wide (50) */
    int64_t spike_factor;         /* an hour's paid orders above baseline x this (5) */
    int64_t spike_min_orders;     /* and at least this many (20) */
    int64_t spike_baseline_hours; /* the baseline: the mean of this many hours before (24) */
};

/* Work on the queues (the "queue" and "approvals" sections, docs/queue.md). */
struct sw_queue_policy {
    int64_t claim_minutes;       /* a claim without minutes holds the item this long (15) */
    int64_t claim_max_minutes;   /* the longest claim (240) */
    int64_t deduction_above_fen; /* a decision deducting more waits for approval (500000) */
    int64_t refund_above_fen;    /* a decision refunding more waits for approval (500000) */
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
    json_t *scan_doc;           /* that section as built (promises from the catalogue): owned */
    struct sw_penalty_policy penalties;
    struct sw_rate_policy rate_limits;
    struct sw_promotion_policy promotion;
    struct sw_filing_policy filing;
    int nservices;
    struct sw_service *services; /* owned array */
    struct sw_badge_policy badge;
    struct sw_affiliate_policy affiliate;
    struct sw_queue_policy queue;
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
/* The penalty rule of a violation type, or NULL when the policy does not know the type. */
const struct sw_penalty_rule *sw_policy_penalty(const struct sw_policy *p, const char *type);
/* What findings of `type` do on a listed or unlisted product: the type's rule, or ignore when
 * the policy has no rule for the type (its findings stay on the product). */
enum sw_finding_action sw_policy_finding_action(const struct sw_policy *p, const char *type,
                                                bool listed);
/* The ladder step for the nth counted violation, or NULL when the rule has no step for it. */
const struct sw_penalty_step *sw_penalty_step_for(const struct sw_penalty_rule *r, int nth);

/* Whether a key of this role ("merchant:m1") is exempt from rate limits. */
bool sw_rate_exempt(const struct sw_rate_policy *rp, const char *role);

/* Whether a category pattern ("beauty.skincare", "beauty.*", "*") matches a category code. */
bool sw_policy_category_matches(const char *pattern, const char *category);
/* Whether s is a valid pattern of that shape. */
bool sw_policy_pattern_shape(const char *s);

/* The catalogue entry of a service code, or NULL when the policy does not know it. */
const struct sw_service *sw_policy_service(const struct sw_policy *p, const char *code);
/* A listing for a dry-run scan against the policy, as the product API checks it: its category
 * one of the policy's (422 unknown_category), its after_sales codes of the services catalogue
 * (400 invalid_value naming after_sales[i]). */
int sw_policy_check_listing(const struct sw_policy *p, const struct sw_listing *l,
                            struct sw_error *err);
/* after_sales holds codes of the services catalogue: invalid_value naming after_sales[i]. */
int sw_policy_check_after_sales(const struct sw_policy *p, const json_t *codes,
                                struct sw_error *err);
/* The services a product of this category needs for the badge: the base services, then the
 * extras of every pattern matching the category (a new array, no duplicates). */
json_t *sw_policy_badge_services(const struct sw_policy *p, const char *category);
/* The rules badge decisions name. */
#define SW_POLICY_BADGE_BASE "badge.base_services"
#define SW_POLICY_BADGE_EXTRAS "badge.category_extras"
/* Internal (policy.c calls them): the "services" and "badge" sections; the scanner's section
 * with the after-sales promises taken from the catalogue (a new object, or NULL). */
void sw__policy_services(struct sw_policy *p, json_t *problems, json_t *services, json_t *badge);
json_t *sw__policy_scan_section(const struct sw_policy *p, const json_t *scan, json_t *problems);

/* The rules affiliate review names (a flag's rule is also its policy path). */
#define SW_POLICY_AFF_SELF "affiliate.self_purchase"
/* Internal: validates and reads the "queue" and "approvals" sections (policy.c calls it). */
void sw__policy_queue(struct sw_policy *p, json_t *problems, json_t *queue, json_t *approvals);
/* Internal: validates and reads the "affiliate" section (policy.c calls it). */
void sw__policy_affiliate(struct sw_policy *p, json_t *problems, json_t *section);

/* The rules filing decisions name. */
#define SW_POLICY_FILING_STREAMERS "filing.designated_streamers"
#define SW_POLICY_FILING_LEAD "filing.lead_working_days"
#define SW_POLICY_FILING_DOCUMENTS "filing.required_documents"
/* The policy's entry for a designated streamer, or NULL. */
const struct sw_filing_streamer *sw_policy_filing_streamer(const struct sw_policy *p,
                                                           const char *id);
/* The document codes a product of this category must file (a new array, no duplicates, in the
 * order the patterns list them). */
json_t *sw_policy_filing_documents(const struct sw_policy *p, const char *category);
/* Internal: validates and reads the "filing" section (policy.c calls it). */
void sw__policy_filing(struct sw_policy *p, json_t *problems, json_t *section);

/* The rule quick promotion's admission names (a reason's `rule`). */
#define SW_POLICY_PROMOTION_ADMITTED "promotion.admitted_categories"
/* Whether quick promotion admits the category; *rule (may be NULL) receives the pattern. */
bool sw_policy_promotion_admits(const struct sw_policy *p, const char *category, const char **rule);
/* Internal: validates and reads the "promotion" section (policy.c calls it). */
void sw__policy_promotion(struct sw_policy *p, json_t *problems, json_t *section);
/* Internal: validates and reads the "rate_limits" section (policy.c calls it). */
void sw__policy_rate_limits(struct sw_policy *p, json_t *problems, json_t *section);
/* Internal: validates and reads the "penalties" section (policy.c calls it). */
void sw__policy_penalties(struct sw_policy *p, json_t *problems, json_t *section);
/* Internal: the JSON path of parent's member `key`: parent.key when the key is a plain name,
 * parent["key"] otherwise (a category code has a dot: $.categories["beauty.skincare"]). */
void sw__policy_key_path(char *out, size_t n, const char *parent, const char *key);

#endif
