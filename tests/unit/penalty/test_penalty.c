#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog/catalog.h"
#include "domain/penalty/penalty.h"

static struct test_env env;

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"fresh.fruit\"]", 0);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static json_t *deposit(void)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *d = NULL;
    struct sw_error err;
    assert_int_equal(sw_penalty_get_deposit(c, "m1", 0, 200, &d, &err), SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    /* the invariant: the balance is the running sum of the entries */
    int64_t sum = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(d, "entries"), i, e)
    {
        sum += json_integer_value(json_object_get(e, "amount_fen"));
        assert_int_equal(sum, json_integer_value(json_object_get(e, "balance_after_fen")));
        assert_true(sum >= 0);
    }
    assert_int_equal(sum, json_integer_value(json_object_get(d, "balance_fen")));
    return d;
}

static int64_t field(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *status(void)
{
    static char out[16];
    json_t *d = deposit();
    snprintf(out, sizeof out, "%s", json_string_value(json_object_get(d, "store_status")));
    json_decref(d);
    return out;
}

static void top_up(int64_t fen, const char *ref)
{
    char body[128];
    snprintf(body, sizeof body, "{\"id\":\"m1\",\"amount_fen\":%lld,\"ref\":\"%s\"}",
             (long long)fen, ref);
    assert_int_equal(test_exec(&env, "deposit.top_up", "ingest", NULL, body, NULL), SW_OK);
}

/* A product of m1 with no manufacturer: a three-no violation at once. */
/* A three-no violation on a new product. A draft's findings only block its listing (audit
 * before publication), and a store held for its deposit cannot list, so the violation is an
 * operator's: the same rule, ladder and ledger as the scanner's on a listed product. */
static void three_no(const char *id)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"id\":\"%s\",\"merchant\":\"m1\",\"title\":\"橙子\",\"category\":\"fresh.fruit\","
             "\"price_fen\":990,\"production_date\":\"2026-01-01\",\"quality_cert\":\"Q\"}",
             id);
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, body, NULL), SW_OK);
    snprintf(body, sizeof body,
             "{\"product\":\"%s\",\"type\":\"three_no_product\",\"evidence\":[\"no maker\"]}", id);
    assert_int_equal(test_exec(&env, "violation.create", "operator", NULL, body, NULL), SW_OK);
}

static void test_penalty__a_new_store_is_held_until_its_deposit_is_paid(void **state)
{
    assert_string_equal(status(), "restricted");
    top_up(999999, "a");
    assert_string_equal(status(), "restricted");
    top_up(1, "b");
    assert_string_equal(status(), "active");
    /* a category with a higher requirement holds it again */
    assert_int_equal(test_exec(&env, "merchant.update", "operator", NULL,
                               "{\"id\":\"m1\",\"categories\":[\"fresh.fruit\",\"baby.formula\"]}",
                               NULL),
                     SW_OK);
    assert_string_equal(status(), "restricted");
    /* an operator's reinstate cannot lift a deposit hold */
    assert_int_equal(
        test_exec(&env, "merchant.reinstate", "operator", NULL, "{\"id\":\"m1\"}", NULL),
        SW_E_STATE_CONFLICT);
}

/* What a deduction could not take is owed per violation and paid oldest first; overturning
 * one cancels what it still owes and refunds what it took. */
static void test_penalty__owed_is_paid_oldest_first_and_cancelled_by_reversal(void **state)
{
    top_up(600000, "a");
    three_no("t1"); /* 5,000 yuan: 6,000 -> 1,000 */
    three_no("t2"); /* takes 1,000, owes 4,000 */
    three_no("t3"); /* owes 5,000 */
    json_t *d = deposit();
    assert_int_equal(field(d, "balance_fen"), 0);
    assert_int_equal(field(d, "owed_fen"), 900000);
    json_decref(d);
    top_up(500000, "b"); /* pays v2's 4,000 then 1,000 of v3's */
    d = deposit();
    assert_int_equal(field(d, "balance_fen"), 0);
    assert_int_equal(field(d, "owed_fen"), 400000);
    json_decref(d);
    /* overturn v3 (took 1,000, owes 4,000) */
    assert_int_equal(test_exec(&env, "appeal.create", "merchant:m1", NULL,
                               "{\"violation\":\"v3\",\"reason\":\"r\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "appeal.decide", "operator", NULL,
                               "{\"id\":\"a1\",\"decision\":\"uphold\",\"note\":\"n\"}", NULL),
                     SW_OK);
    d = deposit();
    assert_int_equal(field(d, "balance_fen"), 100000);
    assert_int_equal(field(d, "owed_fen"), 0);
    json_decref(d);
}

/* The fourth three-no violation clears the store; overturning it lifts the clearance, and the
 * store is what its other holds make it. */
static void test_penalty__overturned_clearance_lifts(void **state)
{
    top_up(3000000, "a");
    for (int i = 1; i <= 4; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%d", i);
        three_no(id);
    }
    assert_string_equal(status(), "cleared");
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL,
                               "{\"id\":\"x\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":"
                               "\"fresh.fruit\",\"price_fen\":1}",
                               NULL),
                     SW_E_MERCHANT_CLEARED);
    assert_int_equal(test_exec(&env, "appeal.create", "merchant:m1", NULL,
                               "{\"violation\":\"v4\",\"reason\":\"r\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "appeal.decide", "operator", NULL,
                               "{\"id\":\"a1\",\"decision\":\"uphold\",\"note\":\"n\"}", NULL),
                     SW_OK);
    json_t *d = deposit();
    /* 30,000 - 3 x 5,000 = 15,000 taken by the 4th and refunded */
    assert_int_equal(field(d, "balance_fen"), 1500000);
    json_t *holds = json_object_get(d, "holds");
    assert_int_equal(json_array_size(holds), 1); /* rectification reports still owed */
    assert_string_equal(json_string_value(json_array_get(holds, 0)), "rectification");
    assert_string_equal(json_string_value(json_object_get(d, "store_status")), "restricted");
    json_decref(d);
}

/* One credit pays every owing violation, oldest first, however many there are (it used to
 * stop after 64). */
static void test_penalty__one_credit_settles_every_owing_violation(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL,
                               "{\"id\":\"k1\",\"merchant\":\"m1\",\"title\":\"橙子\","
                               "\"category\":\"fresh.fruit\",\"price_fen\":990,"
                               "\"production_date\":\"2026-01-01\",\"quality_cert\":\"Q\","
                               "\"manufacturer\":\"M\"}",
                               NULL),
                     SW_OK);
    enum { N = 100 };
    int64_t each = 0;
    for (int i = 0; i < N; i++) {
        struct sw_cmd c;
        assert_int_equal(test_exec(&env, "violation.create", "operator", NULL,
                                   "{\"product\":\"k1\",\"type\":\"external_diversion\","
                                   "\"severity\":\"minor\",\"evidence\":[\"x\"]}",
                                   &c),
                         SW_OK);
        each =
            json_integer_value(json_object_get(json_object_get(c.result, "penalty"), "owed_fen"));
        sw_cmd_release(&c);
    }
    assert_true(each > 0);
    json_t *d = deposit();
    assert_int_equal(field(d, "balance_fen"), 0);
    assert_int_equal(field(d, "owed_fen"), N * each);
    json_decref(d);
    /* 100,000 yuan pays all of it; what is left stays on the balance */
    top_up(10000000, "big");
    d = deposit();
    assert_int_equal(field(d, "owed_fen"), 0);
    assert_int_equal(field(d, "balance_fen"), 10000000 - N * each);
    json_decref(d);
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *page = NULL;
    struct sw_error err;
    struct sw_violation_filter f = {.merchant = "m1", .from_us = INT64_MIN, .to_us = INT64_MAX};
    assert_int_equal(sw_penalty_list_violations(c, &f, NULL, 200, NULL,
                                                sw_engine_policy(env.engine), &page, &err),
                     SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_t *vs = json_object_get(page, "violations");
    assert_int_equal(json_array_size(vs), N);
    size_t i;
    json_t *v;
    json_array_foreach(vs, i, v)
    {
        json_t *p = json_object_get(v, "penalty");
        assert_int_equal(json_integer_value(json_object_get(p, "owed_fen")), 0);
        assert_int_equal(json_integer_value(json_object_get(p, "deducted_fen")), each);
    }
    json_decref(page);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_penalty__a_new_store_is_held_until_its_deposit_is_paid),
        T(test_penalty__owed_is_paid_oldest_first_and_cancelled_by_reversal),
        T(test_penalty__overturned_clearance_lifts),
        T(test_penalty__one_credit_settles_every_owing_violation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
