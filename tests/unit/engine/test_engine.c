#include "support.h"

#include <stdio.h>
#include <string.h>

#include "base/json.h"

/* ---- test commands and subscribers ---- */

static char order[64][32];
static int norder;

/* test.emit {n, fail, echo}: emits n test.event events, then fails when asked. */
static int cmd_emit(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    int n = (int)json_integer_value(json_object_get(in, "n"));
    for (int i = 0; i < n; i++) {
        int rc = sw_ctx_emit(
            ctx, "test.event", "m1", "s1",
            json_pack("{s:i,s:O}", "i", i, "echo",
                      json_object_get(in, "echo") ? json_object_get(in, "echo") : json_false()),
            err);
        if (rc)
            return rc;
    }
    if (json_is_true(json_object_get(in, "fail")))
        return sw_fail(err, SW_E_RULE_REFUSED, NULL, "asked to fail");
    *result = json_pack("{s:i,s:I}", "emitted", n, "now", (json_int_t)ctx->now);
    return SW_OK;
}

static void record(const char *what, const struct sw_event *ev)
{
    if (norder < 64)
        snprintf(order[norder++], sizeof order[0], "%s:%lld", what,
                 (long long)json_integer_value(json_object_get(ev->payload, "i")));
}

static int sub_event(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    record("a", ev);
    if (json_is_true(json_object_get(ev->payload, "echo")))
        return sw_ctx_emit(ctx, "test.echo", ev->merchant, ev->subject,
                           json_pack("{s:O}", "i", json_object_get(ev->payload, "i")), err);
    return SW_OK;
}

static int sub_event_b(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    record("b", ev);
    return SW_OK;
}

static int sub_echo(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    record("echo", ev);
    return SW_OK;
}

/* Subscribed by ids only: whether it got a payload, and the subject. */
static int sub_ids(struct sw_ctx *ctx, const struct sw_event *ev, struct sw_error *err)
{
    if (norder < 64)
        snprintf(order[norder++], sizeof order[0], "ids:%s:%s", ev->payload ? "payload" : "none",
                 ev->subject);
    return SW_OK;
}

/* test.view {name}: returns the very object it emitted, like product.create does. */
static int cmd_view(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    json_t *view = json_pack("{s:O,s:i}", "name", json_object_get(in, "name"), "version", 1);
    int rc = sw_ctx_emit(ctx, "test.viewed", "m1", "s1", json_incref(view), err);
    if (rc) {
        json_decref(view);
        return rc;
    }
    *result = view;
    return SW_OK;
}

/* test.text {i, type}: emits one event rendered as text (type test.event has subscribers,
 * test.quiet none), answers with that text, then emits a second event. */
static int cmd_text(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    char *text = malloc(64);
    snprintf(text, 64, "{\"i\":%lld}", (long long)json_integer_value(json_object_get(in, "i")));
    int64_t seq = 0;
    int rc = sw_ctx_emit_text(ctx, json_string_value(json_object_get(in, "type")), "m1", "s1", text,
                              &seq, err);
    if (rc == SW_OK)
        rc = sw_ctx_emit(ctx, "test.quiet", "m1", "s1", json_object(), err);
    if (rc) {
        free(text);
        return rc;
    }
    ctx->result_text = text;
    ctx->result_event = seq;
    return SW_OK;
}

/* test.push {key, value, fail}: appends to the test id list, then fails when asked. */
static struct sw_idlist *test_list;
static int cmd_push(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *key = json_string_value(json_object_get(in, "key"));
    int rc = sw_ctx_idlist_append(ctx, test_list, key,
                                  json_integer_value(json_object_get(in, "value")), err);
    if (rc)
        return rc;
    if (json_is_true(json_object_get(in, "fail")))
        return sw_fail(err, SW_E_RULE_REFUSED, NULL, "asked to fail");
    int64_t seen[16];
    size_t n;
    sw_ctx_idlist_page(ctx, test_list, key, 0, seen, 16, &n);
    *result = json_pack("{s:i}", "seen", (int)n);
    return SW_OK;
}

static int load_list(struct sw_conn *c, struct sw_idlist *l, struct sw_error *err)
{
    /* rebuilt from the command log: what a module does from its own table */
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT payload FROM commands WHERE type='test.push' ORDER BY seq", -1,
                           &s, NULL) != SQLITE_OK)
        return SW_E_STORAGE_FAILED;
    while (sqlite3_step(s) == SQLITE_ROW) {
        json_t *p = json_loads((const char *)sqlite3_column_text(s, 0), 0, NULL);
        sw_idlist_load_append(l, json_string_value(json_object_get(p, "key")),
                              json_integer_value(json_object_get(p, "value")));
        json_decref(p);
    }
    sqlite3_finalize(s);
    return SW_OK;
}

/* test.schedule {key, due, kind} */
static int cmd_schedule(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *due = json_string_value(json_object_get(in, "due"));
    sw_instant t;
    int rc = sw_instant_parse(due, strlen(due), &t, err);
    if (rc)
        return rc;
    return sw_ctx_schedule(ctx, json_string_value(json_object_get(in, "key")), t,
                           json_string_value(json_object_get(in, "kind")), "m1", "s1",
                           json_pack("{s:s}", "key", json_string_value(json_object_get(in, "key"))),
                           err);
}

/* test.cancel {key} */
static int cmd_cancel(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return sw_ctx_cancel_timer(ctx, json_string_value(json_object_get(in, "key")), err);
}

/* test.fired: what a timer turns into; records the instant it ran at. */
static int cmd_fired(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    return sw_ctx_emit(ctx, "test.fired", "m1", json_string_value(json_object_get(in, "key")),
                       json_pack("{s:I}", "now", (json_int_t)ctx->now), err);
}

/* test.flaky {key}: fails as ours (internal) while flaky_left > 0, refuses the request when the
 * key is "bad", emits otherwise. */
static int flaky_left;
static int cmd_flaky(struct sw_ctx *ctx, const json_t *in, json_t **result, struct sw_error *err)
{
    const char *key = json_string_value(json_object_get(in, "key"));
    if (strcmp(key, "bad") == 0)
        return sw_fail(err, SW_E_INVALID_VALUE, "key", "no such thing");
    if (flaky_left > 0) {
        flaky_left--;
        return sw_fail(err, SW_E_INTERNAL, NULL, "disk full");
    }
    return sw_ctx_emit(ctx, "test.fired", "m1", key,
                       json_pack("{s:I}", "now", (json_int_t)ctx->now), err);
}

static struct test_env env;

static int setup(void **state)
{
    norder = 0;
    test_env_open(&env, false);
    assert_int_equal(sw_engine_register(env.engine, "test.emit", cmd_emit), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.schedule", cmd_schedule), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.fired", cmd_fired), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.flaky", cmd_flaky), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.cancel", cmd_cancel), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.view", cmd_view), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.push", cmd_push), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.text", cmd_text), SW_OK);
    test_list = sw_engine_idlist(env.engine, "test", load_list);
    assert_non_null(test_list);
    assert_int_equal(sw_engine_subscribe(env.engine, "test.event", sub_event), SW_OK);
    assert_int_equal(sw_engine_subscribe(env.engine, "test.event", sub_event_b), SW_OK);
    assert_int_equal(sw_engine_subscribe(env.engine, "test.echo", sub_echo), SW_OK);
    assert_int_equal(sw_engine_subscribe_ids(env.engine, "test.ids", sub_ids), SW_OK);
    assert_int_equal(sw_engine_subscribe_ids(env.engine, "test.mixed", sub_ids), SW_OK);
    assert_int_equal(sw_engine_subscribe(env.engine, "test.mixed", sub_event_b), SW_OK);
    return 0;
}

static int teardown(void **state)
{
    test_env_close(&env);
    return 0;
}

static int done_count;
static void on_done(struct sw_cmd *cmd, void *arg)
{
    done_count++;
}

static void test_engine__batches_many_commands_in_few_transactions(void **state)
{
    enum { N = 2000 };
    static struct sw_cmd cmds[N];
    json_t *p = json_pack("{s:i}", "n", 1);
    done_count = 0;
    /* Queued before the writer starts, so the writer finds them all waiting. */
    for (int i = 0; i < N; i++) {
        cmds[i] = (struct sw_cmd){
            .type = "test.emit", .actor = "operator", .payload = p, .on_done = on_done};
        sw_engine_submit(env.engine, &cmds[i]);
    }
    test_env_start(&env);
    for (int i = 0; i < N; i++)
        sw_engine_wait(env.engine, &cmds[i]);
    struct sw_engine_stats st;
    sw_engine_stats(env.engine, &st);
    assert_true(st.batches <= 2); /* batch_max 4096 */
    assert_int_equal(st.commands_in_batches, N);
    assert_int_equal(done_count, N);
    for (int i = 0; i < N; i++) {
        assert_int_equal(cmds[i].code, SW_OK);
        assert_int_equal(cmds[i].seq, i + 1);
        sw_cmd_release(&cmds[i]);
    }
    json_decref(p);
    assert_int_equal(test_count(&env, "commands"), N);
    assert_int_equal(test_count(&env, "events"), N);
}

static void test_engine__refused_command_leaves_no_trace_and_spares_its_batch(void **state)
{
    json_t *ok = json_pack("{s:i}", "n", 2), *bad = json_pack("{s:i,s:b}", "n", 3, "fail", 1);
    struct sw_cmd a = {.type = "test.emit", .actor = "operator", .payload = ok};
    struct sw_cmd b = {.type = "test.emit", .actor = "operator", .payload = bad};
    struct sw_cmd c = {.type = "test.emit", .actor = "operator", .payload = ok};
    sw_engine_submit(env.engine, &a);
    sw_engine_submit(env.engine, &b);
    sw_engine_submit(env.engine, &c);
    test_env_start(&env);
    sw_engine_wait(env.engine, &a);
    sw_engine_wait(env.engine, &b);
    sw_engine_wait(env.engine, &c);
    assert_int_equal(a.code, SW_OK);
    assert_int_equal(b.code, SW_E_RULE_REFUSED);
    assert_string_equal(b.err.msg, "asked to fail");
    assert_int_equal(c.code, SW_OK);
    /* seqs stay dense: the refused command's events and seq were given back */
    assert_int_equal(a.seq, 1);
    assert_int_equal(c.seq, 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(sw_cmd_events(&c), 0), "seq")), 3);
    assert_int_equal(test_count(&env, "commands"), 2);
    assert_int_equal(test_count(&env, "events"), 4);
    sw_cmd_release(&a);
    sw_cmd_release(&c);
    json_decref(ok);
    json_decref(bad);
}

static void test_engine__repeat_key_returns_first_result_and_changes_nothing(void **state)
{
    test_env_start(&env);
    struct sw_cmd first, again;
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k1", "{\"n\":2}", &first), SW_OK);
    assert_int_equal(sw_clock_set(&env.clock, test_instant("2026-01-06T00:00:00Z"), NULL), SW_OK);
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k1", "{\"n\":2}", &again), SW_OK);
    assert_true(again.replayed);
    assert_false(first.replayed);
    assert_int_equal(again.seq, first.seq);
    assert_int_equal(again.at, first.at);
    assert_true(json_equal(again.result, first.result));
    assert_true(json_equal(sw_cmd_events(&again), sw_cmd_events(&first)));
    assert_int_equal(test_count(&env, "commands"), 1);
    assert_int_equal(test_count(&env, "events"), 2);
    sw_cmd_release(&first);
    sw_cmd_release(&again);
    /* The same key with another payload is a conflict, not a replay. */
    struct sw_cmd other;
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k1", "{\"n\":3}", &other),
                     SW_E_IDEMPOTENCY_CONFLICT);
    assert_int_equal(test_count(&env, "events"), 2);
}

static void test_engine__result_equal_to_event_is_logged_once_and_replayed(void **state)
{
    test_env_start(&env);
    struct sw_cmd first, again;
    assert_int_equal(
        test_exec(&env, "test.view", "operator", "op|v1", "{\"name\":\"颜夕\"}", &first), SW_OK);
    assert_int_equal(
        test_exec(&env, "test.view", "operator", "op|v1", "{\"name\":\"颜夕\"}", &again), SW_OK);
    assert_true(again.replayed);
    assert_true(json_equal(first.result, again.result));
    assert_string_equal(json_string_value(json_object_get(again.result, "name")), "颜夕");
    /* the command row holds a reference to the event, not a second copy */
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c->db, "SELECT result FROM commands", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "{\"$event\":1}");
    sqlite3_finalize(s);
    sw_pool_release(sw_engine_readers(env.engine), c);
    sw_cmd_release(&first);
    sw_cmd_release(&again);
    /* A result that merely follows a freed payload in memory is stored in full. */
    struct sw_cmd other;
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|e1", "{\"n\":1}", &other), SW_OK);
    sw_cmd_release(&other);
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|e1", "{\"n\":1}", &other), SW_OK);
    assert_true(other.replayed);
    assert_int_equal(json_integer_value(json_object_get(other.result, "emitted")), 1);
    sw_cmd_release(&other);
}

static void test_engine__text_event_is_dispatched_answered_and_logged_once(void **state)
{
    test_env_start(&env);
    struct sw_cmd first, again, quiet;
    assert_int_equal(test_exec(&env, "test.text", "operator", "op|t1",
                               "{\"i\":7,\"type\":\"test.event\"}", &first),
                     SW_OK);
    /* the subscribers got the payload parsed from the text */
    assert_int_equal(norder, 2);
    assert_string_equal(order[0], "a:7");
    assert_string_equal(order[1], "b:7");
    assert_string_equal(first.result_text, "{\"i\":7}");
    assert_int_equal(json_array_size(sw_cmd_events(&first)), 2);
    assert_int_equal(test_exec(&env, "test.text", "operator", "op|t1",
                               "{\"i\":7,\"type\":\"test.event\"}", &again),
                     SW_OK);
    assert_true(again.replayed);
    assert_int_equal(json_integer_value(json_object_get(again.result, "i")), 7);
    assert_int_equal(norder, 2); /* a replay dispatches nothing */
    /* with no subscriber nothing is parsed, and the event is logged all the same */
    assert_int_equal(
        test_exec(&env, "test.text", "operator", NULL, "{\"i\":8,\"type\":\"test.quiet\"}", &quiet),
        SW_OK);
    assert_string_equal(quiet.result_text, "{\"i\":8}");
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c->db,
                                        "SELECT (SELECT result FROM commands WHERE seq = 1),"
                                        " (SELECT payload FROM events WHERE seq = 1),"
                                        " (SELECT result FROM commands WHERE seq = 2),"
                                        " (SELECT payload FROM events WHERE seq = 3)",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    /* the command rows refer to the first event, not to the last one they emitted */
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "{\"$event\":1}");
    assert_string_equal((const char *)sqlite3_column_text(s, 1), "{\"i\":7}");
    assert_string_equal((const char *)sqlite3_column_text(s, 2), "{\"$event\":3}");
    assert_string_equal((const char *)sqlite3_column_text(s, 3), "{\"i\":8}");
    sqlite3_finalize(s);
    sw_pool_release(sw_engine_readers(env.engine), c);
    sw_cmd_release(&first);
    sw_cmd_release(&again);
    sw_cmd_release(&quiet);
}

static void test_engine__text_event_is_parsed_only_for_a_subscriber_that_reads_it(void **state)
{
    test_env_start(&env);
    struct sw_cmd ids, mixed;
    /* every subscriber of the type reads ids only: dispatched, not parsed */
    assert_int_equal(
        test_exec(&env, "test.text", "operator", NULL, "{\"i\":3,\"type\":\"test.ids\"}", &ids),
        SW_OK);
    assert_int_equal(norder, 1);
    assert_string_equal(order[0], "ids:none:s1");
    /* one subscriber reads the payload: parsed, and both get it */
    assert_int_equal(
        test_exec(&env, "test.text", "operator", NULL, "{\"i\":4,\"type\":\"test.mixed\"}", &mixed),
        SW_OK);
    assert_int_equal(norder, 3);
    assert_string_equal(order[1], "ids:payload:s1");
    assert_string_equal(order[2], "b:4");
    /* logged and answered as any text event */
    assert_string_equal(ids.result_text, "{\"i\":3}");
    assert_int_equal(json_array_size(sw_cmd_events(&ids)), 2);
    sw_cmd_release(&ids);
    sw_cmd_release(&mixed);
}

static void page(const char *key, int64_t after, size_t want_n, const int64_t *want)
{
    int64_t got[16];
    size_t n;
    sw_idlist_page(test_list, key, after, got, 16, &n);
    assert_int_equal(n, want_n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

static void test_engine__id_lists_stage_roll_back_and_reload(void **state)
{
    json_t *a = json_pack("{s:s,s:i}", "key", "m1", "value", 10);
    json_t *b = json_pack("{s:s,s:i,s:b}", "key", "m1", "value", 11, "fail", 1);
    json_t *c = json_pack("{s:s,s:i}", "key", "m1", "value", 12);
    json_t *d = json_pack("{s:s,s:i}", "key", "m2", "value", 13);
    struct sw_cmd ca = {.type = "test.push", .actor = "operator", .payload = a};
    struct sw_cmd cb = {.type = "test.push", .actor = "operator", .payload = b};
    struct sw_cmd cc = {.type = "test.push", .actor = "operator", .payload = c};
    struct sw_cmd cd = {.type = "test.push", .actor = "operator", .payload = d};
    sw_engine_submit(env.engine, &ca);
    sw_engine_submit(env.engine, &cb);
    sw_engine_submit(env.engine, &cc);
    sw_engine_submit(env.engine, &cd);
    test_env_start(&env); /* all four in one batch */
    sw_engine_wait(env.engine, &cd);
    sw_engine_wait(env.engine, &ca);
    sw_engine_wait(env.engine, &cb);
    sw_engine_wait(env.engine, &cc);
    assert_int_equal(cb.code, SW_E_RULE_REFUSED);
    /* the writer saw the batch's own appends, without the refused one */
    assert_int_equal(json_integer_value(json_object_get(ca.result, "seen")), 1);
    assert_int_equal(json_integer_value(json_object_get(cc.result, "seen")), 2);
    const int64_t m1[] = {10, 12}, m2[] = {13}, tail[] = {12};
    page("m1", 0, 2, m1);
    page("m1", 10, 1, tail);
    page("m2", 0, 1, m2);
    page("nobody", 0, 0, NULL);
    sw_cmd_release(&ca);
    sw_cmd_release(&cc);
    sw_cmd_release(&cd);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(d);
    /* rebuilt on the next start */
    sw_engine_close(env.engine);
    struct sw_engine_config cfg = {.db_path = env.db, .policy = env.policy, .clock = &env.clock};
    struct sw_error err;
    assert_int_equal(sw_engine_open(&cfg, &env.engine, &err), SW_OK);
    test_list = sw_engine_idlist(env.engine, "test", load_list);
    test_env_start(&env);
    page("m1", 0, 2, m1);
}

static void test_engine__repeat_key_within_one_batch(void **state)
{
    json_t *p = json_pack("{s:i}", "n", 1);
    struct sw_cmd a = {.type = "test.emit", .actor = "x", .idem_key = "x|k", .payload = p};
    struct sw_cmd b = a;
    sw_engine_submit(env.engine, &a);
    sw_engine_submit(env.engine, &b);
    test_env_start(&env);
    sw_engine_wait(env.engine, &a);
    sw_engine_wait(env.engine, &b);
    assert_int_equal(a.code, SW_OK);
    assert_int_equal(b.code, SW_OK);
    assert_true(b.replayed);
    assert_int_equal(a.seq, b.seq);
    assert_int_equal(test_count(&env, "events"), 1);
    sw_cmd_release(&a);
    sw_cmd_release(&b);
    json_decref(p);
}

static void test_engine__idempotency_survives_restart(void **state)
{
    test_env_start(&env);
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k9", "{\"n\":1}", NULL), SW_OK);
    sw_engine_close(env.engine);
    struct sw_engine_config cfg = {.db_path = env.db, .policy = env.policy, .clock = &env.clock};
    struct sw_error err;
    assert_int_equal(sw_engine_open(&cfg, &env.engine, &err), SW_OK);
    assert_int_equal(sw_engine_register(env.engine, "test.emit", cmd_emit), SW_OK);
    test_env_start(&env);
    struct sw_cmd again;
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k9", "{\"n\":1}", &again), SW_OK);
    assert_true(again.replayed);
    assert_int_equal(again.seq, 1);
    sw_cmd_release(&again);
    assert_int_equal(test_exec(&env, "test.emit", "operator", "op|k10", "{\"n\":1}", &again),
                     SW_OK);
    assert_int_equal(again.seq, 2); /* sequence numbers continue after a restart */
    sw_cmd_release(&again);
}

static void test_engine__dispatch_is_depth_first_in_subscription_order(void **state)
{
    test_env_start(&env);
    struct sw_cmd cmd;
    assert_int_equal(
        test_exec(&env, "test.emit", "operator", NULL, "{\"n\":2,\"echo\":true}", &cmd), SW_OK);
    const char *want[] = {"a:0", "echo:0", "b:0", "a:1", "echo:1", "b:1"};
    assert_int_equal(norder, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(order[i], want[i]);
    /* events are numbered in emission order: event 0, its echo, event 1, its echo */
    const char *types[] = {"test.event", "test.echo", "test.event", "test.echo"};
    assert_int_equal(json_array_size(sw_cmd_events(&cmd)), 4);
    for (int i = 0; i < 4; i++) {
        json_t *e = json_array_get(sw_cmd_events(&cmd), (size_t)i);
        assert_string_equal(json_string_value(json_object_get(e, "type")), types[i]);
        assert_int_equal(json_integer_value(json_object_get(e, "seq")), i + 1);
    }
    sw_cmd_release(&cmd);
}

static void test_engine__unknown_command_type_is_refused(void **state)
{
    test_env_start(&env);
    assert_int_equal(test_exec(&env, "no.such", "operator", NULL, "{}", NULL), SW_E_BAD_REQUEST);
    assert_int_equal(test_count(&env, "commands"), 0);
}

static void schedule(const char *key, const char *due)
{
    char p[200];
    snprintf(p, sizeof p, "{\"key\":\"%s\",\"due\":\"%s\",\"kind\":\"test.fired\"}", key, due);
    assert_int_equal(test_exec(&env, "test.schedule", "operator", NULL, p, NULL), SW_OK);
}

static void test_engine__timers_fire_in_due_order_at_their_instants(void **state)
{
    test_env_start(&env);
    schedule("t3", "2026-01-05T04:00:00Z");
    schedule("t1", "2026-01-05T02:00:00Z");
    schedule("t2", "2026-01-05T03:00:00Z");
    schedule("t2", "2026-01-05T03:30:00Z"); /* same key: rescheduled, not doubled */
    schedule("t9", "2026-01-05T03:00:00Z");
    assert_int_equal(test_exec(&env, "test.cancel", "operator", NULL, "{\"key\":\"t9\"}", NULL),
                     SW_OK); /* cancelled: never fires */
    int fired = -1;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T01:59:59Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 0);
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T03:30:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 2);
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T03:30:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 0);
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-06T00:00:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 1);
    assert_int_equal(test_count(&env, "timers"), 0);

    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c->db,
                                        "SELECT subject, at FROM events WHERE type='test.fired' "
                                        "ORDER BY seq",
                                        -1, &s, NULL),
                     SQLITE_OK);
    const char *want[][2] = {{"t1", "2026-01-05T02:00:00Z"},
                             {"t2", "2026-01-05T03:30:00Z"},
                             {"t3", "2026-01-05T04:00:00Z"}};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(s, 0), want[i][0]);
        assert_int_equal(sqlite3_column_int64(s, 1), test_instant(want[i][1]));
    }
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sw_pool_release(sw_engine_readers(env.engine), c);
}

static void schedule_kind(const char *key, const char *due, const char *kind)
{
    char p[200];
    snprintf(p, sizeof p, "{\"key\":\"%s\",\"due\":\"%s\",\"kind\":\"%s\"}", key, due, kind);
    assert_int_equal(test_exec(&env, "test.schedule", "operator", NULL, p, NULL), SW_OK);
}

static void test_engine__a_timer_that_fails_on_our_side_is_kept_and_fires_later(void **state)
{
    test_env_start(&env);
    flaky_left = 2;
    schedule_kind("run", "2026-01-05T02:00:00Z", "test.flaky");
    schedule_kind("bad", "2026-01-05T02:00:00Z", "test.flaky");
    int fired = -1;
    struct sw_error err;
    /* both fire; "bad" is refused as a request (dropped), "run" fails as ours (kept) */
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T02:00:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 2);
    assert_int_equal(test_count(&env, "timers"), 1);
    /* due again a minute after the tick: not before */
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T02:00:59Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 0);
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T02:01:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 1); /* fails once more */
    assert_int_equal(test_count(&env, "timers"), 1);
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-05T03:00:00Z"), &fired, &err),
                     SW_OK);
    assert_int_equal(fired, 1);
    assert_int_equal(test_count(&env, "timers"), 0);
    struct sw_conn *c = sw_pool_acquire(sw_engine_readers(env.engine));
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(c->db,
                                        "SELECT subject, at FROM events WHERE type='test.fired'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW); /* once, at the retry's due instant */
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "run");
    assert_int_equal(sqlite3_column_int64(s, 1), test_instant("2026-01-05T02:02:00Z"));
    assert_int_equal(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sw_pool_release(sw_engine_readers(env.engine), c);
}

static void test_engine__manual_clock_never_goes_back(void **state)
{
    test_env_start(&env);
    int fired;
    struct sw_error err;
    assert_int_equal(sw_engine_tick(env.engine, test_instant("2026-01-04T00:00:00Z"), &fired, &err),
                     SW_E_CLOCK_BACKWARDS);
    assert_int_equal(sw_clock_now(&env.clock), test_instant("2026-01-05T09:00:00+08:00"));
    struct sw_cmd cmd;
    assert_int_equal(test_exec(&env, "test.emit", "operator", NULL, "{\"n\":0}", &cmd), SW_OK);
    assert_int_equal(cmd.at, test_instant("2026-01-05T09:00:00+08:00"));
    sw_cmd_release(&cmd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_engine__batches_many_commands_in_few_transactions,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__refused_command_leaves_no_trace_and_spares_its_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__repeat_key_returns_first_result_and_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__repeat_key_within_one_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__text_event_is_dispatched_answered_and_logged_once, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__result_equal_to_event_is_logged_once_and_replayed, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__text_event_is_parsed_only_for_a_subscriber_that_reads_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__id_lists_stage_roll_back_and_reload, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_engine__idempotency_survives_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__dispatch_is_depth_first_in_subscription_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__unknown_command_type_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_engine__a_timer_that_fails_on_our_side_is_kept_and_fires_later, setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__timers_fire_in_due_order_at_their_instants,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_engine__manual_clock_never_goes_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
