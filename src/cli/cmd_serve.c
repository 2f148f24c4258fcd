#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/log.h"
#include "base/pii.h"
#include "cli/cli.h"
#include "cluster/cluster.h"
#include "http/http.h"

static const char USAGE[] =
    "usage: shopwarden serve [--db PATH] [--policy FILE] [--listen HOST:PORT]\n"
    "                        [--clock system|manual] [--sync normal|full] [--threads N] "
    "[--demo]\n"
    "                        [--max-connections N] [--max-connections-per-ip N] "
    "[--idle-timeout S]\n"
    "                        [--log-level debug|info|warn|error]\n"
    "                        [--cluster URLS --node-id ID --data DIR [--partitions N] "
    "[--replicas N]\n"
    "                         [--snapshot-every N] [--events-keep N]]\n\n"
    "Runs the HTTP API.\n"
    "  --db PATH           SQLite database (default " SW_DEFAULT_DB ")\n"
    "  --policy FILE       policy file (default: the built-in default policy)\n"
    "  --listen HOST:PORT  address to listen on (default 127.0.0.1:8080; port 0 picks one);\n"
    "                      localhost:PORT is 127.0.0.1, :PORT every interface, [::1]:PORT\n"
    "                      an IPv6 address\n"
    "  --clock manual      time moves only by POST /v1/admin/clock (tests, replays)\n"
    "  --sync full         fsync every commit: survives power loss, slower (default normal:\n"
    "                      survives a crash of the process, fsync at checkpoints)\n"
    "  --threads N         HTTP worker threads (default 8)\n"
    "  --max-connections N open connections in all (default 1024); beyond, new connections\n"
    "                      wait in the listen backlog until one closes\n"
    "  --max-connections-per-ip N  open connections from one client address (default 128;\n"
    "                      0: no cap, e.g. behind a proxy); beyond, a connection is closed\n"
    "                      at once\n"
    "  --idle-timeout S    close a connection idle for S seconds (default 15)\n"
    "  --demo              load the demo data set (idempotent) and print its API keys\n"
    "  --buyer-key FILE    secret key that seals buyer data of the order feed (default\n"
    "                      DB.buyer-key, made on first start, mode 0600)\n"
    "  --buyer-public-key HEX  seal to this public key instead: the server never holds the\n"
    "                      secret (keep it offline for `shopwarden buyer-data open`)\n"
    "  --log-level L       least level logged on stderr (default info; warn drops the\n"
    "                      access log)\n"
    "  --cluster URLS      scale-out on NATS JetStream (docs/scale-out.md): nats://host:port,...;\n"
    "                      writes go to their partition's owner; --node-id names this node,\n"
    "                      --data holds its partitions' databases (and node.db, its keys)\n"
    "  --partitions N      partitions of the deployment (default 64, the same on every node)\n"
    "  --replicas N        JetStream replicas of the streams and buckets (default 3)\n"
    "  --snapshot-every N  snapshot a partition after N commands (default 2000; and after 30 s\n"
    "                      with any)\n"
    "  --events-keep N     events of a partition the event stream keeps for the nodes' read\n"
    "                      models (default 100000; set when the stream is first made)\n"
    "Prints one line 'listening on http://HOST:PORT' on stdout when ready; stderr carries one\n"
    "JSON object per line (the access log, start-up, shutdown, warnings).\n";

/* The public key buyer data is sealed to: given, or derived from the secret key file (made on
 * the first start next to the database). */
static int load_buyer_key(const char *db, const char *file, const char *hex,
                          unsigned char pk[SW_PII_PUBLIC_KEY_BYTES])
{
    if (hex) {
        size_t got = 0;
        if (strlen(hex) != (size_t)2 * SW_PII_PUBLIC_KEY_BYTES ||
            sodium_hex2bin(pk, SW_PII_PUBLIC_KEY_BYTES, hex, strlen(hex), NULL, &got, NULL) != 0 ||
            got != SW_PII_PUBLIC_KEY_BYTES) {
            sw_log(SW_LOG_ERROR, "server.start", "--buyer-public-key must be 64 hex characters");
            return -1;
        }
        return 0;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s.buyer-key", db);
    unsigned char sk[SW_PII_SECRET_KEY_BYTES];
    bool created = false;
    struct sw_error err;
    if (sw_pii_key_file(file ? file : path, pk, sk, &created, &err) != SW_OK) {
        sw_log(SW_LOG_ERROR, "server.start", "%s", err.msg);
        return -1;
    }
    sodium_memzero(sk, sizeof sk);
    if (created)
        sw_log(SW_LOG_WARN, "buyer_key.created",
               "made buyer-data key '%s'; in production keep it offline and start with "
               "--buyer-public-key",
               file ? file : path);
    return 0;
}

/* --listen HOST:PORT: HOST is an IPv4 address, "localhost" (the IPv4 loopback), nothing
 * (":PORT", every IPv4 interface) or an IPv6 address in brackets ("[::1]:PORT"); PORT is
 * 0-65535, 0 picking a free one. host receives the address literal. */
static int parse_listen(const char *s, char host[64], uint16_t *port)
{
    const char *colon, *h = s;
    size_t hl;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return -1;
        h = s + 1;
        hl = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strchr(s, ':');
        if (!colon || strchr(colon + 1, ':'))
            return -1; /* an IPv6 address goes in brackets */
        hl = (size_t)(colon - s);
    }
    if (hl >= 64 || colon[1] < '0' || colon[1] > '9')
        return -1;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (*end || p < 0 || p > 65535)
        return -1;
    if (hl == 0)
        snprintf(host, 64, "0.0.0.0");
    else if (hl == 9 && strncasecmp(h, "localhost", 9) == 0)
        snprintf(host, 64, "127.0.0.1");
    else
        snprintf(host, 64, "%.*s", (int)hl, h);
    unsigned char addr[16];
    if (inet_pton(s[0] == '[' ? AF_INET6 : AF_INET, host, addr) != 1)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static bool cluster_option(int ch, const char *v, struct sw_cluster_config *cc)
{
    long long n;
    switch (ch) {
    case 'C':
        cc->urls = v;
        return true;
    case 'N':
        cc->node_id = v;
        return true;
    case 'A':
        cc->data_dir = v;
        return true;
    case 'P':
        if (!sw_cli_int("--partitions", v, 1, SW_CLUSTER_MAX_PARTITIONS, &n))
            return false;
        cc->partitions = (int)n;
        return true;
    case 'S':
        if (!sw_cli_int("--snapshot-every", v, 1, 100000000, &n))
            return false;
        cc->snapshot_every = (int)n;
        return true;
    case 'E':
        if (!sw_cli_int("--events-keep", v, 1, 1000000000, &n))
            return false;
        cc->events_keep = n;
        return true;
    default:
        if (!sw_cli_int("--replicas", v, 1, 5, &n))
            return false;
        cc->replicas = (int)n;
        return true;
    }
}

/* --cluster needs a node id ([A-Za-z0-9_-], a NATS subject token) and a data folder; the
 * other cluster options need --cluster. */
static bool cluster_check(const struct sw_cluster_config *cc)
{
    if (!cc->urls) {
        if (cc->node_id || cc->data_dir || cc->partitions || cc->replicas || cc->snapshot_every ||
            cc->events_keep) {
            fprintf(stderr, "shopwarden serve: --node-id, --data, --partitions, --replicas, "
                            "--snapshot-every and --events-keep go with --cluster\n");
            return false;
        }
        return true;
    }
    size_t n = cc->node_id ? strlen(cc->node_id) : 0;
    bool ok = n >= 1 && n <= 32;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)cc->node_id[i]) || cc->node_id[i] == '-' ||
             cc->node_id[i] == '_';
    if (!ok || !cc->data_dir) {
        fprintf(stderr, "shopwarden serve: --cluster needs --node-id (1-32 of A-Z a-z 0-9 _ -) "
                        "and --data DIR\n");
        return false;
    }
    return true;
}

int cmd_serve(int argc, char **argv)
{
    if (sw_cli_want_help(argc, argv, USAGE))
        return 0;
    struct sw_app_options o = {
        .db = SW_DEFAULT_DB, .scheduler = true, .exclusive = true, .label = "shopwarden serve"};
    const char *listen = "127.0.0.1:8080";
    int threads = 8;
    bool demo = false;
    const char *buyer_key = NULL, *buyer_pub = NULL;
    enum sw_log_level log_level = SW_LOG_INFO;
    long long max_conns = SW_HTTP_DEFAULT_MAX_CONNECTIONS, per_ip = SW_HTTP_DEFAULT_MAX_PER_IP,
              idle_s = SW_HTTP_DEFAULT_IDLE_TIMEOUT_S;
    static const struct option opts[] = {{"db", required_argument, 0, 'd'},
                                         {"policy", required_argument, 0, 'p'},
                                         {"listen", required_argument, 0, 'l'},
                                         {"clock", required_argument, 0, 'c'},
                                         {"threads", required_argument, 0, 't'},
                                         {"demo", no_argument, 0, 'D'},
                                         {"sync", required_argument, 0, 's'},
                                         {"buyer-key", required_argument, 0, 'k'},
                                         {"buyer-public-key", required_argument, 0, 'K'},
                                         {"max-connections", required_argument, 0, 'M'},
                                         {"max-connections-per-ip", required_argument, 0, 'I'},
                                         {"idle-timeout", required_argument, 0, 'T'},
                                         {"log-level", required_argument, 0, 'L'},
                                         {"cluster", required_argument, 0, 'C'},
                                         {"node-id", required_argument, 0, 'N'},
                                         {"data", required_argument, 0, 'A'},
                                         {"partitions", required_argument, 0, 'P'},
                                         {"replicas", required_argument, 0, 'R'},
                                         {"snapshot-every", required_argument, 0, 'S'},
                                         {"events-keep", required_argument, 0, 'E'},
                                         {0, 0, 0, 0}};
    struct sw_cluster_config cc = {0};
    char node_db[4200];
    bool db_given = false;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o.db = optarg;
            db_given = true;
            break;
        case 'p':
            o.policy = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 't': {
            long long v;
            if (!sw_cli_int("--threads", optarg, 1, 256, &v))
                return 2;
            threads = (int)v;
            break;
        }
        case 'D':
            demo = true;
            break;
        case 'M':
            if (!sw_cli_int("--max-connections", optarg, 1, 65536, &max_conns))
                return 2;
            break;
        case 'I':
            if (!sw_cli_int("--max-connections-per-ip", optarg, 0, 65536, &per_ip))
                return 2;
            break;
        case 'T':
            if (!sw_cli_int("--idle-timeout", optarg, 1, 3600, &idle_s))
                return 2;
            break;
        case 's':
            if (strcmp(optarg, "full") == 0)
                o.sync_full = true;
            else if (strcmp(optarg, "normal") != 0) {
                fprintf(stderr, "shopwarden serve: --sync must be normal or full\n");
                return 2;
            }
            break;
        case 'L':
            if (!sw_log_parse_level(optarg, &log_level)) {
                fprintf(stderr, "shopwarden serve: --log-level must be debug, info, warn or "
                                "error\n");
                return 2;
            }
            break;
        case 'k':
            buyer_key = optarg;
            break;
        case 'K':
            buyer_pub = optarg;
            break;
        case 'c':
            if (strcmp(optarg, "manual") == 0)
                o.manual_clock = true;
            else if (strcmp(optarg, "system") != 0) {
                fprintf(stderr, "shopwarden serve: --clock must be system or manual\n");
                return 2;
            }
            break;
        case 'C':
        case 'N':
        case 'A':
        case 'P':
        case 'R':
        case 'S':
        case 'E':
            if (!cluster_option(ch, optarg, &cc))
                return 2;
            break;
        default:
            return sw_cli_bad_option(ch, argv, USAGE);
        }
    }
    if (optind < argc)
        return sw_cli_usage_error(USAGE, "unexpected argument '%s'", argv[optind]);
    if (!cluster_check(&cc))
        return 2;
    if (cc.urls && !db_given) {
        snprintf(node_db, sizeof node_db, "%s/node.db", cc.data_dir);
        o.db = node_db;
    }
    char host[64];
    uint16_t port;
    if (parse_listen(listen, host, &port) != 0) {
        fprintf(stderr,
                "shopwarden serve: bad --listen '%s': give HOST:PORT, localhost:PORT, :PORT or "
                "[IPv6]:PORT (HOST an IP address, PORT 0-65535)\n",
                listen);
        return 2;
    }
    if (threads < 1 || threads > 256) {
        fprintf(stderr, "shopwarden serve: --threads must be 1-256\n");
        return 2;
    }
    if (max_conns < threads) {
        fprintf(stderr, "shopwarden serve: --max-connections must be at least --threads (each "
                        "thread takes its share)\n");
        return 2;
    }
    /* The demo keys derive from a seed stored in the database: anyone who can read the file
     * can recompute them, so a demo server only listens where nobody else can reach it. */
    if (demo && strncmp(host, "127.", 4) != 0 && strcmp(host, "::1") != 0) {
        fprintf(stderr, "shopwarden serve: --demo only listens on a loopback address (127.x.x.x): "
                        "its keys can be recomputed from the database\n");
        return 2;
    }
    /* Options are checked: from here on, stderr is the JSON log. */
    sw_log_set_level(log_level);
    sw_log_set_json(true);
    if (sodium_init() < 0)
        return 1;
    /* Block the stop signals before any thread starts, so only sigwait below receives them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct sw_app app;
    if (sw_app_open(&app, &o) != 0)
        return 1;
    unsigned char pk[SW_PII_PUBLIC_KEY_BYTES];
    if (load_buyer_key(o.db, buyer_key, buyer_pub, pk) != 0) {
        sw_app_close(&app);
        return 1;
    }
    struct sw_cluster *cluster = NULL;
    struct sw_error err;
    cc.policy = app.policy;
    if (cc.urls && sw_cluster_start(&cc, &cluster, &err) != SW_OK) {
        sw_log(SW_LOG_ERROR, "cluster.start", "%s", err.msg);
        sw_app_close(&app);
        return 1;
    }
    struct sw_http_config hc = {.host = host,
                                .port = port,
                                .threads = threads,
                                .max_connections = (int)max_conns,
                                .max_per_ip = per_ip == 0 ? -1 : (int)per_ip,
                                .idle_timeout_s = (int)idle_s,
                                .buyer_public_key = pk,
                                .exec = cluster ? sw_cluster_execute : NULL,
                                .metrics = cluster ? sw_cluster_metrics : NULL,
                                .read = cluster ? sw_cluster_read : NULL,
                                .read_any = cluster ? sw_cluster_read_any : NULL,
                                .read_part = cluster ? sw_cluster_read_part : NULL,
                                .key_publish = cluster ? sw_cluster_key_publish : NULL,
                                .id_claim = cluster ? sw_cluster_id_claim : NULL,
                                .id_take = cluster ? sw_cluster_id_take : NULL,
                                .id_release = cluster ? sw_cluster_id_release : NULL,
                                .view_events = cluster ? sw_cluster_view_events : NULL,
                                .view_queue = cluster ? sw_cluster_view_queue : NULL,
                                .view_quality = cluster ? sw_cluster_view_quality : NULL,
                                .partitions = cluster ? sw_cluster_partitions(cluster) : 0,
                                .cluster = cluster};
    struct sw_server *srv;
    if (sw_server_start(app.engine, &hc, &srv, &err)) {
        sw_log(SW_LOG_ERROR, "server.start", "%s", err.msg);
        sw_cluster_stop(cluster);
        sw_app_close(&app);
        return 1;
    }
    if (cluster) { /* partitions' owners answer reads with this server's handlers */
        sw_cluster_set_reader(cluster, sw_http_serve_read, srv);
        sw_cluster_view_on_events(cluster, sw_http_events_came, srv);
    }
    /* every node's keys are every node's (docs/scale-out.md, "Keys") */
    if (cluster && (sw_http_keys_replicate(srv, &err) != SW_OK ||
                    sw_cluster_keys_watch(cluster, sw_http_key_sync, srv, &err) != SW_OK)) {
        sw_log(SW_LOG_ERROR, "cluster.keys", "%s", err.msg);
        sw_cluster_view_on_events(cluster, NULL, NULL);
        sw_cluster_set_reader(cluster, NULL, NULL);
        sw_server_stop(srv);
        sw_cluster_stop(cluster);
        sw_app_close(&app);
        return 1;
    }
    char url[128];
    bool v6 = strchr(host, ':') != NULL;
    snprintf(url, sizeof url, "http://%s%s%s:%u", v6 ? "[" : "", host, v6 ? "]" : "",
             sw_server_port(srv));
    if (demo && sw__cli_load_demo(&app, url, pk) != 0) {
        sw_server_stop(srv);
        sw_app_close(&app);
        return 1;
    }
    printf("shopwarden %s: policy %s, database %s, %s clock\nlistening on %s\n", SW_VERSION,
           sw_engine_policy(app.engine)->version, o.db, o.manual_clock ? "manual" : "system", url);
    fflush(stdout);
    sw_log_fields(SW_LOG_INFO, "server.started",
                  json_pack("{s:s,s:s,s:s,s:s,s:s}", "version", SW_VERSION, "policy_version",
                            sw_engine_policy(app.engine)->version, "db", o.db, "clock",
                            o.manual_clock ? "manual" : "system", "url", url));
    int sig;
    sigwait(&set, &sig);
    sw_log(SW_LOG_INFO, "server.stopping", "signal %d: finishing the requests in flight", sig);
    if (cluster) {
        sw_cluster_keys_unwatch(cluster);
        sw_cluster_view_on_events(cluster, NULL, NULL);
        sw_cluster_set_reader(cluster, NULL, NULL);
    }
    sw_server_stop(srv);
    sw_cluster_stop(cluster);
    sw_app_close(&app);
    sw_log(SW_LOG_INFO, "server.stopped", "stopped");
    return 0;
}
