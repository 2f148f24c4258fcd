/* The item counts of every partition as a node's read model (src/domain/affiliate/model.c,
 * docs/scale-out.md "Affiliate"): the owner of partition q is told the other partitions'
 * latest counts of q's items only, each count once it changed, every count once when it starts,
 * page by page; an older announcement changes nothing. */
#include "support.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/affiliate/affiliate.h"
#include "store/store.h"

static struct sw_conn model;
static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/sw-counts-model-%d.db", (int)getpid());
    unlink(path);
    struct sw_error err;
    assert_int_equal(sw_conn_open(&model, path, false, SW_SYNC_OFF, &err), SW_OK);
    assert_int_equal(sw_affiliate_counts_model_open(&model, &err), SW_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sw_conn_close(&model);
    unlink(path);
    return 0;
}

/* Partition p's event seq announcing its count of item. */
static void announce(int p, int64_t seq, const char *item, int64_t paid, int64_t confirmed)
{
    json_t *ev = json_pack("{s:I,s:s,s:s,s:{s:s,s:I,s:I}}", "seq", (json_int_t)seq, "type",
                           "affiliate.item_counted", "subject", item, "payload", "item", item,
                           "paid", (json_int_t)paid, "confirmed", (json_int_t)confirmed);
    struct sw_error err;
    assert_int_equal(sw_affiliate_counts_model_apply(&model, p, ev, &err), SW_OK);
    json_decref(ev);
}

/* The pending counts for q as "item:source@seq=paid/confirmed ..." (sorted), moving *pos. */
static void pending(int q, struct sw_aff_rates_pos *pos, int limit, char *out, size_t n, bool *more)
{
    json_t *items = NULL;
    struct sw_aff_rates_pos to;
    struct sw_error err;
    bool m = false;
    assert_int_equal(
        sw_affiliate_counts_model_pending(&model, q, pos, limit, &items, &to, &m, &err), SW_OK);
    json_t *words = json_array();
    size_t i, k;
    json_t *it, *src;
    json_array_foreach(items, i, it)
    {
        json_array_foreach(json_object_get(it, "sources"), k, src)
        {
            char w[128];
            snprintf(w, sizeof w, "%s:%s@%lld=%lld/%lld",
                     json_string_value(json_object_get(it, "item")),
                     json_string_value(json_object_get(src, "source")),
                     (long long)json_integer_value(json_object_get(src, "seq")),
                     (long long)json_integer_value(json_object_get(src, "paid")),
                     (long long)json_integer_value(json_object_get(src, "confirmed")));
            bool seen = false;
            size_t j;
            json_t *x;
            json_array_foreach(words, j, x) seen |= strcmp(json_string_value(x), w) == 0;
            if (!seen)
                json_array_append_new(words, json_string(w));
        }
    }
    /* sorted, so that the order of the two parts does not matter */
    size_t nw = json_array_size(words);
    for (size_t a = 1; a < nw; a++)
        for (size_t b = a; b > 0 && strcmp(json_string_value(json_array_get(words, b - 1)),
                                           json_string_value(json_array_get(words, b))) > 0;
             b--) {
            json_t *t = json_incref(json_array_get(words, b - 1));
            json_array_set(words, b - 1, json_array_get(words, b));
            json_array_set_new(words, b, t);
        }
    out[0] = '\0';
    json_array_foreach(words, i, it)
    {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", len ? " " : "", json_string_value(it));
    }
    json_decref(words);
    json_decref(items);
    *pos = to;
    if (more)
        *more = m;
}

static void test_counts_model__an_owner_is_told_the_others_counts_of_its_items_once(void **state)
{
    (void)state;
    announce(1, 5, "A", 10, 2);
    announce(2, 3, "A", 40, 4);
    announce(2, 4, "B", 7, 1);
    announce(3, 9, "A", 1, 0);
    struct sw_aff_rates_pos pos;
    struct sw_error err;
    assert_int_equal(sw_affiliate_counts_model_start(&model, &pos, &err), SW_OK);
    char got[1024];
    bool more = true;
    /* starting: every other partition's count of q's items (A, not B), and not q's own */
    pending(1, &pos, 100, got, sizeof got, &more);
    assert_string_equal(got, "A:p2@3=40/4 A:p3@9=1/0");
    assert_false(more);
    pending(1, &pos, 100, got, sizeof got, NULL);
    assert_string_equal(got, "");

    /* another partition's count moves: only it */
    announce(2, 7, "A", 41, 5);
    pending(1, &pos, 100, got, sizeof got, NULL);
    assert_string_equal(got, "A:p2@7=41/5");
    /* an older announcement, or one of an item q does not sell: nothing */
    announce(2, 6, "A", 0, 0);
    announce(3, 10, "B", 9, 9);
    pending(1, &pos, 100, got, sizeof got, NULL);
    assert_string_equal(got, "");

    /* q starts selling B: every other partition's count of B */
    announce(1, 8, "B", 1, 1);
    pending(1, &pos, 100, got, sizeof got, NULL);
    assert_string_equal(got, "B:p2@4=7/1 B:p3@10=9/9");

    /* its own count moves again: told the others' counts again (harmless: nothing newer) */
    announce(1, 11, "A", 12, 3);
    pending(1, &pos, 100, got, sizeof got, NULL);
    assert_string_equal(got, "A:p2@7=41/5 A:p3@9=1/0");
}

static void test_counts_model__a_large_start_goes_page_by_page(void **state)
{
    (void)state;
    char item[32];
    for (int i = 0; i < 25; i++) {
        snprintf(item, sizeof item, "it%02d", i);
        announce(4, 100 + i, item, 5, 1);
        announce(5, 200 + i, item, 6, 2);
    }
    struct sw_aff_rates_pos pos;
    struct sw_error err;
    assert_int_equal(sw_affiliate_counts_model_start(&model, &pos, &err), SW_OK);
    char got[4096];
    bool more = true;
    int pages = 0, told = 0;
    while (more) {
        pending(4, &pos, 10, got, sizeof got, &more);
        pages++;
        for (const char *s = got; (s = strstr(s, ":p5@")); s++)
            told++;
        assert_true(pages < 10);
    }
    assert_int_equal(told, 25);
    assert_int_equal(pages, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_counts_model__an_owner_is_told_the_others_counts_of_its_items_once, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_counts_model__a_large_start_goes_page_by_page, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
