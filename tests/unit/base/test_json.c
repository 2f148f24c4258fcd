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

/* Several problems: an unknown key first, then the fields in their declared order, whatever
 * the order of the keys in the document. */
static void test_json__problems_come_in_field_order(void **state)
{
    const char *id = NULL, *ref = NULL;
    int64_t amount = 0;
    struct sw_jfield f[] = {
        {"id", SW_J_ID, SW_J_REQUIRED, &id, 0, NULL},
        {"amount", SW_J_YUAN, 0, &amount, 0, NULL},
        {"ref", SW_J_ID, SW_J_REQUIRED, &ref, 0, NULL},
    };
    struct sw_error err;
    json_t *o = json_loads("{\"ref\":7,\"amount\":\"x\",\"id\":\"m1\"}", 0, NULL);
    assert_int_equal(sw_json_read(o, "", f, 3, true, &err), SW_E_INVALID_VALUE);
    assert_string_equal(err.field, "amount");
    json_decref(o);
    o = json_loads("{\"ref\":7,\"amout\":\"1\"}", 0, NULL);
    assert_int_equal(sw_json_read(o, "", f, 3, true, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "amout");
    assert_int_equal(sw_json_unknown(o, "", f, 3, &err), SW_E_UNKNOWN_FIELD);
    json_decref(o);
    o = json_loads("{\"ref\":7}", 0, NULL);
    assert_int_equal(sw_json_unknown(o, "", f, 3, &err), SW_OK);
    assert_int_equal(sw_json_read(o, "", f, 3, true, &err), SW_E_MISSING_FIELD);
    assert_string_equal(err.field, "id");
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

/* Appending to a buffer writes what jansson writes for that value after what was there, and
 * a buffer's limit is kept: past it, the buffer is left as it was. */
static void test_json__appends_to_a_buffer_as_jansson_writes(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "\"quote \\\" backslash \\\\ tab \\t nl \\n \\u0001 中文\"",
        "{\"event_id\":\"e1\",\"n\":[1,null,true]}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_t *v = json_loads(docs[i], JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        char *theirs = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        struct sw_buf b;
        sw_buf_init(&b, 0);
        assert_true(sw_buf_puts(&b, "x:"));
        assert_true(json_is_string(v)
                        ? sw_json_buf_string(&b, json_string_value(v), json_string_length(v))
                        : sw_json_buf_value(&b, v));
        assert_string_equal(b.data + 2, theirs);
        assert_int_equal(b.len, strlen(theirs) + 2);
        sw_buf_release(&b);
        free(theirs);
        json_decref(v);
    }
    struct sw_buf small;
    sw_buf_init(&small, 8);
    assert_true(sw_buf_puts(&small, "ab"));
    assert_false(sw_json_buf_string(&small, "0123456789", 10));
    assert_string_equal(small.data, "ab");
    assert_int_equal(small.len, 2);
    sw_buf_release(&small);
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

/* Paths are written one way everywhere: names joined by one '.', indexes in brackets, for
 * objects in arrays and arrays in objects alike, whether the caller's base ends in '.' or not. */
static void test_json__paths_of_nested_fields_have_one_dot(void **state)
{
    int64_t qty = 0;
    struct sw_jfield f[] = {{"quantity", SW_J_INT, SW_J_REQUIRED, &qty, 0, NULL}};
    struct sw_error err;
    json_t *o = json_loads("{\"quantity\":1,\"qty\":2}", 0, NULL);
    /* an object in an array */
    assert_int_equal(sw_json_read(o, "items[0]", f, 1, true, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "items[0].qty");
    assert_string_equal(err.msg, "unknown field 'items[0].qty'");
    assert_int_equal(sw_json_read(o, "items[0].", f, 1, true, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "items[0].qty");
    json_decref(o);
    /* an object in an array in an object in an array */
    char base[64], path[64];
    sw_json_path_index(base, sizeof base, "orders", 2);
    sw_json_path_key(path, sizeof path, base, "items");
    sw_json_path_index(base, sizeof base, path, 1);
    assert_string_equal(base, "orders[2].items[1]");
    o = json_loads("{\"quantity\":\"x\"}", 0, NULL);
    assert_int_equal(sw_json_read(o, base, f, 1, true, &err), SW_E_WRONG_TYPE);
    assert_string_equal(err.field, "orders[2].items[1].quantity");
    json_decref(o);
    o = json_loads("{}", 0, NULL);
    assert_int_equal(sw_json_read(o, "buyer.", f, 1, true, &err), SW_E_MISSING_FIELD);
    assert_string_equal(err.field, "buyer.quantity");
    json_decref(o);
    /* at the top level the name is the path; an index on a trailing-dot base */
    sw_json_path_key(path, sizeof path, "", "qty");
    assert_string_equal(path, "qty");
    sw_json_path_index(path, sizeof path, "a.b.", 3);
    assert_string_equal(path, "a.b[3]");
    /* the policy checker's paths go the same way */
    json_t *problems = json_array();
    o = json_loads("{\"a\":[1]}", 0, NULL);
    assert_null(sw_json_want(problems, o, "$.x[0]", "a", JSON_OBJECT, true));
    assert_string_equal(json_string_value(json_object_get(json_array_get(problems, 0), "path")),
                        "$.x[0].a");
    json_decref(o);
    json_decref(problems);
}

/* A feed's event id is any printable UTF-8 up to 128 bytes: spaces and CJK are fine, control
 * characters are not. */
static void test_json__event_ids_take_printable_utf8(void **state)
{
    assert_true(sw_event_id_valid("e1"));
    assert_true(sw_event_id_valid("order 42 paid"));
    assert_true(sw_event_id_valid("订单-42-已支付"));
    assert_true(sw_event_id_valid("évènement/42#ü"));
    assert_false(sw_event_id_valid(""));
    assert_false(sw_event_id_valid("a\tb"));
    assert_false(sw_event_id_valid("a\nb"));
    assert_false(sw_event_id_valid("a\x7f"));
    assert_false(sw_event_id_valid("a\xc2\x85"
                                   "b")); /* U+0085, a C1 control */
    assert_false(sw_event_id_valid("\xff\xfe"));
    char id[200];
    memset(id, 'a', 128);
    id[128] = '\0';
    assert_true(sw_event_id_valid(id));
    id[128] = 'a';
    id[129] = '\0';
    assert_false(sw_event_id_valid(id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json__depth_limit),
        cmocka_unit_test(test_json__size_limit),
        cmocka_unit_test(test_json__refuses_bad_documents),
        cmocka_unit_test(test_json__field_reader_types_and_unknowns),
        cmocka_unit_test(test_json__problems_come_in_field_order),
        cmocka_unit_test(test_json__dump_matches_jansson),
        cmocka_unit_test(test_json__appends_to_a_buffer_as_jansson_writes),
        cmocka_unit_test(test_json__ids),
        cmocka_unit_test(test_json__paths_of_nested_fields_have_one_dot),
        cmocka_unit_test(test_json__event_ids_take_printable_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
