/* Helpers shared by the unit tests: a temporary database with an engine on a manual clock. */
#ifndef SW_TEST_SUPPORT_H
#define SW_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/engine.h"
#include "policy/policy.h"

struct test_env {
    char dir[256];
    char db[320];
    struct sw_policy *policy;
    struct sw_clock clock;
    struct sw_engine *engine;
};

/* Opens (not starts) an engine on a fresh temporary database; the manual clock reads
 * 2026-01-05T09:00:00+08:00 (a Monday). With domain, every module is registered. */
void test_env_open(struct test_env *t, bool domain);
void test_env_start(struct test_env *t);
void test_env_close(struct test_env *t);
/* Closes the engine and opens and starts a new one on the same database (a restart). */
void test_env_reopen(struct test_env *t, bool domain);

/* Runs one command synchronously. payload is JSON text. Returns the code; *cmd_out (if not
 * NULL) receives the completed command (release with sw_cmd_release). */
int test_exec(struct test_env *t, const char *type, const char *actor, const char *idem,
              const char *payload, struct sw_cmd *cmd_out);
/* Creates store `id` selling `categories` (a JSON array, e.g. "[\"fresh.fruit\"]") and, when
 * deposit_fen > 0, tops its deposit up by that much from the ingest feed. Fails the test
 * otherwise. */
void test_store(struct test_env *t, const char *id, const char *categories, int64_t deposit_fen);
/* Number of rows in a table (events, commands, ...), read on a fresh read connection. */
int64_t test_count(struct test_env *t, const char *table);
sw_instant test_instant(const char *rfc3339);

#endif
