/* A listing is scanned before its command reaches the writer; the writer takes the scan only
 * for the product state and policy it was made for (DESIGN.md, issue 10). */
#include "support.h"

#include <string.h>

#include "base/json.h"
#include "domain/catalog/catalog.h"
#include "domain/catalog/catalog_int.h"
#include "domain/domain.h"
#include "scan/scan.h"

static struct test_env env;

static json_t *stored_doc_field(const char *field)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    char *text = NULL, owner[72];
    struct sw_error err;
    assert_int_equal(sw_catalog_get_product_text(env.engine, c, "p1", &text, owner, NULL, &err),
                     SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    json_t *doc = json_loads(text, 0, NULL);
    free(text);
    json_t *v = json_incref(json_object_get(doc, field));
    json_decref(doc);
    return v;
}

static int setup(void **state)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"fresh.fruit\"]", 1000000);
    assert_int_equal(test_exec(&env, "product.create", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"title\":\"赣南脐橙 5kg\",\"category\":"
                               "\"fresh.fruit\",\"price_fen\":5990,\"detail\":\"新鲜采摘\","
                               "\"production_date\":\"2026-11-01\",\"quality_cert\":"
                               "\"SC-2026\",\"manufacturer\":\"赣州果园\"}",
                               NULL),
                     SW_OK);
    /* on sale: what an edit brings is enforced (audit before publication, enforcement after) */
    assert_int_equal(test_exec(&env, "product.list", "merchant:m1", NULL, "{\"id\":\"p1\"}", NULL),
                     SW_OK);
    json_t *status = stored_doc_field("status");
    assert_string_equal(json_string_value(status), "listed"); /* a clean listing */
    json_decref(status);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static uint64_t listings_scanned(void)
{
    uint64_t n, bytes;
    sw_scan_stats(&n, &bytes);
    return n;
}

/* Prepares cmd as sw_engine_execute would, on this thread. */
static void *prepare(struct sw_cmd *cmd)
{
    struct sw_pool *pool = sw_engine_readers(env.engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    void *pp = NULL;
    struct sw_error err;
    assert_int_equal(sw__catalog_prepare(env.engine, c, cmd, &pp, &err), SW_OK);
    sw_pool_release(pool, c);
    return pp;
}

static int submit_prepared(struct sw_cmd *cmd, void *pp)
{
    cmd->prepared = pp;
    sw_engine_submit(env.engine, cmd);
    sw_engine_wait(env.engine, cmd);
    sw__catalog_prep_free(pp);
    cmd->prepared = NULL;
    return cmd->code;
}

static void test_prepare__the_writer_uses_the_scan_made_before_it(void **state)
{
    json_t *p = json_pack("{s:s,s:s}", "id", "p1", "detail", "加微信 guoyuan2026 领券");
    struct sw_cmd cmd = {.type = "product.update", .actor = "merchant:m1", .payload = p};
    void *pp = prepare(&cmd);
    uint64_t after_prepare = listings_scanned();
    assert_int_equal(submit_prepared(&cmd, pp), SW_OK);
    assert_int_equal(listings_scanned(), after_prepare); /* the writer scanned nothing */
    sw_cmd_release(&cmd);
    json_decref(p);
    json_t *status = stored_doc_field("status");
    assert_string_equal(json_string_value(status), "banned"); /* the finding was enforced */
    json_decref(status);
}

static void test_prepare__a_scan_of_an_older_version_is_refused(void **state)
{
    json_t *p = json_pack("{s:s,s:s}", "id", "p1", "detail", "加微信 guoyuan2026 领券");
    struct sw_cmd cmd = {.type = "product.update", .actor = "merchant:m1", .payload = p};
    void *pp = prepare(&cmd);
    /* Another edit lands between the scan and the command's turn on the writer. */
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"title\":\"赣南脐橙 10kg\"}", NULL),
                     SW_OK);
    assert_int_equal(submit_prepared(&cmd, pp), SW_E_PREPARED_STALE);
    sw_cmd_release(&cmd);
    json_t *detail = stored_doc_field("detail");
    assert_string_equal(json_string_value(detail), "新鲜采摘"); /* nothing changed */
    json_decref(detail);
    /* Sent the normal way, it is prepared again for the state it meets. */
    struct sw_cmd again = {.type = "product.update", .actor = "merchant:m1", .payload = p};
    assert_int_equal(sw_engine_execute(env.engine, &again), SW_OK);
    sw_cmd_release(&again);
    json_decref(p);
    json_t *status = stored_doc_field("status");
    assert_string_equal(json_string_value(status), "banned");
    json_decref(status);
}

static void test_prepare__a_price_the_text_states_is_rescanned_before_the_writer(void **state)
{
    assert_int_equal(test_exec(&env, "product.update", "merchant:m1", NULL,
                               "{\"id\":\"p1\",\"detail\":\"到手价 59.90 元\"}", NULL),
                     SW_OK);
    json_t *p = json_pack("{s:s,s:I}", "id", "p1", "price_fen", (json_int_t)9990);
    struct sw_cmd cmd = {.type = "product.update", .actor = "merchant:m1", .payload = p};
    uint64_t before = listings_scanned();
    void *pp = prepare(&cmd);
    assert_int_equal(listings_scanned(), before + 1); /* the text states a price: rescanned */
    uint64_t after_prepare = listings_scanned();
    assert_int_equal(submit_prepared(&cmd, pp), SW_OK);
    assert_int_equal(listings_scanned(), after_prepare);
    sw_cmd_release(&cmd);
    json_decref(p);
    /* The new price contradicts the price the text states: the scan of version 4 (created, listed,
     * edited, repriced) says so. */
    json_t *scan = stored_doc_field("scan");
    assert_int_equal(json_integer_value(json_object_get(scan, "product_version")), 4);
    json_t *first = json_array_get(json_object_get(scan, "findings"), 0);
    assert_non_null(first);
    assert_string_equal(json_string_value(json_object_get(first, "type")), "key_info_inconsistent");
    json_decref(scan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prepare__the_writer_uses_the_scan_made_before_it,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_prepare__a_scan_of_an_older_version_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_prepare__a_price_the_text_states_is_rescanned_before_the_writer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
