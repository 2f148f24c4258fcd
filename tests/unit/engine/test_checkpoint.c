/* Checkpoints (docs/engine.md): under a stream of batches that each write more pages than the
 * writer's own checkpoint threshold (as 10,000-event affiliate batches do), the WAL is still
 * rewound, so its file stays bounded. */
#include "support.h"

#include <stdio.h>
#include <sys/stat.h>

#include "store/store.h"

#define PAGES_A_BATCH 20000 /* above the writer's threshold (16,000 frames) on its own */
#define BATCHES 8

/* test.bulk {}: replaces the rows of a table by PAGES_A_BATCH rows of about a page each. */
static int cmd_bulk(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)in;
    (void)result;
    char sql[256];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d)"
             " INSERT INTO bulk SELECT randomblob(3900) FROM c",
             PAGES_A_BATCH);
    int rc = sw_conn_exec(ctx->conn, "CREATE TABLE IF NOT EXISTS bulk(b BLOB)", err);
    if (rc == SW_OK)
        rc = sw_conn_exec(ctx->conn, "DELETE FROM bulk", err);
    return rc ? rc : sw_conn_exec(ctx->conn, sql, err);
}

static struct test_env env;

static int setup(void **state)
{
    (void)state;
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "test.bulk", cmd_bulk), SW_OK);
    test_env_start(&env);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_env_close(&env);
    return 0;
}

static long long wal_bytes(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s-wal", env.db);
    struct stat st;
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* Each command is submitted as soon as the last is answered, so the writer begins the next
 * batch while the checkpointer is still copying the last one (as two HTTP clients sending
 * batches back to back do). Without the writer finishing a checkpoint now and then, no batch
 * would begin on a WAL a checkpoint had covered, and the WAL would grow by a batch each time
 * (8 x 80 MB here). */
static void test_checkpoint__wal_stays_bounded_under_batches_larger_than_the_threshold(void **s)
{
    (void)s;
    long long most = 0;
    for (int i = 0; i < BATCHES; i++) {
        assert_int_equal(test_exec(&env, "test.bulk", "operator", NULL, "{}", NULL), SW_OK);
        long long w = wal_bytes();
        most = w > most ? w : most;
    }
    /* the writer's cap (64k frames) is passed at the 4th batch of 20k: 5 batches' pages is room */
    long long bound = 5LL * PAGES_A_BATCH * 4200;
    if (most > bound)
        fail_msg("the WAL grew to %lld bytes over %d batches (bound %lld)", most, BATCHES, bound);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_checkpoint__wal_stays_bounded_under_batches_larger_than_the_threshold, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
