/* The versions of rows whose module SQL does not read them (schema 0008_versions.sql): what
 * single reads answer as their ETag and what If-Match is compared with. */
#ifndef SW_STORE_VERSIONS_SQL_H
#define SW_STORE_VERSIONS_SQL_H

#include <stdint.h>

#include "store/store.h"

/* A violation's version: its row's and its appeals' together (a violation is read with its
 * appeals, so a change of either is a new version). Each part only grows, so the sum does.
 * *out is 0 when there is no such violation. */
int sw_sql_violation_version(struct sw_conn *c, int64_t rid, int64_t *out,
                             struct sw_error *err) SW_MUSTCHECK;
/* An appeal's version; 0 when there is no such appeal. */
int sw_sql_appeal_version(struct sw_conn *c, int64_t rid, int64_t *out,
                          struct sw_error *err) SW_MUSTCHECK;
/* A store's deposit account's version; 0 before its first entry. */
int sw_sql_deposit_version(struct sw_conn *c, const char *merchant, int64_t *out,
                           struct sw_error *err) SW_MUSTCHECK;

#endif
