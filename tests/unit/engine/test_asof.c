/* The point-in-time fold (engine/asof.h) on its own: a kind sees exactly the events of its
 * subject and types stamped at or before the instant, in log order, whichever order instants
 * are asked in (snapshots), and events appended after a read are seen by the next one. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "engine/asof.h"

#define ROUNDS 300

static struct test_env env;
static sw_instant t0;
static int64_t seq_of[ROUNDS + 40]; /* the seq of the t.a event of s1 at second i */

static int cmd_emit(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    (void)result;
    return sw_ctx_emit(ctx, json_string_value(json_object_get(in, "type")), NULL,
                       json_string_value(json_object_get(in, "subject")),
                       json_pack("{s:O}", "n", json_object_get(in, "n")), err);
}

/* The state: {"n": how many t.a events, "seqs": [...], "last": the last payload's n}. */
static void count_step(json_t **state, const struct sw_asof_event *ev)
{
    if (!*state)
        *state = json_pack("{s:i,s:[]}", "n", 0, "seqs");
    json_object_set_new(*state, "n",
                        json_integer(json_integer_value(json_object_get(*state, "n")) + 1));
    json_array_append_new(json_object_get(*state, "seqs"), json_integer(ev->seq));
    json_object_set(*state, "last", json_object_get(ev->payload, "n"));
}

static const struct sw_asof_kind count_kind = {SW_ASOF_SLOTS - 1, "t.a", count_step};

static void emit(const char *type, const char *subject, int n, struct sw_cmd *out)
{
    char body[160];
    snprintf(body, sizeof body, "{\"type\":\"%s\",\"subject\":\"%s\",\"n\":%d}", type, subject, n);
    assert_int_equal(test_exec(&env, "t.emit", "operator", NULL, body, out), SW_OK);
}

/* Second i (1..n): s1 gets a t.a (then a t.b), s2 a t.a. */
static void round_at(int i)
{
    assert_int_equal(sw_clock_set(&env.clock, t0 + (sw_instant)i * 1000000, NULL), SW_OK);
    struct sw_cmd cmd;
    emit("t.a", "s1", i, &cmd);
    json_t *evs = sw_cmd_events(&cmd); /* borrowed */
    seq_of[i] = json_integer_value(json_object_get(json_array_get(evs, 0), "seq"));
    sw_cmd_release(&cmd);
    emit("t.b", "s1", i, NULL);
    emit("t.a", "s2", -i, NULL);
}

static int setup(void **state)
{
    (void)state;
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "t.emit", cmd_emit), SW_OK);
    assert_int_equal(sw_asof_register(env.engine), SW_OK);
    test_env_start(&env);
    t0 = sw_clock_now(&env.clock);
    for (int i = 1; i <= ROUNDS; i++)
        round_at(i);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_env_close(&env);
    return 0;
}

static json_t *fold(const char *subject, sw_instant at, int64_t *last)
{
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    json_t *out = NULL;
    struct sw_error err;
    assert_int_equal(sw_asof_fold(env.engine, c, &count_kind, subject, at, &out, last, &err),
                     SW_OK);
    sw_pool_release(sw_engine_readers(env.engine), c);
    return out;
}

/* Half a second after second i: s1's first i t.a events, the last of them second i's. */
static void assert_at(int i)
{
    int64_t last = -1;
    json_t *s = fold("s1", t0 + (sw_instant)i * 1000000 + 500000, &last);
    if (i == 0) {
        assert_null(s);
        assert_int_equal(last, 0);
        return;
    }
    assert_non_null(s);
    assert_int_equal(json_integer_value(json_object_get(s, "n")), i);
    assert_int_equal(json_integer_value(json_object_get(s, "last")), i);
    assert_int_equal(last, seq_of[i]);
    json_t *seqs = json_object_get(s, "seqs");
    for (int k = 1; k <= i; k++)
        assert_int_equal(json_integer_value(json_array_get(seqs, (size_t)k - 1)), seq_of[k]);
    json_decref(s);
}

static void test_asof__a_fold_sees_its_subjects_events_up_to_the_instant(void **state)
{
    (void)state;
    static const int order[] = {ROUNDS, 0, 1, 31, 32, 33, 64, 100, 21, 22, ROUNDS - 1, 150};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        assert_at(order[k]);
    for (int i = 0; i <= ROUNDS; i++) /* again, from the snapshots the reads above kept */
        assert_at(i);
    /* the instant of an event itself includes it */
    int64_t last;
    json_t *s = fold("s1", t0 + 1000000, &last);
    assert_int_equal(json_integer_value(json_object_get(s, "n")), 1);
    json_decref(s);
    s = fold("s2", t0 + (sw_instant)ROUNDS * 1000000, &last);
    assert_int_equal(json_integer_value(json_object_get(s, "last")), -ROUNDS);
    json_decref(s);
}

static void test_asof__events_appended_after_a_read_are_seen_by_the_next(void **state)
{
    (void)state;
    for (int i = ROUNDS + 1; i <= ROUNDS + 30; i++)
        round_at(i);
    assert_at(ROUNDS + 30);
    assert_at(ROUNDS + 3);
    assert_at(ROUNDS);
}

static void test_asof__an_unknown_subject_has_no_state(void **state)
{
    (void)state;
    int64_t last = -1;
    assert_null(fold("nobody", t0 + 1000000000000, &last));
    assert_int_equal(last, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_asof__a_fold_sees_its_subjects_events_up_to_the_instant),
        cmocka_unit_test(test_asof__events_appended_after_a_read_are_seen_by_the_next),
        cmocka_unit_test(test_asof__an_unknown_subject_has_no_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
