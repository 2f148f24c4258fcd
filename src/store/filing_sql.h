/* SQL for the filing module's tables (schema 0012_filing.sql). Only the filing module calls
 * these. */
#ifndef SW_STORE_FILING_SQL_H
#define SW_STORE_FILING_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_streamer_row {
    char id[72], nickname[72];
    bool designated;
    char merchant[72]; /* "" when none */
    json_t *updated_by;
    int64_t created_at, updated_at, version;
};
void sw_streamer_row_release(struct sw_streamer_row *s);
int sw_sql_streamer_get(struct sw_conn *c, const char *id, struct sw_streamer_row *s, bool *found,
                        struct sw_error *err) SW_MUSTCHECK;
int sw_sql_streamer_insert(struct sw_conn *c, const struct sw_streamer_row *s,
                           struct sw_error *err) SW_MUSTCHECK;
int sw_sql_streamer_update(struct sw_conn *c, const struct sw_streamer_row *s,
                           struct sw_error *err) SW_MUSTCHECK;
/* The streamers (rows) whose store is merchant, at most max. */
int sw_sql_streamers_of_store(struct sw_conn *c, const char *merchant, int max,
                              struct sw_streamer_row *out, int *n,
                              struct sw_error *err) SW_MUSTCHECK;

struct sw_filing_row {
    int64_t rid;
    char merchant[72], product[72], streamer[72], nickname[72], status[16];
    json_t *reasons, *required, *documents, *history; /* owned arrays */
    int64_t submitted_at;                             /* 0: never submitted */
    json_t *submitted_by;
    int64_t decided_at;
    json_t *decided_by;
    char *note;
    int64_t created_at, updated_at, version;
};
void sw_filing_row_release(struct sw_filing_row *f);
int sw_sql_filing_insert(struct sw_conn *c, struct sw_filing_row *f,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_filing_update(struct sw_conn *c, const struct sw_filing_row *f,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_sql_filing_get(struct sw_conn *c, int64_t rid, struct sw_filing_row *f, bool *found,
                      struct sw_error *err) SW_MUSTCHECK;
int sw_sql_filing_find(struct sw_conn *c, const char *product, const char *streamer,
                       struct sw_filing_row *f, bool *found, struct sw_error *err) SW_MUSTCHECK;
/* The rids of a product's records after `after`, at most max, ascending. */
int sw_sql_filing_rids_of_product(struct sw_conn *c, const char *product, int64_t after, int max,
                                  int64_t *out, int *n, struct sw_error *err) SW_MUSTCHECK;
/* The rids after `after` of the records naming streamer under another nickname than
 * nickname, at most max, ascending. */
int sw_sql_filing_rids_to_rename(struct sw_conn *c, const char *streamer, const char *nickname,
                                 int64_t after, int max, int64_t *out, int *n,
                                 struct sw_error *err) SW_MUSTCHECK;
struct sw_filing_filter {
    const char *merchant, *streamer, *status, *product; /* NULL: any */
};
/* A page by rid after `after`; with status "reviewing" alone, oldest submission first after
 * the record `after` in that order. */
int sw_sql_filing_page(struct sw_conn *c, const struct sw_filing_filter *f, int64_t after, int max,
                       struct sw_filing_row *out, int *n, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_filing_in_review_count(struct sw_conn *c, int64_t *n, struct sw_error *err) SW_MUSTCHECK;

struct sw_distribution_row {
    int64_t rid;
    char streamer[72], nickname[72], product[72], merchant[72];
    int64_t filing; /* 0: none */
    json_t *created_by;
    int64_t created_at;
};
void sw_distribution_row_release(struct sw_distribution_row *d);
int sw_sql_distribution_insert(struct sw_conn *c, struct sw_distribution_row *d,
                               struct sw_error *err) SW_MUSTCHECK;
int sw_sql_distribution_get(struct sw_conn *c, int64_t rid, struct sw_distribution_row *d,
                            bool *found, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_distribution_find(struct sw_conn *c, const char *streamer, const char *product,
                             struct sw_distribution_row *d, bool *found,
                             struct sw_error *err) SW_MUSTCHECK;
/* Links distribution rid to its filing record (a streamer designated after putting it up). */
int sw_sql_distribution_set_filing(struct sw_conn *c, int64_t rid, int64_t filing,
                                   struct sw_error *err) SW_MUSTCHECK;
struct sw_party_filter {
    const char *merchant, *streamer; /* NULL: any */
};
int sw_sql_distribution_page(struct sw_conn *c, const struct sw_party_filter *f, int64_t after,
                             int max, struct sw_distribution_row *out, int *n,
                             struct sw_error *err) SW_MUSTCHECK;

struct sw_session_row {
    int64_t rid;
    char merchant[72], streamer[72], partner[72]; /* partner "" without a PK */
    int64_t start_at;
    json_t *doc, *cart, *created_by;
    int64_t created_at, updated_at, version;
};
void sw_session_row_release(struct sw_session_row *s);
int sw_sql_session_insert(struct sw_conn *c, struct sw_session_row *s,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_sql_session_update(struct sw_conn *c, const struct sw_session_row *s,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_sql_session_get(struct sw_conn *c, int64_t rid, struct sw_session_row *s, bool *found,
                       struct sw_error *err) SW_MUSTCHECK;
/* Sessions of a store; a streamer filter matches the session's streamer or PK partner. */
int sw_sql_session_page(struct sw_conn *c, const struct sw_party_filter *f, int64_t after, int max,
                        struct sw_session_row *out, int *n, struct sw_error *err) SW_MUSTCHECK;

struct sw_lottery_row {
    int64_t rid, session;
    char product[72];
    char *note;
    json_t *approved_by;
    int64_t approved_at;
};
void sw_lottery_row_release(struct sw_lottery_row *l);
int sw_sql_lottery_insert(struct sw_conn *c, struct sw_lottery_row *l,
                          struct sw_error *err) SW_MUSTCHECK;
int sw_sql_lottery_find(struct sw_conn *c, int64_t session, const char *product,
                        struct sw_lottery_row *l, bool *found, struct sw_error *err) SW_MUSTCHECK;
/* A session's approvals, at most max, in order. */
int sw_sql_lottery_of_session(struct sw_conn *c, int64_t session, int max,
                              struct sw_lottery_row *out, int *n,
                              struct sw_error *err) SW_MUSTCHECK;

#endif
