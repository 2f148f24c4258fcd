/* Set-up and process plumbing of the bench programs that run the real server (server.h). */
#include "support/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/client.h"

const char *bench_name = "bench";

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_die(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", bench_name);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    exit(1);
}

void bench_copy_db(const char *from, const char *to)
{
    sqlite3 *src, *dst;
    sqlite3_open_v2(from, &src, SQLITE_OPEN_READONLY, NULL);
    sqlite3_open(to, &dst);
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE)
        bench_die("copy: %s", sqlite3_errmsg(dst));
    sqlite3_backup_finish(b);
    sqlite3_close(dst);
    sqlite3_close(src);
}

void bench_create_key(const char *bin, const char *dir, const char *tag, const char *db,
                      const char *role, char key[256])
{
    char out[600], line[512];
    snprintf(out, sizeof out, "%s/%s-key.out", dir, tag);
    char *argv[] = {(char *)bin,  "keys", "create",   "--role",
                    (char *)role, "--db", (char *)db, NULL};
    if (bench_run(argv, out) != 0)
        bench_die("keys create failed (see %s)", out);
    FILE *f = fopen(out, "r");
    key[0] = '\0';
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "key: %255s", key) == 1)
            break;
    if (f)
        fclose(f);
    if (!key[0])
        bench_die("no key in %s", out);
}

pid_t bench_start_server(char *const argv[], int port, const char *log)
{
    pid_t pid = bench_spawn(argv, log);
    struct bench_http h = {.fd = -1, .port = port};
    for (int i = 0; i < 1200; i++) {
        int status = 0;
        const char *body;
        size_t n;
        if (bench_http_do(&h, "GET", "/healthz", NULL, NULL, 0, &status, &body, &n) == 0 &&
            status == 200)
            break;
        if (waitpid(pid, &status, WNOHANG) == pid)
            bench_die("the server exited (see %s)", log);
        usleep(100000);
    }
    bench_http_close(&h);
    free(h.buf);
    return pid;
}

int64_t bench_scalar(sqlite3 *c, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(c, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}
