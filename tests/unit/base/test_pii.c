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
        {sw_pii_mask_phone, "+86 138-1234-5678", "861******5678"},
        {sw_pii_mask_phone, "0571-88886666", "057*****6666"},
        {sw_pii_mask_phone, "1234567", "123*4567"},
        {sw_pii_mask_phone, "12345", "***45"},
        {sw_pii_mask_phone, "", "*"},
        {sw_pii_mask_name, "张三", "张*"},
        {sw_pii_mask_name, "欧阳娜娜", "欧***"},
        {sw_pii_mask_name, "李", "*"},
        {sw_pii_mask_name, "Li Lei", "L*****"},
        {sw_pii_mask_address, "浙江省杭州市西湖区文三路 90 号", "浙江省杭州市****"},
        {sw_pii_mask_address, "北京朝阳区", "北京****"},
        {sw_pii_mask_address, "", "****"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        cases[i].fn(cases[i].in, out, sizeof out);
        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu '%s': got '%s', want '%s'", i, cases[i].in, out, cases[i].out);
        assert_true(sw_pii_is_masked(out));
    }
    assert_false(sw_pii_is_masked("13812345678"));
    /* a mask never overruns its buffer */
    char small[8];
    sw_pii_mask_address("浙江省杭州市西湖区", small, sizeof small);
    assert_true(strlen(small) < sizeof small);
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
        cmocka_unit_test(test_pii__sealed_data_opens_only_with_its_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
