/* The fast reading of an impressions batch: the plain shape is read exactly; anything else is
 * left to the JSON parser (false), never half read. */
#include "support.h"

#include <string.h>

#include "domain/promotion/ingest_int.h"

static struct sw_promo_item items[8];

static bool read(const char *text, size_t *n)
{
    memset(items, 0, sizeof items);
    return sw__promo_read_fast(text, strlen(text), items, 8, n);
}

static void test_ingest_parse__the_plain_shape_in_any_key_order(void **state)
{
    size_t n = 0;
    assert_true(read(" {\"impressions\" : [ {\"impression_id\":\"a-1\",\"promotion\":\"pr7\","
                     "\"at\":\"2026-01-05T01:00:00Z\"},\n\t{\"at\":\"2026-01-05T09:00:01+08:00\","
                     "\"promotion\":\"x9\",\"impression_id\":\"b\"} ] } ",
                     &n));
    assert_int_equal(n, 2);
    assert_int_equal(items[0].len, 3);
    assert_memory_equal(items[0].id, "a-1", 3);
    assert_int_equal(items[0].rid, 7);
    assert_int_equal(items[0].at, test_instant("2026-01-05T01:00:00Z"));
    assert_int_equal(items[1].len, 1);
    assert_int_equal(items[1].rid, 0); /* not a promotion id: unknown_promotion later */
    assert_int_equal(items[1].at, test_instant("2026-01-05T01:00:01Z"));
}

static void test_ingest_parse__anything_else_goes_to_the_json_parser(void **state)
{
    static const char *const others[] = {
        "",
        "{}",
        "{\"impressions\":[]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\"}]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\",\"at\":\"x\"}]}",
        "{\"impressions\":[{\"impression_id\":\"\\u0041\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}]}",
        "{\"impressions\":[{\"impression_id\":\"é\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"impression_id\":\"b\","
        "\"at\":\"2026-01-05T01:00:00Z\"}]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\",\"extra\":\"1\"}]}",
        "{\"impressions\":[{\"impression_id\":\"\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}]} x",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"},]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":1,"
        "\"at\":\"2026-01-05T01:00:00Z\"}]}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}],\"more\":1}",
        "{\"impressions\":[{\"impression_id\":\"a\",\"promotion\":\"pr1\","
        "\"at\":\"2026-01-05T01:00:00Z\"}",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        size_t n = 0;
        if (read(others[i], &n))
            fail_msg("read fast: %s", others[i]);
    }
}

static void test_ingest_parse__more_items_than_room_is_not_read(void **state)
{
    char text[4096] = "{\"impressions\":[";
    for (int i = 0; i < 9; i++)
        strcat(
            text,
            i ? ",{\"impression_id\":\"a\",\"promotion\":\"pr1\",\"at\":\"2026-01-05T01:00:00Z\"}"
              : "{\"impression_id\":\"a\",\"promotion\":\"pr1\",\"at\":\"2026-01-05T01:00:00Z\"}");
    strcat(text, "]}");
    size_t n = 0;
    assert_false(read(text, &n)); /* 9 > 8: the JSON path answers batch_too_large */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ingest_parse__the_plain_shape_in_any_key_order),
        cmocka_unit_test(test_ingest_parse__anything_else_goes_to_the_json_parser),
        cmocka_unit_test(test_ingest_parse__more_items_than_room_is_not_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
