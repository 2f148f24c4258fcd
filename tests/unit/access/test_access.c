#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access/access.h"

static struct test_env env;

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"fresh.fruit\"]", 0);
    test_store(&env, "m2", "[\"fresh.fruit\"]", 0);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static int feed(const char *event_id, const char *status, const char *at)
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"event_id\":\"%s\",\"order_id\":\"o1\",\"merchant\":\"m1\",\"status\":\"%s\","
             "\"at\":\"%s\"}",
             event_id, status, at);
    return test_exec(&env, "order.event", "ingest", NULL, body, NULL);
}

static json_t *order(void)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *o = NULL;
    char owner[72];
    struct sw_error err;
    assert_int_equal(sw_access_get_order(env.engine, c, "o1", &o, owner, &err), SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    assert_string_equal(owner, "m1");
    return o;
}

/* Feed events in every arrival order give the same record: the status of the latest event
 * time, each status at its first time. */
static void test_access__arrival_order_does_not_change_the_record(void **state)
{
    static const char *const ev[][3] = {{"e1", "paid", "2026-01-05T10:00:00Z"},
                                        {"e2", "shipped", "2026-01-06T10:00:00Z"},
                                        {"e3", "delivered", "2026-01-07T10:00:00Z"}};
    static const int orders[][3] = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {2, 0, 1}};
    char *first = NULL;
    for (size_t k = 0; k < sizeof orders / sizeof orders[0]; k++) {
        if (k > 0) {
            teardown(state);
            setup(state);
        }
        for (int i = 0; i < 3; i++) {
            const char *const *e = ev[orders[k][i]];
            assert_int_equal(feed(e[0], e[1], e[2]), SW_OK);
        }
        json_t *o = order();
        assert_string_equal(json_string_value(json_object_get(o, "status")), "delivered");
        char *times = json_dumps(json_object_get(o, "times"), JSON_SORT_KEYS);
        if (!first)
            first = times;
        else {
            assert_string_equal(times, first);
            free(times);
        }
        json_decref(o);
    }
    free(first);
}

static void test_access__clear_buyer_data_never_enters_a_command(void **state)
{
    assert_int_equal(
        test_exec(&env, "order.event", "ingest", NULL,
                  "{\"event_id\":\"e1\",\"order_id\":\"o1\",\"merchant\":\"m1\",\"status\":"
                  "\"paid\",\"at\":\"2026-01-05T10:00:00Z\",\"buyer\":{\"phone\":\"13812345678\"}}",
                  NULL),
        SW_E_UNKNOWN_FIELD);
    assert_int_equal(
        test_exec(&env, "order.event", "ingest", NULL,
                  "{\"event_id\":\"e1\",\"order_id\":\"o1\",\"merchant\":\"m1\",\"status\":"
                  "\"paid\",\"at\":\"2026-01-05T10:00:00Z\",\"buyer_masked\":{\"phone\":"
                  "\"13812345678\"}}",
                  NULL),
        SW_E_INVALID_VALUE);
    assert_int_equal(test_count(&env, "orders"), 0);
}

/* A sealed box's shape: 64+ base64 characters (what the adapter makes is longer). */
#define SEALED                                                                                     \
    "\"buyer_sealed\":\""                                                                          \
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3OA==\""

static int masked_event(const char *id, const char *buyer, bool sealed)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"event_id\":\"%s\",\"order_id\":\"o1\",\"merchant\":\"m1\",\"status\":\"paid\","
             "\"at\":\"2026-01-05T10:00:00Z\",\"buyer_masked\":%s%s%s}",
             id, buyer, sealed ? "," : "", sealed ? SEALED : "");
    return test_exec(&env, "order.event", "ingest", NULL, body, NULL);
}

/* Whatever way a command comes in, a "mask" is taken only in the exact shape the server's
 * masking makes: not merely something with a '*' in it. */
static void test_access__masks_are_checked_by_shape(void **state)
{
    static const char *const revealing[] = {
        "{\"phone\":\"123*4567\"}",
        "{\"phone\":\"1381234567*\"}",
        "{\"phone\":\"138*1234567\"}",
        "{\"name\":\"张*\"}",
        "{\"name\":\"张三丰*\"}",
        "{\"address\":\"浙江省杭州市西湖区文三路*\"}",
        "{\"address\":\"浙江省杭州市****\"}",
        "{\"name\":\"\"}",
    };
    for (size_t i = 0; i < sizeof revealing / sizeof revealing[0]; i++)
        if (masked_event("e1", revealing[i], true) != SW_E_INVALID_VALUE)
            fail_msg("'%s' was taken as a mask", revealing[i]);
    /* masks without their sealed copy, or a sealed copy that is no sealed box */
    assert_int_equal(masked_event("e1", "{\"phone\":\"138****5678\"}", false), SW_E_INVALID_VALUE);
    assert_int_equal(test_count(&env, "orders"), 0);
    assert_int_equal(masked_event("e1",
                                  "{\"name\":\"张**\",\"phone\":\"138****5678\","
                                  "\"address\":\"浙江省*******\"}",
                                  true),
                     SW_OK);
    assert_int_equal(test_count(&env, "orders"), 1);
}

static bool last_replayed;

static int feed_as(const char *actor, const char *idem, const char *event_id, const char *status)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"event_id\":\"%s\",\"order_id\":\"o1\",\"merchant\":\"m1\",\"status\":\"%s\","
             "\"at\":\"2026-01-05T10:00:00Z\"}",
             event_id, status);
    struct sw_cmd c;
    int rc = test_exec(&env, "order.event", actor, idem, body, &c);
    last_replayed = rc == SW_OK && c.replayed;
    if (rc == SW_OK)
        sw_cmd_release(&c);
    return rc;
}

/* A feed event is one fact, keyed by its event_id alone: from another caller, with or without
 * a caller's key, it is applied once; the same id with other content is a conflict naming
 * event_id. */
static void test_access__a_feed_event_is_applied_once_whoever_sends_it(void **state)
{
    assert_int_equal(feed_as("ingest", NULL, "e1", "paid"), SW_OK);
    assert_false(last_replayed);
    assert_int_equal(feed_as("operator", NULL, "e1", "paid"), SW_OK);
    assert_true(last_replayed);
    assert_int_equal(feed_as("ingest", "ingest|k1", "e1", "paid"), SW_OK);
    assert_true(last_replayed);
    assert_int_equal(feed_as("admin", "admin|k2", "e1", "paid"), SW_OK);
    assert_true(last_replayed);
    json_t *o = order();
    assert_int_equal(json_integer_value(json_object_get(o, "events")), 1);
    json_decref(o);
    struct sw_cmd c;
    assert_int_equal(test_exec(&env, "order.event", "ingest", "ingest|k3",
                               "{\"event_id\":\"e1\",\"order_id\":\"o1\",\"merchant\":\"m1\","
                               "\"status\":\"cancelled\",\"at\":\"2026-01-05T10:00:00Z\"}",
                               &c),
                     SW_E_IDEMPOTENCY_CONFLICT);
    assert_string_equal(c.err.field, "event_id");
    /* tracking events likewise */
    const char *track = "{\"id\":\"o1\",\"event_id\":\"t1\",\"at\":\"2026-01-05T10:00:00Z\","
                        "\"status\":\"picked_up\"}";
    assert_int_equal(test_exec(&env, "order.logistics", "ingest", NULL, track, NULL), SW_OK);
    assert_int_equal(test_exec(&env, "order.logistics", "operator", "operator|x", track, &c),
                     SW_OK);
    assert_true(c.replayed);
    sw_cmd_release(&c);
    assert_int_equal(test_count(&env, "logistics_events"), 1);
    assert_int_equal(test_count(&env, "orders"), 1);
}

/* Any printable UTF-8 up to 128 bytes is an event id; anything else is refused naming
 * event_id, never the Idempotency-Key. */
static void test_access__event_ids_are_printable_utf8(void **state)
{
    assert_int_equal(feed_as("ingest", NULL, "订单 42 已支付", "paid"), SW_OK);
    assert_int_equal(feed_as("ingest", NULL, "e 2", "shipped"), SW_OK);
    struct sw_cmd c;
    assert_int_equal(test_exec(&env, "order.event", "ingest", NULL,
                               "{\"event_id\":\"e\\u0007\",\"order_id\":\"o1\",\"merchant\":"
                               "\"m1\",\"status\":\"paid\",\"at\":\"2026-01-05T10:00:00Z\"}",
                               &c),
                     SW_E_INVALID_VALUE);
    assert_string_equal(c.err.field, "event_id");
    assert_int_equal(test_exec(&env, "order.logistics", "ingest", NULL,
                               "{\"id\":\"o1\",\"event_id\":\"\",\"at\":\"2026-01-05T10:00:00Z\","
                               "\"status\":\"s\"}",
                               &c),
                     SW_E_INVALID_VALUE);
    assert_string_equal(c.err.field, "event_id");
    json_t *o = order();
    assert_int_equal(json_integer_value(json_object_get(o, "events")), 2);
    json_decref(o);
}

/* Nested errors name their field by its path, written one way. */
static void test_access__item_errors_name_the_item_path(void **state)
{
    struct sw_cmd c;
    assert_int_equal(test_exec(&env, "order.event", "ingest", NULL,
                               "{\"event_id\":\"e1\",\"order_id\":\"o1\",\"merchant\":\"m1\","
                               "\"status\":\"paid\",\"at\":\"2026-01-05T10:00:00Z\",\"items\":["
                               "{\"product\":\"p1\",\"quantity\":1,\"price_fen\":1},"
                               "{\"product\":\"p1\",\"qty\":1}]}",
                               &c),
                     SW_E_UNKNOWN_FIELD);
    assert_string_equal(c.err.field, "items[1].qty");
    assert_string_equal(c.err.msg, "unknown field 'items[1].qty'");
    assert_int_equal(test_exec(&env, "order.event", "ingest", NULL,
                               "{\"event_id\":\"e1\",\"order_id\":\"o1\",\"merchant\":\"m1\","
                               "\"status\":\"paid\",\"at\":\"2026-01-05T10:00:00Z\",\"items\":["
                               "{\"product\":\"p1\",\"quantity\":0,\"price_fen\":1}]}",
                               &c),
                     SW_E_INVALID_VALUE);
    assert_string_equal(c.err.field, "items[0].quantity");
}

/* A page cursor naming another store's order answers exactly as one naming nothing. */
static void test_access__a_cursor_of_another_store_is_an_unknown_cursor(void **state)
{
    assert_int_equal(feed("e1", "paid", "2026-01-05T10:00:00Z"), SW_OK);
    assert_int_equal(test_exec(&env, "order.event", "ingest", NULL,
                               "{\"event_id\":\"x1\",\"order_id\":\"o2\",\"merchant\":\"m2\","
                               "\"status\":\"paid\",\"at\":\"2026-01-05T10:00:00Z\"}",
                               NULL),
                     SW_OK);
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *page = NULL;
    struct sw_error other, none;
    assert_int_equal(sw_access_list_orders(env.engine, c, "m1", "o2", 10, &page, &other),
                     SW_E_INVALID_VALUE);
    assert_int_equal(sw_access_list_orders(env.engine, c, "m1", "o9", 10, &page, &none),
                     SW_E_INVALID_VALUE);
    assert_string_equal(other.field, "after");
    assert_string_equal(other.field, none.field);
    assert_string_equal(other.msg, "unknown cursor 'o2'");
    assert_string_equal(none.msg, "unknown cursor 'o9'");
    /* its own order is a cursor */
    assert_int_equal(sw_access_list_orders(env.engine, c, "m1", "o1", 10, &page, &none), SW_OK);
    assert_int_equal(json_array_size(json_object_get(page, "orders")), 0);
    json_decref(page);
    sw_pool_release(sw_engine_readers(env.engine), c);
}

#define HASH64 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static void test_access__grants_open_and_close_app_access(void **state)
{
    assert_int_equal(feed("e1", "paid", "2026-01-05T10:00:00Z"), SW_OK);
    struct sw_cmd c;
    const char *read = "{\"order\":\"o1\",\"what\":\"order\"}";
    assert_int_equal(test_exec(&env, "order.access", "app:a1", NULL, read, &c), SW_OK);
    assert_false(json_is_true(json_object_get(c.result, "allowed")));
    sw_cmd_release(&c);
    /* a grant names an app that has a key */
    assert_int_equal(test_exec(&env, "grant.set", "merchant:m1", NULL,
                               "{\"id\":\"m1\",\"app\":\"a1\",\"granted\":true}", NULL),
                     SW_E_UNKNOWN_REFERENCE);
    assert_int_equal(test_exec(&env, "key.create", "cli", NULL,
                               "{\"id\":\"k-a1\",\"role\":\"app:a1\",\"hash\":\"" HASH64 "\"}",
                               NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "grant.set", "merchant:m1", NULL,
                               "{\"id\":\"m1\",\"app\":\"a1\",\"granted\":true}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "order.access", "app:a1", NULL, read, &c), SW_OK);
    assert_true(json_is_true(json_object_get(c.result, "allowed")));
    sw_cmd_release(&c);
    assert_int_equal(test_exec(&env, "grant.set", "merchant:m1", NULL,
                               "{\"id\":\"m1\",\"app\":\"a1\",\"granted\":false}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "order.access", "app:a1", NULL, read, &c), SW_OK);
    assert_false(json_is_true(json_object_get(c.result, "allowed")));
    sw_cmd_release(&c);
    /* only apps use order.access; only the store or staff grant */
    assert_int_equal(test_exec(&env, "order.access", "merchant:m1", NULL, read, NULL),
                     SW_E_FORBIDDEN);
    assert_int_equal(test_exec(&env, "grant.set", "app:a1", NULL,
                               "{\"id\":\"m1\",\"app\":\"a1\",\"granted\":true}", NULL),
                     SW_E_FORBIDDEN);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_access__arrival_order_does_not_change_the_record),
        T(test_access__clear_buyer_data_never_enters_a_command),
        T(test_access__grants_open_and_close_app_access),
        T(test_access__masks_are_checked_by_shape),
        T(test_access__a_feed_event_is_applied_once_whoever_sends_it),
        T(test_access__event_ids_are_printable_utf8),
        T(test_access__item_errors_name_the_item_path),
        T(test_access__a_cursor_of_another_store_is_an_unknown_cursor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
