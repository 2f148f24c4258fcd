/* The partition of a command: a stable hash of its partition key (every node and every
 * version must agree, or a store's commands would land in two databases). */
#include "support.h"

#include <string.h>

#include "cluster/cluster.h"

/* FNV-1a 32 modulo P, fixed values: a change here moves stores between partitions. */
static void test_partition__is_fnv1a_modulo_the_partitions(void **state)
{
    assert_int_equal(sw_cluster_partition("m1", 64), 43);
    assert_int_equal(sw_cluster_partition("m2", 64), 62);
    assert_int_equal(sw_cluster_partition("", 64), 5);
    assert_int_equal(sw_cluster_partition("promoter-9", 64), 17);
    assert_int_equal(sw_cluster_partition("店铺", 1024), 255);
    assert_int_equal(sw_cluster_partition("m1", 1), 0);
}

static const char *key_of(const char *type, const char *merchant, const char *payload)
{
    static char out[64];
    json_t *p = json_loads(payload, 0, NULL);
    struct sw_cmd cmd = {.type = type, .merchant = merchant, .payload = p};
    snprintf(out, sizeof out, "%s", sw_cluster_key_of(&cmd));
    json_decref(p);
    return out;
}

static void test_partition__key_is_the_home_the_merchant_or_the_store_itself(void **state)
{
    /* a promoter's facts are in its partition (docs/scale-out.md "Affiliate"), not its
     * store's; a promoter's record by its id; a feed request is split by its events'
     * promoters before it gets here (src/cluster/feed.c); a review names none (the accepting
     * node finds the order's promoter: route_key) */
    assert_string_equal(
        key_of("affiliate.event", NULL, "{\"promoter\":\"u7\",\"merchant\":\"m1\"}"), "u7");
    assert_string_equal(key_of("affiliate.promoter_put", NULL, "{\"id\":\"u8\"}"), "u8");
    assert_string_equal(key_of("affiliate.ingest", NULL, "{\"events\":[]}"), "");
    assert_string_equal(key_of("affiliate.review", NULL, "{\"id\":\"o1\"}"), "");
    json_t *p = json_loads("{\"id\":\"o1\",\"decision\":\"clear\"}", 0, NULL);
    struct sw_cmd review = {.type = "affiliate.review", .payload = p, .route_key = "u9"};
    assert_string_equal(sw_cluster_key_of(&review), "u9");
    json_decref(p);
    /* a store's own key, then the payload's merchant */
    assert_string_equal(key_of("product.list", "m2", "{\"id\":\"p1\"}"), "m2");
    assert_string_equal(key_of("product.create", NULL, "{\"id\":\"p1\",\"merchant\":\"m3\"}"),
                        "m3");
    /* a store's own commands name it by id */
    assert_string_equal(key_of("merchant.create", NULL, "{\"id\":\"m4\"}"), "m4");
    assert_string_equal(key_of("deposit.top_up", NULL, "{\"id\":\"m5\",\"ref\":\"r\"}"), "m5");
    /* an object id is not a store: no key (partition 0) */
    assert_string_equal(key_of("product.ban", NULL, "{\"id\":\"p1\"}"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partition__is_fnv1a_modulo_the_partitions),
        cmocka_unit_test(test_partition__key_is_the_home_the_merchant_or_the_store_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
