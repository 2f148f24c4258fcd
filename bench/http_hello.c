/* The peer for the HTTP benchmark: a bare libmicrohttpd hello-world with the same daemon
 * flags as shopwarden (epoll, internal thread pool) and the same keep-alive fix (answer on
 * the second call, FACTS.md).   http_hello PORT THREADS */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **con_cls)
{
    static int marker;
    if (*con_cls == NULL) {
        *con_cls = &marker;
        return MHD_YES;
    }
    static const char body[] = "{\"hello\":\"world\"}";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 18081;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 8;
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)port, NULL, NULL, on_request,
                         NULL, MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)4096, MHD_OPTION_END);
    if (!d)
        return 1;
    printf("listening on http://127.0.0.1:%u\n", port);
    fflush(stdout);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
