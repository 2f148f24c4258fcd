/* One store's write latency while another store loops worst-case edits (issue 10: a merchant
 * looping 64 KiB adversarial edits must not stall other stores' writes).
 *
 *   neighbour_bench [--seconds S] [--noisy T] [--kib K] [--distinct] [--dir DIR]
 *
 * --distinct: the detail is thousands of distinct contact accounts (each its own finding)
 * instead of the scanner's costliest repeated shapes.
 * A victim thread updates the stock of a product of store m2, one command at a time, and
 * records each command's latency. Meanwhile T threads of store m1 loop product.update with a
 * K KiB detail built from the scanner's costliest patterns. Three phases in the same run:
 *   quiet     no neighbour: the baseline;
 *   prepared  the neighbour's edits go through sw_engine_execute, as the HTTP server sends them:
 *             the listing is scanned on the submitting thread, the writer only checks it;
 *   on-writer the same edits submitted without their prepare hook, so the writer scans them
 *             (what the engine did before): the difference the design makes. */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/mem.h"
#include "domain/domain.h"
#include "engine/engine.h"

#define MAX_SAMPLES 1000000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rm_db(const char *path)
{
    char p[600];
    static const char *const sfx[] = {"", "-wal", "-shm", ".lock"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, sfx[i]);
        unlink(p);
    }
}

static int run(struct sw_engine *e, const char *type, json_t *payload, bool prepared)
{
    struct sw_cmd cmd = {.type = type, .actor = "operator", .payload = payload};
    int rc;
    if (prepared) {
        rc = sw_engine_execute(e, &cmd);
    } else {
        sw_engine_submit(e, &cmd);
        sw_engine_wait(e, &cmd);
        rc = cmd.code;
    }
    if (rc && rc != SW_E_PRODUCT_BANNED)
        fprintf(stderr, "%s: %s: %s\n", type, sw_err_name(rc), cmd.err.msg);
    sw_cmd_release(&cmd);
    return rc;
}

/* Distinct contact accounts ("加v shop00001 ..."): every one a finding of its own, the most
 * findings a detail of this size can carry. */
static char *distinct_detail(size_t bytes)
{
    char *s = malloc(bytes + 32);
    size_t n = 0;
    for (int i = 0; n + 24 <= bytes; i++)
        n += (size_t)snprintf(s + n, 32, "加v shop%05d ", i % 100000);
    s[n] = '\0';
    return s;
}

/* The scanner's costliest shapes (issue 10), each repeated over a fifth of the detail. */
static char *adversarial_detail(size_t bytes)
{
    static const char *const unit[] = {"wx1", "qq1", ".com", "加v", "1.5"};
    char *s = malloc(bytes + 8);
    size_t n = 0;
    for (int u = 0; u < 5; u++) {
        size_t k = strlen(unit[u]), end = bytes * (size_t)(u + 1) / 5;
        while (n + k <= end) {
            memcpy(s + n, unit[u], k);
            n += k;
        }
    }
    s[n] = '\0';
    return s;
}

struct noisy {
    struct sw_engine *e;
    const char *detail;
    bool prepared;
    int idx;
    _Atomic int *stop;
    long edits;
};

static void *noisy_main(void *arg)
{
    struct noisy *n = arg;
    char id[16];
    snprintf(id, sizeof id, "n%d", n->idx);
    for (long i = 0; !atomic_load(n->stop); i++) {
        char title[64];
        snprintf(title, sizeof title, "noisy %d edit %ld", n->idx, i);
        json_t *p = json_pack("{s:s,s:s,s:s}", "id", id, "title", title, "detail", n->detail);
        run(n->e, "product.update", p, n->prepared);
        json_decref(p);
        n->edits++;
    }
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The victim: stock updates of m2's product for `seconds`; prints one table row. */
static void phase(struct sw_engine *e, const char *name, int noisy, const char *detail,
                  bool prepared, double seconds)
{
    static double lat[MAX_SAMPLES];
    _Atomic int stop = 0;
    struct noisy ns[16];
    pthread_t th[16];
    for (int i = 0; i < noisy; i++) {
        ns[i] = (struct noisy){e, detail, prepared, i, &stop, 0};
        pthread_create(&th[i], NULL, noisy_main, &ns[i]);
    }
    usleep(200000); /* the neighbour is up to speed before the victim starts */
    size_t n = 0;
    double t0 = now_s();
    for (long i = 0; now_s() - t0 < seconds && n < MAX_SAMPLES; i++) {
        json_t *p = json_pack("{s:s,s:I}", "id", "v1", "stock", (json_int_t)(i % 1000 + 1));
        double a = now_s();
        run(e, "product.update", p, true);
        lat[n++] = (now_s() - a) * 1e3;
        json_decref(p);
    }
    atomic_store(&stop, 1);
    long edits = 0;
    for (int i = 0; i < noisy; i++) {
        pthread_join(th[i], NULL);
        edits += ns[i].edits;
    }
    qsort(lat, n, sizeof lat[0], cmp_double);
    printf("| %s | %ld | %zu | %.2f | %.2f | %.2f |\n", name, edits, n, lat[n / 2],
           lat[(size_t)((double)n * 0.99)], lat[n - 1]);
}

static void setup(struct sw_engine *e, int noisy, const char *detail)
{
    const char *stores[] = {"m1", "m2"};
    for (int i = 0; i < 2; i++) {
        json_t *p = json_pack("{s:s,s:s,s:[s]}", "id", stores[i], "name", stores[i], "categories",
                              "fresh.fruit");
        run(e, "merchant.create", p, true);
        json_decref(p);
    }
    json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "id", "v1", "merchant", "m2", "title",
                          "赣南脐橙 5kg", "category", "fresh.fruit", "price_fen", (json_int_t)100,
                          "stock", (json_int_t)1);
    run(e, "product.create", v, true);
    json_decref(v);
    for (int i = 0; i < noisy; i++) {
        char id[16];
        snprintf(id, sizeof id, "n%d", i);
        /* complete: a three-no product would count, and a 4th would clear the store */
        json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "id", id, "merchant", "m1",
                              "title", "noisy", "category", "fresh.fruit", "detail", detail,
                              "price_fen", (json_int_t)100, "production_date", "2026-11-01",
                              "quality_cert", "SC-2026", "manufacturer", "赣州果园");
        run(e, "product.create", p, true);
        json_decref(p);
    }
}

int main(int argc, char **argv)
{
    sw_mem_tune();
    double seconds = 10;
    int noisy = 2, kib = 64;
    bool distinct = false;
    const char *dir = "./var/bench";
    static const struct option opts[] = {
        {"seconds", required_argument, 0, 's'}, {"noisy", required_argument, 0, 'n'},
        {"kib", required_argument, 0, 'k'},     {"dir", required_argument, 0, 'd'},
        {"distinct", no_argument, 0, 'x'},      {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (ch == 's')
            seconds = atof(optarg);
        else if (ch == 'n')
            noisy = atoi(optarg) < 1 ? 1 : atoi(optarg) > 16 ? 16 : atoi(optarg);
        else if (ch == 'k')
            kib = atoi(optarg);
        else if (ch == 'd')
            dir = optarg;
        else if (ch == 'x')
            distinct = true;
        else
            return 2;
    }
    mkdir(dir, 0755);
    char db[512];
    snprintf(db, sizeof db, "%s/neighbour.db", dir);
    rm_db(db);
    struct sw_policy *policy;
    struct sw_error err;
    if (sw_policy_load_default(&policy, &err))
        return 1;
    struct sw_clock clock;
    sw_clock_init_system(&clock);
    struct sw_engine_config cfg = {.db_path = db, .policy = policy, .clock = &clock};
    struct sw_engine *e;
    if (sw_engine_open(&cfg, &e, &err) || sw_domain_register_all(e) || sw_engine_start(e, &err)) {
        fprintf(stderr, "engine: %s\n", err.msg);
        return 1;
    }
    char *detail =
        distinct ? distinct_detail((size_t)kib * 1024) : adversarial_detail((size_t)kib * 1024);
    double t = now_s();
    setup(e, noisy, detail);
    printf("one %d KiB adversarial listing scanned (create, on the submitting thread): %.1f ms\n\n",
           kib, (now_s() - t) * 1e3 / (noisy + 1));
    printf("| phase (%d neighbour threads, %d KiB edits%s) | neighbour edits | victim writes | "
           "p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n",
           noisy, kib, distinct ? " of distinct accounts" : "");
    phase(e, "quiet", 0, detail, true, seconds);
    phase(e, "prepared (scan before the writer)", noisy, detail, true, seconds);
    phase(e, "on-writer (scan on the writer)", noisy, detail, false, seconds);
    sw_engine_close(e);
    free(detail);
    sw_policy_free(policy);
    rm_db(db);
    return 0;
}
