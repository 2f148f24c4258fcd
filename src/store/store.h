/* SQLite storage: connections, migrations, a prepared-statement cache, a read-only pool.
 * This is the only module that holds SQL. */
#ifndef SW_STORE_STORE_H
#define SW_STORE_STORE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "base/err.h"
#include "base/map.h"

enum sw_sync { SW_SYNC_NORMAL, SW_SYNC_FULL };

/* One SQLite connection with its statement cache. Used by one thread at a time. */
struct sw_conn {
    sqlite3 *db;
    struct sw_map stmts; /* sql text pointer -> sqlite3_stmt* */
    bool readonly;
};

int sw_conn_open(struct sw_conn *c, const char *path, bool readonly, enum sw_sync sync,
                 struct sw_error *err) SW_MUSTCHECK;
void sw_conn_close(struct sw_conn *c);
/* Returns a cached, reset statement for sql (which must be a string literal or otherwise
 * live as long as the connection: it is cached by address). NULL on error (err filled). */
sqlite3_stmt *sw_conn_stmt(struct sw_conn *c, const char *sql, struct sw_error *err);
int sw_conn_exec(struct sw_conn *c, const char *sql, struct sw_error *err) SW_MUSTCHECK;
/* Maps the connection's last error into err as storage_failed. */
int sw_conn_fail(struct sw_conn *c, struct sw_error *err, const char *what);

/* Applies every embedded migration newer than the database's user_version. */
int sw_store_migrate(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_store_schema_version(struct sw_conn *c);

/* Fixed-size pool of read-only connections. */
struct sw_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n, nfree;
    struct sw_conn *conns;
    struct sw_conn **free;
};
int sw_pool_open(struct sw_pool *p, const char *path, int n, struct sw_error *err) SW_MUSTCHECK;
void sw_pool_close(struct sw_pool *p);
struct sw_conn *sw_pool_acquire(struct sw_pool *p);
void sw_pool_release(struct sw_pool *p, struct sw_conn *c);

/* meta table */
int sw_meta_get(struct sw_conn *c, const char *key, char *out, size_t outsz, bool *found,
                struct sw_error *err) SW_MUSTCHECK;
int sw_meta_put(struct sw_conn *c, const char *key, const char *value,
                struct sw_error *err) SW_MUSTCHECK;

#endif
