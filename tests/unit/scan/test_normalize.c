#include "support.h"

#include <stdlib.h>
#include <string.h>

#include "scan/normalize.h"
#include "scan/normclass.h"

struct norm {
    char out[512];
    uint32_t map[520];
    size_t n;
};

static long norm(const char *in, struct norm *r)
{
    long bad = sw_normalize(in, strlen(in), r->out, r->map, &r->n);
    if (bad < 0)
        r->out[r->n] = '\0';
    return bad;
}

static void expect(const char *in, const char *want)
{
    struct norm r;
    assert_int_equal(norm(in, &r), -1);
    assert_string_equal(r.out, want);
}

static void test_normalize__folds_width_case_and_script(void **state)
{
    expect("ＡＢＣ１２３", "abc123");
    expect("Hello WORLD", "helloworld");
    expect("逆轉肌齡", "逆转肌龄"); /* traditional -> simplified from OpenCC's data */
    expect("微信號", "微信号");
    expect("ÀÉ", "àé");       /* Latin-1 capitals fold too */
    expect("①③⑨❶➀", "13911"); /* circled digits are digits */
    expect("ⓥⓧ", "vx");
    expect("\xF0\x9D\x90\x95\xF0\x9D\x90\x97", "vx"); /* mathematical bold V X */
    /* emoji standing for a word: QQ's penguin, the fish of 闲鱼; other emoji are dropped */
    expect("\xF0\x9F\x90\xA7:12345678", "qq:12345678"); /* the penguin is QQ */
    expect("闲\xF0\x9F\x90\x9F", "闲鱼");
    expect("好\xF0\x9F\x98\x80物", "好物");
}

static void test_normalize__drops_separators_and_decorations(void **state)
{
    expect("微 信", "微信");
    expect("微.信-号_码", "微信号码");
    expect("V❤信★", "v信");
    expect("a\u200bb\u200cc\u200dd\ufeffe", "abcde"); /* zero-width */
    expect("1\u00a02\u30003", "123");                 /* no-break and ideographic spaces */
    expect("微😀信🇨🇳", "微信");                        /* emoji, flags */
    expect("www.shop.com", "wwwshopcom");
    expect("1.5kg", "15kg");
    /* punctuation that separates words stays */
    expect("价格：129，好", "价格:129,好");
    expect("a+b@c", "a+b@c");
}

static void test_normalize__maps_back_to_original_offsets(void **state)
{
    struct norm r;
    const char *in = "加 V\xe4\xbf\xa1 ❤ ａ";
    assert_int_equal(norm(in, &r), -1);
    assert_string_equal(r.out, "加v信a");
    assert_int_equal(r.map[0], 0);              /* 加 */
    assert_int_equal(r.map[3], 4);              /* V after the space */
    assert_int_equal(r.map[4], 5);              /* 信 */
    assert_int_equal(r.map[7], strlen(in) - 3); /* ａ, full-width */
    assert_int_equal(r.map[r.n], strlen(in));
}

static void test_normalize__refuses_invalid_utf8_at_its_offset(void **state)
{
    struct norm r;
    assert_int_equal(norm("ab\xff", &r), 2);
    assert_int_equal(norm("a\xe4\xbf", &r), 1);        /* truncated */
    assert_int_equal(norm("\xc0\xaf", &r), 0);         /* overlong */
    assert_int_equal(norm("x\xed\xa0\x80", &r), 1);    /* surrogate */
    assert_int_equal(norm("\xf4\x90\x80\x80", &r), 0); /* above U+10FFFF */
    assert_int_equal(norm("\xe0\x80\x80", &r), 0);     /* overlong three-byte */
    assert_int_equal(sw_utf8_len((const unsigned char *)"\xe4\xbf\xa1", 3), 3);
    assert_int_equal(sw_utf8_len((const unsigned char *)"\xe4\xbf", 2), 0);
}

static void test_normalize__output_fits_the_documented_capacity(void **state)
{
    /* 䂎 (3 bytes) becomes a four-byte character: the worst growth is 4/3 */
    char in[300], out[SW_NORM_CAP(300)];
    uint32_t map[SW_NORM_CAP(300) + 1];
    size_t k = 0;
    while (k + 3 <= sizeof in - 1) {
        memcpy(in + k, "\xe4\x82\x8e", 3);
        k += 3;
    }
    size_t n = 0;
    assert_int_equal(sw_normalize(in, k, out, map, &n), -1);
    assert_int_equal(n, k / 3 * 4);
    assert_true(n + 4 <= SW_NORM_CAP(k));
}

static void test_normalize__finds_runs_of_digits_through_separators(void **state)
{
    const char *in = "型号 12345 电话 139 1234 5678,条码６９０１２３４５６７８９２ 手机①③⑨①②③④⑤⑥⑦⑧";
    char out[256];
    uint32_t map[257];
    size_t n = 0;
    struct sw_runs runs = {0};
    assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &runs), -1);
    assert_int_equal(runs.n, 6); /* three runs of 10+ digits: 5-digit model numbers are not */
    assert_memory_equal(out + runs.v[0], "13912345678", 11);
    assert_int_equal(runs.v[1] - runs.v[0], 11);
    assert_int_equal(runs.v[3] - runs.v[2], 13);
    assert_memory_equal(out + runs.v[4], "13912345678", 11);
    assert_int_equal(runs.v[5], n); /* a run at the very end is closed too */
    /* the same text normalises to the same bytes with or without runs */
    char out2[256];
    size_t n2 = 0;
    assert_int_equal(sw_normalize(in, strlen(in), out2, map, &n2), -1);
    assert_int_equal(n2, n);
    assert_memory_equal(out, out2, n);
    free(runs.v);
}

/* A number written over several lines is one run (a line break stands between two of its
 * digits as a comma may); two line breaks in a row, or a word, still end it. QQ's penguin is
 * written as qq. */
static void test_normalize__runs_go_on_over_line_breaks(void **state)
{
    (void)state;
    const char *in = "联系：13\n9 88\n76 5432\n\n1234567890 好 🐧";
    char out[256];
    uint32_t map[257];
    size_t n = 0;
    struct sw_runs runs = {0};
    assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &runs), -1);
    assert_int_equal(runs.n, 4);
    assert_memory_equal(out + runs.v[0], "13\n988\n765432", 13);
    assert_int_equal(runs.v[1] - runs.v[0], 13);
    assert_memory_equal(out + runs.v[2], "1234567890", 10);
    assert_int_equal(runs.v[3] - runs.v[2], 10);
    assert_memory_equal(out + n - 2, "qq", 2);
    assert_int_equal(map[n - 2], map[n - 1]); /* both letters come from the one emoji */
    free(runs.v);
}

/* The word-list prefilter's first stage runs in the same pass: with every bit set, the end of
 * each three-byte output character is probed (the scanner then looks at the ones that end three
 * such characters); dropped characters change nothing, and the output is the same bytes. */
static void test_normalize__probes_each_three_byte_character_for_the_prefilter(void **state)
{
    (void)state;
    const char *in = "a中 文字b汉🙂字";
    size_t words = (size_t)1 << (SW_PF_BITS - 6);
    uint64_t *bits = malloc(words * sizeof *bits);
    assert_non_null(bits);
    memset(bits, 0xFF, words * sizeof *bits);
    char out[64], plain[64];
    uint32_t map[65];
    size_t n = 0, n2 = 0;
    struct sw_runs runs = {.pf_bits = bits};
    assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &runs), -1);
    assert_int_equal(sw_normalize(in, strlen(in), plain, map, &n2), -1);
    assert_int_equal(n, n2);
    assert_memory_equal(out, plain, n);
    assert_memory_equal(out, "a中文字b汉字", n); /* the space and the emoji are dropped */
    static const uint32_t ends[] = {4, 7, 10, 14, 17};
    assert_int_equal(runs.maybe_n, 5);
    for (int k = 0; k < 5; k++)
        assert_int_equal(runs.maybe[k], ends[k]);
    memset(bits, 0, words * sizeof *bits); /* no bit set: nothing to look at */
    assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &runs), -1);
    assert_int_equal(runs.maybe_n, 0);
    free(runs.maybe);
    free(runs.v);
    free(bits);
}

/* The three loops (no runs; runs; runs and the prefilter) refuse the same bytes at the same
 * offset: a surrogate is caught by its table entry's bit inside the tracking loops, E0's
 * overlong forms by the long way round; U+0800-U+0FFF (E0 A0-BF) are characters. */
static void test_normalize__every_loop_refuses_the_same_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        long bad;
    } cases[] = {
        {"x\xed\xa0\x80", 1},
        {"12345\xed\xbf\xbf", 5},
        {"一五八\xed\xa0\x80", 9},
        {"\xe0\x80\x80", 0},
        {"ab\xe0\x9f\xbf", 2},
        {"\xe0\xa4", 0},
        {"\xe0\xa4\x95\xe0\xbf\xbf", -1},
        {"\xed\x9f\xbf\xee\x80\x80", -1},
        {"中\xef\xbf\xbd", -1},
    };
    size_t words = (size_t)1 << (SW_PF_BITS - 6);
    uint64_t *bits = calloc(words, sizeof *bits);
    assert_non_null(bits);
    char out[64];
    uint32_t map[65];
    size_t n = 0;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *in = cases[k].in;
        struct sw_runs plain = {0}, probed = {.pf_bits = bits};
        assert_int_equal(sw_normalize(in, strlen(in), out, map, &n), cases[k].bad);
        assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &plain), cases[k].bad);
        assert_int_equal(sw_normalize_runs(in, strlen(in), out, map, &n, &probed), cases[k].bad);
        if (cases[k].bad < 0)
            assert_int_equal(n, strlen(in)); /* these characters are kept as they are */
        free(plain.v);
        free(probed.v);
        free(probed.maybe);
    }
    free(bits);
}

/* The decoder takes the marks off a three-byte character's bytes in one subtraction: every
 * code point from U+0800 to U+FFFF (surrogates refused) comes out as its table entry says. */
static void test_normalize__every_three_byte_character_is_its_table_entry(void **state)
{
    (void)state;
    char out[16];
    uint32_t map[17];
    size_t n = 0;
    for (uint32_t cp = 0x800; cp <= 0xFFFF; cp++) {
        char in[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                      (char)(0x80 | (cp & 0x3F))};
        uint64_t e = sw__normtab[cp];
        struct sw_runs runs = {0};
        long bad = sw_normalize_runs(in, 3, out, map, &n, &runs);
        free(runs.v);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            assert_int_equal(bad, 0);
            continue;
        }
        assert_int_equal(bad, -1);
        size_t len = (size_t)((e >> 32) & 0xFF);
        uint32_t want = (uint32_t)e;
        assert_int_equal(n, len);
        assert_memory_equal(out, &want, len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize__folds_width_case_and_script),
        cmocka_unit_test(test_normalize__drops_separators_and_decorations),
        cmocka_unit_test(test_normalize__maps_back_to_original_offsets),
        cmocka_unit_test(test_normalize__refuses_invalid_utf8_at_its_offset),
        cmocka_unit_test(test_normalize__every_three_byte_character_is_its_table_entry),
        cmocka_unit_test(test_normalize__output_fits_the_documented_capacity),
        cmocka_unit_test(test_normalize__finds_runs_of_digits_through_separators),
        cmocka_unit_test(test_normalize__runs_go_on_over_line_breaks),
        cmocka_unit_test(test_normalize__probes_each_three_byte_character_for_the_prefilter),
        cmocka_unit_test(test_normalize__every_loop_refuses_the_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
