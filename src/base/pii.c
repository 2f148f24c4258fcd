#include "base/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Length in bytes of the UTF-8 sequence starting at s (1 for stray bytes). */
static size_t cp_len(const unsigned char *s)
{
    if (*s < 0x80)
        return 1;
    size_t n = (*s >= 0xf0) ? 4 : (*s >= 0xe0) ? 3 : (*s >= 0xc0) ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    return n;
}

static size_t code_points(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += cp_len(p))
        n++;
    return n;
}

/* Copies the first k code points of s and then `stars` asterisks. */
static void keep_then_stars(const char *s, size_t k, size_t stars, char *out, size_t cap)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < k && *p; i++) {
        size_t l = cp_len(p);
        if (o + l + 1 >= cap)
            break;
        memcpy(out + o, p, l);
        o += l;
        p += l;
    }
    for (size_t i = 0; i < stars && o + 1 < cap; i++)
        out[o++] = '*';
    out[o] = '\0';
}

void sw_pii_mask_phone(const char *phone, char *out, size_t cap)
{
    char digits[64];
    size_t n = 0;
    for (const char *p = phone; *p && n + 1 < sizeof digits; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    if (n < 7) { /* too short to keep both ends: only the last two */
        size_t o = 0;
        for (size_t i = 0; i + 2 < n && o + 1 < cap; i++)
            out[o++] = '*';
        for (size_t i = n >= 2 ? n - 2 : 0; i < n && o + 1 < cap; i++)
            out[o++] = digits[i];
        if (n == 0 && o + 1 < cap)
            out[o++] = '*';
        out[o] = '\0';
        return;
    }
    /* 13812345678 -> 138****5678 */
    snprintf(out, cap, "%.3s%.*s%s", digits, (int)(n - 7), "********************************",
             digits + n - 4);
    if (n - 7 == 0)
        snprintf(out, cap, "%.3s*%s", digits, digits + n - 4);
}

void sw_pii_mask_name(const char *name, char *out, size_t cap)
{
    size_t n = code_points(name);
    if (n <= 1)
        keep_then_stars(name, 0, 1, out, cap);
    else
        keep_then_stars(name, 1, n - 1, out, cap);
}

void sw_pii_mask_address(const char *address, char *out, size_t cap)
{
    size_t n = code_points(address);
    /* the province and city (浙江省杭州市) are what a region needs; the rest goes */
    keep_then_stars(address, n > 8 ? 6 : (n > 2 ? 2 : 0), 4, out, cap);
}

bool sw_pii_is_masked(const char *s)
{
    return s[0] == '\0' || strchr(s, '*') != NULL;
}

int sw_pii_seal(const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES], const char *plaintext, size_t len,
                char **b64, struct sw_error *err)
{
    size_t clen = len + crypto_box_SEALBYTES;
    unsigned char *c = malloc(clen);
    size_t blen = sodium_base64_ENCODED_LEN(clen, sodium_base64_VARIANT_ORIGINAL);
    *b64 = malloc(blen);
    if (!c || !*b64 || crypto_box_seal(c, (const unsigned char *)plaintext, len, pk) != 0) {
        free(c);
        free(*b64);
        *b64 = NULL;
        return sw_fail(err, SW_E_INTERNAL, NULL, "cannot seal buyer data");
    }
    sodium_bin2base64(*b64, blen, c, clen, sodium_base64_VARIANT_ORIGINAL);
    free(c);
    return SW_OK;
}

int sw_pii_open(const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES],
                const unsigned char sk[SW_PII_SECRET_KEY_BYTES], const char *b64, char **plaintext,
                struct sw_error *err)
{
    size_t n = strlen(b64), clen = 0;
    unsigned char *c = malloc(n + 1);
    if (!c)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (sodium_base642bin(c, n + 1, b64, n, " \r\n", &clen, NULL, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        clen < crypto_box_SEALBYTES) {
        free(c);
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "not a sealed box");
    }
    *plaintext = malloc(clen - crypto_box_SEALBYTES + 1);
    if (!*plaintext || crypto_box_seal_open((unsigned char *)*plaintext, c, clen, pk, sk) != 0) {
        free(c);
        free(*plaintext);
        *plaintext = NULL;
        return sw_fail(err, SW_E_INVALID_VALUE, NULL,
                       "cannot open: not sealed to this key, or altered");
    }
    (*plaintext)[clen - crypto_box_SEALBYTES] = '\0';
    free(c);
    return SW_OK;
}

int sw_pii_key_file(const char *path, unsigned char pk[SW_PII_PUBLIC_KEY_BYTES],
                    unsigned char sk[SW_PII_SECRET_KEY_BYTES], bool *created, struct sw_error *err)
{
    char hex[(size_t)2 * SW_PII_SECRET_KEY_BYTES + 2] = {0};
    FILE *f = fopen(path, "r");
    *created = false;
    if (f) {
        size_t n = fread(hex, 1, sizeof hex - 1, f);
        fclose(f);
        while (n > 0 && (hex[n - 1] == '\n' || hex[n - 1] == '\r'))
            hex[--n] = '\0';
        size_t got = 0;
        if (n != (size_t)2 * SW_PII_SECRET_KEY_BYTES ||
            sodium_hex2bin(sk, SW_PII_SECRET_KEY_BYTES, hex, n, NULL, &got, NULL) != 0 ||
            got != SW_PII_SECRET_KEY_BYTES)
            return sw_fail(err, SW_E_INVALID_VALUE, NULL,
                           "'%s' is not a buyer-data key (64 hex characters)", path);
        crypto_scalarmult_base(pk, sk);
        return SW_OK;
    }
    if (errno != ENOENT)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "cannot read '%s': %s", path,
                       strerror(errno));
    crypto_box_keypair(pk, sk);
    sodium_bin2hex(hex, sizeof hex, sk, SW_PII_SECRET_KEY_BYTES);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "cannot create '%s': %s", path,
                       strerror(errno));
    hex[(size_t)2 * SW_PII_SECRET_KEY_BYTES] = '\n';
    bool ok = write(fd, hex, (size_t)2 * SW_PII_SECRET_KEY_BYTES + 1) ==
              (size_t)2 * SW_PII_SECRET_KEY_BYTES + 1;
    ok &= fsync(fd) == 0;
    ok &= close(fd) == 0;
    sodium_memzero(hex, sizeof hex);
    if (!ok)
        return sw_fail(err, SW_E_INVALID_VALUE, NULL, "cannot write '%s'", path);
    *created = true;
    return SW_OK;
}
