/* Connection caps that answer (docs/operator-guide.md, "Connection limits"). libmicrohttpd
 * refuses a connection past its own limits without a word (per address: accepted and closed;
 * overall: not accepted, left waiting in the listen backlog). So the server counts connections
 * itself, overall and per client address, and lets libmicrohttpd accept a reserve beyond the
 * caps: a connection past a cap is accepted, given a short idle timeout (OVER_TIMEOUT_S), and
 * its first request is answered `503 busy` with Retry-After and the connection closed. A new
 * client thus learns at once why it is refused, and an idle flood cannot hold the reserve for
 * long. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

#define OVER_TIMEOUT_S 2u
#define PROBES 64

static uint64_t address_tag(const struct sockaddr *sa)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    if (sa && sa->sa_family == AF_INET) {
        p = (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr;
        n = 4;
    } else if (sa && sa->sa_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
        n = 16;
    }
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h | 1u;
}

/* The slot of tag (n may be 0: a slot kept for reuse), or the first free one on its probe path;
 * NULL when the path is full. Under c->lock. */
static struct sw_conn_slot *slot_of(struct sw_conns *c, uint64_t tag)
{
    struct sw_conn_slot *spare = NULL;
    for (size_t k = 0; k < PROBES; k++) {
        struct sw_conn_slot *s = &c->slots[(tag + k) % SW_CONN_SLOTS];
        if (s->tag == tag)
            return s;
        if (!spare && s->n == 0)
            spare = s;
        if (s->tag == 0)
            break;
    }
    if (spare)
        spare->tag = tag;
    return spare;
}

void sw__conns_init(struct sw_conns *c, unsigned cap_total, unsigned cap_per_ip)
{
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->cap_total = cap_total;
    c->cap_per_ip = cap_per_ip;
}

void sw__conns_destroy(struct sw_conns *c)
{
    pthread_mutex_destroy(&c->lock);
}

void sw__conns_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                      enum MHD_ConnectionNotificationCode toe)
{
    struct sw_server *srv = cls;
    struct sw_conns *c = &srv->conns;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        struct sw_conn_ctx *x = calloc(1, sizeof *x);
        if (!x)
            return; /* uncounted: let it be served */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        x->tag = address_tag(ci ? ci->client_addr : NULL);
        pthread_mutex_lock(&c->lock);
        struct sw_conn_slot *s = slot_of(c, x->tag);
        unsigned mine = s ? ++s->n : 0;
        unsigned total = ++c->total;
        pthread_mutex_unlock(&c->lock);
        x->counted = s != NULL;
        x->over = total > c->cap_total || (c->cap_per_ip && mine > c->cap_per_ip);
        if (x->over) {
            MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, OVER_TIMEOUT_S);
            atomic_fetch_add(&srv->conns_refused, 1);
        }
        *socket_context = x;
        return;
    }
    struct sw_conn_ctx *x = *socket_context;
    if (!x)
        return;
    pthread_mutex_lock(&c->lock);
    c->total--;
    struct sw_conn_slot *s = x->counted ? slot_of(c, x->tag) : NULL;
    if (s && s->n > 0)
        s->n--;
    pthread_mutex_unlock(&c->lock);
    free(x);
    *socket_context = NULL;
}

bool sw__conn_over(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const struct sw_conn_ctx *x = ci ? ci->socket_context : NULL;
    return x && x->over;
}
