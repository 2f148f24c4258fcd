/* SQL for the badge module's tables (schema 0014_badge.sql). Only the badge module calls
 * these. */
#ifndef SW_STORE_BADGE_SQL_H
#define SW_STORE_BADGE_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_badge_row {
    char merchant[72], state[16], activated_by[16]; /* activated_by "" when none */
    int64_t since;
    json_t *services, *missing, *reasons;                     /* owned arrays */
    int64_t reminder_sent_at, reminder_dismissed_at, auto_at; /* 0: none */
    int64_t updated_at, version;
};
void sw_badge_row_release(struct sw_badge_row *b);
int sw_sql_badge_get(struct sw_conn *c, const char *merchant, struct sw_badge_row *b, bool *found,
                     struct sw_error *err) SW_MUSTCHECK;
/* Inserts or replaces the store's row. */
int sw_sql_badge_put(struct sw_conn *c, const struct sw_badge_row *b,
                     struct sw_error *err) SW_MUSTCHECK;
/* The stores that have a row, after `after` (NULL: start), at most max, by id. */
int sw_sql_badge_merchants(struct sw_conn *c, const char *after, int max, char (*out)[72], int *n,
                           struct sw_error *err) SW_MUSTCHECK;

struct sw_notification_row {
    int64_t rid;
    char merchant[72], type[32];
    int64_t at;
    char *message;
    int64_t dismissed_at;
};
void sw_notification_row_release(struct sw_notification_row *n);
int sw_sql_notification_insert(struct sw_conn *c, struct sw_notification_row *n,
                               struct sw_error *err) SW_MUSTCHECK;
/* Marks the store's undismissed notifications of a type dismissed at `at`. */
int sw_sql_notification_dismiss(struct sw_conn *c, const char *merchant, const char *type,
                                int64_t at, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_notification_page(struct sw_conn *c, const char *merchant, int64_t after, int max,
                             struct sw_notification_row *out, int *n,
                             struct sw_error *err) SW_MUSTCHECK;

#endif
