/* One event of the affiliate feed: its fields by type, checked. */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "domain/affiliate/affiliate_int.h"

#define ID_MAX 128

static bool case_state(const char *s, enum sw_case_state *out)
{
    static const char *const states[] = {"open", "succeeded", "failed"};
    for (int k = 0; k < 3; k++)
        if (strcmp(states[k], s) == 0) {
            *out = (enum sw_case_state)k;
            return true;
        }
    return false;
}

static int read_buyer(const json_t *b, const char *path, struct sw_aff_event *out,
                      struct sw_error *err)
{
    char p[64];
    snprintf(p, sizeof p, "%s.buyer", path);
    struct sw_jfield f[] = {
        {"id", SW_J_STR, SW_J_REQUIRED, &out->buyer_id, ID_MAX, NULL},
        {"device", SW_J_STR, 0, &out->buyer_device, ID_MAX, NULL},
        {"address_hash", SW_J_STR, 0, &out->buyer_address, ID_MAX, NULL},
    };
    int rc = sw_json_read(b, p, f, sizeof f / sizeof f[0], true, err);
    if (rc == SW_OK && out->buyer_id[0] == '\0')
        rc = sw_fail(err, SW_E_INVALID_VALUE, p, "a buyer needs an id");
    return rc;
}

/* The fields of one type beyond the common ones. */
static int read_specific(const json_t *e, const char *path, struct sw_aff_event *out,
                         struct sw_jfield *common, size_t ncommon, struct sw_error *err)
{
    const json_t *buyer = NULL;
    const char *state = NULL;
    struct sw_jfield f[16];
    size_t n = ncommon;
    memcpy(f, common, sizeof *common * ncommon);
    switch (out->type) {
    case SW_AT_PAID:
        f[n++] =
            (struct sw_jfield){"amount_fen", SW_J_FEN, SW_J_REQUIRED, &out->amount_fen, 0, NULL};
        f[n++] = (struct sw_jfield){"rate_bp", SW_J_INT, SW_J_REQUIRED, &out->rate_bp, 10000, NULL};
        f[n++] = (struct sw_jfield){"buyer", SW_J_OBJ, SW_J_REQUIRED, &buyer, 0, NULL};
        break;
    case SW_AT_PARTIAL_REFUND:
        f[n++] =
            (struct sw_jfield){"amount_fen", SW_J_FEN, SW_J_REQUIRED, &out->amount_fen, 0, NULL};
        break;
    case SW_AT_RECEIPT_CONFIRMED:
        f[n++] = (struct sw_jfield){"settled_amount_fen", SW_J_FEN, SW_J_REQUIRED,
                                    &out->settled_fen,    0,        NULL};
        break;
    case SW_AT_RIGHTS_CASE:
        f[n++] = (struct sw_jfield){"case", SW_J_STR, SW_J_REQUIRED, &out->case_id, ID_MAX, NULL};
        f[n++] = (struct sw_jfield){"state", SW_J_STR, SW_J_REQUIRED, &state, 16, NULL};
        f[n++] =
            (struct sw_jfield){"refund_fen", SW_J_FEN, SW_J_REQUIRED, &out->refund_fen, 0, NULL};
        break;
    default:
        break;
    }
    int rc = sw_json_read(e, path, f, n, true, err);
    char p[64];
    if (rc == SW_OK && buyer)
        rc = read_buyer(buyer, path, out, err);
    if (rc == SW_OK && (out->type == SW_AT_PAID || out->type == SW_AT_PARTIAL_REFUND) &&
        out->amount_fen <= 0) {
        snprintf(p, sizeof p, "%s.amount_fen", path);
        rc = sw_fail(err, SW_E_INVALID_VALUE, p, "amount_fen must be above 0");
    }
    if (rc == SW_OK && out->type == SW_AT_RIGHTS_CASE && !out->case_id[0]) {
        snprintf(p, sizeof p, "%s.case", path); /* "" names the order's own corrections */
        rc = sw_fail(err, SW_E_INVALID_VALUE, p, "case must be 1-%d characters", ID_MAX);
    }
    if (rc == SW_OK && state && !case_state(state, &out->case_state)) {
        snprintf(p, sizeof p, "%s.state", path);
        rc = sw_fail(err, SW_E_INVALID_VALUE, p, "state must be open, succeeded or failed");
    }
    return rc;
}

int sw__aff_read_event(const json_t *e, const char *path, struct sw_aff_event *out,
                       struct sw_error *err)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(e))
        return sw_fail(err, SW_E_WRONG_TYPE, path, "an event is an object");
    const char *type = NULL;
    struct sw_jfield common[] = {
        {"event_id", SW_J_STR, SW_J_REQUIRED, &out->event_id, ID_MAX, NULL},
        {"type", SW_J_STR, SW_J_REQUIRED, &type, 32, NULL},
        {"order", SW_J_ID, SW_J_REQUIRED, &out->order_id, 0, NULL},
        {"promoter", SW_J_ID, SW_J_REQUIRED, &out->promoter, 0, NULL},
        {"merchant", SW_J_ID, SW_J_REQUIRED, &out->merchant, 0, NULL},
        {"item", SW_J_STR, SW_J_REQUIRED, &out->item, ID_MAX, NULL},
        {"at", SW_J_INSTANT, SW_J_REQUIRED, &out->at, 0, NULL},
    };
    enum { NC = sizeof common / sizeof common[0] };
    int rc = sw_json_read(e, path, common, NC, false, err);
    char p[64];
    if (rc)
        return rc;
    if (out->event_id[0] == '\0') {
        snprintf(p, sizeof p, "%s.event_id", path);
        return sw_fail(err, SW_E_INVALID_VALUE, p, "event_id must not be empty");
    }
    if (sw_aff_type_parse(type, &out->type) != SW_OK) {
        snprintf(p, sizeof p, "%s.type", path);
        return sw_fail(err, SW_E_INVALID_VALUE, p,
                       "type must be created, paid, partial_refund, refund, cancelled, "
                       "receipt_confirmed or rights_case");
    }
    return read_specific(e, path, out, common, NC, err);
}

void sw__aff_event_row(const struct sw_aff_event *e, int64_t arrived, struct sw_aff_event_row *r)
{
    *r = (struct sw_aff_event_row){
        .rid = e->seq,
        .at = e->at,
        .arrived = arrived,
        .event_id = e->event_id,
        .order_id = e->order_id,
        .type = sw_aff_type_name(e->type),
        .promoter = e->promoter,
        .merchant = e->merchant,
        .item = e->item,
        .amount_fen = e->amount_fen,
        .rate_bp = e->rate_bp,
        .settled_fen = e->settled_fen,
        .refund_fen = e->refund_fen,
        .buyer_id = e->buyer_id,
        .buyer_device = e->buyer_device,
        .buyer_address = e->buyer_address,
        .case_id = e->case_id,
        .case_state = e->type == SW_AT_RIGHTS_CASE ? sw_case_state_name(e->case_state) : NULL,
    };
}

int sw__aff_event_from_row(const struct sw_aff_event_row *r, struct sw_arena *a,
                           struct sw_aff_event *e)
{
    memset(e, 0, sizeof *e);
    if (!r->type || sw_aff_type_parse(r->type, &e->type) != SW_OK)
        return SW_E_INVALID_VALUE;
    e->seq = r->rid;
    e->at = r->at;
    e->amount_fen = r->amount_fen;
    e->rate_bp = r->rate_bp;
    e->settled_fen = r->settled_fen;
    e->refund_fen = r->refund_fen;
    const char *const from[] = {r->event_id,     r->order_id,      r->promoter,
                                r->merchant,     r->item,          r->buyer_id,
                                r->buyer_device, r->buyer_address, r->case_id};
    const char **const to[] = {&e->event_id,     &e->order_id,      &e->promoter,
                               &e->merchant,     &e->item,          &e->buyer_id,
                               &e->buyer_device, &e->buyer_address, &e->case_id};
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        if (from[i] && !(*to[i] = sw_arena_strdup(a, from[i])))
            return SW_E_INTERNAL;
    bool ok = e->type != SW_AT_RIGHTS_CASE ||
              (r->case_state && case_state(r->case_state, &e->case_state));
    return ok ? SW_OK : SW_E_INVALID_VALUE;
}
