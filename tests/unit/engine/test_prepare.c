/* Prepare hooks: work done on the submitting thread before a command reaches the writer, and
 * the writer's refusal of a preparation made for another state. Also the manual clock's end. */
#include "support.h"

#include <pthread.h>
#include <stdlib.h>

#include "base/json.h"

static struct test_env env;
static pthread_t prep_thread, handler_thread;
static int prep_runs, prep_frees, stale_left;

static int prep_fn(struct sw_engine *e, struct sw_conn *reader, const struct sw_cmd *cmd,
                   void **out, struct sw_error *err)
{
    assert_non_null(reader);
    prep_thread = pthread_self();
    int *v = malloc(sizeof *v);
    *v = ++prep_runs;
    *out = v;
    return SW_OK;
}

static void prep_free_fn(void *p)
{
    prep_frees++;
    free(p);
}

/* test.prepped: answers which preparation it saw (0: none), or "stale" while asked to. */
static int cmd_prepped(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    handler_thread = pthread_self();
    const int *v = ctx->prepared;
    if (v && stale_left > 0) {
        stale_left--;
        return sw_fail(err, SW_E_PREPARED_STALE, NULL, "prepared for another state");
    }
    *result = json_pack("{s:i}", "prepared", v ? *v : 0);
    return SW_OK;
}

static int setup(void **state)
{
    prep_runs = prep_frees = stale_left = 0;
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "test.prepped", cmd_prepped), SW_OK);
    assert_int_equal(sw_engine_set_prepare(env.engine, "test.prepped", prep_fn, prep_free_fn),
                     SW_OK);
    assert_int_equal(sw_engine_set_prepare(env.engine, "test.none", prep_fn, prep_free_fn),
                     SW_E_INTERNAL); /* only a registered type has a hook */
    test_env_start(&env);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static int prepared_seen(const struct sw_cmd *cmd)
{
    return (int)json_integer_value(json_object_get(cmd->result, "prepared"));
}

static void test_prepare__runs_on_the_submitting_thread_before_the_writer(void **state)
{
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "test.prepped", "operator", NULL, "{}", &cmd), SW_OK);
    assert_int_equal(prepared_seen(&cmd), 1);
    assert_true(pthread_equal(prep_thread, pthread_self()));
    assert_false(pthread_equal(handler_thread, pthread_self()));
    assert_int_equal(prep_frees, 1); /* released by the submitter once the command is done */
    sw_cmd_release(&cmd);
}

static void test_prepare__a_stale_preparation_is_made_again(void **state)
{
    stale_left = 2;
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "test.prepped", "operator", "op|p1", "{}", &cmd), SW_OK);
    assert_int_equal(prepared_seen(&cmd), 3);
    assert_int_equal(prep_runs, 3);
    assert_int_equal(prep_frees, 3);
    sw_cmd_release(&cmd);
    assert_int_equal(test_count(&env, "commands"), 1); /* the refused attempts left no trace */
}

static void test_prepare__always_stale_is_busy_and_changes_nothing(void **state)
{
    stale_left = 1000;
    int64_t before = test_count(&env, "commands");
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "test.prepped", "operator", NULL, "{}", &cmd), SW_E_BUSY);
    assert_int_equal(cmd.err.code, SW_E_BUSY);
    assert_true(prep_runs >= 2 && prep_runs <= 8); /* bounded */
    assert_int_equal(prep_frees, prep_runs);
    sw_cmd_release(&cmd);
    assert_int_equal(test_count(&env, "commands"), before);
}

static void test_prepare__asynchronous_submits_run_no_hook(void **state)
{
    json_t *p = json_object();
    struct sw_cmd cmd = {.type = "test.prepped", .actor = "operator", .payload = p};
    sw_engine_submit(env.engine, &cmd);
    sw_engine_wait(env.engine, &cmd);
    assert_int_equal(cmd.code, SW_OK);
    assert_int_equal(prepared_seen(&cmd), 0);
    assert_int_equal(prep_runs, 0);
    sw_cmd_release(&cmd);
    json_decref(p);
}

static void test_prepare__manual_clock_stops_after_the_calendar(void **state)
{
    /* The default calendar holds 2025 and 2026: the clock may go to the end of 2027. */
    int fired;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant("9999-01-01T00:00:00Z"), &fired, &err),
                     SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "now");
    assert_int_equal(
        sw_engine_tick(env.engine, test_instant("2028-01-01T00:00:00+08:00"), &fired, &err),
        SW_E_INVALID_VALUE);
    assert_int_equal(sw_clock_now(&env.clock), test_instant("2026-01-05T09:00:00+08:00"));
    assert_int_equal(
        sw_engine_tick(env.engine, test_instant("2027-12-31T23:59:59+08:00"), &fired, &err), SW_OK);
    assert_int_equal(sw_clock_now(&env.clock), test_instant("2027-12-31T23:59:59+08:00"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_prepare__runs_on_the_submitting_thread_before_the_writer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepare__a_stale_preparation_is_made_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_prepare__always_stale_is_busy_and_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepare__asynchronous_submits_run_no_hook, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_prepare__manual_clock_stops_after_the_calendar, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
