#include "support.h"

#include <stdio.h>
#include <string.h>

#include "base/map.h"

static void test_map__put_get_delete_many(void **state)
{
    struct sw_map m;
    sw_map_init(&m);
    char k[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(k, sizeof k, "key-%d", i);
        assert_true(sw_map_put(&m, k, strlen(k), (uint64_t)i));
    }
    assert_int_equal(m.count, 100000);
    for (int i = 0; i < 100000; i += 2) {
        snprintf(k, sizeof k, "key-%d", i);
        assert_true(sw_map_del(&m, k, strlen(k)));
    }
    for (int i = 0; i < 100000; i++) {
        uint64_t v = 0;
        snprintf(k, sizeof k, "key-%d", i);
        assert_int_equal(sw_map_get(&m, k, strlen(k), &v), i % 2 == 1);
        if (i % 2)
            assert_int_equal(v, i);
    }
    assert_true(sw_map_put(&m, "key-1", 5, 42));
    uint64_t v;
    assert_true(sw_map_get(&m, "key-1", 5, &v));
    assert_int_equal(v, 42);
    assert_int_equal(m.count, 50000);
    sw_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map__put_get_delete_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
