/* Policy versions at runtime: policy.activate switches the policy at a command boundary, a
 * refused activation leaves the old one, an old policy stays valid for readers that hold it,
 * and the active one is loaded again at the next open. */
#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/domain.h"

static struct test_env env;
static int fail_subscriber;
static char seen_by_subscriber[64];

/* test.version: answers the version its command runs under. */
static int cmd_version(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    *result = json_pack("{s:s}", "version", ctx->policy->version);
    return SW_OK;
}

static int sub_activated(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    snprintf(seen_by_subscriber, sizeof seen_by_subscriber, "%s", ctx->policy->version);
    if (fail_subscriber)
        return sw_fail(err, SW_E_RULE_REFUSED, NULL, "a module refuses the new policy");
    return SW_OK;
}

static void register_test(void)
{
    assert_int_equal(sw_engine_register(env.engine, "test.version", cmd_version), SW_OK);
    assert_int_equal(sw_engine_subscribe(env.engine, "policy.activated", sub_activated), SW_OK);
}

static int setup(void **state)
{
    fail_subscriber = 0;
    seen_by_subscriber[0] = '\0';
    test_env_open(&env, true);
    register_test();
    test_env_start(&env);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

/* The default policy under another version. New reference. */
static json_t *doc_with_version(const char *version)
{
    json_t *doc = json_deep_copy(env.policy->doc);
    json_object_set_new(doc, "version", json_string(version));
    return doc;
}

static int activate(const char *version, bool async)
{
    json_t *doc = doc_with_version(version);
    struct sw_cmd cmd = {.type = "policy.activate", .actor = "admin", .payload = doc};
    int rc;
    if (async) { /* no prepare hook: the writer loads the document itself */
        sw_engine_submit(env.engine, &cmd);
        sw_engine_wait(env.engine, &cmd);
        rc = cmd.code;
    } else {
        rc = sw_engine_execute(env.engine, &cmd);
    }
    sw_cmd_release(&cmd);
    json_decref(doc);
    return rc;
}

static void assert_commands_run_under(const char *version)
{
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "test.version", "operator", NULL, "{}", &cmd), SW_OK);
    assert_string_equal(json_string_value(json_object_get(cmd.result, "version")), version);
    sw_cmd_release(&cmd);
}

static void test_policy_swap__later_commands_and_readers_see_the_new_version(void **state)
{
    const struct sw_policy *old = sw_engine_policy(env.engine);
    assert_ptr_equal(old, env.policy);
    assert_int_equal(activate("swap-2", false), SW_OK);
    assert_string_equal(sw_engine_policy(env.engine)->version, "swap-2");
    assert_string_equal(seen_by_subscriber, "swap-2"); /* subscribers judge by the new one */
    assert_commands_run_under("swap-2");
    /* a reader that loaded the old pointer still reads a live policy */
    assert_string_equal(old->version, env.policy->version);
    assert_non_null(old->scanner);
    assert_int_equal(activate("swap-3", true), SW_OK);
    assert_commands_run_under("swap-3");
}

static void test_policy_swap__a_refused_activation_changes_nothing(void **state)
{
    fail_subscriber = 1;
    int64_t events = test_count(&env, "events"), stored = test_count(&env, "policies");
    assert_int_equal(activate("swap-2", false), SW_E_RULE_REFUSED);
    assert_ptr_equal(sw_engine_policy(env.engine), env.policy);
    assert_commands_run_under(env.policy->version);
    assert_int_equal(test_count(&env, "events"), events);
    assert_int_equal(test_count(&env, "policies"), stored);
}

static void test_policy_swap__the_active_policy_is_loaded_at_open(void **state)
{
    assert_int_equal(activate("swap-2", false), SW_OK);
    sw_engine_close(env.engine);
    struct sw_engine_config cfg = {.db_path = env.db, .policy = env.policy, .clock = &env.clock};
    struct sw_error err;
    assert_int_equal(sw_engine_open(&cfg, &env.engine, &err), SW_OK);
    assert_int_equal(sw_domain_register_all(env.engine), SW_OK);
    register_test();
    test_env_start(&env);
    assert_string_equal(sw_engine_policy(env.engine)->version, "swap-2");
    assert_commands_run_under("swap-2");
    /* both versions are kept: the one before the first activation and the activated one */
    assert_int_equal(test_count(&env, "policies"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_policy_swap__later_commands_and_readers_see_the_new_version, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_swap__a_refused_activation_changes_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_swap__the_active_policy_is_loaded_at_open,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
