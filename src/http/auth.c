#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/internal.h"
#include "store/journal.h"

void sw_key_hash(const char *key, unsigned char hash[32])
{
    crypto_generichash(hash, 32, (const unsigned char *)key, strlen(key), NULL, 0);
}

void sw_key_generate(char key[64], char hash_hex[65])
{
    unsigned char raw[32], h[32];
    randombytes_buf(raw, sizeof raw);
    memcpy(key, "sw_", 3);
    sodium_bin2base64(key + 3, 61, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sw_key_hash(key, h);
    sodium_bin2hex(hash_hex, 65, h, sizeof h);
    sodium_memzero(raw, sizeof raw);
}

static unsigned role_bit(const char *role, const char **scope)
{
    *scope = NULL;
    if (strcmp(role, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(role, "operator") == 0)
        return ROLE_OPERATOR;
    if (strcmp(role, "ingest") == 0)
        return ROLE_INGEST;
    static const struct {
        const char *prefix;
        unsigned bit;
    } scoped[] = {{"merchant:", ROLE_MERCHANT},
                  {"promoter:", ROLE_PROMOTER},
                  {"app:", ROLE_APP},
                  {"streamer:", ROLE_STREAMER},
                  {"analyst:", ROLE_ANALYST}};
    for (size_t i = 0; i < sizeof scoped / sizeof scoped[0]; i++) {
        size_t n = strlen(scoped[i].prefix);
        if (strncmp(role, scoped[i].prefix, n) == 0) {
            *scope = role + n;
            return scoped[i].bit;
        }
    }
    return 0;
}

static bool cache_get(struct sw_server *s, const unsigned char h[32], struct sw_key_row *key)
{
    size_t slot;
    memcpy(&slot, h, sizeof slot);
    struct auth_slot *a = &s->auth[slot % AUTH_CACHE_SLOTS];
    bool hit = false;
    pthread_rwlock_rdlock(&s->auth_lock);
    if (a->used && sodium_memcmp(a->hash, h, 32) == 0 && a->expires_ns > sw__mono_ns()) {
        *key = a->key;
        hit = true;
    }
    pthread_rwlock_unlock(&s->auth_lock);
    return hit;
}

static void cache_put(struct sw_server *s, const unsigned char h[32], const struct sw_key_row *key)
{
    size_t slot;
    memcpy(&slot, h, sizeof slot);
    struct auth_slot *a = &s->auth[slot % AUTH_CACHE_SLOTS];
    pthread_rwlock_wrlock(&s->auth_lock);
    memcpy(a->hash, h, 32);
    a->key = *key;
    a->expires_ns = sw__mono_ns() + AUTH_CACHE_TTL_NS;
    a->used = true;
    pthread_rwlock_unlock(&s->auth_lock);
}

void sw__auth_forget_all(struct sw_server *s)
{
    pthread_rwlock_wrlock(&s->auth_lock);
    memset(s->auth, 0, sizeof *s->auth * AUTH_CACHE_SLOTS);
    pthread_rwlock_unlock(&s->auth_lock);
}

/* The unrevoked key with this hash, from the cache or the store (then cached). */
static int key_lookup(struct sw_server *s, const unsigned char hash[32], struct sw_key_row *key,
                      struct sw_error *err)
{
    if (cache_get(s, hash, key))
        return SW_OK;
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(s->engine));
    bool found;
    int rc = sw_journal_key_find(c, hash, key, &found, err);
    sw_pool_release(sw_engine_readers(s->engine), c);
    if (rc)
        return rc;
    if (!found)
        return sw_fail(err, SW_E_UNAUTHORIZED, "Authorization", "unknown or revoked key");
    cache_put(s, hash, key);
    return SW_OK;
}

/* Bearer keys are looked up by their BLAKE2b hash: a fast hash is right for 256-bit random
 * secrets (FACTS.md), and a positive answer is cached for a few seconds so that a key
 * revoked by another process stops working within AUTH_CACHE_TTL_NS. Expiry is checked on
 * every request against the engine's clock (a manual clock moves it too), cached or not. */
int sw__auth(struct sw_server *s, struct sw_req *r, struct sw_error *err)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    /* the scheme's name in any case (RFC 9110 11.1): bearer, BEARER */
    if (!h || strncasecmp(h, "Bearer ", 7) != 0 || strlen(h + 7) == 0 || strlen(h + 7) > 128)
        return sw_fail(err, SW_E_UNAUTHORIZED, "Authorization", "missing or malformed bearer key");
    unsigned char hash[32];
    sw_key_hash(h + 7, hash);
    memcpy(&r->key_tag, hash, sizeof r->key_tag);
    struct sw_key_row key;
    int rc = key_lookup(s, hash, &key, err);
    if (rc)
        return rc;
    if (key.expires_at && key.expires_at <= sw_clock_now(sw_engine_clock(s->engine)))
        return sw_fail(err, SW_E_UNAUTHORIZED, "Authorization", "expired key");
    snprintf(r->role, sizeof r->role, "%s", key.role);
    snprintf(r->key_id, sizeof r->key_id, "%s", key.id);
    snprintf(r->key_label, sizeof r->key_label, "%s", key.label);
    r->role_bit = role_bit(r->role, &r->scope);
    if (!r->role_bit)
        return sw_fail(err, SW_E_UNAUTHORIZED, "Authorization", "key has an unknown role");
    return SW_OK;
}
