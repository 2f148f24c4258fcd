/* Helpers of the bench programs that talk to the real server: a tiny HTTP/1.1 keep-alive
 * client (Content-Length bodies both ways, no libcurl: the client should cost little next to
 * the server it measures) and child processes. */
#include "client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

static int http_connect(struct bench_http *h)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)h->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    h->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(h->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(h->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(h->fd);
        h->fd = -1;
        return -1;
    }
    h->connects++;
    return 0;
}

void bench_http_close(struct bench_http *h)
{
    if (h->fd >= 0)
        close(h->fd);
    h->fd = -1;
}

static int send_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return 0;
}

static int recv_more(struct bench_http *h)
{
    if (h->cap - h->len < 65536) {
        h->cap = h->cap * 2 + 65536;
        h->buf = realloc(h->buf, h->cap + 1);
    }
    ssize_t r;
    do
        r = recv(h->fd, h->buf + h->len, h->cap - h->len, 0);
    while (r < 0 && errno == EINTR);
    if (r <= 0)
        return -1;
    h->len += (size_t)r;
    return 0;
}

/* A header's value (case-insensitive name) within the head, or NULL. */
static const char *header(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *l = strstr(head, "\r\n"); l && l[2] != '\r'; l = strstr(l + 2, "\r\n"))
        if (strncasecmp(l + 2, name, n) == 0 && l[2 + n] == ':')
            return l + 3 + n + strspn(l + 3 + n, " ");
    return NULL;
}

/* Reads one response with a Content-Length body; *body points into h->buf. */
static int read_response(struct bench_http *h, int *status, const char **body, size_t *blen)
{
    h->len = 0;
    char *end;
    for (;;) {
        if (h->buf) {
            h->buf[h->len] = '\0';
            if ((end = strstr(h->buf, "\r\n\r\n")))
                break;
        }
        if (recv_more(h))
            return -1;
    }
    end[2] = '\0'; /* the head ends with its last header's CRLF */
    const char *cl = header(h->buf, "Content-Length"), *conn = header(h->buf, "Connection");
    const char *sp = strchr(h->buf, ' ');
    if (strncmp(h->buf, "HTTP/1.", 7) != 0 || !sp || !cl)
        return -1;
    *status = (int)strtol(sp + 1, NULL, 10);
    size_t head = (size_t)(end + 4 - h->buf), total = head + strtoul(cl, NULL, 10);
    bool close_after = conn && strncasecmp(conn, "close", 5) == 0;
    while (h->len < total)
        if (recv_more(h))
            return -1;
    h->buf[total] = '\0';
    *body = h->buf + head;
    *blen = total - head;
    if (close_after)
        bench_http_close(h);
    return 0;
}

/* One request on the connection (opened again if the server closed it after the last
 * answer). No retry: a POST that may have been applied is never sent twice. */
int bench_http_do(struct bench_http *h, const char *method, const char *path, const char *key,
                  const char *body, size_t n, int *status, const char **resp, size_t *rlen)
{
    char head[512];
    int hn = snprintf(head, sizeof head,
                      "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                      method, path, key ? key : "-", n);
    if (h->fd < 0 && http_connect(h))
        return -1;
    struct iovec iov[2] = {{head, (size_t)hn}, {(void *)body, n}};
    if (send_all(h->fd, iov, n ? 2 : 1) == 0 && read_response(h, status, resp, rlen) == 0)
        return 0;
    bench_http_close(h);
    return -1;
}

/* ---------- processes ---------- */

pid_t bench_spawn(char *const argv[], const char *out_path)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

int bench_run(char *const argv[], const char *out_path)
{
    int st;
    pid_t pid = bench_spawn(argv, out_path);
    if (pid < 0 || waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A field of /proc/PID/status in kB (VmRSS, VmHWM). */
static long proc_field(pid_t pid, const char *file, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    FILE *f = fopen(path, "r");
    long v = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            v = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

long bench_proc_kb(pid_t pid, const char *field)
{
    return proc_field(pid, "status", field);
}

long bench_proc_wchar(pid_t pid)
{
    return proc_field(pid, "io", "wchar");
}

void bench_rm_db(const char *path)
{
    char p[600];
    const char *suffix[] = {"", "-wal", "-shm", ".lock"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

off_t bench_file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : 0;
}

static void mem_sample(struct bench_mem_watch *w, int tenth)
{
    w->rss_kb[tenth] = bench_proc_kb(w->pid, "VmRSS");
    w->anon_kb[tenth] = bench_proc_kb(w->pid, "RssAnon");
}

static void *mem_watch(void *arg)
{
    struct bench_mem_watch *w = arg;
    while (!atomic_load(&w->stop)) {
        long done = atomic_load(w->progress);
        int tenth = (int)(done * 10 / (w->total > 0 ? w->total : 1));
        for (int i = 0; i <= tenth && i < 10; i++)
            if (w->rss_kb[i] < 0)
                mem_sample(w, i);
        usleep(20000);
    }
    return NULL;
}

void bench_mem_watch_start(struct bench_mem_watch *w)
{
    for (int i = 0; i <= 10; i++)
        w->rss_kb[i] = w->anon_kb[i] = -1;
    atomic_store(&w->stop, 0);
    pthread_create(&w->thread, NULL, mem_watch, w);
}

void bench_mem_watch_stop(struct bench_mem_watch *w)
{
    atomic_store(&w->stop, 1);
    pthread_join(w->thread, NULL);
    mem_sample(w, 10);
}

void bench_metrics_grep(int port, const char *const words[], char *out, size_t cap)
{
    struct bench_http h = {.fd = -1, .port = port};
    int status = 0;
    const char *body;
    size_t n, w = 0;
    out[0] = '\0';
    if (bench_http_do(&h, "GET", "/metrics", NULL, NULL, 0, &status, &body, &n) == 0 &&
        status == 200)
        for (char *l = strtok((char *)body, "\n"); l && w < cap; l = strtok(NULL, "\n"))
            for (int i = 0; l[0] != '#' && words[i]; i++)
                if (strstr(l, words[i])) {
                    w += (size_t)snprintf(out + w, cap - w, "%s`%s`", w ? ", " : "", l);
                    break;
                }
    bench_http_close(&h);
    free(h.buf);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bench_percentiles(double *v, long n, double *p50, double *p99, double *max)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    *p50 = n ? v[n / 2] : 0;
    *p99 = n ? v[n * 99 / 100] : 0;
    *max = n ? v[n - 1] : 0;
}

pid_t bench_perf_start(pid_t pid, const char *out, const char *log)
{
    char p[16];
    snprintf(p, sizeof p, "%d", (int)pid);
    /* DWARF stacks: libsqlite3, libjansson and libc have no frame pointers here */
    char *argv[] = {
        "/usr/bin/perf", "record", "-F", "499", "--call-graph", "dwarf,16384", "-p", p, "-o",
        (char *)out,     NULL};
    pid_t perf = bench_spawn(argv, log);
    usleep(500000); /* perf attaches */
    return perf;
}

void bench_stop(pid_t pid, int sig)
{
    int st;
    if (pid > 0 && kill(pid, sig) == 0)
        waitpid(pid, &st, 0);
}

double bench_proc_cpu(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the name may hold spaces */
    if (!p)
        return 0;
    /* after the name: state, then 10 numbers, then utime and stime (proc(5) fields 14, 15) */
    char *q = strchr(p + 2, ' ');
    for (int i = 0; q && i < 10; i++)
        q = strchr(q + 1, ' ');
    if (!q)
        return 0;
    unsigned long ut = strtoul(q + 1, &q, 10), st = strtoul(q, NULL, 10);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int bench_threads_read(pid_t pid, struct bench_thread *t, int max)
{
    char path[300];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && n < max && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        t[n] = (struct bench_thread){.tid = (int)strtol(e->d_name, NULL, 10)};
        snprintf(path, sizeof path, "/proc/%d/task/%s/comm", (int)pid, e->d_name);
        FILE *f = fopen(path, "r");
        if (f && fgets(t[n].comm, sizeof t[n].comm, f))
            t[n].comm[strcspn(t[n].comm, "\n")] = '\0';
        if (f)
            fclose(f);
        snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", (int)pid, e->d_name);
        f = fopen(path, "r");
        char line[128] = "";
        if (f && fgets(line, sizeof line, f)) {
            char *q;
            t[n].run_ns = strtod(line, &q);
            t[n].wait_ns = strtod(q, NULL);
        }
        if (f)
            fclose(f);
        n++;
    }
    if (d)
        closedir(d);
    return n;
}

void bench_threads_report(const struct bench_thread *before, int nb,
                          const struct bench_thread *after, int na, double seconds)
{
    struct bench_thread d[256];
    int n = 0;
    for (int i = 0; i < na && n < 256; i++) {
        d[n] = after[i];
        for (int j = 0; j < nb; j++)
            if (before[j].tid == after[i].tid) {
                d[n].run_ns -= before[j].run_ns;
                d[n].wait_ns -= before[j].wait_ns;
            }
        n++;
    }
    printf("\nserver threads during the sends (on a CPU / runnable, waiting for one):");
    for (int k = 0; k < 6 && k < n; k++) {
        int best = k;
        for (int i = k + 1; i < n; i++)
            if (d[i].run_ns > d[best].run_ns)
                best = i;
        struct bench_thread tmp = d[k];
        d[k] = d[best];
        d[best] = tmp;
        printf("%s %s %d %.0f%% / %.0f%%", k ? "," : "", d[k].comm, d[k].tid,
               100 * d[k].run_ns / 1e9 / seconds, 100 * d[k].wait_ns / 1e9 / seconds);
    }
    printf("\n");
}
