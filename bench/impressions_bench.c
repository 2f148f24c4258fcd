/* Impressions ingested over HTTP into running promotions (issue 12), next to a raw SQLite
 * loop writing the same rows in the same run, on the same schema and settings (bench/README.md).
 *
 *   impressions_bench [--impressions N] [--promotions P] [--batch B] [--connections C]
 *                     [--bin SHOPWARDEN] [--dir DIR] [--port PORT] [--seed S]
 *                     [--policy FILE] [--perf FILE]
 *
 * setup:  one store, P listed products, P running promotions, through `shopwarden apply`;
 *         the database is then copied for the raw loop.
 * server: `shopwarden serve` with an ingest key, C keep-alive connections (a thread each)
 *         sending batches of B from one seeded generator (5% re-sent ids); its tally must
 *         equal the server's answers, sum(actual_exposure) and the impressions rows.
 * raw:    the same batches (same seed) written into the copy by a bare loop, a transaction
 *         a batch: the command row, the impressions rows, the orders' updates and events.
 * memory: the server's RSS by tenths of the run, and its peak (VmHWM). */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/mem.h"
#include "store/store.h"
#include "support/client.h"
#include "support/server.h"
#include "support/impressions_gen.h"

#define MAX_CONNS 16
#define MAX_THREADS 64 /* of the server, for the scheduler figures */

struct opts {
    int64_t n;
    int promos, batch, conns, port;
    uint64_t seed;
    const char *bin, *dir, *policy, *perf;
};

/* ---------- setup, offline through `shopwarden apply` ---------- */

static void write_setup(const char *path, int promos)
{
    FILE *f = fopen(path, "w");
    if (!f)
        bench_die("cannot write %s", path);
    fputs("{\"type\":\"merchant.create\",\"payload\":{\"id\":\"m1\",\"name\":\"bench\","
          "\"categories\":[\"apparel.women\"]}}\n"
          "{\"type\":\"deposit.top_up\",\"payload\":{\"id\":\"m1\",\"amount_fen\":500000,"
          "\"ref\":\"bench1\"}}\n"
          "{\"type\":\"qualification.submit\",\"payload\":{\"merchant\":\"m1\","
          "\"code\":\"business_license\",\"documents\":[\"f/licence.pdf\"],"
          "\"expires_on\":\"2030-12-31\"}}\n"
          "{\"type\":\"qualification.decide\",\"payload\":{\"id\":\"q1\","
          "\"decision\":\"approve\"}}\n",
          f);
    for (int i = 0; i < promos; i++)
        fprintf(f,
                "{\"type\":\"product.create\",\"payload\":{\"id\":\"p%d\",\"merchant\":\"m1\","
                "\"title\":\"女装连衣裙 %d 号\",\"category\":\"apparel.women\","
                "\"price_fen\":%d,\"production_date\":\"2026-11-01\",\"quality_cert\":"
                "\"SC-2026\",\"manufacturer\":\"杭州服饰\"}}\n"
                "{\"type\":\"product.list\",\"payload\":{\"id\":\"p%d\"}}\n",
                i, i, 10000 + i, i);
    for (int i = 0; i < promos; i++)
        fprintf(f,
                "{\"type\":\"promotion.create\",\"payload\":{\"merchant\":\"m1\","
                "\"product\":\"p%d\",\"price_fen\":1000,\"estimated_exposure\":1000000,"
                "\"duration_hours\":720}}\n",
                i);
    fclose(f);
}

/* What the raw loop needs from the set-up database: the running orders' rids, in order. */
struct setup {
    long *rids;
    char policy_version[128];
};

static void load_setup(const char *db, int promos, struct setup *su)
{
    sqlite3 *c;
    sqlite3_stmt *s;
    sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL);
    if (sqlite3_prepare_v2(c, "SELECT rid FROM promotions WHERE status = 'running' ORDER BY rid",
                           -1, &s, NULL) != SQLITE_OK)
        bench_die("setup: %s", sqlite3_errmsg(c));
    su->rids = malloc((size_t)promos * sizeof *su->rids);
    int n = 0;
    while (sqlite3_step(s) == SQLITE_ROW && n < promos)
        su->rids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (n != promos)
        bench_die("setup: %s running promotions missing", n ? "some" : "all");
    sqlite3_prepare_v2(c, "SELECT policy_version FROM commands ORDER BY seq DESC LIMIT 1", -1, &s,
                       NULL);
    snprintf(su->policy_version, sizeof su->policy_version, "%s",
             sqlite3_step(s) == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : "?");
    sqlite3_finalize(s);
    sqlite3_close(c);
}

static void setup(const struct opts *o, const char *db, const char *raw_db, struct setup *su)
{
    char nd[600], out[600];
    snprintf(nd, sizeof nd, "%s/impressions-setup.ndjson", o->dir);
    snprintf(out, sizeof out, "%s/impressions-setup.out", o->dir);
    bench_rm_db(db);
    bench_rm_db(raw_db);
    write_setup(nd, o->promos);
    char *argv[] = {(char *)o->bin, "apply", "--db", (char *)db, nd, NULL};
    if (bench_run(argv, out) != 0)
        bench_die("setup: shopwarden apply refused some commands (see %s)", out);
    load_setup(db, o->promos, su);
    bench_copy_db(db, raw_db);
}

/* ---------- the server ---------- */

static pid_t start_server(const struct opts *o, const char *db)
{
    char listen[64], log[600];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", o->port);
    snprintf(log, sizeof log, "%s/impressions-serve.log", o->dir);
    char *argv[12] = {(char *)o->bin, "serve", "--db",      (char *)db,
                      "--listen",     listen,  "--threads", "2"};
    if (o->policy) {
        argv[8] = "--policy";
        argv[9] = (char *)o->policy;
    }
    return bench_start_server(argv, o->port, log);
}

/* ---------- the senders ---------- */

enum { C_COUNTED, C_DUPLICATE, C_NOT_COUNTED, C_LATE, C_UNKNOWN, NCOUNTS };
static const char *const count_names[NCOUNTS] = {"counted", "duplicate", "not_counted", "late",
                                                 "unknown_promotion"};

struct sender {
    pthread_t thread;
    struct bench_http h;
    struct gen *g;
    const struct opts *o;
    const long *rids;
    const char *key;
    double *latency; /* per batch index */
    long counts[NCOUNTS];
    long batches, sent_bytes, answer_bytes;
};

static atomic_int failed;
static _Atomic long answered; /* impressions in answered batches */

static int add_counts(struct sender *s, const char *resp, size_t n)
{
    json_t *r = json_loadb(resp, n, 0, NULL);
    int rc = r ? 0 : -1;
    for (int i = 0; r && i < NCOUNTS; i++) {
        json_t *v = json_object_get(r, count_names[i]);
        if (!json_is_integer(v))
            rc = -1;
        s->counts[i] += (long)json_integer_value(v);
    }
    json_decref(r);
    return rc;
}

static void *send_loop(void *arg)
{
    struct sender *s = arg;
    struct item *items = malloc((size_t)s->o->batch * sizeof *items);
    char *body = malloc((size_t)s->o->batch * ITEM_BYTES + 64);
    long index;
    int count;
    while (!atomic_load(&failed) && (count = gen_next(s->g, items, &index)) > 0) {
        char at[21];
        time_t t;
        at_now(at, &t);
        size_t n = format_batch(body, items, count, s->o->seed, s->rids, at);
        double t0 = bench_now();
        int status = 0;
        const char *resp = "";
        size_t rlen = 0;
        int rc =
            bench_http_do(&s->h, "POST", "/v1/impressions", s->key, body, n, &status, &resp, &rlen);
        s->latency[index] = bench_now() - t0;
        if (rc == 0 && status == 200 && add_counts(s, resp, rlen) == 0) {
            s->batches++;
            s->sent_bytes += (long)n;
            s->answer_bytes += (long)rlen;
            atomic_fetch_add(&answered, count);
            continue;
        }
        if (atomic_fetch_add(&failed, 1) == 0)
            fprintf(stderr, "impressions_bench: batch %ld: %s %d: %.300s\n", index,
                    rc ? "connection failed" : "status", status, resp);
    }
    free(items);
    free(body);
    return NULL;
}

/* The wall time of all sends; s[i].counts hold each connection's summed answers. */
static double run_senders(const struct opts *o, struct gen *g, struct sender *s,
                          const struct setup *su, const char *key, double *latency)
{
    double t0 = bench_now();
    for (int i = 0; i < o->conns; i++) {
        s[i] = (struct sender){.h = {.fd = -1, .port = o->port},
                               .g = g,
                               .o = o,
                               .rids = su->rids,
                               .key = key,
                               .latency = latency};
        pthread_create(&s[i].thread, NULL, send_loop, &s[i]);
    }
    for (int i = 0; i < o->conns; i++) {
        pthread_join(s[i].thread, NULL);
        bench_http_close(&s[i].h);
        free(s[i].h.buf);
    }
    return bench_now() - t0;
}

/* ---------- what the server wrote ---------- */

struct written {
    long exposure, impressions, events, commands;
    char command_type[64];
    off_t bytes;
};

static void read_written(const char *db, struct written *w)
{
    sqlite3 *c;
    sqlite3_stmt *s;
    sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL);
    w->exposure = bench_scalar(c, "SELECT sum(actual_exposure) FROM promotion_counts");
    w->impressions = bench_scalar(c, "SELECT count(*) FROM impressions");
    w->events =
        bench_scalar(c, "SELECT count(*) FROM events WHERE type = 'promotion.exposure_counted'");
    snprintf(w->command_type, sizeof w->command_type, "?");
    w->commands = 0;
    if (sqlite3_prepare_v2(c,
                           "SELECT type, count(*) FROM commands WHERE type LIKE 'impression%'"
                           " GROUP BY type ORDER BY 2 DESC LIMIT 1",
                           -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
        snprintf(w->command_type, sizeof w->command_type, "%s", sqlite3_column_text(s, 0));
        w->commands = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    sqlite3_close(c);
    w->bytes = bench_file_size(db);
}

/* ---------- the raw loop ---------- */

#define RAW_PHASES 5
static const char *const raw_phases[RAW_PHASES] = {
    "the batch's JSON and the impressions rows", "the orders' counters", "the exposure events",
    "the command row", "commit (WAL writes, checkpoints)"};

struct raw {
    struct sw_conn c;
    sqlite3_stmt *imp, *upd, *first, *ev, *cmd;
    const struct opts *o;
    const struct setup *su;
    const char *command_type;
    int *cnt;           /* counted in this batch, per promotion */
    uint32_t *touched;  /* promotions counted in this batch */
    long *exposure;     /* actual_exposure, per promotion */
    int64_t *first_row; /* rowid of its first impressions row, per promotion */
    int64_t cmd_seq, ev_seq;
    long rows;
    double phase[RAW_PHASES]; /* seconds: see raw_phases */
};

static void raw_open(struct raw *r, const char *db)
{
    struct sw_error err;
    if (sw_conn_open(&r->c, db, false, SW_SYNC_NORMAL, &err))
        bench_die("raw: %s", err.msg);
    sqlite3 *c = r->c.db;
    sqlite3_prepare_v2(c,
                       "INSERT INTO impressions(promotion, impression_id, at, counted)"
                       " VALUES (?1,?2,?3,1)",
                       -1, &r->imp, NULL);
    sqlite3_prepare_v2(c,
                       "UPDATE promotion_counts SET actual_exposure = ?2, version = version + 1"
                       " WHERE rid = ?1",
                       -1, &r->upd, NULL);
    sqlite3_prepare_v2(c,
                       "UPDATE promotions SET first_impression = ?2 WHERE rid = ?1 AND"
                       " first_impression IS NULL",
                       -1, &r->first, NULL);
    sqlite3_prepare_v2(c,
                       "INSERT INTO events(seq, at, type, merchant, subject, payload,"
                       " policy_version, command_seq) VALUES (?1,?2,"
                       "'promotion.exposure_counted','m1',?3,?4,?5,?6)",
                       -1, &r->ev, NULL);
    sqlite3_prepare_v2(c,
                       "INSERT INTO commands(seq, at, type, actor, merchant, idem_key, payload,"
                       " result, policy_version, first_event, nevents, actor_key, actor_label)"
                       " VALUES (?1,?2,?3,'ingest',NULL,NULL,?4,?5,?6,?7,?8,'k1',NULL)",
                       -1, &r->cmd, NULL);
    if (!r->imp || !r->upd || !r->first || !r->ev || !r->cmd)
        bench_die("raw: %s", sqlite3_errmsg(c));
    r->cmd_seq = bench_scalar(c, "SELECT coalesce(max(seq), 0) FROM commands");
    r->ev_seq = bench_scalar(c, "SELECT coalesce(max(seq), 0) FROM events");
}

static void step(sqlite3_stmt *s)
{
    if (sqlite3_step(s) != SQLITE_DONE)
        bench_die("raw: %s", sqlite3_errmsg(sqlite3_db_handle(s)));
    sqlite3_reset(s);
}

/* One order's counter, as the server writes it (and, the first time, its first row). */
static void raw_update(struct raw *r, uint32_t p)
{
    if (r->exposure[p] == 0) {
        sqlite3_bind_int64(r->first, 1, r->su->rids[p]);
        sqlite3_bind_int64(r->first, 2, r->first_row[p]);
        step(r->first);
        r->rows++;
    }
    r->exposure[p] += r->cnt[p];
    sqlite3_bind_int64(r->upd, 1, r->su->rids[p]);
    sqlite3_bind_int64(r->upd, 2, r->exposure[p]);
    step(r->upd);
    r->rows++;
}

/* One order's promotion.exposure_counted event, payload as the server writes it. */
static void raw_event(struct raw *r, uint32_t p, int64_t now)
{
    char id[24], payload[128];
    snprintf(id, sizeof id, "pr%ld", r->su->rids[p]);
    snprintf(payload, sizeof payload, "{\"id\":\"%s\",\"counted\":%d,\"actual_exposure\":%ld}", id,
             r->cnt[p], r->exposure[p]);
    r->cnt[p] = 0;
    sqlite3_bind_int64(r->ev, 1, ++r->ev_seq);
    sqlite3_bind_int64(r->ev, 2, now);
    sqlite3_bind_text(r->ev, 3, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->ev, 4, payload, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->ev, 5, r->su->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->ev, 6, r->cmd_seq + 1);
    step(r->ev);
    r->rows++;
}

/* Time since *t, added to r->phase[i]; *t moves to now. */
static void lap(struct raw *r, int i, double *t)
{
    double n = bench_now();
    r->phase[i] += n - *t;
    *t = n;
}

static void raw_batch(struct raw *r, const struct item *items, int count, char *body)
{
    char at[21], id[17], result[256];
    time_t t;
    at_now(at, &t);
    int64_t now = (int64_t)t * 1000000;
    double t0 = bench_now();
    size_t n = format_batch(body, items, count, r->o->seed, r->su->rids, at);
    sqlite3_exec(r->c.db, "BEGIN", NULL, NULL, NULL);
    int ntouched = 0, counted = 0;
    for (int i = 0; i < count; i++) {
        if (!items[i].fresh)
            continue;
        uint32_t p = items[i].promo;
        impression_id(r->o->seed, p, items[i].k, id);
        sqlite3_bind_int64(r->imp, 1, r->su->rids[p]);
        sqlite3_bind_text(r->imp, 2, id, 16, SQLITE_STATIC);
        sqlite3_bind_int64(r->imp, 3, now);
        step(r->imp);
        if (r->exposure[p] == 0 && r->cnt[p] == 0)
            r->first_row[p] = sqlite3_last_insert_rowid(r->c.db);
        if (r->cnt[p]++ == 0)
            r->touched[ntouched++] = p;
        counted++;
    }
    lap(r, 0, &t0);
    int64_t first_event = r->ev_seq + 1;
    for (int i = 0; i < ntouched; i++)
        raw_update(r, r->touched[i]);
    lap(r, 1, &t0);
    for (int i = 0; i < ntouched; i++)
        raw_event(r, r->touched[i], now);
    lap(r, 2, &t0);
    snprintf(result, sizeof result,
             "{\"counted\":%d,\"duplicate\":%d,\"not_counted\":0,\"late\":0,"
             "\"unknown_promotion\":0}",
             counted, count - counted);
    sqlite3_bind_int64(r->cmd, 1, ++r->cmd_seq);
    sqlite3_bind_int64(r->cmd, 2, now);
    sqlite3_bind_text(r->cmd, 3, r->command_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->cmd, 4, body, (int)n, SQLITE_STATIC);
    sqlite3_bind_text(r->cmd, 5, result, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->cmd, 6, r->su->policy_version, -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->cmd, 7, first_event);
    sqlite3_bind_int64(r->cmd, 8, ntouched);
    step(r->cmd);
    r->rows += counted + 1;
    lap(r, 3, &t0);
    sqlite3_exec(r->c.db, "COMMIT", NULL, NULL, NULL);
    lap(r, 4, &t0);
}

/* The same batches as the server got (same seed), written by a bare loop; seconds. */
static double raw_loop(const struct opts *o, const char *db, const struct setup *su,
                       const char *command_type, long *rows, double phase[RAW_PHASES])
{
    struct raw r = {.o = o, .su = su, .command_type = command_type};
    raw_open(&r, db);
    r.cnt = calloc((size_t)o->promos, sizeof *r.cnt);
    r.touched = malloc((size_t)o->promos * sizeof *r.touched);
    r.exposure = calloc((size_t)o->promos, sizeof *r.exposure);
    r.first_row = calloc((size_t)o->promos, sizeof *r.first_row);
    struct gen g;
    gen_init(&g, o->seed, o->n, o->promos, o->batch);
    struct item *items = malloc((size_t)o->batch * sizeof *items);
    char *body = malloc((size_t)o->batch * ITEM_BYTES + 64);
    long index;
    int count;
    double t0 = bench_now();
    while ((count = gen_next(&g, items, &index)) > 0)
        raw_batch(&r, items, count, body);
    double dt = bench_now() - t0;
    *rows = r.rows;
    memcpy(phase, r.phase, sizeof r.phase);
    sqlite3_finalize(r.imp);
    sqlite3_finalize(r.upd);
    sqlite3_finalize(r.first);
    sqlite3_finalize(r.ev);
    sqlite3_finalize(r.cmd);
    sw_conn_close(&r.c);
    gen_free(&g);
    free(items);
    free(body);
    free(r.cnt);
    free(r.touched);
    free(r.exposure);
    free(r.first_row);
    return dt;
}

/* ---------- main ---------- */

struct result {
    double t_send, t_raw, p50, p99, pmax, server_cpu, client_cpu, raw_cpu, phase[RAW_PHASES];
    long server_wchar, raw_wchar;
    struct bench_thread threads0[MAX_THREADS], threads1[MAX_THREADS];
    int nthreads0, nthreads1;
    long counts[NCOUNTS], fresh, resent, rss_base, hwm, raw_rows, connects, batches, sent, answers;
    struct written w, raw;
    struct bench_mem_watch mem;
    char metrics[1024]; /* the server's /metrics lines about impressions */
};

static void parse_opts(int argc, char **argv, struct opts *o)
{
    static const char *const names[] = {"impressions", "promotions", "batch", "connections",
                                        "port",        "seed",       "bin",   "dir",
                                        "policy",      "perf"};
    void *dst[] = {&o->n,    &o->promos, &o->batch, &o->conns,  &o->port,
                   &o->seed, &o->bin,    &o->dir,   &o->policy, &o->perf};
    struct option opts[11] = {{0}};
    for (int i = 0; i < 10; i++)
        opts[i] = (struct option){names[i], required_argument, 0, i};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch < 0 || ch >= 10)
            exit(2);
        char *end;
        long long v = strtoll(optarg, &end, 10);
        if (ch < 6 && (*end || end == optarg || v < 0 || (ch != 0 && ch != 5 && v > 1 << 30)))
            bench_die("--%s needs a number", names[ch]);
        if (ch == 0 || ch == 5) /* --impressions, --seed: 64 bits */
            *(int64_t *)dst[ch] = v;
        else if (ch < 5)
            *(int *)dst[ch] = (int)v;
        else
            *(const char **)dst[ch] = optarg;
    }
    if (o->n < 1 || o->promos < 1 || o->batch < 1 || o->conns < 1 || o->conns > MAX_CONNS)
        bench_die("%s", "bad sizes: --impressions, --promotions, --batch >= 1, --connections 1-16");
}

/* Sends every batch to a server on db; fills the server half of r. */
static void run_server(const struct opts *o, const char *db, const struct setup *su,
                       struct result *r)
{
    char key[256];
    bench_create_key(o->bin, o->dir, "impressions", db, "ingest", key);
    pid_t server = start_server(o, db);
    time_t ready = time(NULL);
    while (time(NULL) <= ready) /* every `at` after the orders started, none in the future */
        usleep(20000);
    r->rss_base = bench_proc_kb(server, "VmRSS");
    r->mem = (struct bench_mem_watch){.pid = server, .progress = &answered, .total = o->n};
    bench_mem_watch_start(&r->mem);
    char perflog[600];
    snprintf(perflog, sizeof perflog, "%s/impressions-perf.log", o->dir);
    pid_t perf = o->perf ? bench_perf_start(server, o->perf, perflog) : -1;
    double cpu0 = bench_proc_cpu(server), self0 = bench_proc_cpu(getpid());
    long wchar0 = bench_proc_wchar(server);
    r->nthreads0 = bench_threads_read(server, r->threads0, MAX_THREADS);
    struct gen g;
    gen_init(&g, o->seed, o->n, o->promos, o->batch);
    long nbatches = (o->n + o->batch - 1) / o->batch;
    double *lat = calloc((size_t)nbatches, sizeof *lat);
    struct sender s[MAX_CONNS];
    r->t_send = run_senders(o, &g, s, su, key, lat);
    r->server_cpu = bench_proc_cpu(server) - cpu0;
    r->client_cpu = bench_proc_cpu(getpid()) - self0;
    r->server_wchar = bench_proc_wchar(server) - wchar0;
    r->nthreads1 = bench_threads_read(server, r->threads1, MAX_THREADS);
    bench_stop(perf, SIGINT);
    bench_mem_watch_stop(&r->mem);
    r->hwm = bench_proc_kb(server, "VmHWM");
    static const char *const words[] = {"sw_impressions", "dedupe", "sw_promotion", NULL};
    bench_metrics_grep(o->port, words, r->metrics, sizeof r->metrics);
    bench_stop(server, SIGTERM);
    for (int i = 0; i < o->conns; i++) {
        for (int k = 0; k < NCOUNTS; k++)
            r->counts[k] += s[i].counts[k];
        r->connects += s[i].h.connects;
        r->batches += s[i].batches;
        r->sent += s[i].sent_bytes;
        r->answers += s[i].answer_bytes;
    }
    r->fresh = g.fresh;
    r->resent = g.resent;
    bench_percentiles(lat, nbatches, &r->p50, &r->p99, &r->pmax);
    free(lat);
    gen_free(&g);
    read_written(db, &r->w);
}

static bool exact(const struct result *r)
{
    return r->counts[C_COUNTED] == r->fresh && r->counts[C_DUPLICATE] == r->resent &&
           r->counts[C_NOT_COUNTED] + r->counts[C_LATE] + r->counts[C_UNKNOWN] == 0 &&
           r->w.exposure == r->fresh && r->w.impressions == r->fresh;
}

static void report(const struct opts *o, const struct result *r)
{
    double sps = (double)o->n / r->t_send, rps = (double)o->n / r->t_raw;
    printf("| workload | server impressions/s | raw SQLite impressions/s (same rows) | "
           "server / raw |\n|---|---|---|---|\n");
    printf("| %ld impressions into %d running promotions, batches of %d, %d connections, "
           "%.1f%% duplicate ids | %.0f | %.0f (%.0f rows/s) | %.0f%% |\n",
           o->n, o->promos, o->batch, o->conns, 100.0 * (double)r->resent / (double)o->n, sps, rps,
           (double)r->raw_rows / r->t_raw, 100 * sps / rps);
    printf("\ncounts %s: the generator sent %ld new ids and %ld re-sent ones; the server "
           "answered counted %ld, duplicate %ld, not_counted %ld, late %ld, unknown_promotion "
           "%ld; sum(actual_exposure) %ld; impressions rows %ld\n",
           exact(r) ? "exact" : "**WRONG**", r->fresh, r->resent, r->counts[C_COUNTED],
           r->counts[C_DUPLICATE], r->counts[C_NOT_COUNTED], r->counts[C_LATE],
           r->counts[C_UNKNOWN], r->w.exposure, r->w.impressions);
    printf("\nCPU: the server used %.1f µs an impression (all its threads: %.2f cores on average "
           "during the sends), the raw loop %.1f µs (its thread on CPU %.0f%% of the time): by "
           "CPU the server costs %.1fx the raw loop; the client (generator, JSON, sockets) used "
           "%.1f µs an impression\n",
           1e6 * r->server_cpu / (double)o->n, r->server_cpu / r->t_send,
           1e6 * r->raw_cpu / (double)o->n, 100 * r->raw_cpu / r->t_raw, r->server_cpu / r->raw_cpu,
           1e6 * r->client_cpu / (double)o->n);
    bench_threads_report(r->threads0, r->nthreads0, r->threads1, r->nthreads1, r->t_send);
    printf("\nwritten to files (WAL and checkpoints) a batch: server %.1f MB, raw loop %.1f MB\n",
           (double)r->server_wchar / 1e6 / (double)r->batches,
           (double)r->raw_wchar / 1e6 / (double)r->batches);
    printf("\nraw loop time:");
    for (int i = 0; i < RAW_PHASES; i++)
        printf("%s %s %.0f%%", i ? "," : "", raw_phases[i], 100 * r->phase[i] / r->t_raw);
    printf("\n");
    const struct bench_mem_watch *m = &r->mem;
    double half = (double)r->fresh / 2e6; /* million impressions counted in the second half */
    printf("\nserver memory: RSS %.0f MB before the first batch, %.0f MB at the end (heap %.0f "
           "MB), peak (VmHWM) %.0f MB; RSS by tenths of the run:",
           r->rss_base / 1024.0, m->rss_kb[10] / 1024.0, m->anon_kb[10] / 1024.0, r->hwm / 1024.0);
    for (int i = 1; i <= 10; i++)
        printf(" %.0f", m->rss_kb[i] / 1024.0);
    printf(" MB; growth over the second half: %.1f MB per million impressions counted (heap "
           "%.1f; SQLite's page cache grows with the database up to its 256 MiB first)\n",
           (double)(m->rss_kb[10] - m->rss_kb[5]) / 1024.0 / half,
           (double)(m->anon_kb[10] - m->anon_kb[5]) / 1024.0 / half);
    const char *ids = strstr(r->metrics, "sw_impression_dedupe_ids "),
               *bytes = strstr(r->metrics, "sw_impression_dedupe_bytes ");
    double nids = ids ? strtod(ids + 25, NULL) : 0, nbytes = bytes ? strtod(bytes + 27, NULL) : 0;
    if (nids > 0)
        printf("\ndedupe state (the server's metrics): %.1f bytes an id, %.1f MB per million ids\n",
               nbytes / nids, nbytes / nids);
    if (r->metrics[0])
        printf("\nserver metrics at the end: %s\n", r->metrics);
    printf("\nserver: %ld batches answered (%.0f KB sent, %.0f KB answered a batch), round trip "
           "p50 %.1f ms, p99 %.1f ms, max %.1f ms; %ld connections opened; %ld `%s` commands, %.0f "
           "exposure events per batch "
           "(raw %.0f); database %.0f MB after the run (raw %.0f MB)\n",
           r->batches, (double)r->sent / 1e3 / (double)r->batches,
           (double)r->answers / 1e3 / (double)r->batches, 1000 * r->p50, 1000 * r->p99,
           1000 * r->pmax, r->connects, r->w.commands, r->w.command_type,
           r->w.commands ? (double)r->w.events / (double)r->w.commands : 0,
           r->raw.commands ? (double)r->raw.events / (double)r->raw.commands : 0,
           (double)r->w.bytes / 1e6, (double)r->raw.bytes / 1e6);
}

int main(int argc, char **argv)
{
    bench_name = "impressions_bench";
    sw_mem_tune(); /* as the shopwarden binary does */
    signal(SIGPIPE, SIG_IGN);
    struct opts o = {.n = 10000000,
                     .promos = 10000,
                     .batch = 10000,
                     .conns = 2,
                     .port = 18090,
                     .seed = 12,
                     .bin = "build-release/shopwarden",
                     .dir = "./var/bench"};
    parse_opts(argc, argv, &o);
    mkdir(o.dir, 0755);
    char db[512], raw_db[512];
    snprintf(db, sizeof db, "%s/impressions.db", o.dir);
    snprintf(raw_db, sizeof raw_db, "%s/impressions-raw.db", o.dir);
    struct setup su;
    setup(&o, db, raw_db, &su);
    struct result r = {0};
    run_server(&o, db, &su, &r);
    if (atomic_load(&failed))
        bench_die("%s", "batches were refused: no figures");
    double cpu0 = bench_proc_cpu(getpid());
    long wchar0 = bench_proc_wchar(getpid());
    r.t_raw = raw_loop(&o, raw_db, &su, r.w.command_type, &r.raw_rows, r.phase);
    r.raw_cpu = bench_proc_cpu(getpid()) - cpu0;
    r.raw_wchar = bench_proc_wchar(getpid()) - wchar0;
    read_written(raw_db, &r.raw);
    report(&o, &r);
    free(su.rids);
    return exact(&r) ? 0 : 1;
}
