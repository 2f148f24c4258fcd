#include "support.h"

#include <stdio.h>
#include <string.h>

#include "domain/qualification/qualification.h"

static struct test_env env;

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"beauty.skincare\"]", 0);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static bool holds(const char *merchant, const char *code, const char *at)
{
    struct sw_pool *pool = sw_engine_readers(env.engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    struct sw_error err;
    bool held = false;
    assert_int_equal(sw_qualification_holds(c, merchant, code, test_instant(at), &held, &err),
                     SW_OK);
    sw_pool_release(pool, c);
    return held;
}

static void tick(const char *to)
{
    int fired;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant(to), &fired, &err), SW_OK);
}

/* Submits a record (the clock reads 2026-01-05T01:00Z) and returns its id. */
static void submit(const char *expires_on, char id[16])
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"merchant\":\"m1\",\"code\":\"cosmetics_filing\",\"documents\":[\"f/a.pdf\"],"
             "\"expires_on\":\"%s\"}",
             expires_on);
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "qualification.submit", "merchant:m1", NULL, body, &cmd),
                     SW_OK);
    snprintf(id, 16, "%s", json_string_value(json_object_get(cmd.result, "id")));
    sw_cmd_release(&cmd);
}

static int decide(const char *type, const char *id, const char *extra)
{
    char body[256];
    snprintf(body, sizeof body, "{\"id\":\"%s\"%s}", id, extra);
    return test_exec(&env, type, "operator", NULL, body, NULL);
}

static void test_holds__only_while_approved_and_unexpired(void **state)
{
    char id[16];
    submit("2026-01-06", id);
    /* in review: not held */
    assert_false(holds("m1", "cosmetics_filing", "2026-01-05T01:00:00Z"));
    tick("2026-01-05T02:00:00Z");
    assert_int_equal(decide("qualification.decide", id, ",\"decision\":\"approve\""), SW_OK);
    assert_false(holds("m1", "cosmetics_filing", "2026-01-05T01:59:59Z")); /* before approval */
    assert_true(holds("m1", "cosmetics_filing", "2026-01-05T02:00:00Z"));
    assert_true(holds("m1", "cosmetics_filing", "2026-01-06T15:59:59Z"));  /* 23:59:59 +08 */
    assert_false(holds("m1", "cosmetics_filing", "2026-01-06T16:00:00Z")); /* 00:00 +08 */
    assert_false(holds("m1", "business_license", "2026-01-05T03:00:00Z")); /* another code */
    assert_false(holds("m2", "cosmetics_filing", "2026-01-05T03:00:00Z")); /* another store */
    /* the timer makes it expired; the answer for earlier instants stays */
    tick("2026-01-06T16:00:00Z");
    assert_true(holds("m1", "cosmetics_filing", "2026-01-06T15:00:00Z"));
    assert_false(holds("m1", "cosmetics_filing", "2026-01-06T16:00:00Z"));
}

static void test_holds__not_after_a_revocation_nor_for_a_rejected_record(void **state)
{
    char a[16], b[16];
    submit("2027-01-31", a);
    submit("2027-01-31", b);
    assert_int_equal(decide("qualification.decide", b, ",\"decision\":\"reject\""), SW_OK);
    assert_false(holds("m1", "cosmetics_filing", "2026-01-05T01:00:00Z"));
    assert_int_equal(decide("qualification.decide", a, ",\"decision\":\"approve\""), SW_OK);
    tick("2026-03-01T00:00:00Z");
    assert_int_equal(decide("qualification.revoke", a, ",\"note\":\"forged\""), SW_OK);
    assert_true(holds("m1", "cosmetics_filing", "2026-02-28T23:59:59Z"));
    assert_false(holds("m1", "cosmetics_filing", "2026-03-01T00:00:00Z"));
    /* a revoked record's timer is gone: nothing fires at its expiry */
    int fired = -1;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2027-02-01T00:00:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 0);
}

static void test_holds__codes_the_policy_knows(void **state)
{
    /* a category's own code, an industry's code, and one nobody asks for */
    assert_true(sw_qualification_code_known(env.policy, "cosmetics_filing"));
    assert_true(sw_qualification_code_known(env.policy, "business_license"));
    assert_false(sw_qualification_code_known(env.policy, "moon_licence"));
    assert_int_equal(test_exec(&env, "qualification.submit", "merchant:m1", NULL,
                               "{\"merchant\":\"m1\",\"code\":\"moon_licence\",\"documents\":"
                               "[\"f/a.pdf\"],\"expires_on\":\"2027-01-31\"}",
                               NULL),
                     SW_E_UNKNOWN_QUALIFICATION);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_holds__only_while_approved_and_unexpired),
        T(test_holds__not_after_a_revocation_nor_for_a_rejected_record),
        T(test_holds__codes_the_policy_knows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
