/* Policy versions (schema 0010_policies.sql): the documents the engine has run with, and which
 * one is active (the last activated). */
#ifndef SW_STORE_POLICY_SQL_H
#define SW_STORE_POLICY_SQL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* The document (malloc'd text, caller frees) of the active policy: the row activated last.
 * *doc is NULL when no policy was ever activated. */
int sw_sql_policy_active(struct sw_conn *c, char **doc, struct sw_error *err) SW_MUSTCHECK;
/* The stored document of a version (malloc'd), or NULL when the version is unknown. */
int sw_sql_policy_get(struct sw_conn *c, const char *version, char **doc,
                      struct sw_error *err) SW_MUSTCHECK;
/* Records a version: with command_seq > 0, as activated by that command at `at` (an existing
 * row of the version is marked active again); with command_seq 0, as a version that was in
 * force before any activation (nothing changes when the row exists). */
int sw_sql_policy_put(struct sw_conn *c, const char *version, const char *doc, int64_t at,
                      int64_t command_seq, struct sw_error *err) SW_MUSTCHECK;
/* The version the log's last command ran under into version (cap bytes); "" for an empty log. */
int sw_sql_policy_last_used(struct sw_conn *c, char *version, size_t cap,
                            struct sw_error *err) SW_MUSTCHECK;

#endif
