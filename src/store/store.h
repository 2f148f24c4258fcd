/* SQLite storage: connections, migrations, a prepared-statement cache, a read-only pool.
 * This is the only module that holds SQL. */
#ifndef SW_STORE_STORE_H
#define SW_STORE_STORE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "base/err.h"
#include "base/map.h"

/* SW_SYNC_OFF: no fsync at all, for scratch databases that a crash may lose (replays). */
enum sw_sync { SW_SYNC_NORMAL, SW_SYNC_FULL, SW_SYNC_OFF };

/* One SQLite connection with its statement cache. Used by one thread at a time. */
struct sw_conn {
    sqlite3 *db;
    struct sw_map stmts; /* sql text pointer -> sqlite3_stmt* */
    bool readonly;
    bool in_read;      /* a read transaction is open (read pool only) */
    uint64_t snapshot; /* the commit counter it was opened at */
};

int sw_conn_open(struct sw_conn *c, const char *path, bool readonly, enum sw_sync sync,
                 struct sw_error *err) SW_MUSTCHECK;
void sw_conn_close(struct sw_conn *c);
/* Returns a cached, reset statement for sql (which must be a string literal or otherwise
 * live as long as the connection: it is cached by address). NULL on error (err filled). */
sqlite3_stmt *sw_conn_stmt(struct sw_conn *c, const char *sql, struct sw_error *err);
int sw_conn_exec(struct sw_conn *c, const char *sql, struct sw_error *err) SW_MUSTCHECK;
/* Binds v to parameter i, or NULL when v is NULL (borrowed until the statement is reset). */
void sw_sql_bind_text_or_null(sqlite3_stmt *s, int i, const char *v);
/* Maps the connection's last error into err as storage_failed. */
int sw_conn_fail(struct sw_conn *c, struct sw_error *err, const char *what);

/* Applies every embedded migration newer than the database's user_version. */
int sw_store_migrate(struct sw_conn *c, struct sw_error *err) SW_MUSTCHECK;
int sw_store_schema_version(struct sw_conn *c);

/* Fixed-size pool of read-only connections. A connection keeps its read transaction (its
 * snapshot) between uses and starts a new one only when the writer has committed since:
 * beginning a read transaction costs SQLite a lock and a hot-journal check in system calls,
 * which dominated a point read. Connections are handed out in rotation (FIFO), so none keeps
 * an old snapshot, which would hold back checkpoints, while the others serve. */
struct sw_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n, nfree, head;
    struct sw_conn *conns;
    struct sw_conn **free;           /* ring of free connections */
    const _Atomic uint64_t *commits; /* the writer's commit counter; NULL = no snapshot reuse */
};
int sw_pool_open(struct sw_pool *p, const char *path, int n, struct sw_error *err) SW_MUSTCHECK;
void sw_pool_close(struct sw_pool *p);
/* The returned connection's reads see every transaction committed before the call. */
struct sw_conn *sw_pool_acquire(struct sw_pool *p);
/* Ends the read transaction of every idle connection whose snapshot is older than the last
 * commit, so that none pins the WAL and keeps checkpoints from completing. */
void sw_pool_drop_stale(struct sw_pool *p);
void sw_pool_release(struct sw_pool *p, struct sw_conn *c);

/* --- helpers for the modules' SQL files --- */

/* Copies text column col into dst (n bytes; "" for NULL). */
void sw_sql_text(sqlite3_stmt *s, int col, char *dst, size_t n);
/* Steps a statement that returns no row and resets it. SW_OK; already_exists when a primary
 * key or unique constraint refused the row; otherwise storage_failed naming `what`. */
int sw_sql_done(struct sw_conn *c, sqlite3_stmt *s, struct sw_error *err,
                const char *what) SW_MUSTCHECK;
/* Reads column 0 (an integer) of up to max rows into out and resets s. */
int sw_sql_ints(struct sw_conn *c, sqlite3_stmt *s, int64_t *out, int max, int *n,
                struct sw_error *err, const char *what) SW_MUSTCHECK;
/* Fills an id map from `sql`, which returns (rowid, id) rows. */
int sw_sql_load_idmap(struct sw_conn *c, const char *sql, struct sw_map *m, struct sw_error *err,
                      const char *what) SW_MUSTCHECK;

/* meta table */
/* The rid of a new row of `table` whose id the API shows ('v' || rid...): one past the table's
 * largest, and past the database's id space base (meta `id_base`: 0 in single-node mode, where
 * this is what SQLite picks for a NULL rid; a cluster partition's own range, so that ids stay
 * unique across the partitions' databases: docs/scale-out.md, "Ids"). */
#define SW_NEXT_RID(table)                                                                         \
    "(SELECT max(coalesce(max(rid), 0), coalesce((SELECT CAST(value AS INTEGER) FROM meta"         \
    " WHERE key = 'id_base'), 0)) + 1 FROM " table ")"
/* Sets the id space base (above) when it differs; a no-op for 0 on a database that has none. */
int sw_store_set_id_base(struct sw_conn *c, int64_t base, struct sw_error *err) SW_MUSTCHECK;
int sw_store_id_base(struct sw_conn *c, int64_t *base, struct sw_error *err) SW_MUSTCHECK;
int sw_meta_get(struct sw_conn *c, const char *key, char *out, size_t outsz, bool *found,
                struct sw_error *err) SW_MUSTCHECK;
int sw_meta_put(struct sw_conn *c, const char *key, const char *value,
                struct sw_error *err) SW_MUSTCHECK;

#endif
