/* libFuzzer: arbitrary bytes as the body of a write, through the real engine and catalog.
 * The first byte picks the command; the rest is parsed as the HTTP layer does and, when it is
 * an object, applied. Any crash, sanitizer report or leak is a finding; refusals are fine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "domain/domain.h"
#include "engine/engine.h"

static struct sw_engine *engine;
static struct sw_policy *policy;
static struct sw_clock clk;

static void setup(void)
{
    char dir[] = "/tmp/sw-fuzz-XXXXXX";
    if (!mkdtemp(dir))
        abort();
    static char db[64];
    snprintf(db, sizeof db, "%s/fuzz.db", dir);
    struct sw_error err;
    if (sw_policy_load_default(&policy, &err))
        abort();
    sw_clock_init_manual(&clk, INT64_C(1767574800000000));
    struct sw_engine_config cfg = {.db_path = db, .policy = policy, .clock = &clk};
    if (sw_engine_open(&cfg, &engine, &err) || sw_domain_register_all(engine) ||
        sw_engine_start(engine, &err))
        abort();
    json_t *m =
        json_pack("{s:s,s:s,s:[s]}", "id", "m1", "name", "fuzz", "categories", "beauty.skincare");
    struct sw_cmd c = {.type = "merchant.create", .actor = "operator", .payload = m};
    sw_engine_execute(engine, &c);
    sw_cmd_release(&c);
    json_decref(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const types[] = {
        "product.create",  "product.update",   "merchant.create",   "product.list",
        "merchant.update", "violation.create", "violation.confirm", "deposit.top_up",
        "deposit.release", "appeal.create",    "appeal.decide",     "spu.review_stats",
        "order.event",     "order.logistics",  "grant.set",         "order.access"};
    enum { NTYPES = sizeof types / sizeof types[0] };
    static const char *const actors[] = {"merchant:m1", "operator", "ingest", "app:a1"};
    if (!engine)
        setup();
    if (size < 1)
        return 0;
    json_t *payload = NULL;
    struct sw_error err;
    if (sw_json_parse_object((const char *)data + 1, size - 1, &payload, &err) != SW_OK)
        return 0;
    struct sw_cmd c = {.type = types[data[0] % NTYPES],
                       .actor = actors[(data[0] / NTYPES) % 4],
                       .payload = payload};
    sw_engine_execute(engine, &c);
    if (c.code == SW_OK) {
        /* An accepted result is JSON the HTTP layer can send: an object, or text a hot path
         * rendered itself, which must parse. */
        if (c.result) {
            char *text = sw_json_dump(c.result);
            if (!text)
                abort();
            free(text);
        } else {
            json_t *parsed = c.result_text ? json_loads(c.result_text, 0, NULL) : NULL;
            if (!json_is_object(parsed))
                abort();
            json_decref(parsed);
        }
    }
    sw_cmd_release(&c);
    json_decref(payload);
    return 0;
}
