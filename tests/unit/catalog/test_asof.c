/* Point-in-time reads of products and stores (docs/point-in-time.md): the object folded from
 * its events as of an instant is the object the live read answered at that instant, whichever
 * order the instants are asked in (snapshots every SW_ASOF_SNAPSHOT_EVERY events). */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog/catalog.h"
#include "engine/asof.h"

#define EDITS 200

static struct test_env env;
static json_t *live[EDITS + 1]; /* live[i]: the product after edit i (0: created, listed) */
static sw_instant t0;

static const char *P1 = "{\"id\":\"p1\",\"merchant\":\"m1\",\"title\":\"烟酰胺身体乳\","
                        "\"category\":\"beauty.skincare\",\"price\":\"69.00\",\"stock\":10,"
                        "\"production_date\":\"2026-01-01\","
                        "\"quality_cert\":\"QC-1\",\"manufacturer\":\"广州颜夕日化\"}";

static json_t *live_product(void)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    char *text = NULL, owner[72];
    struct sw_error err;
    assert_int_equal(sw_catalog_get_product_text(env.engine, c, "p1", &text, owner, NULL, &err),
                     SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_t *out = json_loads(text, 0, NULL);
    free(text);
    return out;
}

static void at_second(int i)
{
    assert_int_equal(sw_clock_set(&env.clock, t0 + (sw_instant)i * 1000000, NULL), SW_OK);
}

/* p1 created and listed at t0, then edited once a second: price, stock, now and then the
 * title (which scans it again). */
static int setup(void **state)
{
    (void)state;
    test_env_open(&env, true);
    test_env_start(&env);
    t0 = sw_clock_now(&env.clock);
    test_store(&env, "m1", "[\"beauty.skincare\"]", 2000000);
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    live[0] = live_product();
    for (int i = 1; i <= EDITS; i++) {
        at_second(i);
        char body[160];
        if (i % 50 == 0)
            snprintf(body, sizeof body, "{\"id\":\"p1\",\"title\":\"身体乳 第%d版\"}", i);
        else
            snprintf(body, sizeof body, "{\"id\":\"p1\",\"price_fen\":%d,\"stock\":%d}", 1000 + i,
                     i % 7);
        assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL, body, NULL), SW_OK);
        live[i] = live_product();
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i <= EDITS; i++)
        json_decref(live[i]);
    test_env_close(&env);
    return 0;
}

static json_t *product_at(sw_instant at, int *code)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *out = NULL;
    struct sw_error err;
    *code = sw_catalog_product_at(env.engine, c, "p1", at, &out, &err);
    sw_pool_release(sw_engine_readers(env.engine), c);
    return out;
}

static void assert_as_live(int i)
{
    int code;
    /* half a second after edit i: edit i is in, edit i + 1 is not */
    json_t *got = product_at(t0 + (sw_instant)i * 1000000 + 500000, &code);
    assert_int_equal(code, SW_OK);
    if (!json_equal(got, live[i])) {
        char *a = json_dumps(got, JSON_SORT_KEYS), *b = json_dumps(live[i], JSON_SORT_KEYS);
        fail_msg("edit %d:\n as of: %s\n live:  %s", i, a, b);
    }
    json_decref(got);
}

static void test_asof__a_product_at_each_instant_is_what_the_live_read_said_then(void **state)
{
    (void)state;
    /* late first (it keeps snapshots), then early, then across snapshot boundaries */
    static const int order[] = {EDITS, 0, 1, 63, 64, 65, 127, 128, 129, 150, 2, EDITS - 1, 100};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        assert_as_live(order[k]);
    for (int i = 0; i <= EDITS; i++) /* every one, now from the snapshots */
        assert_as_live(i);
}

static void test_asof__before_its_creation_a_product_is_not_found(void **state)
{
    (void)state;
    int code;
    json_t *got = product_at(t0 - 1, &code);
    assert_int_equal(code, SW_E_NOT_FOUND);
    assert_null(got);
}

static void test_asof__a_store_is_folded_from_its_own_events_only(void **state)
{
    (void)state;
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *then = NULL, *now = NULL;
    struct sw_error err;
    /* the store's subject also holds its deposit's events: the fold skips them */
    assert_int_equal(sw_catalog_merchant_at(env.engine, c, "m1", t0 + 1, &then, &err), SW_OK);
    assert_int_equal(sw_catalog_get_merchant(c, "m1", &now, &err), SW_OK);
    assert_true(json_equal(then, now));
    json_decref(then);
    assert_int_equal(sw_catalog_merchant_at(env.engine, c, "m1", t0 - 1, &then, &err),
                     SW_E_NOT_FOUND);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_decref(now);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asof__a_product_at_each_instant_is_what_the_live_read_said_then),
        cmocka_unit_test(test_asof__before_its_creation_a_product_is_not_found),
        cmocka_unit_test(test_asof__a_store_is_folded_from_its_own_events_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
