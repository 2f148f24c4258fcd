#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static int parse(const char *s, size_t n)
{
    json_t *v = NULL;
    struct sw_error err;
    int rc = sw_json_parse(s, n, &v, &err);
    json_decref(v);
    return rc;
}

static char *nested(int depth)
{
    char *s = malloc((size_t)depth * 2 + 1);
    for (int i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth * 2 - 1 - i] = ']';
    }
    s[depth * 2] = '\0';
    return s;
}

static void test_json__depth_limit(void **state)
{
    char *ok = nested(SW_JSON_MAX_DEPTH), *deep = nested(SW_JSON_MAX_DEPTH + 1);
    char *hostile = nested(100000);
    assert_int_equal(parse(ok, strlen(ok)), SW_OK);
    assert_int_equal(parse(deep, strlen(deep)), SW_E_JSON_TOO_DEEP);
    /* 100,000 levels are refused by a linear scan, before jansson recurses into them. */
    assert_int_equal(parse(hostile, strlen(hostile)), SW_E_JSON_TOO_DEEP);
    assert_int_equal(parse(hostile, 20000), SW_E_JSON_TOO_DEEP);
    free(ok);
    free(deep);
    free(hostile);
    /* Brackets inside strings do not count. */
    const char *s = "{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}";
    assert_int_equal(parse(s, strlen(s)), SW_OK);
}

static void test_json__size_limit(void **state)
{
    size_t n = SW_JSON_MAX_BYTES + 1;
    char *s = malloc(n);
    memset(s, ' ', n);
    s[0] = '1';
    assert_int_equal(parse(s, n), SW_E_PAYLOAD_TOO_LARGE);
    assert_int_equal(parse(s, n - 1), SW_OK);
    free(s);
}

static void test_json__refuses_bad_documents(void **state)
{
    static const struct {
        const char *text;
        int code;
    } cases[] = {
        {"{\"a\":1,\"a\":2}", SW_E_INVALID_JSON},
        {"{\"a\":\"\\u0000\"}", SW_E_INVALID_JSON},
        {"{\"a\":1", SW_E_INVALID_JSON},
        {"{\"a\":1} x", SW_E_INVALID_JSON},
        {"", SW_E_INVALID_JSON},
        {"{\"a\":\"\xff\"}", SW_E_INVALID_UTF8},
        {"{\"a\":\"\xc0\xaf\"}", SW_E_INVALID_UTF8},
        {"{\"a\":\"\xed\xa0\x80\"}", SW_E_INVALID_UTF8},
        {"{\"a\":\"\xe4\xbd\"}", SW_E_INVALID_UTF8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(parse(cases[i].text, strlen(cases[i].text)), cases[i].code);
    const char *ok = "{\"a\":\"中文 ok\"}";
    assert_int_equal(parse(ok, strlen(ok)), SW_OK);
}

static void test_json__field_reader_types_and_unknowns(void **state)
{
    json_t *o = json_loads("{\"id\":\"p1\",\"n\":3,\"price\":\"12.30\",\"at\":"
                           "\"2026-01-05T00:00:00Z\",\"tags\":[\"a\",\"b\"]}",
                           0, NULL);
    const char *id = NULL;
    int64_t n = 0, price = 0, at = 0;
    json_t *tags = NULL;
    bool has_n = false;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL}, {"n", SW_J_INT, 0, &n, 10, &has_n},
        {"price", SW_J_YUAN, 0, &price, 0, NULL},     {"at", SW_J_INSTANT, 0, &at, 0, NULL},
        {"tags", SW_J_STRARR, 0, &tags, 2, NULL},
    };
    struct sw_error err;
    assert_int_equal(sw_json_read(o, "", f, 5, true, &err), SW_OK);
    assert_string_equal(id, "p1");
    assert_int_equal(n, 3);
    assert_true(has_n);
    assert_int_equal(price, 1230);
    assert_int_equal(at, test_instant("2026-01-05T00:00:00Z"));
    assert_int_equal(json_array_size(tags), 2);

    assert_int_equal(sw_json_read(o, "", f, 4, true, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "tags");
    f[1].max = 2;
    assert_int_equal(sw_json_read(o, "", f, 5, true, &err), SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "n");
    json_decref(o);

    o = json_loads("{\"id\":7}", 0, NULL);
    assert_int_equal(sw_json_read(o, "body", f, 1, true, &err), SW_E_WRONG_TYPE);
    assert_string_equal(err.field, "body.id");
    json_decref(o);
    o = json_loads("{}", 0, NULL);
    assert_int_equal(sw_json_read(o, "", f, 1, true, &err), SW_E_MISSING_FIELD);
    json_decref(o);
    o = json_loads("{\"id\":\"has space\"}", 0, NULL);
    assert_int_equal(sw_json_read(o, "", f, 1, true, &err), SW_E_INVALID_VALUE);
    json_decref(o);
}

/* sw_json_dump must write exactly what jansson's JSON_COMPACT writes. */
static void test_json__dump_matches_jansson(void **state)
{
    static const char *const docs[] = {
        "{}",
        "[]",
        "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
        "{\"title\":\"烟酰胺身体乳 200ml ❤ 薇信\",\"n\":-9223372036854775808}",
        "[\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bs \\b ff \\f\"]",
        "[\"\\u0001\\u001f\\u007f ctrl\",\"\\u00e9\\u4e2d\\ud83d\\ude00\"]",
        "[1.0,0.1,1e300,-2.5,123456789.125,0.0,1e-5,2.5e-300,1e20,1e21]",
        "{\"z\":1,\"a\":2,\"m\":{\"y\":[[[]]],\"b\":{}}}",
        "\"just a string\"",
        "9007199254740993",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_error_t je;
        json_t *v = json_loads(docs[i], JSON_DECODE_ANY, &je);
        if (!v)
            fail_msg("doc %zu does not parse: %s", i, je.text);
        char *ours = sw_json_dump(v);
        char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (strcmp(ours, theirs) != 0)
            fail_msg("doc %zu:\n ours   %s\n jansson %s", i, ours, theirs);
        free(ours);
        free(theirs);
        json_decref(v);
    }
    /* a long string that crosses buffer growth */
    json_t *big = json_object();
    char *text = malloc(100001);
    for (int i = 0; i < 100000; i++)
        text[i] = (char)('a' + i % 26);
    text[100000] = '\0';
    json_object_set_new(big, "t", json_string(text));
    char *ours = sw_json_dump(big), *theirs = json_dumps(big, JSON_COMPACT);
    assert_string_equal(ours, theirs);
    free(ours);
    free(theirs);
    free(text);
    json_decref(big);
}

static void test_json__ids(void **state)
{
    assert_true(sw_id_valid("p1"));
    assert_true(sw_id_valid("merchant:m-1_a.b"));
    assert_false(sw_id_valid(""));
    assert_false(sw_id_valid("a b"));
    assert_false(sw_id_valid("商品"));
    assert_false(sw_id_valid("a/b"));
    char long_id[80];
    memset(long_id, 'a', 65);
    long_id[65] = '\0';
    assert_false(sw_id_valid(long_id));
    long_id[64] = '\0';
    assert_true(sw_id_valid(long_id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json__depth_limit),
        cmocka_unit_test(test_json__size_limit),
        cmocka_unit_test(test_json__refuses_bad_documents),
        cmocka_unit_test(test_json__field_reader_types_and_unknowns),
        cmocka_unit_test(test_json__dump_matches_jansson),
        cmocka_unit_test(test_json__ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
