#include "support.h"

#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"

static void test_arena__aligned_and_reusable(void **state)
{
    struct sw_arena a;
    sw_arena_init(&a, 0);
    for (int i = 0; i < 1000; i++) {
        void *p = sw_arena_alloc(&a, (size_t)(i % 37) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        memset(p, 0xab, (size_t)(i % 37) + 1);
    }
    char *big = sw_arena_alloc(&a, 100000); /* larger than a block: its own block */
    assert_non_null(big);
    memset(big, 1, 100000);
    assert_string_equal(sw_arena_strdup(&a, "颜夕"), "颜夕");
    assert_string_equal(sw_arena_strndup(&a, "abcdef", 3), "abc");
    sw_arena_reset(&a);
    assert_int_equal(a.used_bytes, 0);
    assert_non_null(sw_arena_alloc(&a, 10));
    sw_arena_release(&a);
}

static void test_arena__limit_is_enforced(void **state)
{
    struct sw_arena a;
    sw_arena_init(&a, 64);
    assert_non_null(sw_arena_alloc(&a, 32));
    assert_non_null(sw_arena_alloc(&a, 32));
    assert_null(sw_arena_alloc(&a, 1));
    assert_null(sw_arena_alloc(&a, SIZE_MAX)); /* no overflow in the rounding */
    sw_arena_release(&a);
}

static void test_buf__bounded_appends_leave_the_buffer_intact(void **state)
{
    struct sw_buf b;
    sw_buf_init(&b, 10);
    assert_true(sw_buf_puts(&b, "hello"));
    assert_true(sw_buf_printf(&b, "%d", 1234));
    assert_string_equal(b.data, "hello1234");
    assert_false(sw_buf_puts(&b, "xy")); /* would make 11 > 10 */
    assert_string_equal(b.data, "hello1234");
    assert_int_equal(b.len, 9);
    assert_false(sw_buf_printf(&b, "%s", "long text"));
    assert_true(sw_buf_append(&b, "!", 1));
    char *s = sw_buf_steal(&b);
    assert_string_equal(s, "hello1234!");
    free(s);
    assert_null(b.data);
    sw_buf_release(&b);
}

static void test_err__codes_names_and_statuses(void **state)
{
    assert_string_equal(sw_err_name(SW_E_NOT_FOUND), "not_found");
    assert_int_equal(sw_err_http_status(SW_E_NOT_FOUND), 404);
    assert_int_equal(sw_err_http_status(SW_E_MAINTENANCE), 503);
    assert_int_equal(sw_err_http_status(SW_E_PAYLOAD_TOO_LARGE), 413);
    assert_int_equal(sw_err_from_name("idempotency_conflict"), SW_E_IDEMPOTENCY_CONFLICT);
    assert_int_equal(sw_err_from_name("nope"), -1);
    assert_string_equal(sw_err_name(-5), "internal");
    /* names are unique snake_case and statuses are HTTP statuses */
    for (int i = 0; i < SW_E__COUNT; i++) {
        const char *n = sw_err_name(i);
        assert_int_equal(sw_err_from_name(n), i);
        for (const char *p = n; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
        assert_true(sw_err_http_status(i) >= 200 && sw_err_http_status(i) < 600);
    }
    struct sw_error e;
    assert_int_equal(sw_fail(&e, SW_E_INVALID_VALUE, "price", "bad '%s'", "x"), SW_E_INVALID_VALUE);
    assert_string_equal(e.field, "price");
    assert_string_equal(e.msg, "bad 'x'");
    assert_int_equal(sw_fail(NULL, SW_E_BUSY, NULL, "ignored"), SW_E_BUSY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena__aligned_and_reusable),
        cmocka_unit_test(test_arena__limit_is_enforced),
        cmocka_unit_test(test_buf__bounded_appends_leave_the_buffer_intact),
        cmocka_unit_test(test_err__codes_names_and_statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
