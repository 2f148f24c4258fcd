#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog/catalog.h"
#include "domain/domain.h"

static struct test_env env;

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    /* Deposits at the requirement: a store below it may not list (the penalty module holds it). */
    test_store(&env, "m1", "[\"beauty.skincare\",\"home.kitchen\"]", 2000000);
    test_store(&env, "m2", "[\"fresh.fruit\"]", 1000000);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static json_t *product(const char *id)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    char *text = NULL, owner[72];
    struct sw_error err;
    int rc = sw_catalog_get_product_text(env.engine, c, id, &text, owner, NULL, &err);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_t *out = rc ? NULL : json_loads(text, 0, NULL);
    free(text);
    return out;
}

/* The store's products as the JSON renderer writes them (the other path to the same view). */
static json_t *listed_view(const char *merchant, const char *id)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *rows = NULL, *found = NULL;
    struct sw_error err;
    assert_int_equal(
        sw_catalog_list_products(env.engine, c, merchant, NULL, NULL, NULL, 200, &rows, &err),
        SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "id")), id) == 0)
            found = json_incref(r);
    }
    json_decref(rows);
    return found;
}

/* Event payloads in seq order: of one type (or any, NULL), at one seq (or any, 0). */
static json_t *events_where(const char *type, int64_t seq)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *st;
    json_t *out = json_array();
    assert_int_equal(sqlite3_prepare_v2(c->db,
                                        "SELECT payload FROM events WHERE (?1 IS NULL OR type = ?1)"
                                        " AND (?2 = 0 OR seq = ?2) ORDER BY seq",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, seq);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL));
    sqlite3_finalize(st);
    sw_pool_release(sw_engine_readers(env.engine), c);
    return out;
}

static json_t *events_of_type(const char *type)
{
    return events_where(type, 0);
}

/* The first matching event's payload (a new reference); fails the test when there is none. */
static json_t *first_event(const char *type, int64_t seq)
{
    json_t *all = events_where(type, seq);
    assert_true(json_array_size(all) > 0);
    json_t *ev = json_incref(json_array_get(all, 0));
    json_decref(all);
    return ev;
}

static const char *P1 = "{\"id\":\"p1\",\"merchant\":\"m1\",\"title\":\"烟酰胺身体乳\","
                        "\"category\":\"beauty.skincare\",\"price\":\"69.00\",\"stock\":10,"
                        "\"attributes\":{\"volume\":\"200ml\"},\"production_date\":\"2026-01-01\","
                        "\"quality_cert\":\"QC-1\",\"manufacturer\":\"广州颜夕日化\"}";

static void test_catalog__deposit_requirement_is_the_highest_of_the_categories(void **state)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *m;
    struct sw_error err;
    assert_int_equal(sw_catalog_get_merchant(c, "m1", &m, &err), SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    /* beauty.skincare 20,000 yuan beats home.kitchen 5,000 yuan in the default policy */
    assert_int_equal(json_integer_value(json_object_get(m, "deposit_required_fen")), 2000000);
    assert_string_equal(json_string_value(json_object_get(m, "status")), "active");
    json_decref(m);
    assert_int_equal(test_exec(&env, "merchant.create", "operator", NULL,
                               "{\"id\":\"m3\",\"name\":\"C\",\"categories\":[\"no.such\"]}", NULL),
                     SW_E_UNKNOWN_CATEGORY);
    assert_int_equal(
        test_exec(&env, "merchant.create", "operator", NULL,
                  "{\"id\":\"m1\",\"name\":\"again\",\"categories\":[\"fresh.fruit\"]}", NULL),
        SW_E_ALREADY_EXISTS);
    assert_int_equal(test_exec(&env, "merchant.create", "merchant:m1", NULL,
                               "{\"id\":\"m9\",\"name\":\"x\",\"categories\":[\"fresh.fruit\"]}",
                               NULL),
                     SW_E_FORBIDDEN);
}

static void test_catalog__create_then_read_back(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    json_t *p = product("p1");
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "status")), "delisted");
    assert_int_equal(json_integer_value(json_object_get(p, "price_fen")), 6900);
    assert_string_equal(json_string_value(json_object_get(p, "merchant")), "m1");
    json_decref(p);
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL),
                     SW_E_ALREADY_EXISTS);
}

static void test_catalog__bad_products_are_refused_without_trace(void **state)
{
    static const struct {
        const char *payload;
        int code;
    } cases[] = {
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"nope.nope\","
         "\"price_fen\":1}",
         SW_E_UNKNOWN_CATEGORY},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1}",
         SW_E_INVALID_VALUE},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\"}",
         SW_E_MISSING_FIELD},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":-1}",
         SW_E_INVALID_VALUE},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1,\"price\":\"0.01\"}",
         SW_E_INVALID_VALUE},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1,\"colour\":\"red\"}",
         SW_E_UNKNOWN_FIELD},
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1,\"attributes\":{\"a\":1}}",
         SW_E_WRONG_TYPE}, /* an attribute's value is a string, as every container's item */
        {"{\"id\":\"x1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1,\"production_date\":\"2026-02-30\"}",
         SW_E_INVALID_VALUE},
        {"{\"id\":\"x1\",\"merchant\":\"zz\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1}",
         SW_E_NOT_FOUND},
        {"{\"id\":\"x 1\",\"merchant\":\"m1\",\"title\":\"t\",\"category\":\"beauty.skincare\","
         "\"price_fen\":1}",
         SW_E_INVALID_VALUE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = test_exec(&env, "product.create", "operator", NULL, cases[i].payload, NULL);
        if (rc != cases[i].code)
            fail_msg("case %zu: got %s want %s", i, sw_err_name(rc), sw_err_name(cases[i].code));
    }
    assert_null(product("x1"));
    assert_int_equal(test_count(&env, "products"), 0);
}

static void test_catalog__edit_reports_changed_key_fields(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"title\":\"新标题\",\"stock\":3,\"price_fen\":6900,"
                               "\"attributes\":{\"volume\":\"200ml\"},\"brand\":\"颜夕\"}",
                               &cmd),
                     SW_OK);
    sw_cmd_release(&cmd);
    json_t *ev = first_event("product.updated", 0);
    /* price and attributes were sent unchanged: not reported */
    json_t *changed = json_object_get(ev, "changed");
    json_t *keys = json_object_get(ev, "key_fields_changed");
    assert_int_equal(json_array_size(changed), 3);
    assert_string_equal(json_string_value(json_array_get(changed, 0)), "title");
    assert_string_equal(json_string_value(json_array_get(changed, 1)), "brand");
    assert_string_equal(json_string_value(json_array_get(changed, 2)), "stock");
    assert_int_equal(json_array_size(keys), 1);
    assert_string_equal(json_string_value(json_array_get(keys, 0)), "title");
    json_decref(ev);
    /* A no-op edit emits nothing and keeps the version. */
    int64_t before = test_count(&env, "events");
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"title\":\"新标题\"}", NULL),
                     SW_OK);
    assert_int_equal(test_count(&env, "events"), before);
}

/* Stock alone takes the fast path (no doc parse, no scan, the result rendered as text): the
 * answer, the event and a replay must be what the general path gives. A price goes the general
 * way, because it can contradict a price stated in the text. */
static void test_catalog__price_and_stock_updates_match_the_general_path(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    struct sw_cmd first, again;
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", "m1|u1",
                               "{\"id\":\"p1\",\"stock\":7}", &first),
                     SW_OK);
    assert_null(first.result);
    assert_non_null(first.result_text);
    json_t *fast = json_loads(first.result_text, 0, NULL);
    json_t *general = listed_view("m1", "p1");
    assert_true(json_equal(fast, general)); /* same keys and values as the JSON renderer */
    assert_int_equal(json_integer_value(json_object_get(fast, "price_fen")), 6900);
    assert_int_equal(json_integer_value(json_object_get(fast, "stock")), 7);
    assert_int_equal(json_integer_value(json_object_get(fast, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(fast, "title")), "烟酰胺身体乳");
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", "m1|u1",
                               "{\"id\":\"p1\",\"stock\":7}", &again),
                     SW_OK);
    assert_true(again.replayed);
    assert_true(json_equal(again.result, fast));
    sw_cmd_release(&first);
    sw_cmd_release(&again);
    json_decref(fast);
    json_decref(general);
    /* the event has the same shape as a general edit's */
    json_t *ev = first_event("product.updated", 0);
    json_t *want = json_loads("{\"id\":\"p1\",\"version\":2,\"changed\":[\"stock\"],"
                              "\"key_fields_changed\":[],\"after\":{\"stock\":7}}",
                              0, NULL);
    assert_true(json_equal(ev, want));
    json_decref(ev);
    json_decref(want);
    /* one field changed: `after` lists just that one, as for any edit */
    struct sw_cmd one;
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"stock\":8,\"price\":\"69.00\"}", &one),
                     SW_OK);
    assert_int_equal(json_array_size(sw_cmd_events(&one)), 1);
    int64_t seq =
        json_integer_value(json_object_get(json_array_get(sw_cmd_events(&one), 0), "seq"));
    sw_cmd_release(&one);
    ev = first_event(NULL, seq);
    want = json_loads("{\"id\":\"p1\",\"version\":3,\"changed\":[\"stock\"],"
                      "\"key_fields_changed\":[],\"after\":{\"stock\":8}}",
                      0, NULL);
    assert_true(json_equal(ev, want));
    json_decref(ev);
    json_decref(want);
    /* and it keeps the general path's refusals */
    assert_int_equal(
        test_exec(&env, "product.update", "merchant:m2", NULL, "{\"id\":\"p1\",\"stock\":1}", NULL),
        SW_E_NOT_FOUND);
    assert_int_equal(test_exec(&env, "product.update", "operator", NULL,
                               "{\"id\":\"p1\",\"merchant\":\"m2\",\"stock\":1}", NULL),
                     SW_E_INVALID_VALUE);
    assert_int_equal(test_exec(&env, "merchant.clear", "operator", NULL, "{\"id\":\"m1\"}", NULL),
                     SW_OK);
    assert_int_equal(
        test_exec(&env, "product.update", "operator", NULL, "{\"id\":\"p1\",\"stock\":1}", NULL),
        SW_E_MERCHANT_CLEARED);
}

static const char *first_rule(const json_t *findings)
{
    return json_string_value(json_object_get(json_array_get(findings, 0), "rule"));
}

/* Every create and edit is scanned: the findings stay with the product and go out as
 * product.scanned; a price change that contradicts the text is found; stock alone is not
 * scanned again. */
static void test_catalog__creates_and_edits_are_scanned(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    json_t *p = product("p1");
    json_t *scan = json_object_get(p, "scan");
    assert_int_equal(json_array_size(json_object_get(scan, "findings")), 0);
    assert_string_equal(json_string_value(json_object_get(scan, "policy_version")),
                        env.policy->version);
    json_decref(p);
    json_t *evs = events_of_type("product.scanned");
    assert_int_equal(json_array_size(evs), 0); /* a clean listing makes no event */
    json_decref(evs);
    /* on sale (version 2): what an edit brings is enforced */
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    /* the text states no price yet: a price change keeps the fast path (no scan, text result) */
    struct sw_cmd fast;
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"price\":\"68.00\"}", &fast),
                     SW_OK);
    assert_non_null(fast.result_text);
    sw_cmd_release(&fast);
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"price\":\"69.00\"}", NULL),
                     SW_OK);

    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"detail\":\"特价 69 元,加微信 yanxi_88\"}", NULL),
                     SW_OK);
    p = product("p1");
    json_t *f = json_object_get(json_object_get(p, "scan"), "findings");
    assert_int_equal(json_array_size(f), 1);
    assert_string_equal(first_rule(f), "diversion.wechat");
    json_decref(p);
    evs = events_of_type("product.scanned");
    assert_int_equal(json_array_size(evs), 1);
    json_t *ev = json_array_get(evs, 0);
    assert_string_equal(json_string_value(json_object_get(ev, "trigger")), "updated");
    assert_int_equal(json_integer_value(json_object_get(ev, "version")), 5);
    assert_string_equal(first_rule(json_object_get(ev, "findings")), "diversion.wechat");
    json_decref(evs);

    /* the text says 69 yuan: a new price contradicts it */
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"price\":\"79.00\"}", NULL),
                     SW_OK);
    p = product("p1");
    f = json_object_get(json_object_get(p, "scan"), "findings");
    assert_int_equal(json_array_size(f), 2);
    assert_string_equal(first_rule(f), "consistency.price");
    json_decref(p);
    /* stock alone: no new scan, no event */
    int64_t before = test_count(&env, "events");
    assert_int_equal(
        test_exec(&env, "product.update", "merchant:m1", NULL, "{\"id\":\"p1\",\"stock\":3}", NULL),
        SW_OK);
    assert_int_equal(test_count(&env, "events"), before + 1);
    p = product("p1");
    /* version 6 was the ban that the WeChat id brought (external_diversion, at once) */
    assert_string_equal(json_string_value(json_object_get(p, "status")), "banned");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(p, "scan"), "product_version")), 7);
    json_decref(p);
    /* the scan is the engine's: a client cannot write it */
    assert_int_equal(
        test_exec(&env, "product.update", "merchant:m1", NULL, "{\"id\":\"p1\",\"scan\":{}}", NULL),
        SW_E_UNKNOWN_FIELD);
}

static void test_catalog__other_merchants_objects_do_not_exist(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    int64_t before = test_count(&env, "events");
    assert_int_equal(test_exec(&env, "product.update", "merchant:m2", NULL,
                               "{\"id\":\"p1\",\"title\":\"hijack\"}", NULL),
                     SW_E_NOT_FOUND);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m2", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_E_NOT_FOUND);
    assert_int_equal(test_exec(&env, "product.create", "merchant:m2", NULL, P1, NULL),
                     SW_E_NOT_FOUND); /* names merchant m1 */
    assert_int_equal(test_count(&env, "events"), before);
    json_t *p = product("p1");
    assert_string_equal(json_string_value(json_object_get(p, "title")), "烟酰胺身体乳");
    json_decref(p);
}

static void test_catalog__restricted_store_cannot_list_and_clearing_delists_all(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    assert_int_equal(test_exec(&env, "product.create", "operator", NULL,
                               "{\"id\":\"p2\",\"merchant\":\"m1\",\"title\":\"t\","
                               "\"category\":\"home.kitchen\",\"price_fen\":100,"
                               "\"production_date\":\"2026-01-01\",\"quality_cert\":\"QC-2\","
                               "\"manufacturer\":\"厨具厂\"}",
                               NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "merchant.restrict", "operator", NULL,
                               "{\"id\":\"m1\",\"reason\":\"deposit\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p2\"}", NULL),
                     SW_E_MERCHANT_RESTRICTED);
    assert_int_equal(test_exec(&env, "merchant.clear", "operator", NULL, "{\"id\":\"m1\"}", NULL),
                     SW_OK);
    json_t *p = product("p1");
    assert_string_equal(json_string_value(json_object_get(p, "status")), "delisted");
    json_decref(p);
    assert_int_equal(
        test_exec(&env, "merchant.reinstate", "operator", NULL, "{\"id\":\"m1\"}", NULL),
        SW_E_MERCHANT_CLEARED);
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p2\",\"title\":\"x\"}", NULL),
                     SW_E_MERCHANT_CLEARED);
}

/* A product created and listed in the same batch as the store's clearing is found by the
 * clearing (it reads the batch's staged store list) and delisted. */
static void test_catalog__clearing_sees_products_of_its_own_batch(void **state)
{
    test_env_close(&env);
    test_env_open(&env, true);
    json_t *p[] = {
        json_pack("{s:s,s:s,s:[s]}", "id", "m1", "name", "A", "categories", "beauty.skincare"),
        json_pack("{s:s,s:I,s:s}", "id", "m1", "amount_fen", (json_int_t)2000000, "ref", "pay-1"),
        json_loads(P1, 0, NULL),
        json_pack("{s:s}", "id", "p1"),
        json_pack("{s:s}", "id", "m1"),
    };
    const char *types[] = {"merchant.create", "deposit.top_up", "product.create", "product.list",
                           "merchant.clear"};
    enum { N = 5 };
    struct sw_cmd cmds[N];
    for (int i = 0; i < N; i++) {
        cmds[i] = (struct sw_cmd){.type = types[i], .actor = "operator", .payload = p[i]};
        sw_engine_submit(env.engine, &cmds[i]);
    }
    test_env_start(&env);
    for (int i = 0; i < N; i++) {
        sw_engine_wait(env.engine, &cmds[i]);
        assert_int_equal(cmds[i].code, SW_OK);
    }
    json_t *evs = sw_cmd_events(&cmds[N - 1]);
    assert_int_equal(json_array_size(evs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(evs, 1), "type")),
                        "product.delisted");
    for (int i = 0; i < N; i++) {
        sw_cmd_release(&cmds[i]);
        json_decref(p[i]);
    }
    json_t *prod = product("p1");
    assert_string_equal(json_string_value(json_object_get(prod, "status")), "delisted");
    json_decref(prod);
}

/* A store's status is cached in memory for product commands; the cache is rebuilt from the
 * database on the next start. */
static void test_catalog__store_status_survives_a_restart(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    assert_int_equal(
        test_exec(&env, "merchant.restrict", "operator", NULL, "{\"id\":\"m1\"}", NULL), SW_OK);
    sw_engine_close(env.engine);
    struct sw_engine_config cfg = {.db_path = env.db, .policy = env.policy, .clock = &env.clock};
    struct sw_error err;
    assert_int_equal(sw_engine_open(&cfg, &env.engine, &err), SW_OK);
    assert_int_equal(sw_domain_register_all(env.engine), SW_OK);
    test_env_start(&env);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_E_MERCHANT_RESTRICTED);
    assert_int_equal(
        test_exec(&env, "merchant.reinstate", "operator", NULL, "{\"id\":\"m1\"}", NULL), SW_OK);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "product.create", "operator", NULL,
                               "{\"id\":\"q1\",\"merchant\":\"nobody\",\"title\":\"t\","
                               "\"category\":\"fresh.fruit\",\"price_fen\":1}",
                               NULL),
                     SW_E_NOT_FOUND);
}

static void test_catalog__ban_is_for_operators_and_unban_does_not_relist(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL, P1, NULL), SW_OK);
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "product.ban", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_E_FORBIDDEN);
    assert_int_equal(test_exec(&env, "product.ban", "operator", NULL,
                               "{\"id\":\"p1\",\"reason\":\"r\",\"violation\":\"v1\"}", NULL),
                     SW_OK);
    assert_int_equal(test_exec(&env, "product.unban", "operator", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    json_t *p = product("p1");
    assert_string_equal(json_string_value(json_object_get(p, "status")), "delisted");
    json_decref(p);
}

/* If-Match: a write that expects another version than the object's is refused inside the
 * writer and changes nothing; the right version goes through. */
static void test_catalog__a_write_at_another_version_changes_nothing(void **state)
{
    assert_int_equal(test_exec(&env, "product.create", "operator", NULL, P1, NULL), SW_OK);
    json_t *p = product("p1");
    int64_t v = json_integer_value(json_object_get(p, "version"));
    json_decref(p);
    int64_t events = test_count(&env, "events");
    char body[128];
    snprintf(body, sizeof body, "{\"id\":\"p1\",\"stock\":9,\"if_version\":%lld}",
             (long long)(v + 1));
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL, body, &cmd),
                     SW_E_VERSION_MISMATCH);
    assert_string_equal(cmd.err.field, "if_version");
    sw_cmd_release(&cmd);
    snprintf(body, sizeof body, "{\"id\":\"p1\",\"if_version\":%lld}", (long long)(v + 1));
    assert_int_equal(test_exec(&env, "product.delist", "merchant:m1", NULL, body, NULL),
                     SW_E_VERSION_MISMATCH);
    assert_int_equal(test_count(&env, "events"), events);
    p = product("p1");
    assert_int_equal(json_integer_value(json_object_get(p, "version")), v);
    json_decref(p);
    snprintf(body, sizeof body, "{\"id\":\"p1\",\"stock\":9,\"if_version\":%lld}", (long long)v);
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL, body, NULL), SW_OK);
    snprintf(body, sizeof body, "{\"id\":\"m1\",\"name\":\"x\",\"if_version\":999}");
    assert_int_equal(test_exec(&env, "merchant.update", "operator", NULL, body, NULL),
                     SW_E_VERSION_MISMATCH);
    /* a create has no version to expect */
    assert_int_equal(test_exec(&env, "merchant.create", "operator", NULL,
                               "{\"id\":\"m7\",\"name\":\"n\",\"categories\":[\"fresh.fruit\"],"
                               "\"if_version\":1}",
                               NULL),
                     SW_E_UNKNOWN_FIELD);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_catalog__deposit_requirement_is_the_highest_of_the_categories),
        T(test_catalog__create_then_read_back),
        T(test_catalog__bad_products_are_refused_without_trace),
        T(test_catalog__edit_reports_changed_key_fields),
        T(test_catalog__other_merchants_objects_do_not_exist),
        T(test_catalog__price_and_stock_updates_match_the_general_path),
        T(test_catalog__creates_and_edits_are_scanned),
        T(test_catalog__restricted_store_cannot_list_and_clearing_delists_all),
        T(test_catalog__ban_is_for_operators_and_unban_does_not_relist),
        T(test_catalog__clearing_sees_products_of_its_own_batch),
        T(test_catalog__store_status_survives_a_restart),
        T(test_catalog__a_write_at_another_version_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
