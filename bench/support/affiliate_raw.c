/* The raw SQLite loop of affiliate_bench (affiliate_raw.h). A transaction a batch: every event
 * as aff_events row, its fields as columns (INSERT OR IGNORE: the UNIQUE event id is the dedupe,
 * as on the server), for each new payment its aff_paid and aff_buys rows, per touched order its
 * aff_orders row (the view as JSON, about the server's bytes; updated in place once it exists),
 * its aff_conv row (written when it changes), its aff_held rows and one affiliate.order_changed
 * event (the order's state), then the command row (the batch as payload, the answer as
 * result). The order's state is kept in memory and updated by the new events: nothing is read
 * back or parsed. */
#include "support/affiliate_raw.h"
#include "support/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

const char *const aff_raw_phases[AFF_RAW_PHASES] = {
    "the events rows (and the payments' rows)", "the orders (view, rows, event)", "the command row",
    "commit (WAL writes, checkpoints)"};

struct ord {
    uint32_t got[AFF_ORDER_EVENTS]; /* distinct events received, in arrival order */
    uint8_t n, held, touched;
    int64_t version;
};

struct raw {
    struct sw_conn c;
    sqlite3_stmt *ev, *paid, *buy, *unbuy, *ord, *upd, *conv, *hdel, *hins, *oev, *cmd;
    const struct aff_gen *g;
    const char *policy_version;
    struct ord *o;
    uint32_t *touched;
    int64_t cmd_seq, ev_seq;
    long rows, fresh, duplicate;
    char *doc, *body, *result;
    double phase[AFF_RAW_PHASES];
};

static void lap(struct raw *r, int i, double *t)
{
    double n = bench_now();
    r->phase[i] += n - *t;
    *t = n;
}

static int step(struct raw *r, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "affiliate_bench raw: %s\n", sqlite3_errmsg(r->c.db));
        return -1;
    }
    r->rows++;
    return 0;
}

static int64_t scalar(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = 0;
    if (sqlite3_prepare_v2(c, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int prepare(struct raw *r)
{
    static const char *const sql[] = {
        "INSERT INTO aff_events(event_id, order_id, at, type, promoter, merchant, item,"
        " amount_fen, rate_bp, buyer_id, buyer_device, buyer_address, settled_fen, case_id,"
        " case_state, refund_fen, arrived) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
        "?15,?16,?17) ON CONFLICT (event_id) DO NOTHING",
        "INSERT OR REPLACE INTO aff_paid(order_id, promoter, at) VALUES (?1,?2,?3)",
        "INSERT OR IGNORE INTO aff_buys(promoter, fp, at, order_id) VALUES (?1,?2,?3,?4)",
        "DELETE FROM aff_buys WHERE promoter = ?1 AND fp = ?2 AND at = ?3 AND order_id = ?4",
        "INSERT INTO aff_orders(order_id, promoter, status, confirmed_at, statement,"
        " doc, version, updated_at) VALUES (?1,?2,?3,?4,NULL,?5,?6,?7)",
        "UPDATE aff_orders SET promoter = ?2, status = ?3, confirmed_at = ?4, doc = ?5,"
        " version = ?6, updated_at = ?7 WHERE order_id = ?1",
        "INSERT INTO aff_conv(order_id, promoter, item, paid, confirmed) VALUES (?1,?2,?3,1,?4)"
        " ON CONFLICT DO UPDATE SET paid = excluded.paid, confirmed = excluded.confirmed"
        " WHERE paid != excluded.paid OR confirmed != excluded.confirmed",
        "DELETE FROM aff_held WHERE order_id = ?1",
        "INSERT OR REPLACE INTO aff_held(event_id, order_id, type, at, waiting_for)"
        " VALUES (?1,?2,?3,?4,?5)",
        "INSERT INTO events(seq, at, type, merchant, subject, payload, policy_version,"
        " command_seq) VALUES (?1,?2,'affiliate.order_changed',NULL,?3,?4,?5,?6)",
        "INSERT INTO commands(seq, at, type, actor, merchant, idem_key, payload, result,"
        " policy_version, first_event, nevents, actor_key, actor_label)"
        " VALUES (?1,?2,'affiliate.ingest','ingest',NULL,NULL,?3,?4,?5,?6,?7,'k1',NULL)",
    };
    sqlite3_stmt **out[] = {&r->ev,   &r->paid, &r->buy,  &r->unbuy, &r->ord, &r->upd,
                            &r->conv, &r->hdel, &r->hins, &r->oev,   &r->cmd};
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (sqlite3_prepare_v2(r->c.db, sql[i], -1, out[i], NULL) != SQLITE_OK) {
            fprintf(stderr, "affiliate_bench raw: %s\n", sqlite3_errmsg(r->c.db));
            return -1;
        }
    r->cmd_seq = scalar(r->c.db, "SELECT coalesce(max(seq), 0) FROM commands");
    r->ev_seq = scalar(r->c.db, "SELECT coalesce(max(seq), 0) FROM events");
    return 0;
}

static const char *const type_names[] = {
    "created", "paid", "partial_refund", "refund", "cancelled", "receipt_confirmed", "rights_case"};

/* Whether event u of order state o waits for something it has not got. */
static bool waits(const struct aff_gen *g, const struct ord *o, uint32_t u)
{
    int got = 0;
    for (int i = 0; i < o->n; i++) {
        int t = g->ev[o->got[i]].type;
        got |= t == AF_PAID ? 1 : t == AF_RECEIPT ? 2 : 0;
    }
    int t = g->ev[u].type;
    return t == AF_CASE ? (got & 3) != 3
                        : (t == AF_PARTIAL || t == AF_REFUND || t == AF_RECEIPT) && !(got & 1);
}

/* The order's view as JSON into r->doc (the server's fields); its status into *status. */
static size_t view(struct raw *r, uint32_t oi, const char **status, int64_t *confirmed)
{
    const struct aff_gen *g = r->g;
    const struct aff_order *d = &g->order[oi];
    struct ord *o = &r->o[oi];
    int got = 0;
    for (int i = 0; i < o->n; i++)
        got |= 1 << g->ev[o->got[i]].type;
    char id[17], at[21];
    aff_order_id(g->seed, oi, id);
    bool paid = got & (1 << AF_PAID), conf = paid && (got & (1 << AF_RECEIPT));
    *status = got & (1 << AF_CANCELLED) ? "invalid"
              : !paid                   ? "created"
              : got & (1 << AF_REFUND)  ? "invalid"
              : conf                    ? "receipt_confirmed"
                                        : "paid";
    *confirmed = conf ? 1 : 0;
    size_t n = (size_t)sprintf(
        r->doc,
        "{\"id\":\"%s\",\"promoter\":\"pm%u\",\"merchant\":\"m%u\",\"item\":\"it%u\",\"status\":"
        "\"%s\",\"status_code\":%d,\"reason\":null,\"paid_amount_fen\":%lld,\"settled_amount_fen\":"
        "%lld,\"refunded_fen\":0,\"rate_bp\":%d,\"estimated_commission_fen\":%lld,\"flags\":[],"
        "\"rights_cases\":[],\"clawbacks\":[],\"held\":[",
        id, d->promoter, d->merchant, d->item, *status, conf ? 14 : 12, (long long)d->paid,
        (long long)(conf ? d->settled : 0), d->rate_bp,
        (long long)aff_half_even(d->paid, d->rate_bp));
    for (int pass = 0; pass < 2; pass++) {
        int k = 0;
        for (int i = 0; i < o->n; i++) {
            const struct aff_ev *e = &g->ev[o->got[i]];
            if (waits(g, o, o->got[i]) != (pass == 0))
                continue;
            aff_rfc3339(e->at, at);
            n += (size_t)sprintf(
                r->doc + n, "%s{\"seq\":%u,\"type\":\"%s\",\"at\":\"%s\",\"event_id\":\"%s-%d\"}",
                k++ ? "," : "", o->got[i], type_names[e->type], at, id, e->k);
        }
        n += (size_t)sprintf(r->doc + n, pass == 0 ? "],\"history\":[" : "]");
    }
    n += (size_t)sprintf(r->doc + n,
                         ",\"statement\":null,\"settlement_commission_fen\":%lld,\"anomaly\":null}",
                         (long long)(conf ? d->commission : -1));
    return n;
}

/* One touched order: its row, its conversion row, its held rows, its event. */
static int write_order(struct raw *r, uint32_t oi, int64_t now)
{
    const struct aff_order *d = &r->g->order[oi];
    struct ord *o = &r->o[oi];
    const char *status;
    int64_t conf;
    char id[17], p[16], item[16];
    aff_order_id(r->g->seed, oi, id);
    snprintf(p, sizeof p, "pm%u", d->promoter);
    snprintf(item, sizeof item, "it%u", d->item);
    size_t n = view(r, oi, &status, &conf);
    sqlite3_stmt *w = o->version++ ? r->upd : r->ord;
    sqlite3_bind_text(w, 1, id, 16, SQLITE_STATIC);
    sqlite3_bind_text(w, 2, p, -1, SQLITE_STATIC);
    sqlite3_bind_text(w, 3, status, -1, SQLITE_STATIC);
    if (conf)
        sqlite3_bind_int64(w, 4, now);
    else
        sqlite3_bind_null(w, 4);
    sqlite3_bind_text(w, 5, r->doc, (int)n, SQLITE_STATIC);
    sqlite3_bind_int64(w, 6, o->version);
    sqlite3_bind_int64(w, 7, now);
    int rc = step(r, w);
    if (rc == 0 && strcmp(status, "created") != 0) {
        sqlite3_bind_text(r->conv, 1, id, 16, SQLITE_STATIC);
        sqlite3_bind_text(r->conv, 2, p, -1, SQLITE_STATIC);
        sqlite3_bind_text(r->conv, 3, item, -1, SQLITE_STATIC);
        sqlite3_bind_int(r->conv, 4, (int)conf);
        rc = step(r, r->conv);
    }
    if (rc == 0 && o->held) { /* what waited may apply now: the order's held rows again */
        sqlite3_bind_text(r->hdel, 1, id, 16, SQLITE_STATIC);
        rc = step(r, r->hdel);
        o->held = 0;
    }
    for (int i = 0; rc == 0 && i < o->n; i++) {
        if (!waits(r->g, o, o->got[i]))
            continue;
        const struct aff_ev *e = &r->g->ev[o->got[i]];
        char eid[24];
        snprintf(eid, sizeof eid, "%s-%d", id, e->k);
        sqlite3_bind_text(r->hins, 1, eid, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(r->hins, 2, id, 16, SQLITE_STATIC);
        sqlite3_bind_text(r->hins, 3, type_names[e->type], -1, SQLITE_STATIC);
        sqlite3_bind_int64(r->hins, 4, e->at);
        sqlite3_bind_text(r->hins, 5, e->type == AF_CASE ? "receipt_confirmed" : "paid", -1,
                          SQLITE_STATIC);
        rc = step(r, r->hins);
        o->held = 1;
    }
    /* the event's payload: the order's state */
    n = (size_t)sprintf(r->doc,
                        "{\"id\":\"%s\",\"promoter\":\"%s\",\"status\":\"%s\",\"status_code\":%d,"
                        "\"reason\":null,\"settlement_commission_fen\":%lld,\"version\":%lld}",
                        id, p, status, conf ? 14 : 12, (long long)(conf ? d->commission : -1),
                        (long long)o->version);
    if (rc == 0) {
        sqlite3_bind_int64(r->oev, 1, ++r->ev_seq);
        sqlite3_bind_int64(r->oev, 2, now);
        sqlite3_bind_text(r->oev, 3, id, 16, SQLITE_STATIC);
        sqlite3_bind_text(r->oev, 4, r->doc, (int)n, SQLITE_STATIC);
        sqlite3_bind_text(r->oev, 5, r->policy_version, -1, SQLITE_STATIC);
        sqlite3_bind_int64(r->oev, 6, r->cmd_seq + 1);
        rc = step(r, r->oev);
    }
    return rc;
}

/* A new payment's review rows: by order and hour, and by each buyer fingerprint. */
static int payment_rows(struct raw *r, uint32_t u, const char *id, const char *p)
{
    const struct aff_ev *e = &r->g->ev[u];
    const struct ord *o = &r->o[e->order];
    int64_t was = 0; /* the time of a payment of the order received before, as the server reads */
    for (int i = 0; i < o->n && o->got[i] != u; i++)
        if (r->g->ev[o->got[i]].type == AF_PAID)
            was = r->g->ev[o->got[i]].at;
    sqlite3_bind_text(r->paid, 1, id, 16, SQLITE_STATIC);
    sqlite3_bind_text(r->paid, 2, p, -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->paid, 3, e->at);
    int rc = step(r, r->paid);
    static const char *const kinds[] = {"id:b", "device:d", "address:a"};
    for (int k = 0; rc == 0 && k < 3; k++) {
        char fp[48];
        snprintf(fp, sizeof fp, "%s%016llx", kinds[k],
                 (unsigned long long)e->order * 3 + (unsigned long long)k);
        for (int w = was && was != e->at ? 0 : 1; rc == 0 && w < 2; w++) {
            sqlite3_stmt *s = w ? r->buy : r->unbuy; /* the order's old row, then its row */
            sqlite3_bind_text(s, 1, p, -1, SQLITE_STATIC);
            sqlite3_bind_text(s, 2, fp, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 3, w ? e->at : was);
            sqlite3_bind_text(s, 4, id, 16, SQLITE_STATIC);
            rc = step(r, s);
        }
    }
    return rc;
}

/* An event's row: its fields as columns, as the server stores them. */
static int insert_event(struct raw *r, const struct aff_ev *e, const char *eid, const char *id,
                        const char *p, int64_t now)
{
    const struct aff_order *d = &r->g->order[e->order];
    sqlite3_stmt *s = r->ev;
    char m[16], item[16], buyer[3][20];
    snprintf(m, sizeof m, "m%u", d->merchant);
    snprintf(item, sizeof item, "it%u", d->item);
    sqlite3_clear_bindings(s);
    sqlite3_bind_text(s, 1, eid, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, id, 16, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, e->at);
    sqlite3_bind_int64(s, 17, now);
    sqlite3_bind_text(s, 4, type_names[e->type], -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 5, p, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, m, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, item, -1, SQLITE_STATIC);
    if (e->type == AF_PAID || e->type == AF_PARTIAL)
        sqlite3_bind_int64(s, 8, e->amount);
    if (e->type == AF_PAID) {
        sqlite3_bind_int(s, 9, d->rate_bp);
        for (int k = 0; k < 3; k++) {
            snprintf(buyer[k], sizeof buyer[k], "%c%016llx", "bda"[k],
                     (unsigned long long)e -> order * 3 + (unsigned long long)k);
            sqlite3_bind_text(s, 10 + k, buyer[k], -1, SQLITE_STATIC);
        }
    }
    if (e->type == AF_RECEIPT)
        sqlite3_bind_int64(s, 13, e->amount);
    if (e->type == AF_CASE) {
        static const char *const states[] = {"open", "succeeded", "failed"};
        sqlite3_bind_text(s, 14, "c1", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 15, states[e->state], -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 16, e->amount);
    }
    return step(r, s);
}

/* The batch's events rows; body gets the batch as sent, result the answer's results. */
static int events_rows(struct raw *r, long from, int count, int64_t now, size_t *nb, size_t *nr,
                       int *ntouched, int counts[2])
{
    const struct aff_gen *g = r->g;
    char *b = r->body, *res = r->result;
    b += sprintf(b, "{\"events\":[");
    int rc = 0;
    for (long j = from; rc == 0 && j < from + count; j++) {
        uint32_t u = g->stream[j];
        const struct aff_ev *e = &g->ev[u];
        if (j > from)
            *b++ = ',';
        size_t n = aff_format_event(g, e, b);
        char id[17], eid[24], p[16];
        aff_order_id(g->seed, e->order, id);
        snprintf(eid, sizeof eid, "%s-%d", id, e->k);
        snprintf(p, sizeof p, "pm%u", g->order[e->order].promoter);
        rc = insert_event(r, e, eid, id, p, now);
        b += n;
        bool fresh = sqlite3_changes(r->c.db) == 1;
        counts[fresh ? 0 : 1]++;
        res += sprintf(res, "%s{\"event_id\":\"%s\",\"outcome\":\"%s\",\"order\":\"%s\"}",
                       j > from ? "," : "", eid, fresh ? "applied" : "duplicate", id);
        if (!fresh)
            continue;
        struct ord *o = &r->o[e->order];
        if (o->n < AFF_ORDER_EVENTS)
            o->got[o->n++] = u;
        if (!o->touched) {
            o->touched = 1;
            r->touched[(*ntouched)++] = e->order;
        }
        if (rc == 0 && e->type == AF_PAID)
            rc = payment_rows(r, u, id, p);
    }
    b += sprintf(b, "]}");
    *nb = (size_t)(b - r->body);
    *nr = (size_t)(res - r->result);
    return rc;
}

static int raw_batch(struct raw *r, long from, int count)
{
    int64_t now = (int64_t)time(NULL) * 1000000;
    double t0 = bench_now();
    sqlite3_exec(r->c.db, "BEGIN", NULL, NULL, NULL);
    size_t nb = 0, nr = 0;
    int ntouched = 0, counts[2] = {0, 0};
    int rc = events_rows(r, from, count, now, &nb, &nr, &ntouched, counts);
    r->fresh += counts[0];
    r->duplicate += counts[1];
    lap(r, 0, &t0);
    int64_t first_event = r->ev_seq + 1;
    for (int i = 0; rc == 0 && i < ntouched; i++) {
        r->o[r->touched[i]].touched = 0;
        rc = write_order(r, r->touched[i], now);
    }
    lap(r, 1, &t0);
    char *res = malloc(nr + 128);
    int h = snprintf(res, 128,
                     "{\"applied\":%d,\"duplicate\":%d,\"held\":0,\"rejected\":0,"
                     "\"results\":[",
                     counts[0], counts[1]);
    memcpy(res + h, r->result, nr);
    memcpy(res + h + nr, "]}", 3);
    sqlite3_bind_int64(r->cmd, 1, ++r->cmd_seq);
    sqlite3_bind_int64(r->cmd, 2, now);
    sqlite3_bind_text(r->cmd, 3, r->body, (int)nb, SQLITE_STATIC);
    sqlite3_bind_text(r->cmd, 4, res, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->cmd, 5, r->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->cmd, 6, first_event);
    sqlite3_bind_int(r->cmd, 7, ntouched);
    if (rc == 0)
        rc = step(r, r->cmd);
    free(res);
    lap(r, 2, &t0);
    sqlite3_exec(r->c.db, "COMMIT", NULL, NULL, NULL);
    lap(r, 3, &t0);
    return rc;
}

int aff_raw_run(const struct aff_gen *g, const char *db, int batch, const char *policy_version,
                struct aff_raw_result *out)
{
    struct raw r = {.g = g, .policy_version = policy_version};
    struct sw_error err;
    if (sw_conn_open(&r.c, db, false, SW_SYNC_NORMAL, &err)) {
        fprintf(stderr, "affiliate_bench raw: %s\n", err.msg);
        return -1;
    }
    int rc = prepare(&r);
    r.o = calloc((size_t)g->norders, sizeof *r.o);
    r.touched = malloc((size_t)batch * sizeof *r.touched);
    r.doc = malloc((size_t)64 * 1024);
    r.body = malloc((size_t)batch * AFF_EVENT_BYTES + 64);
    r.result = malloc((size_t)batch * 128 + 64);
    double t0 = bench_now();
    for (long from = 0; rc == 0 && from < g->n; from += batch)
        rc = raw_batch(&r, from, (int)(g->n - from < batch ? g->n - from : batch));
    out->seconds = bench_now() - t0;
    out->rows = r.rows;
    out->fresh = r.fresh;
    out->duplicate = r.duplicate;
    memcpy(out->phase, r.phase, sizeof r.phase);
    sqlite3_stmt *all[] = {r.ev,   r.paid, r.buy,  r.unbuy, r.ord, r.upd,
                           r.conv, r.hdel, r.hins, r.oev,   r.cmd};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sw_conn_close(&r.c);
    free(r.o);
    free(r.touched);
    free(r.doc);
    free(r.body);
    free(r.result);
    return rc;
}
