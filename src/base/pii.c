#include "base/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"

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

/* A character a mask may show: not '*' (the mask's own), not a control character. */
static bool showable(const unsigned char *p)
{
    return *p != '*' && *p >= 0x20 && *p != 0x7f && !(cp_len(p) == 1 && *p >= 0x80);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A mainland mobile number: 11 digits starting with 1. */
static bool mobile(const char *digits, size_t n)
{
    return n == SW_PII_MOBILE_DIGITS && digits[0] == '1';
}

void sw_pii_mask_phone(const char *phone, char *out, size_t cap)
{
    char digits[SW_PII_MAX_PHONE + 1];
    size_t n = 0;
    for (const char *p = phone; *p && n < SW_PII_MAX_PHONE; p++)
        if (is_digit(*p))
            digits[n++] = *p;
    digits[n] = '\0';
    if (n == 0) {
        snprintf(out, cap, "*");
    } else if (mobile(digits, n)) {
        snprintf(out, cap, "%.3s****%s", digits, digits + 7); /* 138****5678 */
    } else {
        size_t k = n / 3, o = 0; /* the last third (rounded down), the rest hidden */
        for (size_t i = 0; i < n && o + 1 < cap; i++)
            out[o++] = i < n - k ? '*' : digits[i];
        out[o] = '\0';
    }
}

void sw_pii_mask_name(const char *name, char *out, size_t cap)
{
    size_t n = code_points(name);
    if (n == 0) {
        keep_then_stars(name, 0, 1, out, cap);
        return;
    }
    /* the first character, once a third of the name is at least one character */
    size_t k = n / 3 >= 1 && showable((const unsigned char *)name) ? 1 : 0;
    keep_then_stars(name, k, n - k, out, cap);
}

/* Characters that end an administrative division of an address's prefix: 省 (province), 市
 * (city), 区 (district, autonomous region), 盟 (league), 县 (county). Not 州: it ends city
 * names too (杭州), and a prefix must end where a division does. */
static bool division_end(const unsigned char *p, size_t l)
{
    static const char *const ends[] = {"省", "市", "区", "盟", "县"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (l == strlen(ends[i]) && memcmp(p, ends[i], l) == 0)
            return true;
    return false;
}

/* How many leading code points of an address its mask keeps: the longest prefix of at most a
 * third of them that ends with a division character and holds no '*'. */
static size_t address_keep(const char *address, size_t n)
{
    size_t keep = 0, i = 0;
    for (const unsigned char *p = (const unsigned char *)address; *p && i < n / 3; i++) {
        size_t l = cp_len(p);
        if (!showable(p))
            break;
        if (division_end(p, l))
            keep = i + 1;
        p += l;
    }
    return keep;
}

void sw_pii_mask_address(const char *address, char *out, size_t cap)
{
    size_t n = code_points(address);
    if (n == 0) {
        keep_then_stars(address, 0, 1, out, cap);
        return;
    }
    size_t k = address_keep(address, n);
    keep_then_stars(address, k, n - k, out, cap);
}

/* Splits a mask into its visible head and its '*' tail: *len = code points in all, *head =
 * code points before the first '*'. False when a '*' is followed by anything else, or when
 * there is no '*' at all (clear text), or s is not UTF-8. */
static bool head_then_stars(const char *s, size_t *len, size_t *head, const char **last_head)
{
    size_t n = 0, h = 0;
    bool in_tail = false;
    *last_head = NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t l = cp_len(p);
        if (*p == '*') {
            in_tail = true;
        } else if (in_tail || !showable(p)) {
            return false;
        } else {
            *last_head = (const char *)p;
            h++;
        }
        n++;
        p += l;
    }
    *len = n;
    *head = h;
    return in_tail;
}

bool sw_pii_phone_is_masked(const char *s)
{
    size_t n = strlen(s), k = 0;
    if (n == 0 || n > SW_PII_MAX_PHONE)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && s[i] != '*')
            return false;
    if (n == SW_PII_MOBILE_DIGITS && s[0] == '1' && is_digit(s[1]) && is_digit(s[2]) &&
        strncmp(s + 3, "****", 4) == 0 && strspn(s + 7, "0123456789") == 4)
        return true;
    while (k < n && s[n - 1 - k] != '*')
        k++;
    return k <= n / 3 && strspn(s, "*") == n - k;
}

bool sw_pii_name_is_masked(const char *s)
{
    size_t n, head;
    const char *last;
    return head_then_stars(s, &n, &head, &last) && head <= 1 && head <= n / 3;
}

bool sw_pii_address_is_masked(const char *s)
{
    size_t n, head;
    const char *last;
    if (!head_then_stars(s, &n, &head, &last) || head > n / 3)
        return false;
    const unsigned char *l = (const unsigned char *)last;
    return head == 0 || division_end(l, cp_len(l));
}

int sw_pii_seal_buyer(const unsigned char *pk, json_t *payload, struct sw_error *err)
{
    static const char *const made_here[] = {"buyer_masked", "buyer_sealed"};
    for (int i = 0; i < 2; i++)
        if (json_object_get(payload, made_here[i]))
            return sw_fail(err, SW_E_UNKNOWN_FIELD, made_here[i],
                           "unknown field '%s' (send the clear 'buyer': the server masks and "
                           "seals it)",
                           made_here[i]);
    json_t *b = json_object_get(payload, "buyer");
    if (!b)
        return SW_OK;
    const char *v[3] = {NULL, NULL, NULL};
    struct sw_jfield f[] = {
        {"name", SW_J_STR, 0, &v[0], SW_PII_MAX_FIELD, NULL},
        {"phone", SW_J_STR, 0, &v[1], SW_PII_MAX_PHONE, NULL},
        {"address", SW_J_STR, 0, &v[2], SW_PII_MAX_FIELD, NULL},
    };
    int rc = sw_json_read(b, "buyer", f, 3, true, err);
    if (rc)
        return rc;
    if (!pk)
        return sw_fail(err, SW_E_RULE_REFUSED, "buyer", "this server has no buyer-data key");
    static void (*const mask[3])(const char *, char *, size_t) = {
        sw_pii_mask_name, sw_pii_mask_phone, sw_pii_mask_address};
    char m[2 * SW_PII_MAX_FIELD + 16];
    json_t *masked = json_object();
    for (int i = 0; i < 3; i++) {
        if (v[i]) {
            mask[i](v[i], m, sizeof m);
            json_object_set_new(masked, f[i].name, json_string(m));
        }
    }
    char *clear = sw_json_dump(b), *sealed = NULL;
    rc = clear ? sw_pii_seal(pk, clear, strlen(clear), &sealed, err)
               : sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    if (clear) {
        sodium_memzero(clear, strlen(clear));
        free(clear);
    }
    if (rc) {
        json_decref(masked);
        return rc;
    }
    json_object_del(payload, "buyer");
    json_object_set_new(payload, "buyer_masked", masked);
    json_object_set_new(payload, "buyer_sealed", json_string(sealed));
    free(sealed);
    return SW_OK;
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
