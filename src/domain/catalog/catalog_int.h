/* Shared between the catalog's own files; not for other modules. */
#ifndef SW_DOMAIN_CATALOG_INT_H
#define SW_DOMAIN_CATALOG_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "store/catalog_sql.h"

#define SW__PRODUCT_IDMAP "products"

/* Reads an amount given either as integer fen (`<name>_fen`) or as a yuan string (`<name>`). */
int sw__catalog_read_amount(const json_t *in, const char *name, int64_t *out, bool *present,
                            struct sw_error *err) SW_MUSTCHECK;
/* Applies the fields present in `in` onto doc (create: doc starts empty). Collects the names
 * of fields whose value changed into `changed` (NULL: not wanted). */
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
/* Registers the prepare hooks of product.create and product.update. */
int sw__catalog_register_prepare(struct sw_engine *e) SW_MUSTCHECK;

#endif
