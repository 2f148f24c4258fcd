/* Timers fire deterministically: every timer due before a command's instant fires before that
 * command (one due at its very instant, after it), whatever the scheduler did (docs/engine.md,
 * "Timers"). */
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static struct test_env env;

/* t.schedule {key, due, kind} */
static int cmd_schedule(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *due = json_string_value(json_object_get(in, "due"));
    sw_instant t;
    int rc = sw_instant_parse(due, strlen(due), &t, err);
    if (rc)
        return rc;
    const char *key = json_string_value(json_object_get(in, "key"));
    return sw_ctx_schedule(ctx, key, t, json_string_value(json_object_get(in, "kind")), "m1", key,
                           json_pack("{s:s}", "key", key), err);
}

/* t.fired {key}: what a timer becomes. */
static int cmd_fired(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return sw_ctx_emit(ctx, "t.fired", "m1", json_string_value(json_object_get(in, "key")),
                       json_object(), err);
}

/* t.step {key}: a job step that yields and schedules its next one at once, three in all. */
static int steps;
static int cmd_step(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    int rc = sw_ctx_emit(ctx, "t.step", "m1", "job", json_pack("{s:i}", "n", steps), err);
    if (rc == SW_OK && ++steps < 3)
        rc = sw_ctx_schedule(ctx, "job", ctx->now, "t.step", "m1", "job", NULL, err);
    return rc;
}

/* t.do {name}: an ordinary command. */
static int cmd_do(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return sw_ctx_emit(ctx, "t.done", "m1", json_string_value(json_object_get(in, "name")),
                       json_object(), err);
}

static int setup(void **state)
{
    steps = 0;
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "t.schedule", cmd_schedule), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "t.fired", cmd_fired), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "t.step", cmd_step), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "t.do", cmd_do), SW_OK);
    assert_int_equal(sw_engine_set_yield(env.engine, "t.step"), SW_OK);
    test_env_start(&env);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static void schedule(const char *key, const char *due, const char *kind)
{
    char p[200];
    snprintf(p, sizeof p, "{\"key\":\"%s\",\"due\":\"%s\",\"kind\":\"%s\"}", key, due, kind);
    assert_int_equal(test_exec(&env, "t.schedule", "operator", NULL, p, NULL), SW_OK);
}

static void run(const char *name)
{
    char p[100];
    snprintf(p, sizeof p, "{\"name\":\"%s\"}", name);
    assert_int_equal(test_exec(&env, "t.do", "operator", NULL, p, NULL), SW_OK);
}

/* The clock moves without a tick (as the system clock does between two scheduler rounds). */
static void move_clock(const char *to)
{
    struct sw_error err;
    assert_int_equal(sw_clock_set(&env.clock, test_instant(to), &err), SW_OK);
}

/* The events' "type subject at" lines, in log order, joined by ';'. */
static void log_lines(char *out, size_t cap)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT type, subject, at FROM events ORDER BY seq",
                                        -1, &s, NULL),
                     SQLITE_OK);
    size_t n = 0;
    out[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW) {
        char at[32];
        sw_instant_format(sqlite3_column_int64(s, 2), at);
        n += (size_t)snprintf(out + n, cap - n, "%s %s %s;", sqlite3_column_text(s, 0),
                              sqlite3_column_text(s, 1), at);
        assert_true(n < cap);
    }
    sqlite3_finalize(s);
    sw_pool_release(sw_engine_readers(env.engine), c);
}

static void test_timers__due_timers_fire_before_the_next_command_without_a_tick(void **state)
{
    schedule("late", "2026-01-05T03:00:00Z", "t.fired");
    schedule("early", "2026-01-05T02:00:00Z", "t.fired");
    schedule("future", "2026-01-05T05:00:00Z", "t.fired");
    move_clock("2026-01-05T03:00:00Z"); /* "late" is due at a's very instant: after a */
    run("a");
    move_clock("2026-01-05T04:00:00Z");
    run("b");
    char got[1024];
    log_lines(got, sizeof got);
    assert_string_equal(got, "t.fired early 2026-01-05T02:00:00Z;"
                             "t.done a 2026-01-05T03:00:00Z;"
                             "t.fired late 2026-01-05T03:00:00Z;"
                             "t.done b 2026-01-05T04:00:00Z;");
    assert_int_equal(test_count(&env, "timers"), 1); /* "future" waits */
}

static void test_timers__a_timer_scheduled_after_the_first_round_still_fires_first(void **state)
{
    /* The engine keeps the earliest due instant in memory: a timer scheduled later but due
     * earlier than the one it knew must still be found. */
    schedule("b", "2026-01-05T06:00:00Z", "t.fired");
    run("x"); /* a round that learns "b" is the next due */
    schedule("a", "2026-01-05T04:00:00Z", "t.fired");
    move_clock("2026-01-05T05:00:00Z");
    run("y");
    char got[1024];
    log_lines(got, sizeof got);
    assert_non_null(strstr(got, "t.fired a 2026-01-05T04:00:00Z;t.done y"));
    assert_null(strstr(got, "t.fired b"));
}

static void test_timers__a_yielding_chain_runs_whole_before_the_command(void **state)
{
    schedule("job", "2026-01-05T02:00:00Z", "t.step");
    move_clock("2026-01-05T03:00:00Z");
    struct sw_engine_stats before, after; /* timers fired by the command alone */
    sw_engine_stats(env.engine, &before);
    run("after-job");
    sw_engine_stats(env.engine, &after);
    char got[1024];
    log_lines(got, sizeof got);
    assert_string_equal(got, "t.step job 2026-01-05T02:00:00Z;"
                             "t.step job 2026-01-05T02:00:00Z;"
                             "t.step job 2026-01-05T02:00:00Z;"
                             "t.done after-job 2026-01-05T03:00:00Z;");
    assert_int_equal(after.timers_fired - before.timers_fired, 3);
}

static void test_timers__same_commands_same_instants_give_the_same_log_whatever_ticks(void **state)
{
    /* Run 1 (this env): no tick at all. Run 2: a tick in between that fires nothing new. */
    char first[1024], second[1024];
    schedule("t", "2026-01-05T02:30:00Z", "t.fired");
    move_clock("2026-01-05T03:00:00Z");
    run("c");
    log_lines(first, sizeof first);
    test_env_close(&env);
    setup(state);
    schedule("t", "2026-01-05T02:30:00Z", "t.fired");
    int fired;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T02:00:00Z"), &fired, &err),
                     SW_OK);
    move_clock("2026-01-05T03:00:00Z");
    run("c");
    log_lines(second, sizeof second);
    assert_string_equal(first, second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_timers__due_timers_fire_before_the_next_command_without_a_tick, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_timers__a_timer_scheduled_after_the_first_round_still_fires_first, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_timers__a_yielding_chain_runs_whole_before_the_command,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_timers__same_commands_same_instants_give_the_same_log_whatever_ticks, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
