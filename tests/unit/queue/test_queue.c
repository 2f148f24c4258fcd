/* Claims and four-eyes approval on the engine (docs/queue.md): a claim holds an item against
 * other keys until the engine clock passes its end; a store clearance is held for a second key,
 * which applies it once; a nested attempt undone leaves no row and no event. */
#include "support.h"

#include <string.h>

#include "store/store.h"

static struct test_env env;

/* One command sent by API key `key` of role `role`; *result (if not NULL) gets its result. */
static int run(const char *type, const char *role, const char *key, const char *payload,
               json_t **result)
{
    json_t *p = json_loads(payload, 0, NULL);
    assert_non_null(p);
    struct sw_cmd cmd = {.type = type, .actor = role, .actor_key = key, .payload = p};
    int rc = sw_engine_execute(env.engine, &cmd);
    if (result)
        *result = rc == SW_OK ? json_incref(cmd.result) : NULL;
    sw_cmd_release(&cmd);
    json_decref(p);
    return rc;
}

static void set_clock(const char *at)
{
    struct sw_error err;
    int fired = 0;
    assert_int_equal(sw_engine_tick(env.engine, test_instant(at), &fired, &err), SW_OK);
}

static void setup_world(void)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"fresh.fruit\"]", 2000000);
}

static void test_queue__a_claim_holds_the_item_against_other_keys_until_it_lapses(void **state)
{
    (void)state;
    setup_world();
    json_t *res = NULL;
    assert_int_equal(run("queue.claim", "operator", "op1", "{\"item\":\"m1\",\"minutes\":5}", &res),
                     SW_OK);
    assert_string_equal(json_string_value(json_object_get(res, "holder")), "op1");
    assert_string_equal(json_string_value(json_object_get(res, "until")), "2026-01-05T01:05:00Z");
    json_decref(res);
    assert_int_equal(run("queue.claim", "operator", "op2", "{\"item\":\"m1\"}", NULL),
                     SW_E_CLAIMED);
    /* a guarded decision by another key is refused before anything happens */
    assert_int_equal(
        run("merchant.clear", "operator", "op2", "{\"id\":\"m1\",\"reason\":\"x\"}", NULL),
        SW_E_CLAIMED);
    assert_int_equal(test_count(&env, "approvals"), 0);
    /* nor may another key release it */
    assert_int_equal(run("queue.release", "operator", "op2", "{\"item\":\"m1\"}", NULL),
                     SW_E_CLAIMED);
    set_clock("2026-01-05T09:05:00+08:00");
    assert_int_equal(run("queue.claim", "operator", "op2", "{\"item\":\"m1\"}", NULL), SW_OK);
    assert_int_equal(run("queue.release", "admin", "adm", "{\"item\":\"m1\"}", NULL), SW_OK);
    assert_int_equal(run("queue.release", "admin", "adm", "{\"item\":\"m1\"}", NULL),
                     SW_E_NOT_FOUND);
    test_env_close(&env);
}

static void test_queue__a_clearance_waits_for_a_second_key_and_applies_once(void **state)
{
    (void)state;
    setup_world();
    int64_t events = test_count(&env, "events");
    json_t *res = NULL;
    assert_int_equal(
        run("merchant.clear", "operator", "op1", "{\"id\":\"m1\",\"reason\":\"x\"}", &res), SW_OK);
    json_t *ap = json_object_get(res, "approval");
    assert_string_equal(json_string_value(json_object_get(ap, "status")), "pending");
    assert_string_equal(json_string_value(json_object_get(ap, "kind")), "clearance");
    char body[64];
    snprintf(body, sizeof body, "{\"id\":\"%s\"}", json_string_value(json_object_get(ap, "id")));
    json_decref(res);
    /* held: only approval.requested was kept of what the attempt emitted */
    assert_int_equal(test_count(&env, "events"), events + 1);
    assert_int_equal(run("approval.approve", "operator", "op1", body, NULL), SW_E_SELF_APPROVAL);
    assert_int_equal(run("approval.approve", "operator", "op2", body, &res), SW_OK);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(res, "approval"), "status")), "approved");
    json_decref(res);
    assert_int_equal(run("approval.approve", "admin", "adm", body, NULL), SW_E_STATE_CONFLICT);
    /* applied: the store is cleared (a second clearance is refused by the catalog) */
    assert_int_not_equal(
        run("merchant.clear", "operator", "op3", "{\"id\":\"m1\",\"reason\":\"x\"}", NULL), SW_OK);
    test_env_close(&env);
}

static void test_queue__policy_sections_are_validated(void **state)
{
    (void)state;
    struct sw_policy *p = NULL;
    struct sw_error err;
    assert_int_equal(sw_policy_load_default(&p, &err), SW_OK);
    assert_int_equal(p->queue.claim_minutes, 15);
    assert_int_equal(p->queue.claim_max_minutes, 240);
    assert_int_equal(p->queue.deduction_above_fen, 500000);
    assert_int_equal(p->queue.refund_above_fen, 500000);
    sw_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue__a_claim_holds_the_item_against_other_keys_until_it_lapses),
        cmocka_unit_test(test_queue__a_clearance_waits_for_a_second_key_and_applies_once),
        cmocka_unit_test(test_queue__policy_sections_are_validated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
