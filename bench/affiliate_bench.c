/* The affiliate feed over HTTP (issue 15), next to a raw SQLite loop writing the same rows in
 * the same run, on the same schema and settings (bench/README.md).
 *
 *   affiliate_bench [--events N] [--orders O] [--promoters P] [--batch B] [--connections C]
 *                   [--bin SHOPWARDEN] [--dir DIR] [--port PORT] [--seed S] [--perf FILE]
 *
 * feed:       one seeded generator (support/affiliate_gen.c): O orders across P promoters,
 *             random 16-character order ids, each order's life by time (created, paid, most
 *             confirmed, some partially refunded, refunded, cancelled, a few rights cases, the
 *             feed re-reporting statuses), 2% of events swapped out of order, 1% sent twice.
 * server:     `shopwarden serve --clock manual` (durable: the default sync), an ingest key, C
 *             keep-alive connections sending batches of B; each batch's answer must equal the
 *             generator's tally for the batches in the order the server applied them.
 * statements: the manual clock moved past the 20th: the statement run for every promoter,
 *             timed; after it, straight from the database file: every promoter's settlement
 *             commission and statement total must equal the generator's, to the fen.
 * raw:        the same batches written into a copy of the set-up database by a bare loop. */
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
#include "support/affiliate_gen.h"
#include "support/affiliate_raw.h"
#include "support/client.h"
#include "support/server.h"

#define MAX_CONNS 16
#define MAX_THREADS 64
#define SHANGHAI_US (INT64_C(8) * 3600 * 1000000)

struct opts {
    long n, orders;
    int promoters, batch, conns, port;
    uint64_t seed;
    const char *bin, *dir, *perf;
};

/* ---------- set-up ---------- */

/* 00:00 Asia/Shanghai of a civil date, µs. */
static int64_t local_midnight(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return (int64_t)timegm(&tm) * 1000000 - SHANGHAI_US;
}

/* The orders live in the month before the server's (local) month; the statement run that
 * covers it is the first 20th 00:00 local after now (the server's rule). */
static void months(int64_t now, int64_t *t0, int64_t *due, char month[8])
{
    time_t t = (time_t)((now + SHANGHAI_US) / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
    *t0 = local_midnight(py, pm, 1);
    *due = local_midnight(y, m, 20);
    int sy = py, sm = pm; /* the month the run settles */
    if (now > *due) {
        *due = m == 12 ? local_midnight(y + 1, 1, 20) : local_midnight(y, m + 1, 20);
        sy = y, sm = m;
    }
    snprintf(month, 8, "%04d-%02d", sy, sm);
}

static pid_t start_server(const struct opts *o, const char *db)
{
    char listen[64], log[600];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", o->port);
    snprintf(log, sizeof log, "%s/affiliate-serve.log", o->dir);
    char *argv[] = {(char *)o->bin,   "serve",     "--db",        (char *)db, "--listen",
                    listen,           "--threads", "2",           "--clock",  "manual",
                    "--idle-timeout", "3600",      "--log-level", "warn",     NULL};
    return bench_start_server(argv, o->port, log);
}

/* ---------- the senders ---------- */

enum { C_APPLIED, C_DUPLICATE, C_HELD, C_REJECTED, NCOUNTS };
static const char *const count_names[NCOUNTS] = {"applied", "duplicate", "held", "rejected"};

struct answer { /* one batch's */
    long counts[NCOUNTS];
    int64_t seq; /* its command: the order the server applied the batches in */
    double latency;
};

struct feed {
    pthread_mutex_t lock;
    long next; /* batches handed out */
    const struct aff_gen *g;
    const struct opts *o;
    const char *key;
    struct answer *answers;
};

struct sender {
    pthread_t thread;
    struct bench_http h;
    struct feed *f;
    long sent_bytes, answer_bytes;
};

static atomic_int failed;
static _Atomic long answered;

static int read_answer(struct answer *a, const char *resp, size_t n)
{
    json_t *r = json_loadb(resp, n, 0, NULL);
    int rc = r ? 0 : -1;
    for (int i = 0; r && i < NCOUNTS; i++) {
        json_t *v = json_object_get(r, count_names[i]);
        rc |= json_is_integer(v) ? 0 : -1;
        a->counts[i] = (long)json_integer_value(v);
    }
    a->seq = r ? (int64_t)json_integer_value(json_object_get(r, "command_seq")) : 0;
    json_decref(r);
    return rc;
}

static size_t format_batch(const struct aff_gen *g, long from, int count, char *body)
{
    char *w = body;
    w += sprintf(w, "{\"events\":[");
    for (long j = from; j < from + count; j++) {
        if (j > from)
            *w++ = ',';
        w += aff_format_event(g, &g->ev[g->stream[j]], w);
    }
    w += sprintf(w, "]}");
    return (size_t)(w - body);
}

static void *send_loop(void *arg)
{
    struct sender *s = arg;
    struct feed *f = s->f;
    int b = f->o->batch;
    char *body = malloc((size_t)b * AFF_EVENT_BYTES + 64);
    while (!atomic_load(&failed)) {
        pthread_mutex_lock(&f->lock);
        long index = f->next * b < f->g->n ? f->next++ : -1;
        pthread_mutex_unlock(&f->lock);
        if (index < 0)
            break;
        long from = index * b;
        int count = (int)(f->g->n - from < b ? f->g->n - from : b);
        size_t n = format_batch(f->g, from, count, body);
        double t0 = bench_now();
        int status = 0;
        const char *resp = "";
        size_t rlen = 0;
        int rc = bench_http_do(&s->h, "POST", "/v1/affiliate/events", f->key, body, n, &status,
                               &resp, &rlen);
        struct answer *a = &f->answers[index];
        a->latency = bench_now() - t0;
        if (rc == 0 && status == 200 && read_answer(a, resp, rlen) == 0) {
            s->sent_bytes += (long)n;
            s->answer_bytes += (long)rlen;
            atomic_fetch_add(&answered, count);
            continue;
        }
        if (atomic_fetch_add(&failed, 1) == 0)
            fprintf(stderr, "affiliate_bench: batch %ld: %s %d: %.300s\n", index,
                    rc ? "connection failed" : "status", status, resp);
    }
    free(body);
    return NULL;
}

/* ---------- exactness ---------- */

static const struct answer *seq_base;

static int by_seq(const void *a, const void *b)
{
    int64_t x = seq_base[*(const long *)a].seq, y = seq_base[*(const long *)b].seq;
    return (x > y) - (x < y);
}

/* The generator's tally, batch by batch in the order the server applied them; the number of
 * batches whose answer differs (the first one on stderr). Sums the server's answers too. */
static long check_answers(const struct opts *o, const struct aff_gen *g, const struct answer *a,
                          long nbatches, long sum[NCOUNTS], long want[NCOUNTS])
{
    long *order = malloc((size_t)nbatches * sizeof *order);
    for (long i = 0; i < nbatches; i++)
        order[i] = i;
    seq_base = a;
    qsort(order, (size_t)nbatches, sizeof *order, by_seq);
    struct aff_sim sim;
    aff_sim_init(&sim, g);
    long wrong = 0;
    for (long k = 0; k < nbatches; k++) {
        long i = order[k], from = i * o->batch, w[NCOUNTS] = {0};
        int count = (int)(g->n - from < o->batch ? g->n - from : o->batch);
        aff_sim_batch(&sim, g, from, count, &w[C_APPLIED], &w[C_DUPLICATE], &w[C_HELD]);
        for (int c = 0; c < NCOUNTS; c++) {
            sum[c] += a[i].counts[c];
            want[c] += w[c];
        }
        if (memcmp(w, a[i].counts, sizeof w) != 0 && wrong++ == 0)
            fprintf(stderr,
                    "affiliate_bench: batch %ld (command %lld): the server answered applied %ld "
                    "duplicate %ld held %ld rejected %ld, the generator expects %ld %ld %ld 0\n",
                    i, (long long)a[i].seq, a[i].counts[0], a[i].counts[1], a[i].counts[2],
                    a[i].counts[3], w[0], w[1], w[2]);
    }
    aff_sim_free(&sim);
    free(order);
    return wrong;
}

/* What the database holds after the statement run, against the generator. */
struct books {
    long orders, anomalies, flags, held, statements, want_statements, promoters_wrong,
        statements_wrong;
    int64_t commission, want_commission, total, want_total;
    char first_wrong[160];
};

/* Per promoter: rows of (promoter index, value) from sql into got[]; got[p] stays -1 if none. */
static void per_promoter(sqlite3 *c, const char *sql, const char *month, int64_t *got, int np)
{
    sqlite3_stmt *s;
    for (int p = 0; p < np; p++)
        got[p] = -1;
    if (sqlite3_prepare_v2(c, sql, -1, &s, NULL) != SQLITE_OK)
        bench_die("read back: %s", sqlite3_errmsg(c));
    if (month)
        sqlite3_bind_text(s, 1, month, -1, SQLITE_STATIC);
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 0);
        long p = id && strncmp(id, "pm", 2) == 0 ? strtol(id + 2, NULL, 10) : -1;
        if (p >= 0 && p < np)
            got[p] = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
}

static void read_books(const char *db, const struct aff_gen *g, const char *month, struct books *b)
{
    sqlite3 *c;
    if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        bench_die("cannot open %s", db);
    b->orders = (long)bench_scalar(c, "SELECT count(*) FROM aff_orders");
    b->anomalies = (long)bench_scalar(c, "SELECT count(*) FROM aff_orders WHERE doc->>'$.reason' ="
                                         " 'data_anomaly'");
    b->flags = (long)bench_scalar(c, "SELECT count(*) FROM aff_flags");
    b->held = (long)bench_scalar(c, "SELECT count(*) FROM aff_held");
    int np = g->promoters;
    int64_t *want_c = calloc((size_t)np, sizeof *want_c), *want_t = calloc((size_t)np, 8);
    int64_t *got_c = malloc((size_t)np * 8), *got_t = malloc((size_t)np * 8);
    bool *has = calloc((size_t)np, sizeof *has);
    for (long o = 0; o < g->norders; o++) {
        const struct aff_order *d = &g->order[o];
        if (d->settled < 0)
            continue;
        b->want_statements += !has[d->promoter];
        has[d->promoter] = true;
        want_c[d->promoter] += d->commission;
        want_t[d->promoter] += d->commission - d->clawback;
    }
    per_promoter(c,
                 "SELECT promoter, sum(json_extract(doc, '$.settlement_commission_fen'))"
                 " FROM aff_orders GROUP BY promoter",
                 NULL, got_c, np);
    per_promoter(c, "SELECT promoter, total_fen FROM aff_statements WHERE month = ?1", month, got_t,
                 np);
    b->statements = (long)bench_scalar(c, "SELECT count(*) FROM aff_statements");
    for (int p = 0; p < np; p++) {
        int64_t gc = got_c[p] < 0 ? 0 : got_c[p];
        b->commission += gc;
        b->want_commission += want_c[p];
        b->total += got_t[p] < 0 ? 0 : got_t[p];
        b->want_total += want_t[p];
        bool bad_c = gc != want_c[p], bad_t = has[p] ? got_t[p] != want_t[p] : got_t[p] != -1;
        if ((bad_c || bad_t) && !b->first_wrong[0])
            snprintf(b->first_wrong, sizeof b->first_wrong,
                     "pm%d: commission %lld (want %lld), statement %lld (want %lld)", p,
                     (long long)gc, (long long)want_c[p], (long long)got_t[p],
                     (long long)(has[p] ? want_t[p] : -1));
        b->promoters_wrong += bad_c;
        b->statements_wrong += bad_t;
    }
    free(want_c);
    free(want_t);
    free(got_c);
    free(got_t);
    free(has);
    sqlite3_close(c);
}

/* ---------- the run ---------- */

struct result {
    double t_gen, t_send, t_stmt, p50, p99, pmax, server_cpu, client_cpu, stmt_cpu, raw_cpu;
    double tenth_ms[10]; /* mean round trip of the batches in each tenth (by command order) */
    long sum[NCOUNTS], want[NCOUNTS], wrong_batches, sent, answers, connects, fired;
    long server_wchar, raw_wchar;
    struct bench_thread threads0[MAX_THREADS], threads1[MAX_THREADS];
    int nthreads0, nthreads1;
    off_t db_bytes, raw_bytes;
    struct books books;
    struct aff_raw_result raw;
    char month[8], policy_version[128];
};

static void post_clock(const struct opts *o, const char *admin, int64_t due, struct result *r,
                       pid_t server)
{
    char body[96], at[21];
    aff_rfc3339(due + 1000000, at);
    snprintf(body, sizeof body, "{\"now\":\"%s\"}", at);
    struct bench_http h = {.fd = -1, .port = o->port};
    int status = 0;
    const char *resp = "";
    size_t n = 0;
    double cpu0 = bench_proc_cpu(server), t0 = bench_now();
    int rc =
        bench_http_do(&h, "POST", "/v1/admin/clock", admin, body, strlen(body), &status, &resp, &n);
    r->t_stmt = bench_now() - t0;
    r->stmt_cpu = bench_proc_cpu(server) - cpu0;
    json_t *j = rc == 0 && status == 200 ? json_loadb(resp, n, 0, NULL) : NULL;
    if (!j)
        fprintf(stderr, "affiliate_bench: the clock move failed: %d %.300s\n", status, resp);
    r->fired = j ? (long)json_integer_value(json_object_get(j, "timers_fired")) : -1;
    json_decref(j);
    bench_http_close(&h);
    free(h.buf);
}

static void round_trips(const struct opts *o, const struct answer *a, long nb, struct result *r)
{
    double *lat = malloc((size_t)nb * sizeof *lat), sum[10] = {0};
    long *order = malloc((size_t)nb * sizeof *order), cnt[10] = {0};
    for (long i = 0; i < nb; i++)
        order[i] = i, lat[i] = a[i].latency;
    seq_base = a;
    qsort(order, (size_t)nb, sizeof *order, by_seq);
    for (long k = 0; k < nb; k++) {
        sum[k * 10 / nb] += a[order[k]].latency;
        cnt[k * 10 / nb]++;
    }
    for (int t = 0; t < 10; t++)
        r->tenth_ms[t] = cnt[t] ? 1000 * sum[t] / (double)cnt[t] : 0;
    bench_percentiles(lat, nb, &r->p50, &r->p99, &r->pmax);
    (void)o;
    free(lat);
    free(order);
}

static void run_server(const struct opts *o, const struct aff_gen *g, const char *db,
                       const char *keys[2], int64_t due, struct result *r)
{
    pid_t server = start_server(o, db);
    char perflog[600];
    snprintf(perflog, sizeof perflog, "%s/affiliate-perf.log", o->dir);
    pid_t perf = o->perf ? bench_perf_start(server, o->perf, perflog) : -1;
    long nb = (g->n + o->batch - 1) / o->batch;
    struct feed f = {
        .g = g, .o = o, .key = keys[0], .answers = calloc((size_t)nb, sizeof(struct answer))};
    pthread_mutex_init(&f.lock, NULL);
    struct sender s[MAX_CONNS];
    double cpu0 = bench_proc_cpu(server), self0 = bench_proc_cpu(getpid());
    long wchar0 = bench_proc_wchar(server);
    r->nthreads0 = bench_threads_read(server, r->threads0, MAX_THREADS);
    double t0 = bench_now();
    for (int i = 0; i < o->conns; i++) {
        s[i] = (struct sender){.h = {.fd = -1, .port = o->port}, .f = &f};
        pthread_create(&s[i].thread, NULL, send_loop, &s[i]);
    }
    for (int i = 0; i < o->conns; i++) {
        pthread_join(s[i].thread, NULL);
        r->sent += s[i].sent_bytes;
        r->answers += s[i].answer_bytes;
        r->connects += s[i].h.connects;
        bench_http_close(&s[i].h);
        free(s[i].h.buf);
    }
    r->t_send = bench_now() - t0;
    r->server_cpu = bench_proc_cpu(server) - cpu0;
    r->client_cpu = bench_proc_cpu(getpid()) - self0;
    r->server_wchar = bench_proc_wchar(server) - wchar0;
    r->nthreads1 = bench_threads_read(server, r->threads1, MAX_THREADS);
    bench_stop(perf, SIGINT);
    if (!atomic_load(&failed)) {
        r->wrong_batches = check_answers(o, g, f.answers, nb, r->sum, r->want);
        round_trips(o, f.answers, nb, r);
        post_clock(o, keys[1], due, r, server);
    }
    bench_stop(server, SIGTERM);
    pthread_mutex_destroy(&f.lock);
    free(f.answers);
    if (atomic_load(&failed))
        bench_die("%s", "batches were refused: no figures");
    r->db_bytes = bench_file_size(db);
}

static bool counts_exact(const struct result *r)
{
    return r->wrong_batches == 0 && r->sum[C_REJECTED] == 0 &&
           memcmp(r->sum, r->want, sizeof r->sum) == 0 &&
           r->raw.duplicate == r->want[C_DUPLICATE] &&
           r->raw.fresh == r->want[C_APPLIED] + r->want[C_HELD];
}

static bool books_exact(const struct result *r)
{
    const struct books *b = &r->books;
    return b->promoters_wrong == 0 && b->statements_wrong == 0 &&
           b->statements == b->want_statements && b->anomalies == 0 && b->held == 0 &&
           r->fired >= 1;
}

/* Why the server refused a timer's command, from its log (warn lines), into out. */
static void refusals(const struct opts *o, char *out, size_t cap)
{
    char path[600], line[2048];
    snprintf(path, sizeof path, "%s/affiliate-serve.log", o->dir);
    FILE *f = fopen(path, "r");
    size_t w = 0;
    out[0] = '\0';
    while (f && fgets(line, sizeof line, f)) {
        const char *m = strstr(line, "\"timer.refused\""),
                   *msg = m ? strstr(m, "\"msg\":\"") : NULL;
        if (msg && w < cap)
            w += (size_t)snprintf(out + w, cap - w, "%s`%.*s`", w ? ", " : "",
                                  (int)strcspn(msg + 7, "\""), msg + 7);
    }
    if (f)
        fclose(f);
}

static void report(const struct opts *o, const struct aff_gen *g, const struct result *r)
{
    double sps = (double)o->n / r->t_send, rps = (double)o->n / r->raw.seconds;
    const struct books *b = &r->books;
    printf("| workload | server events/s | raw SQLite events/s (same rows) | server / raw |\n"
           "|---|---|---|---|\n");
    printf("| %ld affiliate events of %ld orders across %d promoters, batches of %d, %d "
           "connections, %.1f%% sent twice, %.1f%% out of order | %.0f | %.0f (%.0f rows/s) | "
           "%.1f%% |\n",
           o->n, o->orders, o->promoters, o->batch, o->conns,
           100.0 * (double)g->dups / (double)o->n, 100.0 * (double)g->swapped / (double)o->n, sps,
           rps, (double)r->raw.rows / r->raw.seconds, 100 * sps / rps);
    printf("\ncounts %s: the server answered applied %ld, duplicate %ld, held %ld, rejected %ld; "
           "the generator's tally (replayed in the server's command order) %ld, %ld, %ld, 0; "
           "%ld of %ld batches differ; the raw loop stored %ld events and refused %ld as "
           "duplicates\n",
           counts_exact(r) ? "exact" : "**WRONG**", r->sum[0], r->sum[1], r->sum[2], r->sum[3],
           r->want[0], r->want[1], r->want[2], r->wrong_batches, (o->n + o->batch - 1) / o->batch,
           r->raw.fresh, r->raw.duplicate);
    printf("\nbooks %s (read from the database file after the run): %ld orders, %ld data "
           "anomalies, %ld flags, %ld events still held; settlement commission %lld fen (the "
           "generator: %lld), %ld promoters differ; statements of %s: %ld (want %ld), total "
           "%lld fen (want %lld, after clawbacks), %ld differ%s%s\n",
           books_exact(r) ? "exact" : "**WRONG**", b->orders, b->anomalies, b->flags, b->held,
           (long long)b->commission, (long long)b->want_commission, b->promoters_wrong, r->month,
           b->statements, b->want_statements, (long long)b->total, (long long)b->want_total,
           b->statements_wrong, b->first_wrong[0] ? "; first: " : "", b->first_wrong);
    printf("\nstatement run (POST /v1/admin/clock past the 20th, %ld timer(s) fired): %.1f s "
           "for %ld statements (%.0f statements/s, %.2f ms each), server CPU %.1f s\n",
           r->fired, r->t_stmt, b->statements, (double)b->statements / r->t_stmt,
           1000 * r->t_stmt / (double)(b->statements ? b->statements : 1), r->stmt_cpu);
    char why[1024];
    refusals(o, why, sizeof why);
    if (why[0])
        printf("\n**the server refused a timer's command** (its log): %s\n", why);
    printf("\nCPU: the server used %.1f µs an event (all its threads: %.2f cores on average "
           "during the sends), the raw loop %.1f µs (its thread on CPU %.0f%% of the time): by "
           "CPU the server costs %.1fx the raw loop; the client (JSON, sockets) used %.1f µs an "
           "event\n",
           1e6 * r->server_cpu / (double)o->n, r->server_cpu / r->t_send,
           1e6 * r->raw_cpu / (double)o->n, 100 * r->raw_cpu / r->raw.seconds,
           r->server_cpu / r->raw_cpu, 1e6 * r->client_cpu / (double)o->n);
    bench_threads_report(r->threads0, r->nthreads0, r->threads1, r->nthreads1, r->t_send);
    printf("\nbatch round trip: p50 %.0f ms, p99 %.0f ms, max %.0f ms; mean by tenths of the run "
           "(in command order):",
           1000 * r->p50, 1000 * r->p99, 1000 * r->pmax);
    for (int t = 0; t < 10; t++)
        printf(" %.0f", r->tenth_ms[t]);
    long nb = (o->n + o->batch - 1) / o->batch;
    printf(" ms; %.0f KB sent and %.0f KB answered a batch, %ld connections opened\n",
           (double)r->sent / 1e3 / (double)nb, (double)r->answers / 1e3 / (double)nb, r->connects);
    printf("\nwritten to files during the sends: server %.1f MB, raw loop %.1f MB; database %.0f "
           "MB after the run (raw %.0f MB); raw loop time:",
           (double)r->server_wchar / 1e6, (double)r->raw_wchar / 1e6, (double)r->db_bytes / 1e6,
           (double)r->raw_bytes / 1e6);
    for (int i = 0; i < AFF_RAW_PHASES; i++)
        printf("%s %s %.0f%%", i ? "," : "", aff_raw_phases[i],
               100 * r->raw.phase[i] / r->raw.seconds);
    printf("; generator %.1f s\n", r->t_gen);
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
    static const char *const names[] = {"events", "orders", "promoters", "batch", "connections",
                                        "port",   "seed",   "bin",       "dir",   "perf"};
    struct option opts[11] = {{0}};
    for (int i = 0; i < 10; i++)
        opts[i] = (struct option){names[i], required_argument, 0, i};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch < 0 || ch >= 10)
            exit(2);
        char *end;
        long long v = strtoll(optarg, &end, 10);
        if (ch < 7 && (*end || end == optarg || v < 0 || (ch >= 2 && ch < 6 && v > 1 << 30)))
            bench_die("--%s needs a number", names[ch]);
        switch (ch) {
        case 0:
            o->n = (long)v;
            break;
        case 1:
            o->orders = (long)v;
            break;
        case 2:
            o->promoters = (int)v;
            break;
        case 3:
            o->batch = (int)v;
            break;
        case 4:
            o->conns = (int)v;
            break;
        case 5:
            o->port = (int)v;
            break;
        case 6:
            o->seed = (uint64_t)v;
            break;
        case 7:
            o->bin = optarg;
            break;
        case 8:
            o->dir = optarg;
            break;
        default:
            o->perf = optarg;
        }
    }
    if (o->n < 1 || o->orders < 1 || o->promoters < 1 || o->batch < 1 || o->batch > 10000 ||
        o->conns < 1 || o->conns > MAX_CONNS)
        bench_die("%s", "bad sizes: --events, --orders, --promoters >= 1, --batch 1-10000, "
                        "--connections 1-16");
}

static void policy_version(const char *db, char out[128])
{
    sqlite3 *c;
    sqlite3_stmt *s;
    sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL);
    snprintf(out, 128, "?");
    if (sqlite3_prepare_v2(c, "SELECT policy_version FROM commands ORDER BY seq DESC LIMIT 1", -1,
                           &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        snprintf(out, 128, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(c);
}

int main(int argc, char **argv)
{
    bench_name = "affiliate_bench";
    sw_mem_tune();
    signal(SIGPIPE, SIG_IGN);
    struct opts o = {.n = 1000000,
                     .orders = 200000,
                     .promoters = 10000,
                     .batch = 10000,
                     .conns = 2,
                     .port = 18092,
                     .seed = 15,
                     .bin = "build-release/shopwarden",
                     .dir = "./var/bench"};
    parse_opts(argc, argv, &o);
    mkdir(o.dir, 0755);
    char db[512], raw_db[512], ingest[256], admin[256];
    snprintf(db, sizeof db, "%s/affiliate.db", o.dir);
    snprintf(raw_db, sizeof raw_db, "%s/affiliate-raw.db", o.dir);
    bench_rm_db(db);
    bench_rm_db(raw_db);
    bench_create_key(o.bin, o.dir, "affiliate-ingest", db, "ingest", ingest);
    bench_create_key(o.bin, o.dir, "affiliate-admin", db, "admin", admin);
    bench_copy_db(db, raw_db);
    struct result r = {0};
    int64_t t0, due;
    months((int64_t)time(NULL) * 1000000, &t0, &due, r.month);
    struct aff_gen g;
    double g0 = bench_now();
    if (aff_gen_build(&g, o.seed, o.n, o.orders, o.promoters, t0) != 0)
        bench_die("%s", "--events must be at least 3.5 x --orders (each order's life, 1% re-sent)");
    r.t_gen = bench_now() - g0;
    const char *keys[2] = {ingest, admin};
    run_server(&o, &g, db, keys, due, &r);
    read_books(db, &g, r.month, &r.books);
    policy_version(db, r.policy_version);
    double cpu0 = bench_proc_cpu(getpid());
    long wchar0 = bench_proc_wchar(getpid());
    if (aff_raw_run(&g, raw_db, o.batch, r.policy_version, &r.raw) != 0)
        bench_die("%s", "the raw loop failed");
    r.raw_cpu = bench_proc_cpu(getpid()) - cpu0;
    r.raw_wchar = bench_proc_wchar(getpid()) - wchar0;
    r.raw_bytes = bench_file_size(raw_db);
    report(&o, &g, &r);
    bool ok = counts_exact(&r) && books_exact(&r);
    aff_gen_free(&g);
    return ok ? 0 : 1;
}
