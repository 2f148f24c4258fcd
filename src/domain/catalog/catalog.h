/* Catalog: merchants (stores) and products (listings).
 *
 * Commands: merchant.create, merchant.update, merchant.restrict, merchant.reinstate,
 * merchant.clear, product.create, product.update, product.list, product.delist, product.ban,
 * product.unban. Events: merchant.created, merchant.updated, merchant.status_changed,
 * product.created, product.updated (with the key fields that changed), product.listed,
 * product.delisted, product.banned, product.unbanned.
 *
 * Workflows are a state enum plus a pure transition function (tested by table). */
#ifndef SW_DOMAIN_CATALOG_H
#define SW_DOMAIN_CATALOG_H

#include <jansson.h>

#include "engine/engine.h"

enum sw_product_status { SW_PRODUCT_DELISTED, SW_PRODUCT_LISTED, SW_PRODUCT_BANNED };
enum sw_product_action { SW_PA_LIST, SW_PA_DELIST, SW_PA_BAN, SW_PA_UNBAN, SW_PA_EDIT };
enum sw_merchant_status { SW_MERCHANT_ACTIVE, SW_MERCHANT_RESTRICTED, SW_MERCHANT_CLEARED };
enum sw_merchant_action { SW_MA_RESTRICT, SW_MA_REINSTATE, SW_MA_CLEAR };

#define SW_PRODUCT_STATUS_COUNT 3
#define SW_PRODUCT_ACTION_COUNT 5
#define SW_MERCHANT_STATUS_COUNT 3
#define SW_MERCHANT_ACTION_COUNT 3

const char *sw_product_status_name(enum sw_product_status s);
int sw_product_status_parse(const char *s, enum sw_product_status *out);
const char *sw_merchant_status_name(enum sw_merchant_status s);
int sw_merchant_status_parse(const char *s, enum sw_merchant_status *out);

/* What an action does to a product of a store in state ms. Returns SW_OK with *next, or the
 * refusal: state_conflict, product_banned, merchant_restricted, merchant_cleared. */
int sw_product_transition(enum sw_product_status s, enum sw_product_action a,
                          enum sw_merchant_status ms, enum sw_product_status *next);
/* What keeps a store from being active. A store's status follows from its holds: any
 * clearance -> cleared, else any other hold -> restricted, else active. */
#define SW_HOLD_OPERATOR 1u            /* restricted by an operator (merchant.restrict) */
#define SW_HOLD_DEPOSIT 2u             /* deposit balance below the requirement (penalty) */
#define SW_HOLD_RECTIFICATION 4u       /* a rectification report is owed (penalty) */
#define SW_HOLD_VIOLATION_CLEARANCE 8u /* cleared by a violation; an upheld appeal lifts it */
#define SW_HOLD_OPERATOR_CLEARANCE 16u /* cleared by an operator (merchant.clear): final */
#define SW_HOLD_COUNT 5
const char *sw_hold_name(unsigned hold_bit);
enum sw_merchant_status sw_merchant_status_of(unsigned holds);
/* What an operator action does to a store's holds. Returns SW_OK with *next, or
 * state_conflict / merchant_cleared. */
int sw_merchant_transition(unsigned holds, enum sw_merchant_action a, unsigned *next);

/* --- for other domain modules, inside a command (no actor checks: the caller decided) --- */

struct sw_merchant_info {
    int64_t deposit_required_fen;
    int64_t version;
    unsigned holds;
    enum sw_merchant_status status;
};
int sw_catalog_merchant_info(struct sw_ctx *ctx, const char *merchant, struct sw_merchant_info *out,
                             struct sw_error *err) SW_MUSTCHECK;
/* Sets or lifts one hold and recomputes the store's status; a changed status is a
 * merchant.status_changed event with `reason`, and a store becoming cleared has every listed
 * product delisted. */
int sw_catalog_set_hold(struct sw_ctx *ctx, const char *merchant, unsigned hold, bool on,
                        const char *reason, struct sw_error *err) SW_MUSTCHECK;

struct sw_product_info {
    char merchant[72];
    char spu_id[72]; /* "" when none */
    char category[64];
    int64_t price_fen;
    int64_t version;
    enum sw_product_status status;
    json_t *findings; /* of the last scan; new reference */
};
/* not_found when there is no such product (any store). */
int sw_catalog_product_info(struct sw_ctx *ctx, const char *id, struct sw_product_info *out,
                            struct sw_error *err) SW_MUSTCHECK;
/* Bans or unbans for a violation (product.banned / product.unbanned with `violation`); an
 * unban leaves the product delisted. Does nothing when it already is in that state, and an
 * unban nothing either when an operator banned it by hand (SW_MARK_OPERATOR_BAN). */
int sw_catalog_set_banned(struct sw_ctx *ctx, const char *id, bool banned, const char *violation,
                          const char *reason, struct sw_error *err) SW_MUSTCHECK;
/* Calls fn for every product whose spu_id is spu, any store, until fn fails. */
int sw_catalog_each_spu_product(struct sw_ctx *ctx, const char *spu,
                                int (*fn)(struct sw_ctx *ctx, const char *product, void *arg,
                                          struct sw_error *err),
                                void *arg, struct sw_error *err) SW_MUSTCHECK;

/* Calls fn for every product of a store, in creation order (this batch's included), until fn
 * fails. */
int sw_catalog_each_store_product(struct sw_ctx *ctx, const char *merchant,
                                  int (*fn)(struct sw_ctx *ctx, const char *product, void *arg,
                                            struct sw_error *err),
                                  void *arg, struct sw_error *err) SW_MUSTCHECK;

/* Product tags: marks other modules set on a product, shown in its view ("tags") and
 * filtered on in a store's product list (tag=). */
#define SW_TAG_ASSURANCE 1u /* "assurance": the store's assurance badge covers the product */
#define SW_TAG_COUNT 1
/* Not a tag (never shown): the catalog's own mark, in the same column, that an operator banned
 * the product by hand (POST /v1/products/{id}/ban). A violation's reversal leaves that ban. */
#define SW_MARK_OPERATOR_BAN (1u << 30)
const char *sw_catalog_tag_name(unsigned bit);
/* The bit of a tag name, 0 when unknown. */
unsigned sw_catalog_tag_parse(const char *name);
json_t *sw_catalog_tags_json(unsigned tags);
/* Sets or clears a tag (product.tagged / product.untagged with the reason); the product's
 * version goes up, since its view changed. Nothing when it already is so. */
int sw_catalog_set_tag(struct sw_ctx *ctx, const char *id, unsigned tag, bool on,
                       const char *reason, struct sw_error *err) SW_MUSTCHECK;
/* What the badge rules read of a product: after_sales (a new reference), tags. */
int sw_catalog_product_services(struct sw_ctx *ctx, const char *id, json_t **after_sales,
                                unsigned *tags, struct sw_error *err) SW_MUSTCHECK;
/* The categories a store sells in (a new reference). */
int sw_catalog_merchant_categories(struct sw_ctx *ctx, const char *merchant, json_t **out,
                                   struct sw_error *err) SW_MUSTCHECK;

/* Re-inspection (rescans, for the penalty module): scans again, under ctx->policy, the listed
 * products with rid in (after, upto], at most max (<= SW_CATALOG_REINSPECT_MAX) and a few MiB
 * of text per call. A product whose findings changed keeps the new scan (version + 1) and is
 * told as product.scanned {trigger: "rescan", rescan: job, listed: true}; one whose findings
 * block on sale is delisted. */
#define SW_CATALOG_REINSPECT_MAX 1000
struct sw_catalog_reinspection {
    int64_t last;                         /* the cursor to go on from */
    int64_t inspected, changed, delisted; /* listed products scanned; findings changed; delisted */
    bool done;                            /* nothing left in the range */
};
int sw_catalog_reinspect(struct sw_ctx *ctx, const char *job, int64_t after, int64_t upto, int max,
                         struct sw_catalog_reinspection *r, struct sw_error *err) SW_MUSTCHECK;
/* How many products are listed now, and the highest product rid (the end of a rescan). */
int sw_catalog_listed_count(struct sw_ctx *ctx, int64_t *listed, int64_t *max_rid,
                            struct sw_error *err) SW_MUSTCHECK;
/* The dry run's agreement with a create (POST /v1/scan, a read): a merchant's store sells in
 * category (else category_not_in_store, as a create answers), and every product field of the
 * listing (those the scanner reads, title to manufacturer, and those it does not, merchant,
 * stock, attributes, main_image, detail_images, spu_id, services) is of the type and within the
 * limits a create accepts (a 241-byte title, an empty one, a detail over the policy's limit are
 * refused with the create's code and field). `images`, the dry run's own, is not looked at. */
int sw_catalog_check_store_category(struct sw_engine *e, const char *merchant, const char *category,
                                    struct sw_error *err) SW_MUSTCHECK;
int sw_catalog_check_fields(const struct sw_policy *pol, const json_t *in,
                            struct sw_error *err) SW_MUSTCHECK;
/* The stored version of product id (a read), and the version whose content its last scan read
 * (a ban, a listing or a tag moves the first only): not_found when there is none. */
int sw_catalog_product_version(struct sw_engine *e, struct sw_conn *c, const char *id,
                               int64_t *version, int64_t *scanned,
                               struct sw_error *err) SW_MUSTCHECK;

/* Registers commands and the product id map. */
int sw_catalog_register(struct sw_engine *e) SW_MUSTCHECK;

/* Reads (any thread, on a read connection). A product is rendered straight to JSON text
 * (malloc'd): the stored doc is spliced in, not parsed and dumped again. merchant_out
 * receives the owning merchant, for authorisation, and version_out (may be NULL) its version. */
int sw_catalog_get_product_text(struct sw_engine *e, struct sw_conn *c, const char *id, char **out,
                                char merchant_out[72], int64_t *version_out,
                                struct sw_error *err) SW_MUSTCHECK;
/* *out is a new reference. */
/* Point-in-time reads (docs/point-in-time.md): the object as its events had made it at at_us;
 * not_found when it did not exist yet. The caller checks who may see it. */
int sw_catalog_merchant_at(struct sw_engine *e, struct sw_conn *c, const char *id, int64_t at_us,
                           json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_catalog_product_at(struct sw_engine *e, struct sw_conn *c, const char *id, int64_t at_us,
                          json_t **out, struct sw_error *err) SW_MUSTCHECK;
int sw_catalog_get_merchant(struct sw_conn *c, const char *id, json_t **out,
                            struct sw_error *err) SW_MUSTCHECK;
/* Merchants by id after `after` (NULL = start), of `status` (NULL: any; an unknown one is
 * invalid_value): {merchants, next_after, has_more}. */
int sw_catalog_list_merchants(struct sw_conn *c, const char *after, const char *status, int limit,
                              json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* Products of a merchant, in creation order, after the product `after` (NULL = start). */
int sw_catalog_list_products(struct sw_engine *e, struct sw_conn *c, const char *merchant,
                             const char *status, const char *tag, const char *after, int limit,
                             json_t **out, struct sw_error *err) SW_MUSTCHECK;

#endif
