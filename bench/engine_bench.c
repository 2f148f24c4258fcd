/* Durable commands per second through the whole engine (queue, group commit, idempotency,
 * state, events), each workload next to a raw SQLite loop doing the same row writes in the
 * same run, on the same schema, with the same synchronous=NORMAL WAL settings.
 *
 *   engine_bench [--products N] [--merchants M] [--updates U] [--dir DIR]
 *
 * creates: N product.create commands from M merchants, random 16-character ids, each with an
 *          idempotency key; raw: per command one row into commands, products and events.
 * updates: U product.update {price_fen, stock} on random products among the N;
 *          raw: exactly these UPDATEs plus one event row each (and, in a second column, the
 *          command row the engine also writes).
 * ceiling: the engine's own create rows read back from its database and inserted again by a
 *          bare loop into a fresh one: what SQLite and the disk allow for exactly those bytes. */
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/mem.h"
#include "domain/domain.h"
#include "engine/engine.h"
#include "store/store.h"

#define RING 32768

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread (user + system). */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void random_id(char out[17])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 16; i++)
        out[i] = alphabet[next_rand() % 36];
    out[16] = '\0';
}

static void rm_db(const char *path)
{
    char p[600];
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

struct slot {
    struct sw_cmd cmd;
    json_t *payload;
    char idem[48];
    bool used;
};

/* Results are dropped on the writer thread that made them: freeing them on the submitting
 * thread makes both threads contend for the writer's malloc arena. */
static void drop_result(struct sw_cmd *cmd, void *arg)
{
    sw_cmd_release(cmd);
}

static void finish(struct sw_engine *e, struct slot *s, long *failed)
{
    if (!s->used)
        return;
    sw_engine_wait(e, &s->cmd);
    if (s->cmd.code != SW_OK && (*failed)++ < 5)
        fprintf(stderr, "refused: %s: %s\n", sw_err_name(s->cmd.code), s->cmd.err.msg);
    json_decref(s->payload);
    s->used = false;
}

static json_t *create_payload(long i, const char *id, int merchants)
{
    char merchant[16], title[64];
    snprintf(merchant, sizeof merchant, "m%04ld", i % merchants);
    snprintf(title, sizeof title, "赣南脐橙 %ld 号 5kg 礼盒装", i);
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:s,s:s,s:s}", "id", id, "merchant", merchant,
                     "title", title, "category", "fresh.fruit", "price_fen",
                     (json_int_t)(100 + i % 10000), "stock", 100, "production_date", "2026-11-01",
                     "quality_cert", "SC-2026", "manufacturer", "赣州果园");
}

static double run_engine(struct sw_engine *e, long n, json_t *(*make)(long i, void *arg), void *arg,
                         const char *idem_prefix)
{
    static struct slot ring[RING];
    long failed = 0;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        struct slot *s = &ring[i % RING];
        finish(e, s, &failed);
        s->payload = make(i, arg);
        snprintf(s->idem, sizeof s->idem, "bench|%s-%ld", idem_prefix, i);
        s->cmd =
            (struct sw_cmd){.type = idem_prefix[0] == 'c' ? "product.create" : "product.update",
                            .actor = "operator",
                            .idem_key = s->idem,
                            .payload = s->payload,
                            .on_done = drop_result};
        s->used = true;
        sw_engine_submit(e, &s->cmd);
    }
    for (long i = 0; i < RING; i++)
        finish(e, &ring[i], &failed);
    double dt = now_s() - t0;
    if (failed)
        fprintf(stderr, "%ld commands refused\n", failed);
    return dt;
}

struct create_arg {
    char (*ids)[17];
    int merchants;
};

static json_t *make_create(long i, void *arg)
{
    struct create_arg *a = arg;
    return create_payload(i, a->ids[i], a->merchants);
}

struct update_arg {
    char (*ids)[17];
    long n;
    long *targets;
};

static json_t *make_update(long i, void *arg)
{
    struct update_arg *a = arg;
    return json_pack("{s:s,s:I,s:I}", "id", a->ids[a->targets[i]], "price_fen",
                     (json_int_t)(200 + i % 5000), "stock", (json_int_t)(i % 1000));
}

/* A connection with the engine's settings (WAL, synchronous=NORMAL), for the bare loops. */
static void open_bare(struct sw_conn *c, const char *db, bool migrate)
{
    struct sw_error err;
    if (sw_conn_open(c, db, false, SW_SYNC_NORMAL, &err) ||
        (migrate && sw_store_migrate(c, &err))) {
        fprintf(stderr, "%s: %s\n", db, err.msg);
        exit(1);
    }
}

/* The raw loop: the same rows the engine writes, as plain prepared statements. */
static double raw_creates(const char *db, long n, char (*ids)[17], int merchants, int txn)
{
    struct sw_conn c;
    open_bare(&c, db, true);
    sqlite3_stmt *cmd, *prod, *ev;
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO commands(seq, at, type, actor, merchant, idem_key, payload,"
                       " result, policy_version, first_event, nevents)"
                       " VALUES (?1,?2,'product.create','operator',?3,?4,?5,?6,'bench',?1,1)",
                       -1, &cmd, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO products(id, merchant, status, price_fen, stock, version,"
                       " created_at, updated_at, doc) VALUES (?1,?2,'delisted',?3,100,1,?4,?4,?5)",
                       -1, &prod, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO events(seq, at, type, merchant, subject, payload,"
                       " policy_version, command_seq) VALUES (?1,?2,'product.created',?3,?4,?5,"
                       "'bench',?1)",
                       -1, &ev, NULL);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        if (i % txn == 0)
            sqlite3_exec(c.db, "BEGIN", NULL, NULL, NULL);
        json_t *p = create_payload(i, ids[i], merchants);
        char *payload = sw_json_dump(p);
        json_object_set_new(p, "status", json_string("delisted"));
        json_object_set_new(p, "version", json_integer(1));
        json_object_set_new(p, "created_at", json_string("2026-01-05T01:00:00Z"));
        char *view = sw_json_dump(p);
        json_t *d = json_pack("{s:s,s:s}", "title", json_string_value(json_object_get(p, "title")),
                              "category", "fresh.fruit");
        char *doc = sw_json_dump(d);
        char idem[48];
        snprintf(idem, sizeof idem, "operator|bench|c-%ld", i);
        const char *merchant = json_string_value(json_object_get(p, "merchant"));
        sqlite3_bind_int64(cmd, 1, i + 1);
        sqlite3_bind_int64(cmd, 2, 1767574800000000 + i);
        sqlite3_bind_text(cmd, 3, merchant, -1, SQLITE_STATIC);
        sqlite3_bind_text(cmd, 4, idem, -1, SQLITE_STATIC);
        sqlite3_bind_text(cmd, 5, payload, -1, SQLITE_STATIC);
        sqlite3_bind_text(cmd, 6, view, -1, SQLITE_STATIC);
        sqlite3_step(cmd);
        sqlite3_reset(cmd);
        sqlite3_bind_text(prod, 1, ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(prod, 2, merchant, -1, SQLITE_STATIC);
        sqlite3_bind_int64(prod, 3, 100 + i % 10000);
        sqlite3_bind_int64(prod, 4, 1767574800000000 + i);
        sqlite3_bind_text(prod, 5, doc, -1, SQLITE_STATIC);
        sqlite3_step(prod);
        sqlite3_reset(prod);
        sqlite3_bind_int64(ev, 1, i + 1);
        sqlite3_bind_int64(ev, 2, 1767574800000000 + i);
        sqlite3_bind_text(ev, 3, merchant, -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 4, ids[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 5, view, -1, SQLITE_STATIC);
        sqlite3_step(ev);
        sqlite3_reset(ev);
        free(payload);
        free(view);
        free(doc);
        json_decref(p);
        json_decref(d);
        if (i % txn == txn - 1 || i == n - 1)
            sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);
    }
    double dt = now_s() - t0;
    sqlite3_finalize(cmd);
    sqlite3_finalize(prod);
    sqlite3_finalize(ev);
    sw_conn_close(&c);
    return dt;
}

/* The engine's own create rows (command, product, event), read back from its database and
 * written again by a bare loop into a fresh one: what SQLite and this disk give for exactly
 * these bytes when building them costs nothing. The ceiling for the engine's creates. */
struct rowset {
    int ncol;
    long nrows;
    sqlite3_value **v; /* nrows * ncol */
};

static void load_rows(sqlite3 *db, const char *sql, struct rowset *rs)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "ceiling: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    rs->ncol = sqlite3_column_count(s);
    rs->nrows = 0;
    long cap = 1024;
    rs->v = malloc((size_t)cap * (size_t)rs->ncol * sizeof *rs->v);
    while (sqlite3_step(s) == SQLITE_ROW) {
        if (rs->nrows == cap) {
            cap *= 2;
            rs->v = realloc(rs->v, (size_t)cap * (size_t)rs->ncol * sizeof *rs->v);
        }
        for (int c = 0; c < rs->ncol; c++)
            rs->v[rs->nrows * rs->ncol + c] = sqlite3_value_dup(sqlite3_column_value(s, c));
        rs->nrows++;
    }
    sqlite3_finalize(s);
}

static void free_rows(struct rowset *rs)
{
    for (long i = 0; i < rs->nrows * rs->ncol; i++)
        sqlite3_value_free(rs->v[i]);
    free(rs->v);
}

static void insert_row(sqlite3_stmt *s, const struct rowset *rs, long i)
{
    for (int c = 0; c < rs->ncol; c++) {
        sqlite3_value *v = rs->v[i * rs->ncol + c];
        if (sqlite3_value_type(v) == SQLITE_TEXT) /* no copy, as the raw loop binds */
            sqlite3_bind_text(s, c + 1, (const char *)sqlite3_value_text(v), sqlite3_value_bytes(v),
                              SQLITE_STATIC);
        else
            sqlite3_bind_value(s, c + 1, v);
    }
    sqlite3_step(s);
    sqlite3_reset(s);
}

static sqlite3_stmt *insert_all(sqlite3 *db, const char *table, int ncol)
{
    char sql[256];
    int k = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", table);
    for (int c = 0; c < ncol; c++)
        k += snprintf(sql + k, sizeof sql - (size_t)k, c ? ",?" : "?");
    snprintf(sql + k, sizeof sql - (size_t)k, ")");
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    return s;
}

static double ceiling_creates(const char *engine_db, const char *db, int txn, double *bytes,
                              double *cpu_share)
{
    sqlite3 *src;
    sqlite3_open_v2(engine_db, &src, SQLITE_OPEN_READONLY, NULL);
    struct rowset cmds, prods, evs;
    load_rows(src, "SELECT * FROM commands WHERE type = 'product.create' ORDER BY seq", &cmds);
    load_rows(src, "SELECT * FROM products ORDER BY rid", &prods);
    load_rows(src, "SELECT * FROM events WHERE type = 'product.created' ORDER BY seq", &evs);
    sqlite3_close(src);
    long n = cmds.nrows < prods.nrows ? cmds.nrows : prods.nrows;
    n = n < evs.nrows ? n : evs.nrows;
    *bytes = 0;
    const struct rowset *all[] = {&cmds, &prods, &evs};
    for (int t = 0; t < 3; t++)
        for (long i = 0; i < n * all[t]->ncol; i++)
            *bytes += sqlite3_value_bytes(all[t]->v[i]);
    *bytes /= (double)n;

    struct sw_conn c;
    open_bare(&c, db, true);
    sqlite3_stmt *ic = insert_all(c.db, "commands", cmds.ncol);
    sqlite3_stmt *ip = insert_all(c.db, "products", prods.ncol);
    sqlite3_stmt *ie = insert_all(c.db, "events", evs.ncol);
    double t0 = now_s();
    double cpu0 = cpu_s();
    for (long i = 0; i < n; i++) {
        if (i % txn == 0)
            sqlite3_exec(c.db, "BEGIN", NULL, NULL, NULL);
        insert_row(ic, &cmds, i);
        insert_row(ip, &prods, i);
        insert_row(ie, &evs, i);
        if (i % txn == txn - 1 || i == n - 1)
            sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);
    }
    double dt = now_s() - t0;
    *cpu_share = (cpu_s() - cpu0) / dt;
    sqlite3_finalize(ic);
    sqlite3_finalize(ip);
    sqlite3_finalize(ie);
    sw_conn_close(&c);
    free_rows(&cmds);
    free_rows(&prods);
    free_rows(&evs);
    return (double)n / dt;
}

static double raw_updates(const char *db, long u, long *targets, int txn, bool with_command)
{
    struct sw_conn c;
    open_bare(&c, db, false);
    sqlite3_stmt *up, *ev, *cmd;
    sqlite3_prepare_v2(c.db,
                       "UPDATE products SET price_fen=?2, stock=?3, version=version+1,"
                       " updated_at=?4 WHERE rid=?1",
                       -1, &up, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO events(at, type, merchant, subject, payload, policy_version,"
                       " command_seq) VALUES (?1,'product.updated','m0001',?2,?3,'bench',0)",
                       -1, &ev, NULL);
    sqlite3_prepare_v2(c.db,
                       "INSERT INTO commands(at, type, actor, merchant, idem_key, payload, result,"
                       " policy_version, nevents) VALUES (?1,'product.update','operator','m0001',"
                       "?2,?3,?3,'bench',1)",
                       -1, &cmd, NULL);
    double t0 = now_s();
    for (long i = 0; i < u; i++) {
        if (i % txn == 0)
            sqlite3_exec(c.db, "BEGIN", NULL, NULL, NULL);
        char payload[200], idem[48];
        snprintf(payload, sizeof payload,
                 "{\"id\":\"%ld\",\"version\":2,\"changed\":[\"price_fen\",\"stock\"],"
                 "\"after\":{\"price_fen\":%ld,\"stock\":%ld}}",
                 targets[i], 200 + i % 5000, i % 1000);
        sqlite3_bind_int64(up, 1, targets[i] + 1);
        sqlite3_bind_int64(up, 2, 200 + i % 5000);
        sqlite3_bind_int64(up, 3, i % 1000);
        sqlite3_bind_int64(up, 4, 1767574800000000 + i);
        sqlite3_step(up);
        sqlite3_reset(up);
        sqlite3_bind_int64(ev, 1, 1767574800000000 + i);
        sqlite3_bind_text(ev, 2, "p", -1, SQLITE_STATIC);
        sqlite3_bind_text(ev, 3, payload, -1, SQLITE_STATIC);
        sqlite3_step(ev);
        sqlite3_reset(ev);
        if (with_command) {
            snprintf(idem, sizeof idem, "operator|bench|u-%ld", i);
            sqlite3_bind_int64(cmd, 1, 1767574800000000 + i);
            sqlite3_bind_text(cmd, 2, idem, -1, SQLITE_STATIC);
            sqlite3_bind_text(cmd, 3, payload, -1, SQLITE_STATIC);
            sqlite3_step(cmd);
            sqlite3_reset(cmd);
        }
        if (i % txn == txn - 1 || i == u - 1)
            sqlite3_exec(c.db, "COMMIT", NULL, NULL, NULL);
    }
    double dt = now_s() - t0;
    sqlite3_finalize(up);
    sqlite3_finalize(ev);
    sqlite3_finalize(cmd);
    sw_conn_close(&c);
    return dt;
}

static void setup_merchants(struct sw_engine *e, int merchants)
{
    for (int m = 0; m < merchants; m++) {
        char id[16];
        snprintf(id, sizeof id, "m%04d", m);
        json_t *p = json_pack("{s:s,s:s,s:[s]}", "id", id, "name", id, "categories", "fresh.fruit");
        struct sw_cmd cmd = {.type = "merchant.create", .actor = "operator", .payload = p};
        if (sw_engine_execute(e, &cmd)) {
            fprintf(stderr, "merchant: %s\n", cmd.err.msg);
            exit(1);
        }
        sw_cmd_release(&cmd);
        json_decref(p);
    }
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : 0;
}

/* Samples the WAL's size while the engine runs: it must stay bounded under a steady stream
 * of commits (checkpoints run beside the writer). */
struct wal_watch {
    char path[600];
    _Atomic int stop;
    off_t max;
};

static void *watch_wal(void *arg)
{
    struct wal_watch *w = arg;
    while (!atomic_load(&w->stop)) {
        off_t n = file_size(w->path);
        if (n > w->max)
            w->max = n;
        usleep(50000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    sw_mem_tune(); /* as the shopwarden binary does */
    long n = 1000000, updates = 200000;
    int merchants = 1000;
    const char *dir = "./var/bench";
    static const struct option opts[] = {{"products", required_argument, 0, 'n'},
                                         {"merchants", required_argument, 0, 'm'},
                                         {"updates", required_argument, 0, 'u'},
                                         {"dir", required_argument, 0, 'd'},
                                         {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'n':
            n = atol(optarg);
            break;
        case 'm':
            merchants = atoi(optarg);
            break;
        case 'u':
            updates = atol(optarg);
            break;
        case 'd':
            dir = optarg;
            break;
        default:
            return 2;
        }
    }
    mkdir(dir, 0755);
    char engine_db[512], raw_db[512], ceiling_db[512];
    snprintf(engine_db, sizeof engine_db, "%s/engine.db", dir);
    snprintf(raw_db, sizeof raw_db, "%s/raw.db", dir);
    snprintf(ceiling_db, sizeof ceiling_db, "%s/ceiling.db", dir);
    rm_db(ceiling_db);
    rm_db(engine_db);
    rm_db(raw_db);

    char(*ids)[17] = malloc((size_t)n * sizeof *ids);
    for (long i = 0; i < n; i++)
        random_id(ids[i]);
    long *targets = malloc((size_t)updates * sizeof *targets);
    for (long i = 0; i < updates; i++)
        targets[i] = (long)(next_rand() % (uint64_t)n);

    struct sw_policy *policy;
    struct sw_error err;
    if (sw_policy_load_default(&policy, &err))
        return 1;
    struct sw_clock clock;
    sw_clock_init_system(&clock);
    struct sw_engine_config cfg = {
        .db_path = engine_db, .policy = policy, .clock = &clock, .queue_max = RING};
    struct sw_engine *e;
    if (sw_engine_open(&cfg, &e, &err) || sw_domain_register_all(e) || sw_engine_start(e, &err)) {
        fprintf(stderr, "engine: %s\n", err.msg);
        return 1;
    }
    setup_merchants(e, merchants);

    struct wal_watch ww = {.max = 0};
    snprintf(ww.path, sizeof ww.path, "%s-wal", engine_db);
    pthread_t watcher;
    pthread_create(&watcher, NULL, watch_wal, &ww);
    struct create_arg ca = {ids, merchants};
    double t_engine_c = run_engine(e, n, make_create, &ca, "c");
    struct sw_engine_stats st;
    sw_engine_stats(e, &st);
    double avg_batch = st.batches ? (double)st.commands_in_batches / (double)st.batches : 0;
    double busy_c = (double)st.writer_busy_ns / 1e9 / t_engine_c;
    uint64_t busy_before = st.writer_busy_ns;
    off_t engine_bytes = file_size(engine_db);
    struct update_arg ua = {ids, n, targets};
    double t_engine_u = run_engine(e, updates, make_update, &ua, "u");
    sw_engine_stats(e, &st);
    double busy_u = (double)(st.writer_busy_ns - busy_before) / 1e9 / t_engine_u;
    atomic_store(&ww.stop, 1);
    pthread_join(watcher, NULL);
    sw_engine_close(e);

    double row_bytes, ceiling_cpu;
    double ceiling = ceiling_creates(engine_db, ceiling_db, 1000, &row_bytes, &ceiling_cpu);
    rm_db(ceiling_db);
    double t_raw_c = raw_creates(raw_db, n, ids, merchants, 1000);
    off_t raw_bytes = file_size(raw_db);
    double t_raw_u = raw_updates(raw_db, updates, targets, 1000, false);
    double t_raw_uc = raw_updates(raw_db, updates, targets, 1000, true);

    printf("| workload | engine cmds/s | raw SQLite rows/s (same writes) | engine / raw |\n");
    printf("|---|---|---|---|\n");
    printf("| creates: %ld products, %d merchants, random ids | %.0f | %.0f | %.0f%% |\n", n,
           merchants, n / t_engine_c, n / t_raw_c, 100.0 * t_raw_c / t_engine_c);
    printf("| updates: %ld random price/stock updates | %.0f | %.0f (update + event) / %.0f "
           "(+ command row) | %.0f%% / %.0f%% |\n",
           updates, updates / t_engine_u, updates / t_raw_u, updates / t_raw_uc,
           100.0 * t_raw_u / t_engine_u, 100.0 * t_raw_uc / t_engine_u);
    printf("\nengine: average batch %.0f commands; writer busy %.0f%% (creates), %.0f%% (updates); "
           "database after creates %.0f MB (raw %.0f MB); largest WAL %.0f MB\n",
           avg_batch, 100 * busy_c, 100 * busy_u, (double)engine_bytes / 1e6,
           (double)raw_bytes / 1e6, (double)ww.max / 1e6);
    printf("\nceiling: the engine's own create rows (%.0f bytes of values per command in commands, "
           "products and events), read back and inserted again by a bare loop: %.0f commands/s, "
           "the loop's thread on CPU %.0f%% of the time; the engine's creates are %.0f%% of it\n",
           row_bytes, ceiling, 100 * ceiling_cpu, 100 * (n / t_engine_c) / ceiling);
    free(ids);
    free(targets);
    sw_policy_free(policy);
    return 0;
}
