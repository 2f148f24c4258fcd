/* Helpers of the bench programs that talk to the real server (bench/support/client.c). */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One keep-alive connection to 127.0.0.1:port; fd -1 until the first request. */
struct bench_http {
    int fd, port;
    char *buf; /* the last response, head and body; owned, free() it when done */
    size_t cap, len;
    long connects; /* connections opened (the server may close one after an answer) */
};

/* Sends one request (a bearer key if key is not NULL, a JSON body of n bytes) and reads its
 * answer, which must carry a Content-Length. *resp points into h->buf until the next call.
 * Opens the connection first if it is closed; never sends a request twice (a POST that failed
 * half-way may have been applied). Returns 0, or -1 on a connection or protocol failure. */
int bench_http_do(struct bench_http *h, const char *method, const char *path, const char *key,
                  const char *body, size_t n, int *status, const char **resp, size_t *rlen);
void bench_http_close(struct bench_http *h);

/* Starts argv[0] with stdout and stderr into out_path; returns its pid. */
pid_t bench_spawn(char *const argv[], const char *out_path);
/* Runs argv to completion: its exit status, -1 if it could not run or was killed. */
int bench_run(char *const argv[], const char *out_path);
/* A field of /proc/PID/status in kB (VmRSS, VmHWM), -1 if there is none. */
long bench_proc_kb(pid_t pid, const char *field);
/* Removes a database with its -wal, -shm and .lock files. */
void bench_rm_db(const char *path);
off_t bench_file_size(const char *path);

#endif
