/* key.sync (docs/scale-out.md, "Keys"): the node brings a key record of the cluster's key
 * store into its own keys: a key it lacks is added as it was made, a revocation it lacks is
 * applied, the same record again changes nothing, a record is never un-revoked, another key
 * under the id is refused, and only the node itself (actor system) syncs. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "store/journal.h"

#define HASH_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define HASH_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define REC(hash, extra)                                                                           \
    "{\"id\":\"ops-bob\",\"hash\":\"" hash "\",\"role\":\"operator\",\"label\":\"Bob\","           \
    "\"created_at\":\"2026-01-02T03:04:05Z\"" extra "}"

static struct test_env env;

static int setup(void **state)
{
    (void)state;
    test_env_open(&env, true);
    test_env_start(&env);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_env_close(&env);
    return 0;
}

static bool changed(const char *payload, int want_rc)
{
    struct sw_cmd c;
    int rc = test_exec(&env, "key.sync", "system", NULL, payload, &c);
    assert_int_equal(rc, want_rc);
    bool ch = rc == SW_OK && json_is_true(json_object_get(c.result, "changed"));
    sw_cmd_release(&c);
    return ch;
}

/* The key as node.db holds it: {id, hash, role, label, created_at, revoked_at?}. */
static json_t *held(void)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *recs = NULL;
    struct sw_error err;
    assert_int_equal(sw_journal_key_records(c, "ops-bob", &recs, &err), SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_t *k = json_incref(json_array_get(recs, 0));
    json_decref(recs);
    return k;
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_key_sync__adds_a_key_as_it_was_made_and_again_changes_nothing(void **state)
{
    (void)state;
    assert_true(changed(REC(HASH_A, ""), SW_OK));
    json_t *k = held();
    assert_non_null(k);
    assert_string_equal(str(k, "hash"), HASH_A);
    assert_string_equal(str(k, "role"), "operator");
    assert_string_equal(str(k, "label"), "Bob");
    assert_string_equal(str(k, "created_at"), "2026-01-02T03:04:05Z");
    assert_null(json_object_get(k, "revoked_at"));
    json_decref(k);
    assert_false(changed(REC(HASH_A, ""), SW_OK));
}

static void test_key_sync__applies_a_revocation_and_never_undoes_it(void **state)
{
    (void)state;
    assert_true(changed(REC(HASH_A, ""), SW_OK));
    assert_true(changed(REC(HASH_A, ",\"revoked_at\":\"2026-01-03T00:00:00Z\""), SW_OK));
    json_t *k = held();
    assert_string_equal(str(k, "revoked_at"), "2026-01-03T00:00:00Z");
    json_decref(k);
    assert_false(changed(REC(HASH_A, ""), SW_OK)); /* a live record does not un-revoke */
    k = held();
    assert_string_equal(str(k, "revoked_at"), "2026-01-03T00:00:00Z");
    json_decref(k);
    /* a key the node never had arrives revoked: added and revoked at once */
    assert_true(changed("{\"id\":\"ops-old\",\"hash\":\"" HASH_B "\",\"role\":\"admin\","
                        "\"created_at\":\"2026-01-01T00:00:00Z\","
                        "\"revoked_at\":\"2026-01-02T00:00:00Z\"}",
                        SW_OK));
}

static void test_key_sync__refuses_another_key_under_the_id_and_anyone_but_the_node(void **state)
{
    (void)state;
    assert_true(changed(REC(HASH_A, ""), SW_OK));
    assert_false(changed(REC(HASH_B, ""), SW_E_ALREADY_EXISTS));
    json_t *k = held();
    assert_string_equal(str(k, "hash"), HASH_A);
    json_decref(k);
    assert_int_equal(test_exec(&env, "key.sync", "admin", NULL, REC(HASH_B, ""), NULL),
                     SW_E_FORBIDDEN);
    assert_int_equal(test_exec(&env, "key.sync", "system", NULL,
                               "{\"id\":\"x\",\"hash\":\"zz\",\"role\":\"operator\","
                               "\"created_at\":\"2026-01-02T03:04:05Z\"}",
                               NULL),
                     SW_E_INVALID_VALUE);
    assert_int_equal(test_exec(&env, "key.sync", "system", NULL,
                               "{\"id\":\"x\",\"hash\":\"" HASH_B "\",\"role\":\"king\","
                               "\"created_at\":\"2026-01-02T03:04:05Z\"}",
                               NULL),
                     SW_E_INVALID_VALUE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_key_sync__adds_a_key_as_it_was_made_and_again_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_sync__applies_a_revocation_and_never_undoes_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_key_sync__refuses_another_key_under_the_id_and_anyone_but_the_node, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
