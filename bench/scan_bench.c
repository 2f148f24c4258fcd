/* The content scanner's throughput, single core, next to raw Hyperscan on the same patterns.
 *
 *   scan_bench CORPUS.jsonl TERMS.txt NTERMS [SECONDS]
 *
 * shopwarden: the built-in default policy plus a list of the first NTERMS terms, compiled once;
 *   every listing through sw_scan (UTF-8 check, normalisation with offsets, matching, every
 *   detector, findings as JSON).
 * hyperscan-raw: one database of the same NTERMS terms plus six contact regexes, matched on the
 *   raw texts listing by listing, counting matches: no normalisation, no detectors.
 * Throughput counts the original bytes of title, short_title and detail. One JSON line each. */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/embedded.h"
#include "base/json.h"
#include "base/mem.h"
#include "policy/policy.h"
#include "scan/scan.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct corpus {
    json_t **docs;
    struct sw_listing *l;
    size_t n;
    size_t bytes;
};

static void load_corpus(const char *path, struct corpus *c)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t cap = 1024;
    c->docs = malloc(cap * sizeof *c->docs);
    c->l = malloc(cap * sizeof *c->l);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        json_error_t je;
        json_t *d = json_loadb(line, (size_t)len, 0, &je);
        struct sw_error err;
        if (!d)
            continue;
        if (c->n == cap) {
            cap *= 2;
            c->docs = realloc(c->docs, cap * sizeof *c->docs);
            c->l = realloc(c->l, cap * sizeof *c->l);
        }
        if (sw_listing_from_json(d, &c->l[c->n], &err)) {
            json_decref(d);
            continue;
        }
        c->docs[c->n] = d;
        for (int k = 0; k < SW_SF__COUNT; k++)
            c->bytes += c->l[c->n].len[k];
        c->n++;
    }
    free(line);
    fclose(f);
}

static json_t *load_terms(const char *path, long n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    json_t *a = json_array();
    char buf[256];
    while ((long)json_array_size(a) < n && fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0])
            json_array_append_new(a, json_string(buf));
    }
    fclose(f);
    return a;
}

static void report(const char *engine, long terms, double secs, double bytes, double listings,
                   double build_ms, long long matches)
{
    printf("{\"engine\":\"%s\",\"terms\":%ld,\"mb_s\":%.1f,\"listings_s\":%.0f,"
           "\"build_ms\":%.0f,\"matches\":%lld}\n",
           engine, terms, bytes / secs / 1e6, listings / secs, build_ms, matches);
    fflush(stdout);
}

static void bench_ours(const struct corpus *c, json_t *terms, long nterms, double seconds)
{
    const struct sw_embedded_file *f = sw_embedded_find(SW_POLICY_DEFAULT_PATH);
    json_error_t je;
    json_t *doc = json_loadb(f->data, f->len, 0, &je);
    char version[64];
    snprintf(version, sizeof version, "bench-%ld", nterms);
    json_object_set_new(doc, "version", json_string(version));
    json_array_append_new(json_object_get(json_object_get(doc, "scan"), "lists"),
                          json_pack("{s:s,s:s,s:s,s:[s],s:O}", "rule", "bench.terms", "type",
                                    "false_advertising", "severity", "minor", "categories", "*",
                                    "terms", terms));
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    struct sw_policy *pol = NULL;
    struct sw_error err;
    double t0 = now_s();
    if (sw_policy_load(text, strlen(text), &pol, NULL, &err)) {
        fprintf(stderr, "policy: %s\n", err.msg);
        exit(1);
    }
    double build_ms = (now_s() - t0) * 1e3;
    free(text);
    long long findings = 0;
    double bytes = 0, listings = 0;
    /* one warm pass, then whole passes until the time is up */
    for (size_t i = 0; i < c->n && i < 2000; i++) {
        json_t *out = NULL;
        if (sw_scan(pol->scanner, &c->l[i], &out, &err) == SW_OK)
            json_decref(out);
    }
    t0 = now_s();
    double el = 0;
    do {
        for (size_t i = 0; i < c->n; i++) {
            json_t *out = NULL;
            if (sw_scan(pol->scanner, &c->l[i], &out, &err) != SW_OK) {
                fprintf(stderr, "scan: %s\n", err.msg);
                exit(1);
            }
            findings += (long long)json_array_size(out);
            json_decref(out);
        }
        bytes += (double)c->bytes;
        listings += (double)c->n;
        el = now_s() - t0;
    } while (el < seconds);
    report("shopwarden (normalise + match + detectors)", nterms, el, bytes, listings, build_ms,
           findings);
    sw_policy_free(pol);
}

static int on_hit(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                  void *ctx)
{
    (void)id;
    (void)from;
    (void)to;
    (void)flags;
    (*(long long *)ctx)++;
    return 0;
}

static void bench_raw(const struct corpus *c, json_t *terms, long nterms, double seconds)
{
    static const char *const contacts[] = {
        "1[3-9][0-9]{9}",
        "0[1-9][0-9]{1,2}-?[0-9]{7,8}",
        "(微信|薇信|vx|VX|wx|V信|v信)[:：]?[ ]?[a-zA-Z][-_a-zA-Z0-9]{5,19}",
        "(qq|QQ|扣扣)[:：]?[ ]?[0-9]{5,11}",
        "(https?://|www\\.)[a-zA-Z0-9./?=&_-]+",
        "[a-zA-Z0-9._-]+@[a-zA-Z0-9-]+\\.[a-zA-Z]{2,}",
    };
    size_t nt = json_array_size(terms), n = nt + 6;
    const char **expr = calloc(n, sizeof *expr);
    unsigned *ids = calloc(n, sizeof *ids), *flags = calloc(n, sizeof *flags);
    char **own = calloc(nt, sizeof *own);
    for (size_t i = 0; i < nt; i++) {
        const char *t = json_string_value(json_array_get(terms, i));
        size_t l = strlen(t);
        own[i] = malloc(l * 4 + 1);
        for (size_t k = 0; k < l; k++)
            snprintf(own[i] + k * 4, 5, "\\x%02x", (unsigned char)t[k]);
        expr[i] = own[i];
        ids[i] = (unsigned)i;
    }
    for (size_t i = 0; i < 6; i++) {
        expr[nt + i] = contacts[i];
        ids[nt + i] = (unsigned)(nt + i);
        flags[nt + i] = HS_FLAG_UTF8;
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *ce = NULL;
    double t0 = now_s();
    if (hs_compile_multi(expr, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &ce) !=
        HS_SUCCESS) {
        fprintf(stderr, "hs_compile_multi: %s\n", ce->message);
        exit(1);
    }
    double build_ms = (now_s() - t0) * 1e3;
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(db, &scratch);
    long long matches = 0;
    double bytes = 0, listings = 0, el = 0;
    t0 = now_s();
    do {
        for (size_t i = 0; i < c->n; i++)
            for (int k = 0; k < SW_SF__COUNT; k++)
                if (c->l[i].len[k])
                    hs_scan(db, c->l[i].text[k], (unsigned)c->l[i].len[k], 0, scratch, on_hit,
                            &matches);
        bytes += (double)c->bytes;
        listings += (double)c->n;
        el = now_s() - t0;
    } while (el < seconds);
    report("hyperscan-raw (match only, no normalisation)", nterms, el, bytes, listings, build_ms,
           matches);
    hs_free_scratch(scratch);
    hs_free_database(db);
    for (size_t i = 0; i < nt; i++)
        free(own[i]);
    free(own);
    free(expr);
    free(ids);
    free(flags);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: scan_bench CORPUS.jsonl TERMS.txt NTERMS [SECONDS] [ours|raw]\n");
        return 2;
    }
    sw_mem_tune(); /* as the server does */
    long nterms = strtol(argv[3], NULL, 10);
    double seconds = argc > 4 ? strtod(argv[4], NULL) : 5.0;
    const char *which = argc > 5 ? argv[5] : "both";
    struct corpus c = {0};
    load_corpus(argv[1], &c);
    json_t *terms = load_terms(argv[2], nterms);
    fprintf(stderr, "scan_bench: %zu listings, %.1f MB, %zu terms\n", c.n, (double)c.bytes / 1e6,
            json_array_size(terms));
    if (strcmp(which, "raw") != 0)
        bench_ours(&c, terms, nterms, seconds);
    if (strcmp(which, "ours") != 0)
        bench_raw(&c, terms, nterms, seconds);
    json_decref(terms);
    for (size_t i = 0; i < c.n; i++)
        json_decref(c.docs[i]);
    free(c.docs);
    free(c.l);
    return 0;
}
