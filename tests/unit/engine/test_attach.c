/* State a module keeps beside the store (sw_engine_attach): found by name, told which
 * commands' writes the store undid, freed at close. */
#include "support.h"

#include <stdlib.h>

static struct test_env env;

struct probe {
    int64_t undone_from; /* -1: never undone */
    int undos;
    int64_t last_seq; /* the seq of the last command that touched it */
    int *freed;
};

static int cmd_touch(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    struct probe *p = sw_engine_attached(ctx->engine, "probe");
    p->last_seq = ctx->command_seq;
    if (json_is_true(json_object_get(in, "fail")))
        return sw_fail(err, SW_E_INVALID_VALUE, "fail", "refused after touching");
    return SW_OK;
}

static void probe_undo(void *state, int64_t from_seq)
{
    struct probe *p = state;
    p->undone_from = from_seq;
    p->undos++;
}

static void probe_free(void *state)
{
    struct probe *p = state;
    (*p->freed)++;
    free(p);
}

static void test_attach__undo_names_the_refused_command_and_close_frees(void **state)
{
    static int freed;
    test_env_open(&env, false);
    struct probe *p = calloc(1, sizeof *p);
    p->undone_from = -1;
    p->freed = &freed;
    assert_int_equal(sw_engine_attach(env.engine, "probe", p, probe_free, probe_undo), SW_OK);
    /* one name, once */
    assert_int_equal(sw_engine_attach(env.engine, "probe", p, NULL, NULL), SW_E_INTERNAL);
    assert_ptr_equal(sw_engine_attached(env.engine, "probe"), p);
    assert_null(sw_engine_attached(env.engine, "other"));
    assert_int_equal(sw_engine_register(env.engine, "t.touch", cmd_touch), SW_OK);
    test_env_start(&env);

    assert_int_equal(test_exec(&env, "t.touch", "operator", NULL, "{}", NULL), SW_OK);
    assert_int_equal(p->undos, 0);
    int64_t ok_seq = p->last_seq;
    assert_int_equal(test_exec(&env, "t.touch", "operator", NULL, "{\"fail\":true}", NULL),
                     SW_E_INVALID_VALUE);
    assert_int_equal(p->undos, 1);
    /* the refused command would have had the next seq: the one that touched the state */
    assert_int_equal(p->undone_from, p->last_seq);
    assert_true(p->undone_from > ok_seq);
    freed = 0;
    test_env_close(&env);
    assert_int_equal(freed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attach__undo_names_the_refused_command_and_close_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
