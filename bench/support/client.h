/* Helpers of the bench programs that talk to the real server (bench/support/client.c). */
#ifndef BENCH_CLIENT_H
#define BENCH_CLIENT_H

#include <pthread.h>
#include <stdatomic.h>
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
/* The sample lines of GET /metrics on 127.0.0.1:port that contain one of words (a NULL-ended
 * list), as markdown code spans joined by ", " into out; empty if none or no answer. */
void bench_metrics_grep(int port, const char *const words[], char *out, size_t cap);

/* Starts argv[0] with stdout and stderr into out_path; returns its pid. */
pid_t bench_spawn(char *const argv[], const char *out_path);
/* Runs argv to completion: its exit status, -1 if it could not run or was killed. */
int bench_run(char *const argv[], const char *out_path);
/* perf record with DWARF stacks of pid into out (its messages into log): the recorder's pid,
 * to stop with bench_stop(pid, SIGINT). */
pid_t bench_perf_start(pid_t pid, const char *out, const char *log);
/* Sends sig to pid (if > 0) and waits for it. */
void bench_stop(pid_t pid, int sig);
/* CPU seconds (user + system) a process has used so far, all its threads. */
double bench_proc_cpu(pid_t pid);
/* A field of /proc/PID/status in kB (VmRSS, VmHWM), -1 if there is none. */
long bench_proc_kb(pid_t pid, const char *field);
/* Bytes a process has passed to write calls so far (/proc/PID/io wchar: files, not sockets). */
long bench_proc_wchar(pid_t pid);
/* Scheduler figures of a process's threads (/proc/PID/task/TID/schedstat): nanoseconds on a
 * CPU and runnable but waiting for one. bench_threads_read fills up to max, returns how many. */
struct bench_thread {
    int tid;
    char comm[32];
    double run_ns, wait_ns;
};
int bench_threads_read(pid_t pid, struct bench_thread *t, int max);
/* Prints, for the threads busiest between the two snapshots (at most 6), their share of the
 * seconds on a CPU and waiting for one, as one markdown paragraph. */
void bench_threads_report(const struct bench_thread *before, int nb,
                          const struct bench_thread *after, int na, double seconds);
/* Removes a database with its -wal, -shm and .lock files. */
void bench_rm_db(const char *path);
off_t bench_file_size(const char *path);
/* Sorts v and reads its median, 99th percentile and maximum. */
void bench_percentiles(double *v, long n, double *p50, double *p99, double *max);

/* Samples a process's memory as a run progresses: VmRSS and RssAnon (the heap; the rest is
 * mapped files) when *progress first reaches each tenth of total. */
struct bench_mem_watch {
    pid_t pid;
    const _Atomic long *progress;
    long total;
    long rss_kb[11], anon_kb[11]; /* [i]: at i tenths done; -1 not reached */
    _Atomic int stop;
    pthread_t thread;
};
void bench_mem_watch_start(struct bench_mem_watch *w);
/* Stops sampling and records the last tenth now. */
void bench_mem_watch_stop(struct bench_mem_watch *w);

#endif
