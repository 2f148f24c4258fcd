#include "store/store.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embedded.h"

#define MIGRATION_DIR "src/store/schema/"

void sw_sql_bind_text_or_null(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

int sw_conn_fail(struct sw_conn *c, struct sw_error *err, const char *what)
{
    return sw_fail(err, SW_E_STORAGE_FAILED, NULL, "%s: %s", what,
                   c->db ? sqlite3_errmsg(c->db) : "no connection");
}

/* SQLite's memory statistics take a global mutex on every allocation (a few percent of the
 * writer's time on hot paths); nothing here reads them. Set once, before SQLite initialises. */
static void configure_sqlite(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int sw_conn_open(struct sw_conn *c, const char *path, bool readonly, enum sw_sync sync,
                 struct sw_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);
    memset(c, 0, sizeof *c);
    sw_map_init(&c->stmts);
    c->readonly = readonly;
    int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK) {
        int rc = sw_conn_fail(c, err, "open database");
        sw_conn_close(c);
        return rc;
    }
    sqlite3_busy_timeout(c->db, 10000);
    sqlite3_extended_result_codes(c->db, 1);
    int rc;
    if (!readonly) {
        if ((rc = sw_conn_exec(c, "PRAGMA journal_mode=WAL", err)) ||
            (rc = sw_conn_exec(c, "PRAGMA foreign_keys=ON", err)) ||
            (rc = sw_conn_exec(c, "PRAGMA wal_autocheckpoint=4000", err)) ||
            (rc = sw_conn_exec(c,
                               sync == SW_SYNC_FULL  ? "PRAGMA synchronous=FULL"
                               : sync == SW_SYNC_OFF ? "PRAGMA synchronous=OFF"
                                                     : "PRAGMA synchronous=NORMAL",
                               err))) {
            sw_conn_close(c);
            return rc;
        }
    }
    /* Savepoints keep the original of every page they touch in a sub-journal; in memory it
     * costs a memcpy instead of a write to a temporary file. */
    /* Readers map the file (mmap_size): every reader shares the OS page cache without a
     * system call per page, instead of warming a private cache each. */
    if ((rc = sw_conn_exec(c, readonly ? "PRAGMA cache_size=-16384" : "PRAGMA cache_size=-262144",
                           err)) ||
        (rc = sw_conn_exec(c, "PRAGMA temp_store=MEMORY", err)) ||
        (readonly && (rc = sw_conn_exec(c, "PRAGMA mmap_size=17179869184", err)))) {
        sw_conn_close(c);
        return rc;
    }
    return SW_OK;
}

void sw_conn_close(struct sw_conn *c)
{
    if (c->db) {
        sqlite3_stmt *s;
        while ((s = sqlite3_next_stmt(c->db, NULL)))
            sqlite3_finalize(s);
        sqlite3_close(c->db);
    }
    sw_map_release(&c->stmts);
    c->db = NULL;
}

sqlite3_stmt *sw_conn_stmt(struct sw_conn *c, const char *sql, struct sw_error *err)
{
    uint64_t v;
    if (sw_map_get(&c->stmts, &sql, sizeof sql, &v)) {
        sqlite3_stmt *s = (sqlite3_stmt *)(uintptr_t)v;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return s;
    }
    sqlite3_stmt *s;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        sw_conn_fail(c, err, "prepare");
        return NULL;
    }
    if (!sw_map_put(&c->stmts, &sql, sizeof sql, (uint64_t)(uintptr_t)s)) {
        sqlite3_finalize(s);
        sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
        return NULL;
    }
    return s;
}

int sw_conn_exec(struct sw_conn *c, const char *sql, struct sw_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = sw_fail(err, SW_E_STORAGE_FAILED, NULL, "%s", msg ? msg : "exec failed");
        sqlite3_free(msg);
        return rc;
    }
    return SW_OK;
}

int sw_store_schema_version(struct sw_conn *c)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    return v;
}

int sw_store_migrate(struct sw_conn *c, struct sw_error *err)
{
    int rc;
    if ((rc = sw_conn_exec(c, "BEGIN IMMEDIATE", err)))
        return rc;
    int have = sw_store_schema_version(c);
    /* Embedded files are sorted by path, so migrations come in number order. */
    for (int i = 0; i < sw__embedded_count; i++) {
        const struct sw_embedded_file *m = &sw__embedded[i];
        if (strncmp(m->path, MIGRATION_DIR, strlen(MIGRATION_DIR)) != 0)
            continue;
        char *end;
        long version = strtol(m->path + strlen(MIGRATION_DIR), &end, 10);
        if (*end != '_' || version <= 0) {
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "migration '%s' is not named NNNN_name.sql",
                         m->path);
            goto fail;
        }
        if (version <= have)
            continue;
        if ((rc = sw_conn_exec(c, m->data, err))) {
            snprintf(err->field, sizeof err->field, "%s", m->path + strlen(MIGRATION_DIR));
            goto fail;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%ld", version);
        if ((rc = sw_conn_exec(c, pragma, err)))
            goto fail;
    }
    return sw_conn_exec(c, "COMMIT", err);
fail:
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int sw_pool_open(struct sw_pool *p, const char *path, int n, struct sw_error *err)
{
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->conns = calloc((size_t)n, sizeof *p->conns);
    p->free = calloc((size_t)n, sizeof *p->free);
    if (!p->conns || !p->free)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        int rc = sw_conn_open(&p->conns[i], path, true, SW_SYNC_NORMAL, err);
        if (rc) {
            p->n = i;
            sw_pool_close(p);
            return rc;
        }
        p->free[i] = &p->conns[i];
    }
    p->n = p->nfree = n;
    p->head = 0;
    return SW_OK;
}

void sw_pool_close(struct sw_pool *p)
{
    for (int i = 0; i < p->n; i++)
        sw_conn_close(&p->conns[i]);
    free(p->conns);
    free(p->free);
    p->conns = NULL;
    p->free = NULL;
    p->n = p->nfree = 0;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

static void refresh_snapshot(struct sw_pool *p, struct sw_conn *c)
{
    uint64_t now = atomic_load(p->commits);
    if (c->in_read && c->snapshot == now)
        return;
    if (c->in_read)
        sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    /* The counter is read before BEGIN, so the snapshot the first SELECT takes is at least
     * as new as `now`. */
    c->in_read = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    c->snapshot = now;
}

struct sw_conn *sw_pool_acquire(struct sw_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    struct sw_conn *c = p->free[p->head];
    p->head = (p->head + 1) % p->n;
    p->nfree--;
    pthread_mutex_unlock(&p->mu);
    if (p->commits)
        refresh_snapshot(p, c);
    return c;
}

void sw_pool_drop_stale(struct sw_pool *p)
{
    if (!p->commits)
        return;
    uint64_t now = atomic_load(p->commits);
    pthread_mutex_lock(&p->mu);
    for (int i = 0; i < p->nfree; i++) {
        struct sw_conn *c = p->free[(p->head + i) % p->n];
        if (c->in_read && c->snapshot != now) {
            sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
            c->in_read = false;
        }
    }
    pthread_mutex_unlock(&p->mu);
}

void sw_pool_release(struct sw_pool *p, struct sw_conn *c)
{
    pthread_mutex_lock(&p->mu);
    p->free[(p->head + p->nfree) % p->n] = c;
    p->nfree++;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

int sw_meta_get(struct sw_conn *c, const char *key, char *out, size_t outsz, bool *found,
                struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT value FROM meta WHERE key = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *found = false;
    if (r == SQLITE_ROW) {
        snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(s, 0));
        *found = true;
    } else if (r != SQLITE_DONE) {
        return sw_conn_fail(c, err, "meta get");
    }
    sqlite3_reset(s);
    return SW_OK;
}

int sw_meta_put(struct sw_conn *c, const char *key, const char *value, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c, "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return sw_conn_fail(c, err, "meta put");
    sqlite3_reset(s);
    return SW_OK;
}

int sw_store_id_base(struct sw_conn *c, int64_t *base, struct sw_error *err)
{
    char v[32];
    bool found = false;
    int rc = sw_meta_get(c, "id_base", v, sizeof v, &found, err);
    *base = rc == SW_OK && found ? strtoll(v, NULL, 10) : 0;
    return rc;
}

int sw_store_set_id_base(struct sw_conn *c, int64_t base, struct sw_error *err)
{
    int64_t cur = 0;
    int rc = sw_store_id_base(c, &cur, err);
    if (rc != SW_OK || cur == base)
        return rc;
    char v[32];
    snprintf(v, sizeof v, "%" PRId64, base);
    return sw_meta_put(c, "id_base", v, err);
}

void sw_sql_text(sqlite3_stmt *s, int col, char *dst, size_t n)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    snprintf(dst, n, "%s", t ? t : "");
}

int sw_sql_done(struct sw_conn *c, sqlite3_stmt *s, struct sw_error *err, const char *what)
{
    int r = sqlite3_step(s);
    sqlite3_reset(s);
    if (r == SQLITE_CONSTRAINT_PRIMARYKEY || r == SQLITE_CONSTRAINT_UNIQUE)
        return sw_fail(err, SW_E_ALREADY_EXISTS, "id", "%s: already exists", what);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}

int sw_sql_ints(struct sw_conn *c, sqlite3_stmt *s, int64_t *out, int max, int *n,
                struct sw_error *err, const char *what)
{
    int r = SQLITE_DONE;
    *n = 0;
    while (*n < max && (r = sqlite3_step(s)) == SQLITE_ROW)
        out[(*n)++] = sqlite3_column_int64(s, 0);
    if (*n == max)
        r = SQLITE_DONE;
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}

int sw_sql_load_idmap(struct sw_conn *c, const char *sql, struct sw_map *m, struct sw_error *err,
                      const char *what)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return err->code;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(s, 1);
        if (!sw_map_put(m, id, strlen(id), (uint64_t)sqlite3_column_int64(s, 0))) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory: %s", what);
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}
