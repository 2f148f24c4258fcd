/* Id-map writes staged by the batch in progress: a command that writes a key again and is
 * then undone (refused, or rolled back to a mark as a decision kept for approval is) leaves
 * visible what an earlier command of the same batch wrote, not the committed value. */
#include "support.h"

#include <string.h>

static struct test_env env;
static struct sw_idmap *kv;

static int load_nothing(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return SW_OK;
}

/* t.put {key, value, fail, undo}: puts key = value (reads only, without value); fails after it when
 * asked; with undo, puts inside a mark, rolls back to it and carries on. Answers what the key reads
 * after. */
static int cmd_put(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *key = json_string_value(json_object_get(in, "key"));
    uint64_t value = (uint64_t)json_integer_value(json_object_get(in, "value"));
    struct sw_ctx_mark mark;
    bool undo = json_is_true(json_object_get(in, "undo"));
    int rc = undo ? sw_ctx_mark(ctx, &mark, err) : SW_OK;
    if (rc == SW_OK && json_object_get(in, "value"))
        rc = sw_ctx_idmap_put(ctx, kv, key, value, err);
    if (rc)
        return rc;
    if (undo)
        sw_ctx_rollback(ctx, &mark);
    if (json_is_true(json_object_get(in, "fail")))
        return sw_fail(err, SW_E_RULE_REFUSED, NULL, "asked to fail");
    uint64_t now = 0;
    bool found = sw_ctx_idmap_get(ctx, kv, key, &now);
    *result = json_pack("{s:b,s:I}", "found", found, "reads", (json_int_t)now);
    return SW_OK;
}

static int setup(void **state)
{
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "t.put", cmd_put), SW_OK);
    kv = sw_engine_idmap(env.engine, "kv", load_nothing);
    assert_non_null(kv);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

/* Submits the commands, then starts the writer: all of them go in one batch. */
static void one_batch(struct sw_cmd *cmds, json_t **payloads, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cmds[i] = (struct sw_cmd){.type = "t.put", .actor = "operator", .payload = payloads[i]};
        sw_engine_submit(env.engine, &cmds[i]);
    }
    test_env_start(&env);
    for (size_t i = 0; i < n; i++)
        sw_engine_wait(env.engine, &cmds[i]);
}

static void expect_reads(const struct sw_cmd *c, uint64_t value)
{
    assert_int_equal(c->code, SW_OK);
    assert_true(json_is_true(json_object_get(c->result, "found")));
    assert_int_equal(json_integer_value(json_object_get(c->result, "reads")), value);
}

static void release(struct sw_cmd *cmds, json_t **payloads, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sw_cmd_release(&cmds[i]);
        json_decref(payloads[i]);
    }
}

static void test_staging__a_refused_rewrite_leaves_the_batchs_earlier_write(void **state)
{
    json_t *p[] = {json_pack("{s:s,s:i}", "key", "m1", "value", 1),
                   json_pack("{s:s,s:i,s:b}", "key", "m1", "value", 2, "fail", 1),
                   json_pack("{s:s}", "key", "m1")};
    struct sw_cmd c[3];
    one_batch(c, p, 3);
    expect_reads(&c[0], 1);
    assert_int_equal(c[1].code, SW_E_RULE_REFUSED);
    expect_reads(&c[2], 1); /* was: not found until the batch was published */
    uint64_t v = 0;
    assert_true(sw_idmap_get(kv, "m1", &v)); /* published with the batch */
    assert_int_equal(v, 1);
    release(c, p, 3);
}

static void test_staging__a_rollback_to_a_mark_leaves_the_batchs_earlier_write(void **state)
{
    json_t *p[] = {json_pack("{s:s,s:i}", "key", "m1", "value", 1),
                   json_pack("{s:s,s:i,s:b}", "key", "m1", "value", 2, "undo", 1),
                   json_pack("{s:s,s:i,s:b}", "key", "fresh", "value", 3, "undo", 1)};
    struct sw_cmd c[3];
    one_batch(c, p, 3);
    expect_reads(&c[0], 1);
    expect_reads(&c[1], 1); /* was: not found, the batch's write hidden by the undone one */
    assert_int_equal(c[2].code, SW_OK);
    assert_false(json_is_true(json_object_get(c[2].result, "found")));
    uint64_t v = 0;
    assert_true(sw_idmap_get(kv, "m1", &v));
    assert_int_equal(v, 1);
    assert_false(sw_idmap_get(kv, "fresh", &v));
    release(c, p, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_staging__a_refused_rewrite_leaves_the_batchs_earlier_write, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_staging__a_rollback_to_a_mark_leaves_the_batchs_earlier_write, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
