#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/affiliate/affiliate.h"

/* docs/affiliate.md, "Order review": conversion_outlier compares a promoter's conversion of an
 * item with the item's over every promoter (defaults: 150%, 20 orders of the promoter, 50 of the
 * platform). A database that holds only some promoters (a partition, docs/scale-out.md) takes
 * the others' counts as affiliate.item_rates, and must then decide as one database holding
 * every promoter does. */

/* `n` orders of `promoter` for item i1, each paid and, the first `confirmed` of them, confirmed;
 * as one feed request. */
static char *orders(const char *promoter, int n, int confirmed)
{
    json_t *evs = json_array();
    for (int k = 0; k < n; k++) {
        char order[64], eid[64];
        snprintf(order, sizeof order, "o-%s-%d", promoter, k);
        snprintf(eid, sizeof eid, "e-%s-%d-paid", promoter, k);
        json_array_append_new(
            evs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:{s:s}}", "event_id", eid, "type",
                           "paid", "order", order, "promoter", promoter, "merchant", "m1", "item",
                           "i1", "at", "2026-01-04T02:00:00Z", "amount_fen", (json_int_t)10000,
                           "rate_bp", (json_int_t)500, "buyer", "id", eid));
        if (k >= confirmed)
            continue;
        snprintf(eid, sizeof eid, "e-%s-%d-conf", promoter, k);
        json_array_append_new(evs, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "event_id", eid,
                                             "type", "receipt_confirmed", "order", order,
                                             "promoter", promoter, "merchant", "m1", "item", "i1",
                                             "at", "2026-01-04T04:00:00Z", "settled_amount_fen",
                                             (json_int_t)10000));
    }
    json_t *req = json_pack("{s:o}", "events", evs);
    char *text = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    return text;
}

static void feed(struct test_env *t, const char *promoter, int n, int confirmed, const char *idem,
                 struct sw_cmd *out)
{
    char *req = orders(promoter, n, confirmed);
    assert_int_equal(test_exec(t, "affiliate.ingest", "ingest", idem, req, out), SW_OK);
    free(req);
}

/* The rules of an order's flags, as "rule:state,..." ("" when none). */
static void flags_of(struct test_env *t, const char *order, char *out, size_t n)
{
    struct sw_pool *pool = sw_engine_readers(t->engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    json_t *doc = NULL;
    struct sw_error err;
    assert_int_equal(sw_affiliate_order_get(c, order, NULL, &doc, &err), SW_OK);
    sw_pool_release(pool, c);
    out[0] = '\0';
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(doc, "flags"), i, f)
    {
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s%s:%s", k ? "," : "",
                 json_string_value(json_object_get(f, "rule")),
                 json_string_value(json_object_get(f, "state")));
    }
    json_decref(doc);
}

static int64_t event_count(struct sw_cmd *cmd, const char *type)
{
    int64_t n = 0;
    size_t i;
    json_t *ev;
    json_array_foreach(sw_cmd_events(cmd), i, ev) n +=
        strcmp(json_string_value(json_object_get(ev, "type")), type) == 0;
    return n;
}

static int rates(struct test_env *t, const char *actor, const char *idem, int64_t seq, int64_t paid,
                 int64_t confirmed, struct sw_cmd *out)
{
    char req[256];
    snprintf(req, sizeof req,
             "{\"items\":[{\"item\":\"i1\",\"sources\":[{\"source\":\"p9\",\"seq\":%lld,"
             "\"paid\":%lld,\"confirmed\":%lld}]}]}",
             (long long)seq, (long long)paid, (long long)confirmed);
    return test_exec(t, "affiliate.item_rates", actor, idem, req, out);
}

static int64_t result_int(const struct sw_cmd *cmd, const char *key)
{
    return json_integer_value(json_object_get(cmd->result, key));
}

static void test_rates__one_database_with_every_promoter_flags_the_outlier(void **state)
{
    (void)state;
    struct test_env t;
    test_env_open(&t, true);
    test_env_start(&t);
    struct sw_cmd a = {0}, b = {0};
    feed(&t, "pa", 20, 20, "in|a", &a); /* 20 of 20 confirmed */
    feed(&t, "pb", 40, 4, "in|b", &b);  /* 4 of 40: the item's rate 24/60 */
    char flags[4096];
    flags_of(&t, "o-pa-0", flags, sizeof flags);
    assert_string_equal(flags, "conversion_outlier:open");
    flags_of(&t, "o-pb-0", flags, sizeof flags);
    assert_string_equal(flags, "");
    /* each request announces this database's count of the item once */
    assert_int_equal(event_count(&a, "affiliate.item_counted"), 1);
    assert_int_equal(event_count(&b, "affiliate.item_counted"), 1);
    sw_cmd_release(&a);
    sw_cmd_release(&b);
    test_env_close(&t);
}

static void test_rates__others_counts_make_a_partition_decide_as_one_database(void **state)
{
    (void)state;
    struct test_env t;
    test_env_open(&t, true);
    test_env_start(&t);
    struct sw_cmd a = {0}, r = {0};
    feed(&t, "pa", 20, 20, "in|a", &a);
    char flags[4096];
    /* alone, the item has 20 orders: below the platform's minimum of 50 */
    flags_of(&t, "o-pa-0", flags, sizeof flags);
    assert_string_equal(flags, "");
    json_t *counted = NULL;
    size_t i;
    json_t *ev;
    json_array_foreach(sw_cmd_events(&a), i, ev)
    {
        if (strcmp(json_string_value(json_object_get(ev, "type")), "affiliate.item_counted") == 0)
            counted = ev;
    }
    assert_non_null(counted);
    sw_cmd_release(&a);

    /* the other promoter's counts, from elsewhere: pa is the outlier, as in one database */
    assert_int_equal(rates(&t, "system", "sys|r1", 5, 40, 4, &r), SW_OK);
    assert_int_equal(result_int(&r, "changed"), 1);
    assert_int_equal(result_int(&r, "orders_flagged"), 20);
    assert_int_equal(event_count(&r, "affiliate.item_counted"), 0); /* its own did not change */
    sw_cmd_release(&r);
    flags_of(&t, "o-pa-19", flags, sizeof flags);
    assert_string_equal(flags, "conversion_outlier:open");

    /* told again, or an older count told late: nothing changes */
    assert_int_equal(rates(&t, "system", "sys|r2", 5, 40, 4, &r), SW_OK);
    assert_int_equal(result_int(&r, "changed"), 0);
    sw_cmd_release(&r);
    assert_int_equal(rates(&t, "system", "sys|r3", 3, 0, 0, &r), SW_OK);
    assert_int_equal(result_int(&r, "changed"), 0);
    sw_cmd_release(&r);
    flags_of(&t, "o-pa-19", flags, sizeof flags);
    assert_string_equal(flags, "conversion_outlier:open");

    /* the others now convert as well as pa: its undecided flags are withdrawn */
    assert_int_equal(rates(&t, "system", "sys|r4", 6, 40, 40, &r), SW_OK);
    assert_int_equal(result_int(&r, "changed"), 1);
    sw_cmd_release(&r);
    flags_of(&t, "o-pa-19", flags, sizeof flags);
    assert_string_equal(flags, "");
    test_env_close(&t);
}

static void test_rates__only_the_engine_reports_counts_and_bad_ones_change_nothing(void **state)
{
    (void)state;
    struct test_env t;
    test_env_open(&t, true);
    test_env_start(&t);
    struct sw_cmd r = {0};
    assert_int_equal(rates(&t, "operator", "op|r1", 5, 40, 4, &r), SW_E_FORBIDDEN);
    sw_cmd_release(&r);
    assert_int_equal(rates(&t, "system", "sys|r1", 5, 4, 40, &r), SW_E_INVALID_VALUE);
    sw_cmd_release(&r);
    assert_int_equal(
        test_exec(&t, "affiliate.item_rates", "system", "sys|r2", "{\"items\":[]}", &r),
        SW_E_INVALID_VALUE);
    sw_cmd_release(&r);
    assert_int_equal(test_count(&t, "aff_item_sources"), 0);
    test_env_close(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rates__one_database_with_every_promoter_flags_the_outlier),
        cmocka_unit_test(test_rates__others_counts_make_a_partition_decide_as_one_database),
        cmocka_unit_test(test_rates__only_the_engine_reports_counts_and_bad_ones_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
