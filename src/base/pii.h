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

#include "base/err.h"

#define SW_PII_PUBLIC_KEY_BYTES 32
#define SW_PII_SECRET_KEY_BYTES 32
#define SW_PII_MAX_FIELD 512

/* Each writes a NUL-terminated mask of a UTF-8 value into out (cap bytes, >= 2 * len + 16). */
void sw_pii_mask_phone(const char *phone, char *out, size_t cap);
void sw_pii_mask_name(const char *name, char *out, size_t cap);
void sw_pii_mask_address(const char *address, char *out, size_t cap);
/* True when s is already a mask (has '*') or empty: what the domain accepts as stored data. */
bool sw_pii_is_masked(const char *s);

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
