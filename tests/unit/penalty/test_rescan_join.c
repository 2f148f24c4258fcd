/* A rescan across partitions (cluster mode, docs/scale-out.md "Rescans"): the job is the home
 * partition's part (id) and one part in each other partition (part_of = id); a read adds them
 * up: counters summed, running while any part runs, done at the last part's end. */
#include "support.h"

#include "domain/penalty/penalty.h"

#define PART(id, extra, status, total, scanned, viol, upd, fin)                                    \
    "{\"id\": \"" id "\", " extra "\"status\": \"" status "\", \"policy_version\": \"v2\","        \
    " \"batch\": 50, \"total\": " #total ", \"scanned\": " #scanned ", \"changed\": 1,"            \
    " \"violations\": " #viol ", \"delisted\": 0, \"steps\": 2,"                                   \
    " \"created_at\": \"2026-01-05T01:00:00Z\", \"updated_at\": \"" upd "\","                      \
    " \"finished_at\": " fin "}"

static json_t *join(const char *id, const char *parts)
{
    json_t *a = json_loads(parts, 0, NULL);
    assert_non_null(a);
    json_t *out = sw_penalty_rescan_join(id, a);
    json_decref(a);
    return out;
}

static json_int_t n(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *s(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void test_rescan_join__parts_add_up_and_the_job_runs_while_a_part_runs(void **st)
{
    (void)st;
    json_t *job = join(
        "r7",
        "[" PART("r7", "", "done", 10, 10, 3, "2026-01-05T01:00:05Z",
                 "\"2026-01-05T01:00:05Z\"") "," PART("r1000000002", "\"part_of\": \"r7\", ",
                                                      "running", 5, 2, 1, "2026-01-05T01:00:09Z",
                                                      "null") "," PART("r2000000001",
                                                                       "\"part_of\": \"r7\", ",
                                                                       "done", 4, 4, 0,
                                                                       "2026-01-05T01:00:02Z",
                                                                       "\"2026-01-05T01:00:"
                                                                       "02Z\"") "," PART("r300"
                                                                                         "0000"
                                                                                         "001",
                                                                                         "\"pa"
                                                                                         "rt_"
                                                                                         "of\""
                                                                                         ": "
                                                                                         "\"r6"
                                                                                         "\","
                                                                                         " ",
                                                                                         "runn"
                                                                                         "ing",
                                                                                         99, 0, 0,
                                                                                         "2026"
                                                                                         "-01-"
                                                                                         "05T0"
                                                                                         "1:"
                                                                                         "00:"
                                                                                         "00Z",
                                                                                         "nul"
                                                                                         "l") "]");
    assert_non_null(job);
    assert_string_equal(s(job, "id"), "r7");
    assert_string_equal(s(job, "status"), "running");
    assert_int_equal(n(job, "total"), 19); /* r3000000001 is another job's part */
    assert_int_equal(n(job, "scanned"), 16);
    assert_int_equal(n(job, "violations"), 4);
    assert_int_equal(n(job, "changed"), 3);
    assert_int_equal(n(job, "steps"), 6);
    assert_int_equal(n(job, "parts"), 3);
    assert_string_equal(s(job, "updated_at"), "2026-01-05T01:00:09Z");
    assert_true(json_is_null(json_object_get(job, "finished_at")));
    json_decref(job);
}

static void test_rescan_join__the_job_is_done_when_its_last_part_is(void **st)
{
    (void)st;
    json_t *job =
        join("r7", "[" PART("r1000000002", "\"part_of\": \"r7\", ", "done", 5, 5, 1,
                            "2026-01-05T01:00:09Z",
                            "\"2026-01-05T01:00:09Z\"") "," PART("r7", "", "done", 10, 10, 3,
                                                                 "2026-01-05T01:00:05Z",
                                                                 "\"2026-01-05T01:00:05Z\"") "]");
    assert_non_null(job);
    assert_string_equal(s(job, "status"), "done");
    assert_string_equal(s(job, "finished_at"), "2026-01-05T01:00:09Z");
    assert_int_equal(n(job, "total"), 15);
    json_decref(job);
}

static void test_rescan_join__no_home_part_is_no_job(void **st)
{
    (void)st;
    json_t *job = join("r7", "[" PART("r1000000002", "\"part_of\": \"r7\", ", "done", 5, 5, 1,
                                      "2026-01-05T01:00:09Z", "\"2026-01-05T01:00:09Z\"") "]");
    assert_null(job);
    assert_null(join("r7", "[]"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rescan_join__parts_add_up_and_the_job_runs_while_a_part_runs),
        cmocka_unit_test(test_rescan_join__the_job_is_done_when_its_last_part_is),
        cmocka_unit_test(test_rescan_join__no_home_part_is_no_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
