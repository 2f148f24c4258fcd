/* Set-up and process plumbing of the bench programs that run the real server
 * (bench/support/server.c): timing, fatal errors, keys, a copy of a database, the server's
 * start. */
#ifndef BENCH_SERVER_H
#define BENCH_SERVER_H

#include <sqlite3.h>
#include <stdint.h>
#include <sys/types.h>

/* The program's name in bench_die's messages ("affiliate_bench"). */
extern const char *bench_name;

/* Seconds on the monotonic clock. */
double bench_now(void);
/* Prints "<bench_name>: " and fmt with its one string argument, then exits 1. */
_Noreturn void bench_die(const char *fmt, const char *arg);
/* Copies a SQLite database with the backup API (both closed afterwards). */
void bench_copy_db(const char *from, const char *to);
/* `shopwarden keys create --role ROLE --db DB` through bin; its output into DIR/<tag>-key.out;
 * the key into key. Dies when there is none. */
void bench_create_key(const char *bin, const char *dir, const char *tag, const char *db,
                      const char *role, char key[256]);
/* Starts the server (argv, output into log) and waits up to 2 minutes until GET /healthz on
 * 127.0.0.1:port answers 200. Dies when the server exits first. */
pid_t bench_start_server(char *const argv[], int port, const char *log);
/* The first column of the first row of sql, or -1. */
int64_t bench_scalar(sqlite3 *c, const char *sql);

#endif
