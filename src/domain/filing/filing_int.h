/* Shared between the filing module's files. */
#ifndef SW_DOMAIN_FILING_INT_H
#define SW_DOMAIN_FILING_INT_H

#include "domain/filing/filing.h"
#include "store/filing_sql.h"

#define SW_FILING_ID_BUF 24
#define SW_FILING_REASONS 4
#define SW_FILING_NOTE_MAX 4000
/* How many products one PK or live session may name. */
#define SW_FILING_PRODUCTS_MAX 200

extern const char *const sw__filing_reasons[SW_FILING_REASONS]; /* self_built, pk, ... */

/* Ids: f<n>, d<n>, ls<n>, la<n>. */
void sw__filing_id(const char *prefix, int64_t rid, char out[SW_FILING_ID_BUF]);
bool sw__filing_parse_id(const char *prefix, const char *s, int64_t *rid);

/* A streamer as the rules see it: the API's row, else the policy's entry. */
struct sw_streamer_info {
    bool known, designated;
    char id[72], nickname[72], merchant[72]; /* merchant "" when none */
};
int sw__streamer_info(struct sw_ctx *ctx, const char *id, struct sw_streamer_info *out,
                      struct sw_error *err) SW_MUSTCHECK;

/* The documents the product's category now asks for (a product moved to another category):
 * when they differ from the record's, the record shows them (version + 1,
 * filing.documents_changed). Its status is left as it is. */
int sw__filing_refresh_documents(struct sw_ctx *ctx, struct sw_filing_row *f, struct sw_error *err);
/* Every record not approved, after a policy's activation (records.c). */
int sw__filing_refresh_open(struct sw_ctx *ctx, struct sw_error *err);

/* records.c */
json_t *sw__filing_render(const struct sw_filing_row *f);
/* Creates the record (product, streamer) as pending with reason, or adds the reason to the one
 * that exists (detail: extra history fields, borrowed). *rid receives the record's rid. */
int sw__filing_ensure(struct sw_ctx *ctx, const char *merchant, const char *product,
                      const struct sw_streamer_info *s, const char *reason, const json_t *detail,
                      int64_t *rid, struct sw_error *err) SW_MUSTCHECK;
/* Moves f by action, appends to its history {at, action, from, to, by} plus detail's fields
 * (borrowed, may be NULL), raises its version, writes it and emits event (payload: f). */
int sw__filing_move(struct sw_ctx *ctx, struct sw_filing_row *f, enum sw_filing_action a,
                    const char *event, const json_t *detail, struct sw_error *err) SW_MUSTCHECK;
/* A key-field edit of the product (fields: the ones changed): the record goes back to pending
 * with the reason product_edit, whatever its status. */
int sw__filing_reset(struct sw_ctx *ctx, struct sw_filing_row *f, const json_t *fields,
                     struct sw_error *err) SW_MUSTCHECK;
/* A streamer's new nickname carried to every record naming it under another: each such record
 * gets a new version and a filing.streamer_renamed event (payload: the record). */
int sw__filing_rename(struct sw_ctx *ctx, const char *streamer, const char *nickname,
                      struct sw_error *err) SW_MUSTCHECK;
int sw__filing_records_register(struct sw_engine *e) SW_MUSTCHECK;

/* scenarios.c */
/* The sender is store merchant's own key (another store: not_found), and it is not cleared. */
int sw__filing_store_may(struct sw_ctx *ctx, const char *merchant,
                         struct sw_error *err) SW_MUSTCHECK;
json_t *sw__distribution_render(const struct sw_distribution_row *d);
json_t *sw__streamer_render(const struct sw_streamer_row *s);
int sw__filing_scenarios_register(struct sw_engine *e) SW_MUSTCHECK;

/* sessions.c */
int sw__filing_sessions_register(struct sw_engine *e) SW_MUSTCHECK;
/* The session as the API shows it (lottery: its approvals, stolen; NULL: none). */
json_t *sw__session_render(const struct sw_session_row *s, json_t *lottery);
/* The same with its lottery approvals read from c. */
int sw__session_full(struct sw_conn *c, const struct sw_session_row *s, json_t **out,
                     struct sw_error *err) SW_MUSTCHECK;

/* Whether a viewer (NULL: staff) may see an object of store merchant naming these streamers. */
bool sw__filing_visible(const char *viewer, const char *merchant, const char *streamer,
                        const char *partner);

#endif
