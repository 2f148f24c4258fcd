/* The cluster's read model of events (src/store/view_sql.h): an event held once, a partition's
 * position moving only over events without a hole, the stored positions read back, and the
 * reads by partition, bound and filter. */
#include "support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/view_sql.h"

struct fx {
    char path[64];
    struct sw_conn c;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/sw-view-%d.db", (int)getpid());
    unlink(f->path);
    struct sw_error err;
    assert_int_equal(sw_view_sql_open(&f->c, f->path, &err), SW_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    sw_conn_close(&f->c);
    unlink(f->path);
    char wal[80];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", f->path);
    unlink(wal);
    free(f);
    return 0;
}

static bool put(struct fx *f, int p, int64_t seq, const char *type, const char *subject)
{
    char doc[160];
    snprintf(doc, sizeof doc, "{\"seq\":%lld,\"type\":\"%s\",\"p\":%d}", (long long)seq, type, p);
    bool added = false;
    struct sw_error err;
    assert_int_equal(sw_view_sql_put(&f->c, p, seq, seq * 1000, type, subject, doc, &added, &err),
                     SW_OK);
    return added;
}

static void test_view__an_event_is_held_once(void **state)
{
    struct fx *f = *state;
    assert_true(put(f, 3, 1, "merchant.created", "m1"));
    assert_false(put(f, 3, 1, "merchant.created", "m1"));
    assert_true(put(f, 4, 1, "merchant.created", "m2")); /* another partition's seq 1 */
}

static void test_view__the_position_stops_at_the_first_hole(void **state)
{
    struct fx *f = *state;
    struct sw_error err;
    for (int64_t s = 1; s <= 3; s++)
        put(f, 0, s, "deposit.topped_up", "m1");
    put(f, 0, 5, "deposit.topped_up", "m1"); /* 4 is missing */
    int64_t pos = 0;
    assert_int_equal(sw_view_sql_advance(&f->c, 0, &pos, 5, &err), SW_OK);
    assert_int_equal(pos, 3);
    put(f, 0, 4, "deposit.topped_up", "m1"); /* filled */
    assert_int_equal(sw_view_sql_advance(&f->c, 0, &pos, 5, &err), SW_OK);
    assert_int_equal(pos, 5);
    /* an event before the position is no hole */
    int64_t pos1 = 0;
    put(f, 1, 2, "deposit.topped_up", "m9");
    assert_int_equal(sw_view_sql_advance(&f->c, 1, &pos1, 2, &err), SW_OK);
    assert_int_equal(pos1, 0);
}

static void test_view__positions_and_the_stream_sequence_read_back(void **state)
{
    struct fx *f = *state;
    struct sw_error err;
    put(f, 2, 1, "merchant.created", "m1");
    int64_t pos = 0;
    assert_int_equal(sw_view_sql_advance(&f->c, 2, &pos, 7, &err), SW_OK);
    assert_int_equal(sw_view_sql_save_stream(&f->c, 42, &err), SW_OK);
    int64_t p[4], top[4];
    uint64_t stream = 0;
    assert_int_equal(sw_view_sql_load(&f->c, 4, p, top, &stream, &err), SW_OK);
    assert_int_equal(p[2], 1);
    assert_int_equal(top[2], 7);
    assert_int_equal(p[0], 0);
    assert_int_equal(stream, 42);
}

static void test_view__reads_keep_the_partition_the_bounds_and_the_filters(void **state)
{
    struct fx *f = *state;
    struct sw_error err;
    put(f, 0, 1, "merchant.created", "m1");
    put(f, 0, 2, "deposit.topped_up", "m1");
    put(f, 0, 3, "deposit.topped_up", "m2");
    put(f, 0, 4, "deposit.topped_up", "m1");
    put(f, 1, 1, "deposit.topped_up", "m1");
    struct sw_event_filter all = {.from_us = INT64_MIN, .to_us = INT64_MAX};
    json_t *out = NULL;
    assert_int_equal(sw_view_sql_events(&f->c, 0, 1, 3, &all, 10, &out, &err), SW_OK);
    assert_int_equal(json_array_size(out), 2); /* 2 and 3: after 1, up to 3 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 0), "seq")), 2);
    json_decref(out);
    struct sw_event_filter f1 = {
        .type = "deposit.topped_up", .subject = "m1", .from_us = INT64_MIN, .to_us = INT64_MAX};
    assert_int_equal(sw_view_sql_events(&f->c, 0, 0, 100, &f1, 10, &out, &err), SW_OK);
    assert_int_equal(json_array_size(out), 2); /* 2 and 4 */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 1), "seq")), 4);
    json_decref(out);
    struct sw_event_filter span = {.from_us = 2000, .to_us = 4000}; /* at = seq x 1000 */
    assert_int_equal(sw_view_sql_events(&f->c, 0, 0, 100, &span, 1, &out, &err), SW_OK);
    assert_int_equal(json_array_size(out), 1); /* the limit */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 0), "seq")), 2);
    json_decref(out);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_view__an_event_is_held_once),
        T(test_view__the_position_stops_at_the_first_hole),
        T(test_view__positions_and_the_stream_sequence_read_back),
        T(test_view__reads_keep_the_partition_the_bounds_and_the_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
