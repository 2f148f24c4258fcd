/* A partition changes owners safely even while its old owner still runs (docs/scale-out.md,
 * "Takeover"): after a broker was killed, an owner whose lease reads failed went on applying
 * and snapshotting after another node had taken its partition, and purged the stream below
 * its snapshot while the new owner, restored from an older snapshot, had not applied those
 * commands yet: an acknowledged store creation was gone, and the store's next top-up was
 * answered "unknown merchant". The new owner now fences the partition (its token in the
 * manifest, compare-and-set) before it restores; a fenced owner writes no snapshot and purges
 * nothing, and its consumer is deleted. Against a real nats-server (JetStream, one broker). */
#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/err.h"
#include "cluster/cluster_int.h"

struct broker {
    pid_t pid;
    char dir[64];
    char url[64];
    struct sw_cluster c;
};

static const char *server_path(void)
{
    static const char *paths[] = {"/usr/sbin/nats-server", "/usr/bin/nats-server",
                                  "/usr/local/bin/nats-server", "/usr/local/sbin/nats-server"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        if (access(paths[i], X_OK) == 0)
            return paths[i];
    return NULL;
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &n);
    close(fd);
    return ntohs(a.sin_port);
}

static int setup(void **state)
{
    const char *bin = server_path();
    if (!bin) {
        fprintf(stderr, "nats-server not found (scripts/bootstrap installs it)\n");
        return -1;
    }
    struct broker *b = calloc(1, sizeof *b);
    snprintf(b->dir, sizeof b->dir, "/tmp/sw-fence-XXXXXX");
    assert_non_null(mkdtemp(b->dir));
    int port = free_port();
    char ports[16];
    snprintf(ports, sizeof ports, "%d", port);
    snprintf(b->url, sizeof b->url, "nats://127.0.0.1:%d", port);
    b->pid = fork();
    if (b->pid == 0) {
        freopen("/dev/null", "w", stderr);
        execl(bin, bin, "-js", "-a", "127.0.0.1", "-p", ports, "-sd", b->dir, (char *)NULL);
        _exit(127);
    }
    struct sw_cluster *c = &b->c;
    c->cfg.replicas = 1;
    c->cfg.lease_ms = 6000;
    c->cfg.events_keep = 1000;
    snprintf(c->node_id, sizeof c->node_id, "test");
    struct sw_error err;
    int rc = SW_E_BUSY;
    for (int i = 0; i < 100 && rc != SW_OK; i++) {
        usleep(100000);
        rc = sw__cl_connect(b->url, "test", &c->nc, &c->js, &err);
    }
    assert_int_equal(rc, SW_OK);
    assert_int_equal(sw__cl_declare(c, &err), SW_OK);
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    struct broker *b = *state;
    kvStore_Destroy(b->c.owners);
    kvStore_Destroy(b->c.snaps);
    kvStore_Destroy(b->c.keys);
    kvStore_Destroy(b->c.ids);
    jsCtx_Destroy(b->c.js);
    natsConnection_Destroy(b->c.nc);
    kill(b->pid, SIGKILL);
    waitpid(b->pid, NULL, 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", b->dir);
    assert_int_equal(system(cmd), 0);
    free(b);
    return 0;
}

/* An owner incarnation of partition 0 with its own database file. */
static void owner(struct broker *b, struct sw_part *pt, const char *token)
{
    memset(pt, 0, sizeof *pt);
    pt->cl = &b->c;
    pt->p = 0;
    snprintf(pt->token, sizeof pt->token, "%s", token);
    snprintf(pt->consumer, sizeof pt->consumer, "p0-%s", token);
    snprintf(pt->db_path, sizeof pt->db_path, "%s/%s.db", b->dir, token);
}

static void db_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int64_t db_count(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM applied", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static bool in_stream(struct broker *b, uint64_t seq)
{
    natsMsg *m = NULL;
    natsStatus s = js_GetMsg(&m, b->c.js, SW_CL_CMD_STREAM, seq, NULL, NULL);
    natsMsg_Destroy(m);
    return s == NATS_OK;
}

static bool consumer_exists(struct broker *b, const char *name)
{
    jsConsumerInfo *ci = NULL;
    natsStatus s = js_GetConsumerInfo(&ci, b->c.js, SW_CL_CMD_STREAM, name, NULL, NULL);
    jsConsumerInfo_Destroy(ci);
    return s == NATS_OK;
}

static void add_consumer(struct broker *b, const char *name)
{
    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = name;
    cc.FilterSubject = "sw.cmd.0";
    cc.AckPolicy = js_AckAll;
    jsConsumerInfo *ci = NULL;
    assert_int_equal(js_AddConsumer(&ci, b->c.js, SW_CL_CMD_STREAM, &cc, NULL, NULL), NATS_OK);
    jsConsumerInfo_Destroy(ci);
}

static void test_fence__a_stale_owner_neither_snapshots_nor_purges_after_a_takeover(void **state)
{
    struct broker *b = *state;
    struct sw_error err;
    for (int i = 1; i <= 5; i++) /* stream seqs 1-5: five commands of partition 0 */
        assert_int_equal(js_Publish(NULL, b->c.js, "sw.cmd.0", "{}", 2, NULL, NULL), NATS_OK);

    /* A takes the empty partition, applies 1-3 and snapshots them: 1-3 are purged */
    struct sw_part a, bb, c3;
    owner(b, &a, "aaaa");
    uint64_t seq = 9;
    sw_instant at = 0;
    assert_int_equal(sw__snap_restore(&a, &seq, &at, &err), SW_OK);
    assert_int_equal(seq, 0);
    add_consumer(b, a.consumer);
    db_exec(a.db_path, "CREATE TABLE applied(seq); INSERT INTO applied VALUES (1), (2), (3)");
    a.applied_seq = 3;
    a.last_at = 33;
    assert_int_equal(sw__snap_save(&a, &err), SW_OK);
    assert_false(in_stream(b, 3));
    assert_true(in_stream(b, 4));

    /* B takes the partition (A's lease expired while A could not reach the broker's KV): it
     * restores A's snapshot, and A's consumer is gone */
    owner(b, &bb, "bbbb");
    assert_int_equal(sw__snap_restore(&bb, &seq, &at, &err), SW_OK);
    assert_int_equal(seq, 3);
    assert_int_equal(at, 33);
    assert_int_equal(db_count(bb.db_path), 3);
    assert_false(consumer_exists(b, a.consumer));

    /* A, not knowing, applies 4 and 5 and would snapshot: refused, nothing purged, so B still
     * finds 4 and 5 in the stream; A stops */
    db_exec(a.db_path, "INSERT INTO applied VALUES (4), (5)");
    a.applied_seq = 5;
    assert_int_equal(sw__snap_save(&a, &err), SW_E_STATE_CONFLICT);
    assert_true(a.fenced);
    assert_true(in_stream(b, 4));
    assert_true(in_stream(b, 5));

    /* a third owner after B still restores what B restored */
    owner(b, &c3, "cccc");
    assert_int_equal(sw__snap_restore(&c3, &seq, &at, &err), SW_OK);
    assert_int_equal(seq, 3);
    assert_int_equal(db_count(c3.db_path), 3);

    /* and B, fenced by C now, cannot snapshot either; C can */
    db_exec(bb.db_path, "INSERT INTO applied VALUES (4)");
    bb.applied_seq = 4;
    assert_int_equal(sw__snap_save(&bb, &err), SW_E_STATE_CONFLICT);
    assert_true(in_stream(b, 4));
    db_exec(c3.db_path, "INSERT INTO applied VALUES (4), (5)");
    c3.applied_seq = 5;
    assert_int_equal(sw__snap_save(&c3, &err), SW_OK);
    assert_false(in_stream(b, 5));
}

static void test_fence__a_partition_never_snapshotted_restores_empty_for_each_owner(void **state)
{
    struct broker *b = *state;
    struct sw_error err;
    struct sw_part a, bb;
    uint64_t seq = 9;
    sw_instant at = 9;
    owner(b, &a, "dddd");
    assert_int_equal(sw__snap_restore(&a, &seq, &at, &err), SW_OK);
    assert_int_equal(seq, 0);
    assert_int_equal(at, 0);
    add_consumer(b, a.consumer);
    /* a takeover before any snapshot: still from the start, and the first owner is fenced */
    owner(b, &bb, "eeee");
    seq = at = 9;
    assert_int_equal(sw__snap_restore(&bb, &seq, &at, &err), SW_OK);
    assert_int_equal(seq, 0);
    assert_false(consumer_exists(b, a.consumer));
    db_exec(a.db_path, "CREATE TABLE applied(seq); INSERT INTO applied VALUES (1)");
    a.applied_seq = 1;
    assert_int_equal(sw__snap_save(&a, &err), SW_E_STATE_CONFLICT);
    assert_true(a.fenced);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_fence__a_stale_owner_neither_snapshots_nor_purges_after_a_takeover, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_fence__a_partition_never_snapshotted_restores_empty_for_each_owner, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
