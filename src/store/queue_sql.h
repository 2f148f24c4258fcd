/* Claims, notes and approvals (0019_queue.sql). Documents are JSON text; instants are µs. */
#ifndef SW_STORE_QUEUE_SQL_H
#define SW_STORE_QUEUE_SQL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct sw_claim_row {
    char item[72];
    char holder[72];
    int64_t until_us;
    json_t *doc; /* owned */
};
/* The claim on item live at now (until after now); *found false when none. */
int sw_sql_claim_get(struct sw_conn *c, const char *item, int64_t now, struct sw_claim_row *out,
                     bool *found, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_claim_put(struct sw_conn *c, const struct sw_claim_row *row,
                     struct sw_error *err) SW_MUSTCHECK;
int sw_sql_claim_delete(struct sw_conn *c, const char *item, struct sw_error *err) SW_MUSTCHECK;
/* Live claims at now, by item after `after` ("" from the start): up to limit rows as
 * [{item, holder, until, ...doc}]. */
int sw_sql_claims_live(struct sw_conn *c, int64_t now, const char *after, int limit, json_t **out,
                       struct sw_error *err) SW_MUSTCHECK;

int sw_sql_note_insert(struct sw_conn *c, const char *subject, int64_t at, const char *doc,
                       int64_t *rid, struct sw_error *err) SW_MUSTCHECK;
/* Notes on subject after rid `after`, oldest first: [{rid, subject, at, doc...}]. */
int sw_sql_notes(struct sw_conn *c, const char *subject, int64_t after, int limit, json_t **out,
                 struct sw_error *err) SW_MUSTCHECK;

struct sw_approval_row {
    int64_t rid;
    char status[16];
    char requester[72];
    char command[64];
    json_t *payload; /* owned */
    json_t *doc;     /* owned */
};
void sw_approval_row_release(struct sw_approval_row *a);
int sw_sql_approval_insert(struct sw_conn *c, struct sw_approval_row *a,
                           struct sw_error *err) SW_MUSTCHECK;
int sw_sql_approval_update(struct sw_conn *c, const struct sw_approval_row *a,
                           struct sw_error *err) SW_MUSTCHECK;
int sw_sql_approval_get(struct sw_conn *c, int64_t rid, struct sw_approval_row *a, bool *found,
                        struct sw_error *err) SW_MUSTCHECK;
/* Approvals of status (NULL: any) after rid `after`, oldest first, up to limit rids. */
int sw_sql_approval_rids(struct sw_conn *c, const char *status, int64_t after, int limit,
                         int64_t *out, int *n, struct sw_error *err) SW_MUSTCHECK;
/* The pending approval of command (NULL: of any command) on subject (*rid 0: none). */
int sw_sql_approval_pending_for(struct sw_conn *c, const char *command, const char *subject,
                                int64_t *rid, struct sw_error *err) SW_MUSTCHECK;
int sw_sql_approvals_pending(struct sw_conn *c, int64_t *n, struct sw_error *err) SW_MUSTCHECK;

/* The events appended from seq on (this command's, on the writer): [{type, merchant,
 * payload}]. */
int sw_sql_events_since(struct sw_conn *c, int64_t from_seq, json_t **out,
                        struct sw_error *err) SW_MUSTCHECK;

#endif
