/* Issue 17's point-in-time reads (docs/point-in-time.md): `GET ...?at=INSTANT` on objects
 * with E events each (default 1,000), at random instants of their lives, next to the live GET
 * of the same objects in the same run, over one keep-alive connection to the real server.
 *
 * Setup: `shopwarden apply` writes B background products (a log to index), then the server
 * (system clock, --threads 2) gets, one request at a time so that every command has its own
 * instant: E price edits of product p1 and E top-ups of store m1's deposit. Then R rounds, each
 * a live GET and an `?at=` GET (a uniformly random instant between the object's first and last
 * event) of the product, then of the deposit. The first point-in-time read builds the subject
 * index from the whole log: it is timed and reported apart. Every answer must be 200 and every
 * product read at an instant must show the price the edit before that instant set (exit 1
 * otherwise). Target: p99 of `?at=` under 5 ms. */
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/instant.h"
#include "support/client.h"
#include "support/server.h"

struct opts {
    long events, reads, background;
    int port;
    const char *bin, *dir;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longs[] = {
        {"events", 1, 0, 'e'}, {"reads", 1, 0, 'r'}, {"background", 1, 0, 'g'},
        {"port", 1, 0, 'p'},   {"bin", 1, 0, 'b'},   {"dir", 1, 0, 'd'},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 'e':
            o->events = atol(optarg);
            break;
        case 'r':
            o->reads = atol(optarg);
            break;
        case 'g':
            o->background = atol(optarg);
            break;
        case 'p':
            o->port = atoi(optarg);
            break;
        case 'b':
            o->bin = optarg;
            break;
        case 'd':
            o->dir = optarg;
            break;
        default:
            bench_die("%s",
                      "usage: asof_bench [--events E] [--reads R] [--background B] [--port P] "
                      "[--bin shopwarden] [--dir DIR]");
        }
    }
}

/* ---------- setup ---------- */

static void write_setup(const char *path, long background)
{
    FILE *f = fopen(path, "w");
    if (!f)
        bench_die("cannot write %s", path);
    fprintf(f, "{\"type\":\"merchant.create\",\"payload\":{\"id\":\"m1\",\"name\":\"bench\","
               "\"categories\":[\"fresh.fruit\"]}}\n");
    fprintf(f, "{\"type\":\"merchant.create\",\"payload\":{\"id\":\"m2\",\"name\":\"others\","
               "\"categories\":[\"fresh.fruit\"]}}\n");
    for (long i = 0; i < background; i++)
        fprintf(f,
                "{\"type\":\"product.create\",\"payload\":{\"id\":\"b%ld\",\"merchant\":\"m2\","
                "\"title\":\"赣南脐橙 %ld 号 5kg\",\"category\":\"fresh.fruit\",\"price_fen\":%ld,"
                "\"production_date\":\"2026-11-01\",\"quality_cert\":\"SC-2026\","
                "\"manufacturer\":\"赣州果园\"}}\n",
                i, i, 100 + i);
    fprintf(f, "{\"type\":\"product.create\",\"payload\":{\"id\":\"p1\",\"merchant\":\"m1\","
               "\"title\":\"妃子笑荔枝 2.5kg\",\"category\":\"fresh.fruit\",\"price_fen\":1000,"
               "\"production_date\":\"2026-11-01\",\"quality_cert\":\"SC-2026\","
               "\"manufacturer\":\"茂名果园\"}}\n");
    fclose(f);
}

static void run_or_die(char *const argv[], const char *out, const char *what)
{
    if (bench_run(argv, out) != 0)
        bench_die(what, out);
}

static pid_t start_server(const struct opts *o, const char *db)
{
    char listen[64], log[600];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", o->port);
    snprintf(log, sizeof log, "%s/asof-serve.log", o->dir);
    char *argv[] = {(char *)o->bin, "serve",     "--db", (char *)db, "--listen",
                    listen,         "--threads", "2",    NULL};
    return bench_start_server(argv, o->port, log);
}

/* One request that must answer 200; its body parsed (a new reference). */
static json_t *call(struct bench_http *h, const char *method, const char *path, const char *key,
                    const char *body)
{
    int status = 0;
    const char *resp;
    size_t n;
    if (bench_http_do(h, method, path, key, body, body ? strlen(body) : 0, &status, &resp, &n) ||
        (status != 200 && status != 201))
        bench_die("request failed: %s", path);
    json_t *j = json_loadb(resp, n, 0, NULL);
    if (!j)
        bench_die("not JSON: %s", path);
    return j;
}

static sw_instant instant_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    sw_instant t = 0;
    struct sw_error err;
    if (!s || sw_instant_parse(s, strlen(s), &t, &err) != SW_OK)
        bench_die("no instant '%s'", key);
    return t;
}

/* The object's E events: price edits (prices[i] from edit at[i]) and deposit top-ups. */
struct life {
    sw_instant *at; /* at[0]: creation or first top-up; at[i]: edit i */
    long *price;    /* product: the price from at[i] on */
    sw_instant first, last;
};

static void make_events(const struct opts *o, struct bench_http *h, const char *key,
                        struct life *prod, struct life *dep)
{
    char body[160];
    json_t *p = call(h, "GET", "/v1/products/p1", key, NULL);
    prod->at[0] = instant_of(p, "created_at");
    prod->price[0] = 1000;
    json_decref(p);
    for (long i = 1; i <= o->events; i++) {
        snprintf(body, sizeof body, "{\"price_fen\":%ld}", 1000 + i);
        json_t *r = call(h, "PATCH", "/v1/products/p1", key, body);
        prod->at[i] = instant_of(r, "at");
        prod->price[i] = 1000 + i;
        json_decref(r);
        snprintf(body, sizeof body, "{\"amount_fen\":100,\"ref\":\"t%ld\"}", i);
        r = call(h, "POST", "/v1/merchants/m1/deposit/top-ups", key, body);
        dep->at[i - 1] = instant_of(r, "at");
        json_decref(r);
    }
    prod->first = prod->at[0];
    prod->last = prod->at[o->events];
    dep->first = dep->at[0];
    dep->last = dep->at[o->events - 1];
}

/* ---------- reads ---------- */

static sw_instant random_instant(const struct life *l, unsigned *seed)
{
    double u = (double)rand_r(seed) / RAND_MAX;
    return l->first + (sw_instant)(u * (double)(l->last - l->first));
}

static long price_at(const struct life *l, long events, sw_instant t)
{
    long i = 0;
    while (i < events && l->at[i + 1] <= t)
        i++;
    return l->price[i];
}

static void path_at(char *out, size_t cap, const char *base, sw_instant t)
{
    char ts[40];
    sw_instant_format(t, ts);
    snprintf(out, cap, "%s?at=%s", base, ts);
}

/* Times one GET (ms); with want_price >= 0, checks the answer's price_fen. */
static double timed_get(struct bench_http *h, const char *path, const char *key, long want_price)
{
    double t0 = now_ms();
    json_t *j = call(h, "GET", path, key, NULL);
    double ms = now_ms() - t0;
    if (want_price >= 0 && json_integer_value(json_object_get(j, "price_fen")) != want_price)
        bench_die("wrong price at %s", path);
    json_decref(j);
    return ms;
}

static void row(const char *what, double *v, long n, double cpu_us)
{
    double p50, p99, max;
    bench_percentiles(v, n, &p50, &p99, &max);
    printf("| %s | %ld | %.2f | %.2f | %.2f | %.0f |\n", what, n, p50, p99, max, cpu_us);
}

/* One phase: n reads of one kind; latencies into v, the server's CPU µs a read returned. */
struct phase {
    const char *what, *base;
    const struct life *life; /* NULL: the live read */
    bool price;              /* check the product's price at the instant */
};

static double run_phase(const struct opts *o, struct bench_http *h, const char *key, pid_t pid,
                        const struct phase *ph, double *v, unsigned *seed)
{
    char path[200];
    double cpu0 = bench_proc_cpu(pid);
    for (long i = 0; i < o->reads; i++) {
        if (!ph->life) {
            v[i] = timed_get(h, ph->base, key, -1);
            continue;
        }
        sw_instant t = random_instant(ph->life, seed);
        path_at(path, sizeof path, ph->base, t);
        v[i] = timed_get(h, path, key, ph->price ? price_at(ph->life, o->events, t) : -1);
    }
    return (bench_proc_cpu(pid) - cpu0) * 1e6 / (double)o->reads;
}

static void measure(const struct opts *o, struct bench_http *h, const char *key, pid_t pid,
                    const struct life *prod, const struct life *dep)
{
    const struct phase phases[] = {
        {"GET /v1/products/p1 (live)", "/v1/products/p1", NULL, false},
        {"GET /v1/products/p1?at=", "/v1/products/p1", prod, true},
        {"GET /v1/merchants/m1/deposit (live)", "/v1/merchants/m1/deposit", NULL, false},
        {"GET /v1/merchants/m1/deposit?at=", "/v1/merchants/m1/deposit", dep, false},
    };
    enum { N = sizeof phases / sizeof phases[0] };
    double *v[N], cpu[N], p99[N];
    unsigned seed = 17;
    char path[200];
    /* the first point-in-time read indexes the whole log */
    path_at(path, sizeof path, "/v1/products/p1", prod->last);
    double first = timed_get(h, path, key, prod->price[o->events]);
    for (int k = 0; k < N; k++) {
        v[k] = malloc((size_t)o->reads * sizeof *v[k]);
        cpu[k] = run_phase(o, h, key, pid, &phases[k], v[k], &seed);
    }
    printf("First point-in-time read (indexes the whole log, %ld background products): "
           "%.1f ms\n\n",
           o->background, first);
    printf("| read (%ld events an object; `?at=`: random instants) | reads | p50 ms | p99 ms | "
           "max ms | server CPU µs/read |\n",
           o->events);
    printf("|---|---|---|---|---|---|\n");
    for (int k = 0; k < N; k++) {
        double p50, max;
        row(phases[k].what, v[k], o->reads, cpu[k]);
        bench_percentiles(v[k], o->reads, &p50, &p99[k], &max);
        free(v[k]);
    }
    printf("\nTarget `?at=` p99 < 5 ms: %s (product %.2f ms, deposit %.2f ms)\n",
           p99[1] < 5 && p99[3] < 5 ? "met" : "**not met**", p99[1], p99[3]);
}

int main(int argc, char **argv)
{
    bench_name = "asof_bench";
    signal(SIGPIPE, SIG_IGN);
    struct opts o = {.events = 1000,
                     .reads = 2000,
                     .background = 100000,
                     .port = 18092,
                     .bin = "build-release/shopwarden",
                     .dir = "./var/bench"};
    parse_opts(argc, argv, &o);
    if (o.events < 1 || o.reads < 1 || o.background < 0)
        bench_die("%s", "events and reads must be positive");
    mkdir(o.dir, 0755);
    char db[512], nd[600], out[600], key[256];
    snprintf(db, sizeof db, "%s/asof.db", o.dir);
    snprintf(nd, sizeof nd, "%s/asof-setup.ndjson", o.dir);
    snprintf(out, sizeof out, "%s/asof-setup.out", o.dir);
    bench_rm_db(db);
    write_setup(nd, o.background);
    char *apply[] = {(char *)o.bin, "apply", "--db", db, nd, NULL};
    run_or_die(apply, out, "setup: shopwarden apply refused some commands (see %s)");
    bench_create_key(o.bin, o.dir, "asof", db, "operator", key);
    pid_t pid = start_server(&o, db);
    struct bench_http h = {.fd = -1, .port = o.port};
    struct life prod = {calloc((size_t)o.events + 1, sizeof(sw_instant)),
                        calloc((size_t)o.events + 1, sizeof(long)), 0, 0};
    struct life dep = {calloc((size_t)o.events + 1, sizeof(sw_instant)), NULL, 0, 0};
    double t0 = now_ms();
    make_events(&o, &h, key, &prod, &dep);
    printf("Setup: %ld price edits and %ld deposit top-ups, one request each: %.1f s\n\n", o.events,
           o.events, (now_ms() - t0) / 1e3);
    measure(&o, &h, key, pid, &prod, &dep);
    bench_http_close(&h);
    free(h.buf);
    bench_stop(pid, SIGTERM);
    free(prod.at);
    free(prod.price);
    free(dep.at);
    return 0;
}
