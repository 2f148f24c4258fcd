#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"

/* Whatever a string holds, the escaped form inside quotes parses back as JSON: quotes,
 * backslashes and control characters escaped, other bytes outside ASCII replaced. */
static void test_log__escape_makes_valid_json_strings(void **state)
{
    static const char *const cases[][2] = {
        {"plain /v1/products/{id}", "plain /v1/products/{id}"},
        {"a\"b\\c", "a\"b\\c"},
        {"tab\there\nnl\x01\x7f", "tab\there\nnl\x01\x7f"},
        {"\xff\xfe caf\xc3\xa9", "?? caf??"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char esc[256], doc[300];
        sw_log_escape(cases[i][0], esc, sizeof esc);
        snprintf(doc, sizeof doc, "[\"%s\"]", esc);
        json_error_t e;
        json_t *v = json_loads(doc, 0, &e);
        assert_non_null(v);
        assert_string_equal(json_string_value(json_array_get(v, 0)), cases[i][1]);
        json_decref(v);
    }
    /* A cut never splits an escape. */
    char small[4];
    assert_int_equal(sw_log_escape("ab\"", small, sizeof small), 2);
    assert_string_equal(small, "ab");
}

static void test_log__levels_parse_and_filter(void **state)
{
    enum sw_log_level l;
    assert_true(sw_log_parse_level("warn", &l));
    assert_int_equal(l, SW_LOG_WARN);
    assert_false(sw_log_parse_level("loud", &l));
    sw_log_set_level(SW_LOG_WARN);
    assert_false(sw_log_enabled(SW_LOG_INFO));
    assert_true(sw_log_enabled(SW_LOG_ERROR));
    sw_log_set_level(SW_LOG_INFO);
    assert_true(sw_log_enabled(SW_LOG_INFO));
    assert_false(sw_log_enabled(SW_LOG_DEBUG));
}

/* In JSON mode a line is one object; invalid UTF-8 in the message does not lose it. */
static void test_log__json_line_survives_invalid_utf8(void **state)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int saved = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    sw_log_set_json(true);
    sw_log(SW_LOG_WARN, "test.event", "bad \xff byte and a \"quote\"");
    sw_log_set_json(false);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fds[1]);
    char buf[1024] = {0};
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    assert_true(n > 0 && buf[n - 1] == '\n');
    json_error_t e;
    json_t *o = json_loads(buf, 0, &e);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "level")), "warn");
    assert_string_equal(json_string_value(json_object_get(o, "event")), "test.event");
    assert_string_equal(json_string_value(json_object_get(o, "msg")), "bad ? byte and a \"quote\"");
    assert_non_null(json_object_get(o, "time"));
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_log__escape_makes_valid_json_strings),
        cmocka_unit_test(test_log__levels_parse_and_filter),
        cmocka_unit_test(test_log__json_line_survives_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
