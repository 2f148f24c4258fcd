/* SQL for the qualification module's table (schema 0009_qualification.sql). Only the
 * qualification module calls these. */
#ifndef SW_STORE_QUALIFICATION_SQL_H
#define SW_STORE_QUALIFICATION_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_qualification_row {
    int64_t rid;
    char merchant[72], code[64], status[16];
    json_t *documents;                              /* owned, array of strings */
    int64_t expires_on;                             /* days since the epoch */
    int64_t expires_at;                             /* µs */
    json_t *submitted_by, *decided_by, *revoked_by; /* owned actor objects, may be NULL */
    int64_t decided_at;                             /* 0: not decided */
    char *note;                                     /* owned, may be NULL */
    int64_t revoked_at;
    char *revoke_note; /* owned, may be NULL */
    int64_t expired_at;
    int64_t created_at, updated_at, version;
};
void sw_qualification_row_release(struct sw_qualification_row *q);

/* Inserts with q->rid = 0 and sets it. */
int sw_sql_qualification_insert(struct sw_conn *c, struct sw_qualification_row *q,
                                struct sw_error *err) SW_MUSTCHECK;
/* Writes every column of q (the caller raised q->version). */
int sw_sql_qualification_update(struct sw_conn *c, const struct sw_qualification_row *q,
                                struct sw_error *err) SW_MUSTCHECK;
int sw_sql_qualification_get(struct sw_conn *c, int64_t rid, struct sw_qualification_row *q,
                             bool *found, struct sw_error *err) SW_MUSTCHECK;

/* A page of a store's records by rid after `after`, at most max (status and code NULL: any). */
struct sw_qualification_filter {
    const char *merchant, *status, *code;
};
int sw_sql_qualification_page(struct sw_conn *c, const struct sw_qualification_filter *f,
                              int64_t after, int max, struct sw_qualification_row *out, int *n,
                              struct sw_error *err) SW_MUSTCHECK;
/* Records in review, oldest submission first, at most max. */
int sw_sql_qualification_in_review(struct sw_conn *c, int max, struct sw_qualification_row *out,
                                   int *n, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_qualification_in_review_count(struct sw_conn *c, int64_t *n,
                                         struct sw_error *err) SW_MUSTCHECK;
/* Whether store merchant had, at instant at, a record of code approved at or before `at`, not
 * revoked at or before `at`, whose expiry is after `at`. */
int sw_sql_qualification_held(struct sw_conn *c, const char *merchant, const char *code, int64_t at,
                              bool *held, struct sw_error *err) SW_MUSTCHECK;

#endif
