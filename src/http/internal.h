/* Shared between the HTTP adapter's files. */
#ifndef SW_HTTP_INTERNAL_H
#define SW_HTTP_INTERNAL_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "base/buf.h"
#include "domain/admin/admin.h"
#include "http/http.h"

#define ROLE_ADMIN 1u
#define ROLE_OPERATOR 2u
#define ROLE_MERCHANT 4u
#define ROLE_PROMOTER 8u
#define ROLE_APP 16u
#define ROLE_INGEST 32u
#define ROLE_PUBLIC 64u /* no key needed */
#define ROLE_STAFF (ROLE_ADMIN | ROLE_OPERATOR)
#define ROLE_ANY                                                                                   \
    (ROLE_ADMIN | ROLE_OPERATOR | ROLE_MERCHANT | ROLE_PROMOTER | ROLE_APP | ROLE_INGEST)

#define AUTH_CACHE_SLOTS 4096
#define AUTH_CACHE_TTL_NS (5LL * 1000000000LL)
#define MAX_PARAMS 4

struct auth_slot {
    unsigned char hash[32];
    char role[SW_ROLE_MAX];
    int64_t expires_ns;
    bool used;
};

struct sw_server {
    struct MHD_Daemon *daemon;
    struct sw_engine *engine;
    uint16_t port;
    atomic_bool maintenance;
    atomic_int retry_after_s;
    pthread_rwlock_t auth_lock;
    struct auth_slot *auth;
    _Atomic uint64_t responses[6]; /* by status class 1xx..5xx, index = status / 100 */
    bool has_buyer_key;
    unsigned char buyer_pk[32];
};

struct sw_req {
    struct sw_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    struct sw_buf body;
    bool too_large;
    size_t received;
    /* auth */
    char role[SW_ROLE_MAX];
    unsigned role_bit;
    const char *scope; /* the id in merchant:<id> etc., points into role */
    /* route */
    const struct route *route;
    char path[1024];
    const char *params[MAX_PARAMS];
    int nparams;
    /* response */
    int status;
    json_t *resp;
    char *text_resp;   /* a body already rendered (metrics, hot reads) */
    bool text_is_json; /* text_resp is JSON, not Prometheus text */
    bool replayed;
};

typedef int (*route_fn)(struct sw_req *r, struct sw_error *err);

struct route {
    const char *method;
    const char *pattern; /* "/v1/products/{id}/list" */
    route_fn fn;
    unsigned roles;
    bool write;
    /* For h_command: the command, the payload field that takes the path id (NULL: "id") and
     * the success status (0: 200). */
    const char *command;
    const char *id_field;
    int status;
};

extern const struct route sw__routes[];
extern const int sw__routes_count;

/* auth.c */
int sw__auth(struct sw_server *s, struct sw_req *r, struct sw_error *err);
void sw__auth_forget_all(struct sw_server *s);

#endif
