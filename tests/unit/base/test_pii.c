#include "support.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/pii.h"

static void test_pii__masks_keep_only_what_identifies_an_order(void **state)
{
    static const struct {
        void (*fn)(const char *, char *, size_t);
        const char *in, *out;
    } cases[] = {
        {sw_pii_mask_phone, "13812345678", "138****5678"},
        {sw_pii_mask_phone, "+86 138-1234-5678", "*********5678"},
        {sw_pii_mask_phone, "0571-88886666", "********6666"},
        {sw_pii_mask_phone, "1234567", "*****67"},
        {sw_pii_mask_phone, "12345678", "******78"},
        {sw_pii_mask_phone, "12345", "****5"},
        {sw_pii_mask_phone, "", "*"},
        {sw_pii_mask_name, "张三", "**"},
        {sw_pii_mask_name, "张三丰", "张**"},
        {sw_pii_mask_name, "欧阳娜娜", "欧***"},
        {sw_pii_mask_name, "李", "*"},
        {sw_pii_mask_name, "Li Lei", "L*****"},
        {sw_pii_mask_address, "浙江省杭州市西湖区文三路 90 号 3 幢", "浙江省杭州市***************"},
        {sw_pii_mask_address, "浙江省杭州市西湖区文三路 90 号", "浙江省**************"},
        {sw_pii_mask_address, "北京朝阳区", "*****"},
        {sw_pii_mask_address, "", "*"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        cases[i].fn(cases[i].in, out, sizeof out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu '%s': got '%s', want '%s'", i, cases[i].in, out, cases[i].out);
    }
    /* a mask never overruns its buffer */
    char small[8];
    sw_pii_mask_address("浙江省杭州市西湖区", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
}

/* The first n code points of s, and how many bytes they take. */
static size_t take(const char *s, size_t n, char *out)
{
    size_t b = 0;
    for (size_t i = 0; i < n && s[b]; i++)
        do
            b++;
        while (((unsigned char)s[b] & 0xc0) == 0x80);
    memcpy(out, s, b);
    out[b] = '\0';
    return b;
}

static size_t cps(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* What a mask shows: its characters other than '*', which must be the value's own (a prefix
 * for names and addresses, the phone's digits in place). */
static size_t shown(const char *mask)
{
    size_t n = 0;
    for (const char *p = mask; *p; p++)
        n += *p != '*' && ((unsigned char)*p & 0xc0) != 0x80;
    return n;
}

static void check_prefix_mask(const char *in, const char *mask, size_t n, size_t max_shown)
{
    size_t k = shown(mask);
    char head[256];
    size_t hb = take(in, k, head);
    if (k > max_shown || cps(mask) != n || strcmp(mask, in) == 0 || strncmp(mask, head, hb) != 0 ||
        strspn(mask + hb, "*") != n - k)
        fail_msg("'%s' -> '%s': %zu shown of %zu (at most %zu)", in, mask, k, n, max_shown);
}

/* For every length 1..20: at most a third shown (rounded down; an 11-digit mobile 3 + 4), one
 * character per character of the value, never the value itself, and a shape the domain
 * accepts. */
static void test_pii__masks_show_at_most_a_third_at_every_length(void **state)
{
    static const char mobile[] = "13912345678901234567";
    static const char landline[] = "05712345678901234567";
    static const char names[] = "欧阳娜娜张三丰李小龙王五赵六钱七孙八周九";
    static const char addr[] = "广东省佛山市顺德区大良街道凤山路八号楼一";
    char in[128], out[256];
    for (size_t n = 1; n <= 20; n++) {
        for (int which = 0; which < 2; which++) {
            take(which ? landline : mobile, n, in);
            sw_pii_mask_phone(in, out, sizeof out);
            size_t k = shown(out);
            bool is_mobile = n == 11 && which == 0;
            if (is_mobile ? strcmp(out, "139****5678") != 0 : k > n / 3)
                fail_msg("phone '%s' -> '%s' shows %zu", in, out, k);
            assert_int_equal(strlen(out), n);
            assert_string_not_equal(out, in);
            for (size_t i = 0; i < n; i++)
                assert_true(out[i] == '*' || out[i] == in[i]);
            assert_true(sw_pii_phone_is_masked(out));
        }
        take(names, n, in);
        sw_pii_mask_name(in, out, sizeof out);
        check_prefix_mask(in, out, n, n / 3 < 1 ? n / 3 : 1);
        assert_true(sw_pii_name_is_masked(out));
        take(addr, n, in);
        sw_pii_mask_address(in, out, sizeof out);
        check_prefix_mask(in, out, n, n / 3);
        assert_true(sw_pii_address_is_masked(out));
    }
}

/* The domain takes only what the masks make: clear text and masks that show more are not
 * masks, whatever '*' they hold. */
static void test_pii__only_the_mask_shape_counts_as_masked(void **state)
{
    static const char *const not_phones[] = {
        "13812345678",         "123*4567", "1234567*", "*******5678", "138***5678",
        "138****567a",         "",         "1*",       "*1",          "13****45678",
        "**********1234567890"};
    for (size_t i = 0; i < sizeof not_phones / sizeof not_phones[0]; i++)
        if (sw_pii_phone_is_masked(not_phones[i]))
            fail_msg("phone '%s' taken as a mask", not_phones[i]);
    static const char *const phones[] = {"138****5678", "********678", "*****67", "*", "**"};
    for (size_t i = 0; i < sizeof phones / sizeof phones[0]; i++)
        assert_true(sw_pii_phone_is_masked(phones[i]));
    static const char *const not_names[] = {"张三", "张*", "张三*",  "*张*",
                                            "**张", "",    "L*i***", "\x01**"};
    for (size_t i = 0; i < sizeof not_names / sizeof not_names[0]; i++)
        if (sw_pii_name_is_masked(not_names[i]))
            fail_msg("name '%s' taken as a mask", not_names[i]);
    assert_true(sw_pii_name_is_masked("张**"));
    assert_true(sw_pii_name_is_masked("**"));
    static const char *const not_addresses[] = {"浙江省杭州市西湖区",
                                                "浙江省杭州市****",
                                                "浙江省杭州*************",
                                                "浙江省杭州市西湖区*",
                                                "浙*江省******",
                                                "",
                                                "杭州市***"};
    for (size_t i = 0; i < sizeof not_addresses / sizeof not_addresses[0]; i++)
        if (sw_pii_address_is_masked(not_addresses[i]))
            fail_msg("address '%s' taken as a mask", not_addresses[i]);
    assert_true(sw_pii_address_is_masked("浙江省杭州市***************"));
    assert_true(sw_pii_address_is_masked("*****"));
}

/* The server side of the feed: the clear buyer becomes masks and a sealed box; masked or
 * sealed data from a client is refused. */
static void test_pii__seal_buyer_replaces_the_clear_data(void **state)
{
    assert_true(sodium_init() >= 0);
    unsigned char pk[32], sk[32];
    crypto_box_keypair(pk, sk);
    struct sw_error err;
    json_t *p = json_pack("{s:s,s:{s:s,s:s}}", "event_id", "e1", "buyer", "name", "张三丰", "phone",
                          "13812345678");
    assert_int_equal(sw_pii_seal_buyer(pk, p, &err), SW_OK);
    assert_null(json_object_get(p, "buyer"));
    json_t *m = json_object_get(p, "buyer_masked");
    assert_string_equal(json_string_value(json_object_get(m, "name")), "张**");
    assert_string_equal(json_string_value(json_object_get(m, "phone")), "138****5678");
    char *clear = NULL;
    assert_int_equal(
        sw_pii_open(pk, sk, json_string_value(json_object_get(p, "buyer_sealed")), &clear, &err),
        SW_OK);
    assert_non_null(strstr(clear, "13812345678"));
    free(clear);
    /* what only the server makes cannot come from outside, with or without a buyer */
    assert_int_equal(sw_pii_seal_buyer(pk, p, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "buyer_masked");
    json_decref(p);
    p = json_pack("{s:s,s:{s:s}}", "buyer_sealed", "AAAA", "buyer", "phone", "1");
    assert_int_equal(sw_pii_seal_buyer(pk, p, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "buyer_sealed");
    json_decref(p);
    p = json_pack("{s:{s:s}}", "buyer", "ssn", "x");
    assert_int_equal(sw_pii_seal_buyer(pk, p, &err), SW_E_UNKNOWN_FIELD);
    assert_string_equal(err.field, "buyer.ssn");
    json_decref(p);
    /* without a key a buyer cannot be taken; without a buyer nothing changes */
    p = json_pack("{s:s,s:{s:s}}", "event_id", "e2", "buyer", "phone", "1");
    assert_int_equal(sw_pii_seal_buyer(NULL, p, &err), SW_E_RULE_REFUSED);
    json_object_del(p, "buyer");
    assert_int_equal(sw_pii_seal_buyer(NULL, p, &err), SW_OK);
    assert_int_equal(json_object_size(p), 1);
    json_decref(p);
}

static void test_pii__sealed_data_opens_only_with_its_key(void **state)
{
    assert_true(sodium_init() >= 0);
    char path[] = "/tmp/sw-pii-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    unsigned char pk[32], sk[32], pk2[32], sk2[32];
    bool created;
    struct sw_error err;
    assert_int_equal(sw_pii_key_file(path, pk, sk, &created, &err), SW_OK);
    assert_true(created);
    assert_int_equal(sw_pii_key_file(path, pk2, sk2, &created, &err), SW_OK);
    assert_false(created);
    assert_memory_equal(pk, pk2, 32);
    const char *clear = "{\"phone\":\"13812345678\"}";
    char *b64 = NULL, *back = NULL;
    assert_int_equal(sw_pii_seal(pk, clear, strlen(clear), &b64, &err), SW_OK);
    assert_null(strstr(b64, "1381234"));
    assert_int_equal(sw_pii_open(pk, sk, b64, &back, &err), SW_OK);
    assert_string_equal(back, clear);
    free(back);
    /* another key cannot open it; a changed byte is detected */
    unsigned char opk[32], osk[32];
    crypto_box_keypair(opk, osk);
    assert_int_equal(sw_pii_open(opk, osk, b64, &back, &err), SW_E_INVALID_VALUE);
    b64[10] = b64[10] == 'A' ? 'B' : 'A';
    assert_int_equal(sw_pii_open(pk, sk, b64, &back, &err), SW_E_INVALID_VALUE);
    free(b64);
    unlink(path);
    /* a file that is not a key is refused */
    FILE *f = fopen(path, "w");
    fputs("not a key\n", f);
    fclose(f);
    assert_int_equal(sw_pii_key_file(path, pk, sk, &created, &err), SW_E_INVALID_VALUE);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pii__masks_keep_only_what_identifies_an_order),
        cmocka_unit_test(test_pii__masks_show_at_most_a_third_at_every_length),
        cmocka_unit_test(test_pii__only_the_mask_shape_counts_as_masked),
        cmocka_unit_test(test_pii__seal_buyer_replaces_the_clear_data),
        cmocka_unit_test(test_pii__sealed_data_opens_only_with_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
