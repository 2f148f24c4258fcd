#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/domain.h"
#include "store/store.h"

sw_instant test_instant(const char *s)
{
    sw_instant t = 0;
    struct sw_error err;
    assert_int_equal(sw_instant_parse(s, strlen(s), &t, &err), SW_OK);
    return t;
}

void test_env_open(struct test_env *t, bool domain)
{
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "/tmp/sw-unit-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->db, sizeof t->db, "%s/test.db", t->dir);
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&t->policy, &err), SW_OK);
    sw_clock_init_manual(&t->clock, test_instant("2026-01-05T09:00:00+08:00"));
    struct sw_engine_config cfg = {.db_path = t->db, .policy = t->policy, .clock = &t->clock};
    assert_int_equal(sw_engine_open(&cfg, &t->engine, &err), SW_OK);
    if (domain)
        assert_int_equal(sw_domain_register_all(t->engine), SW_OK);
}

void test_env_start(struct test_env *t)
{
    struct sw_error err;
    assert_int_equal(sw_engine_start(t->engine, &err), SW_OK);
}

void test_env_reopen(struct test_env *t, bool domain)
{
    sw_engine_close(t->engine);
    struct sw_error err;
    struct sw_engine_config cfg = {.db_path = t->db, .policy = t->policy, .clock = &t->clock};
    assert_int_equal(sw_engine_open(&cfg, &t->engine, &err), SW_OK);
    if (domain)
        assert_int_equal(sw_domain_register_all(t->engine), SW_OK);
    test_env_start(t);
}

void test_env_close(struct test_env *t)
{
    sw_engine_close(t->engine);
    sw_policy_free(t->policy);
    char path[400];
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", t->db, suffixes[i]);
        unlink(path);
    }
    rmdir(t->dir);
}

int test_exec(struct test_env *t, const char *type, const char *actor, const char *idem,
              const char *payload, struct sw_cmd *cmd_out)
{
    json_error_t je;
    json_t *p = json_loads(payload, 0, &je);
    if (!p)
        fail_msg("bad test payload: %s", je.text);
    struct sw_cmd cmd = {.type = type, .actor = actor, .idem_key = idem, .payload = p};
    int rc = sw_engine_execute(t->engine, &cmd);
    if (cmd_out)
        *cmd_out = cmd;
    else
        sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

int64_t test_count(struct test_env *t, const char *table)
{
    struct sw_conn c;
    struct sw_error err;
    assert_int_equal(sw_conn_open(&c, t->db, true, SW_SYNC_NORMAL, &err), SW_OK);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c.db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sw_conn_close(&c);
    return n;
}

void test_store(struct test_env *t, const char *id, const char *categories, int64_t deposit_fen)
{
    char body[512];
    snprintf(body, sizeof body, "{\"id\":\"%s\",\"name\":\"store %s\",\"categories\":%s}", id, id,
             categories);
    assert_int_equal(test_exec(t, "merchant.create", "operator", NULL, body, NULL), SW_OK);
    if (deposit_fen <= 0)
        return;
    snprintf(body, sizeof body, "{\"id\":\"%s\",\"amount_fen\":%lld,\"ref\":\"test-%s\"}", id,
             (long long)deposit_fen, id);
    assert_int_equal(test_exec(t, "deposit.top_up", "ingest", NULL, body, NULL), SW_OK);
}
