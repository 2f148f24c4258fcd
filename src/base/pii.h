/* Buyer personal data (name, phone, address): masked for display and sealed for the record.
 *
 * Masks keep what a person on the phone needs to recognise an order and nothing more:
 * 138****5678, 张*, 浙江省杭州市****. Sealing uses libsodium's sealed box (X25519 +
 * XSalsa20-Poly1305) to a public key: whoever holds only the public key (the server) can seal
 * but never open; the secret key stays with whoever may reveal (offline, for a legal request).
 * No I/O, no clock; sealing draws randomness and belongs in adapters, not domain code. */
#ifndef SW_BASE_PII_H
#define SW_BASE_PII_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/err.h"

#define SW_PII_PUBLIC_KEY_BYTES 32
#define SW_PII_SECRET_KEY_BYTES 32
#define SW_PII_MAX_FIELD 512

#define SW_PII_MAX_PHONE 64
#define SW_PII_MOBILE_DIGITS 11

/* Masks (docs/access.md states the rule). Each writes a NUL-terminated mask of a UTF-8 value
 * into out (cap bytes, >= 2 * strlen(value) + 16). A mask shows at most a third of what it
 * hides (rounded down) and nothing of an empty or too short value; it has one character per
 * character of the value ('*' for each hidden one), and never fewer than one:
 * - phone: its digits only; an 11-digit mobile (1xx) keeps the first 3 and last 4
 *   (138****5678); any other number keeps its last n/3 digits (7 digits: *****67);
 * - name: the first character once the name has 3 or more (李**), else all '*' (**);
 * - address: the longest prefix of at most n/3 characters that ends a division (省 市 区 盟
 *   县): 浙江省杭州市***************; without one, all '*'. */
void sw_pii_mask_phone(const char *phone, char *out, size_t cap);
void sw_pii_mask_name(const char *name, char *out, size_t cap);
void sw_pii_mask_address(const char *address, char *out, size_t cap);
/* True when s has exactly the shape the mask above gives some value: what the domain accepts
 * as stored buyer data. Clear text, an empty string, or a mask that shows more is false. */
bool sw_pii_phone_is_masked(const char *s);
bool sw_pii_name_is_masked(const char *s);
bool sw_pii_address_is_masked(const char *s);

/* The order feed's buyer data, server side: payload["buyer"] (clear {name, phone, address})
 * is replaced by buyer_masked (the masks) and buyer_sealed (the clear JSON sealed to pk; the
 * clear copy is wiped). A payload that already carries buyer_masked or buyer_sealed is
 * unknown_field: only the server makes them. pk NULL: a buyer is refused (rule_refused).
 * Without a buyer, nothing changes. Draws randomness: adapters only. */
int sw_pii_seal_buyer(const unsigned char *pk, json_t *payload, struct sw_error *err) SW_MUSTCHECK;

/* Seals plaintext to pk; *b64 is malloc'd base64 (original variant). */
int sw_pii_seal(const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES], const char *plaintext, size_t len,
                char **b64, struct sw_error *err) SW_MUSTCHECK;
/* Opens what sw_pii_seal made; *plaintext is malloc'd and NUL-terminated. */
int sw_pii_open(const unsigned char pk[SW_PII_PUBLIC_KEY_BYTES],
                const unsigned char sk[SW_PII_SECRET_KEY_BYTES], const char *b64, char **plaintext,
                struct sw_error *err) SW_MUSTCHECK;

/* A key file holds the secret key as 64 hex characters. When path does not exist, a new key
 * pair is made and the secret written there (mode 0600). *created says which happened. */
int sw_pii_key_file(const char *path, unsigned char pk[SW_PII_PUBLIC_KEY_BYTES],
                    unsigned char sk[SW_PII_SECRET_KEY_BYTES], bool *created,
                    struct sw_error *err) SW_MUSTCHECK;

#endif
