/* Exposure counted exactly once (issue 12): through the engine, with the manual clock. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "domain/promotion/promotion.h"

static struct test_env env;
static char promo[32];

static json_t *run(const char *type, const char *actor, const char *payload)
{
    struct sw_cmd cmd;
    int rc = test_exec(&env, type, actor, NULL, payload, &cmd);
    if (rc)
        fail_msg("%s: %s", type, cmd.err.msg);
    /* a hot path's result comes as text (impressions.ingest) */
    json_t *r = cmd.result ? json_incref(cmd.result) : json_loads(cmd.result_text, 0, NULL);
    sw_cmd_release(&cmd);
    return r;
}

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"apparel.women\"]", 500000);
    json_t *q = run("qualification.submit", "merchant:m1",
                    "{\"merchant\":\"m1\",\"code\":\"business_license\",\"documents\":[\"a\"],"
                    "\"expires_on\":\"2027-01-31\"}");
    char body[256];
    snprintf(body, sizeof body, "{\"id\":\"%s\",\"decision\":\"approve\"}",
             json_string_value(json_object_get(q, "id")));
    json_decref(q);
    json_decref(run("qualification.decide", "operator", body));
    json_decref(run("product.create", "merchant:m1",
                    "{\"id\":\"p1\",\"merchant\":\"m1\",\"title\":\"羊毛大衣\",\"category\":"
                    "\"apparel.women\",\"price_fen\":59900,\"production_date\":\"2026-01-01\","
                    "\"quality_cert\":\"QC-1\",\"manufacturer\":\"示例工厂\"}"));
    json_decref(run("product.list", "merchant:m1", "{\"id\":\"p1\"}"));
    json_t *p = run("promotion.create", "merchant:m1",
                    "{\"merchant\":\"m1\",\"product\":\"p1\",\"price_fen\":10000,"
                    "\"estimated_exposure\":100,\"duration_hours\":24}");
    assert_string_equal(json_string_value(json_object_get(p, "status")), "running");
    snprintf(promo, sizeof promo, "%s", json_string_value(json_object_get(p, "id")));
    json_decref(p);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

/* Ingests ids (comma-separated) shown at `at` and checks the five counts. */
static void ingest(const char *ids, const char *promotion, const char *at, int counted, int dup,
                   int not_counted, int late, int unknown)
{
    json_t *items = json_array();
    char buf[512];
    snprintf(buf, sizeof buf, "%s", ids);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "impression_id", t, "promotion",
                                               promotion, "at", at));
    json_t *doc = json_pack("{s:o}", "impressions", items);
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    json_t *r = run("impressions.ingest", "ingest", text);
    free(text);
    const char *names[] = {"counted", "duplicate", "not_counted", "late", "unknown_promotion"};
    int want[] = {counted, dup, not_counted, late, unknown};
    for (int i = 0; i < 5; i++)
        if (json_integer_value(json_object_get(r, names[i])) != want[i])
            fail_msg("%s: %s = %lld, want %d", ids, names[i],
                     (long long)json_integer_value(json_object_get(r, names[i])), want[i]);
    json_decref(r);
}

static void test_exposure__an_id_counts_once_within_and_across_batches_and_restarts(void **state)
{
    const char *at = "2026-01-05T09:00:00+08:00";
    ingest("a,b,a,c", promo, at, 3, 1, 0, 0, 0);
    ingest("c,d,b", promo, at, 1, 2, 0, 0, 0);
    test_env_reopen(&env, true);
    ingest("a,d,e", promo, at, 1, 2, 0, 0, 0);
    ingest("x", "pr999", at, 0, 0, 0, 0, 1);
    ingest("y", "nonsense", at, 0, 0, 0, 0, 1);
}

static void test_exposure__late_future_and_before_start_do_not_count(void **state)
{
    /* the stats delay is 120 minutes: two hours and a second before now is late */
    ingest("l1", promo, "2026-01-05T06:59:59+08:00", 0, 0, 0, 1, 0);
    /* before the order started (09:00), within the delay: seen, not counted */
    ingest("n1", promo, "2026-01-05T08:30:00+08:00", 0, 0, 1, 0, 0);
    ingest("n1", promo, "2026-01-05T09:00:00+08:00", 0, 1, 0, 0, 0);
    /* in the future */
    ingest("f1", promo, "2026-01-05T09:00:01+08:00", 0, 0, 1, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_exposure__an_id_counts_once_within_and_across_batches_and_restarts, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_exposure__late_future_and_before_start_do_not_count,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
