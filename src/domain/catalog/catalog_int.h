/* Shared between the catalog's own files; not for other modules. */
#ifndef SW_DOMAIN_CATALOG_INT_H
#define SW_DOMAIN_CATALOG_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/catalog/catalog.h"
#include "domain/domain.h"
#include "engine/engine.h"
#include "store/catalog_sql.h"

#define SW__PRODUCT_IDMAP "products"
#define SW__STORE_PRODUCTS "store_products"
/* Every product command needs its store's status; an id map (store -> status + 1) keeps it
 * in memory, staged and rolled back with the command like every id map. */
#define SW__STORE_STATUS "store_status"
/* store "\t" category -> 1 while the store sells in it (review.c). */
#define SW__STORE_CATEGORIES "store_categories"

/* Applies the fields present in `in` onto doc (create: doc starts empty). Collects the names
 * of fields whose value changed into `changed` (NULL: not wanted). */
/* render.c: a product as JSON, and as text with the stored doc (malloc'd, NULL when out of
 * memory). */
json_t *sw__catalog_render_product(const struct sw_product_row *p);
char *sw__catalog_render_product_text(const struct sw_product_row *p, const char *doc);
/* fields.c: which of the changed fields (names) are key fields, whose edit sends a filed
 * product back to review. */
json_t *sw__catalog_key_fields_of(const json_t *changed);
/* err (a check of the request's columns failed) or an earlier problem of the same request:
 * an unknown field first, then the field first in the request schema's order. Returns its code. */
int sw__catalog_first_error(const json_t *in, const struct sw_policy *pol, struct sw_error *err);
int sw__catalog_apply_doc(const json_t *in, json_t *doc, const struct sw_policy *pol,
                          json_t *changed, struct sw_error *err) SW_MUSTCHECK;
/* Only the columns kept outside the doc (price, stock) are in `in`. */
bool sw__catalog_columns_only(const json_t *in);

/* The scan of a product as it will be once its command is applied, computed on the
 * submitting thread (product.create and product.update's prepare hook): the writer only
 * checks that it was computed for the state it sees. */
struct sw__catalog_prep {
    char id[72];
    int64_t rid;          /* 0 for a create */
    int64_t base_version; /* the version the change applies to (0 for a create) */
    char policy_version[64];
    bool scanned;     /* false: the change needs no scan (stock, or a price the text omits) */
    unsigned flags;   /* SW_SCAN_* of the scan */
    json_t *findings; /* owned; the writer copies it */
};

/* Scans the listing in p->doc with p->price_fen under pol: the same function on both threads. */
int sw__catalog_scan_row(const struct sw_policy *pol, const struct sw_product_row *p,
                         unsigned *flags, json_t **findings, struct sw_error *err) SW_MUSTCHECK;
/* The writer's side: the prepared scan of product p (its version already moved on), or
 * SW_E_PREPARED_STALE when it was computed for another state or policy. */
int sw__catalog_take_prepared(const struct sw__catalog_prep *pp, const struct sw_policy *pol,
                              const struct sw_product_row *p, unsigned *flags, json_t **findings,
                              struct sw_error *err) SW_MUSTCHECK;
/* The prepare hook of product.create and product.update (sw_prep_fn) and its release. */
int sw__catalog_prepare(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                        void **out, struct sw_error *err) SW_MUSTCHECK;
void sw__catalog_prep_free(void *prepared);
/* Shared by the product commands (catalog.c) and the merchant commands (merchants.c). */
json_t *sw__catalog_holds_json(int64_t holds);
json_t *sw__catalog_render_merchant(const struct sw_merchant_row *m);
/* Loads a store the actor may see (another store's: not_found). */
/* A store's row; not_found when there is none. Free m->categories. */
int sw__catalog_merchant_row(struct sw_conn *c, const char *id, struct sw_merchant_row *m,
                             struct sw_error *err) SW_MUSTCHECK;
int sw__catalog_load_merchant(struct sw_ctx *ctx, const char *id, struct sw_merchant_row *m,
                              struct sw_error *err) SW_MUSTCHECK;
int sw__catalog_set_merchant_status(struct sw_ctx *ctx, const char *merchant,
                                    enum sw_merchant_status ms, struct sw_error *err) SW_MUSTCHECK;
/* The error for a refused transition of `what` on object `id` in `state`. */
int sw__catalog_refuse_transition(int code, const char *what, const char *id, const char *state,
                                  struct sw_error *err);
/* Writes new holds on a store and, when its status changes, says so (merchant.status_changed)
 * and delists everything of a store that became cleared. */
int sw__catalog_write_holds(struct sw_ctx *ctx, struct sw_merchant_row *m, unsigned holds,
                            const char *reason, struct sw_error *err) SW_MUSTCHECK;
/* Registers merchant.create, .update, .restrict, .reinstate, .clear. */
int sw__catalog_register_merchants(struct sw_engine *e) SW_MUSTCHECK;
/* Id map and id list loaders (registration in catalog.c). */
int sw__catalog_load_store_status(struct sw_conn *c, struct sw_map *m, struct sw_error *err);
int sw__catalog_load_store_products(struct sw_conn *c, struct sw_idlist *l, struct sw_error *err);
/* A product body's head in a create's order (catalog.c): its id, store and stock, title and
 * category, each of its type and within its limits; id, title and category required when
 * create (a dry run may leave them out). The first error as read, not yet ranked
 * (sw__catalog_first_error). */
int sw__catalog_read_head(const json_t *in, bool create, const char **id, const char **merchant,
                          int64_t *stock, struct sw_error *err) SW_MUSTCHECK;
/* A product create's fields beside its doc, as it reads them: merchant (an id) and stock (an
 * integer 0-1e9); wrong_type / invalid_value naming the field. */
int sw__catalog_read_owner_stock(const json_t *in, const char **merchant, int64_t *stock,
                                 struct sw_error *err);
/* catalog.c: the scan of a product as it now is, kept in its doc under "scan" (*found: the
 * findings when there are any, else NULL), and product.scanned (steals findings; nothing when
 * NULL). */
int sw__catalog_scan_product(struct sw_ctx *ctx, struct sw_product_row *p, json_t **found,
                             struct sw_error *err) SW_MUSTCHECK;
int sw__catalog_emit_scanned(struct sw_ctx *ctx, const struct sw_product_row *p,
                             const char *trigger, json_t *findings,
                             struct sw_error *err) SW_MUSTCHECK;
/* Delists product rid, when it still is listed (*moved; may be NULL), for findings that block
 * it on sale. */
int sw__catalog_delist_blocked(struct sw_ctx *ctx, int64_t rid, bool *moved,
                               struct sw_error *err) SW_MUSTCHECK;

/* review.c: audit before publication, enforcement after. */
/* The distinct types among findings that keep a product off sale (on_unlisted or on_listed is
 * block), a new array. */
json_t *sw__catalog_blocking_types(const struct sw_policy *pol, const json_t *findings);
/* Those findings themselves, a new array. */
json_t *sw__catalog_blocking_findings(const struct sw_policy *pol, const json_t *findings);
/* Whether any finding blocks: on a listed product (on_listed), or at listing (either). */
bool sw__catalog_blocks(const struct sw_policy *pol, const json_t *findings, bool listed);
/* The review at listing of p (its version already moved on): its category is its store's,
 * its findings under the policy in force (scanned again when its last scan was under another
 * version: *rescanned, p->doc updated) do not block (listing_blocked). *penalise: the findings
 * that become violations once it is on sale (NULL when none). */
int sw__catalog_review_listing(struct sw_ctx *ctx, struct sw_product_row *p, bool *rescanned,
                               json_t **penalise, struct sw_error *err) SW_MUSTCHECK;
/* category_not_in_store unless the store sells in category. */
int sw__catalog_check_category(struct sw_ctx *ctx, const char *merchant, const char *category,
                               struct sw_error *err) SW_MUSTCHECK;
/* Keeps the store-categories map in step with a store's categories (old: NULL for a new one). */
int sw__catalog_index_categories(struct sw_ctx *ctx, const char *merchant, const json_t *old,
                                 const json_t *cats, struct sw_error *err) SW_MUSTCHECK;
int sw__catalog_load_store_categories(struct sw_conn *c, struct sw_map *m, struct sw_error *err);

/* Registers the prepare hooks of product.create and product.update. */
int sw__catalog_register_prepare(struct sw_engine *e) SW_MUSTCHECK;

#endif
