/* The operator queue as a read model of events (src/domain/queue/model.c, cluster mode): fed
 * with a store's whole event log, it answers what the queue read from the database answers
 * (the same items, order, annotations and counts), whether it takes the events at once or in
 * pieces, and it follows later changes: a decided item leaves its list, a claim lapses. The
 * rule quality's model (src/domain/penalty/quality_model.c), fed the same events, adds the
 * violations up as the database does. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "domain/filing/filing.h"
#include "domain/penalty/penalty.h"
#include "domain/qualification/qualification.h"
#include "domain/queue/queue.h"
#include "store/journal.h"
#include "store/store.h"

static struct test_env env;
static struct sw_conn model;
static int64_t fed; /* the last event the model took in */

static void run(const char *type, const char *actor, const char *payload)
{
    struct sw_cmd cmd;
    int rc = test_exec(&env, type, actor, NULL, payload, &cmd);
    if (rc != SW_OK)
        fail_msg("%s by %s: %d %s", type, actor, rc, cmd.err.msg);
    sw_cmd_release(&cmd);
}

/* A command by operator key op1 (claims name their holder's key). */
static void run_op1(const char *type, const char *payload)
{
    json_t *p = json_loads(payload, 0, NULL);
    struct sw_cmd cmd = {.type = type, .actor = "operator", .actor_key = "op1", .payload = p};
    int rc = sw_engine_execute(env.engine, &cmd);
    if (rc != SW_OK)
        fail_msg("%s by op1: %d %s", type, rc, cmd.err.msg);
    sw_cmd_release(&cmd);
    json_decref(p);
}

/* Feeds the model the log's events after `fed`, up to `upto` (0: all), `batch` at a time. */
static void feed(int64_t upto, int batch)
{
    struct sw_pool *pool = sw_engine_readers(env.engine);
    for (;;) {
        struct sw_conn *c = sw_pool_acquire(pool);
        json_t *evs = NULL;
        struct sw_error err;
        assert_int_equal(sw_journal_events_page(c, fed, batch, &evs, &err), SW_OK);
        sw_pool_release(pool, c);
        size_t i, took = 0;
        json_t *ev;
        json_array_foreach(evs, i, ev)
        {
            int64_t seq = json_integer_value(json_object_get(ev, "seq"));
            if (upto && seq > upto)
                break;
            assert_int_equal(sw_queue_model_apply(&model, 0, ev, &err), SW_OK);
            assert_int_equal(sw_penalty_quality_model_apply(&model, 0, ev, &err), SW_OK);
            fed = seq;
            took++;
        }
        size_t n = json_array_size(evs);
        json_decref(evs);
        if (n == 0 || took < n)
            return;
    }
}

/* GET /v1/queue as single-node mode answers it (src/http/penalty.c), affiliate alerts aside. */
static json_t *queue_of_database(int64_t now, int limit)
{
    struct sw_pool *pool = sw_engine_readers(env.engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    struct sw_error err;
    json_t *out = NULL, *quals = NULL, *filings = NULL;
    assert_int_equal(sw_penalty_queue(env.engine, c, env.policy, NULL, limit, &out, &err), SW_OK);
    assert_int_equal(sw_qualification_in_review(c, limit, &quals, &err), SW_OK);
    json_object_set_new(out, "qualifications_in_review", quals);
    assert_int_equal(sw_filing_in_review(c, limit, &filings, &err), SW_OK);
    json_object_set_new(out, "filings_in_review", filings);
    int64_t pending = 0;
    assert_int_equal(sw_queue_approvals_pending(c, &pending, &err), SW_OK);
    json_object_set_new(out, "approvals_pending", json_integer(pending));
    static const char *const lists[] = {"pending_violations", "open_appeals",
                                        "rectification_reports", "qualifications_in_review",
                                        "filings_in_review"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        assert_int_equal(sw_queue_annotate(c, now, json_object_get(out, lists[i]), &err), SW_OK);
    sw_pool_release(pool, c);
    return out;
}

static json_t *queue_of_model(int64_t now, const char *after, int limit)
{
    json_t *out = NULL;
    struct sw_error err;
    int rc = sw_queue_model_read(&model, now, after, limit, &out, &err);
    if (rc != SW_OK)
        fail_msg("model read: %s", err.msg);
    return out;
}

static void assert_same(json_t *db, json_t *mo)
{
    if (!json_equal(db, mo)) {
        char *a = json_dumps(db, JSON_SORT_KEYS | JSON_INDENT(1));
        char *b = json_dumps(mo, JSON_SORT_KEYS | JSON_INDENT(1));
        fprintf(stderr, "database:\n%s\nmodel:\n%s\n", a, b);
        fail_msg("the model's queue is not the database's");
    }
    json_decref(db);
    json_decref(mo);
}

/* GET /v1/admin/rules/quality from the database and from the model: the same rows. */
static void assert_same_quality(void)
{
    struct sw_pool *pool = sw_engine_readers(env.engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    struct sw_error err;
    json_t *db = NULL, *mo = NULL;
    assert_int_equal(sw_penalty_rule_quality(c, NULL, NULL, &db, &err), SW_OK);
    sw_pool_release(pool, c);
    assert_int_equal(sw_penalty_quality_model_read(&model, NULL, NULL, &mo, &err), SW_OK);
    assert_true(json_array_size(json_object_get(db, "rules")) > 0);
    assert_same(db, mo);
}

static size_t list_size(json_t *q, const char *name)
{
    return json_array_size(json_object_get(q, name));
}

/* m1 sells fruit with its deposit paid; p1..p3 are listed. */
static void world(void)
{
    test_env_open(&env, true);
    test_env_start(&env);
    test_store(&env, "m1", "[\"fresh.fruit\"]", 5000000);
    for (int i = 1; i <= 3; i++) {
        char body[320];
        snprintf(body, sizeof body,
                 "{\"id\":\"p%d\",\"merchant\":\"m1\",\"title\":\"赣南脐橙 %dkg\",\"category\":"
                 "\"fresh.fruit\",\"price_fen\":3990,\"production_date\":\"2026-01-01\","
                 "\"quality_cert\":\"QC-1\",\"manufacturer\":\"果园\"}",
                 i, i + 2);
        run("product.create", "merchant:m1", body);
        snprintf(body, sizeof body, "{\"id\":\"p%d\"}", i);
        run("product.list", "merchant:m1", body);
    }
    struct sw_error err;
    assert_int_equal(sw_conn_open(&model, ":memory:", false, SW_SYNC_NORMAL, &err), SW_OK);
    assert_int_equal(sw_queue_model_open(&model, &err), SW_OK);
    assert_int_equal(sw_penalty_quality_model_open(&model, &err), SW_OK);
    fed = 0;
}

static void done(void)
{
    sw_conn_close(&model);
    test_env_close(&env);
}

/* Queued findings (one product edited since), an open appeal, a rectification report, a
 * qualification in review, a pending approval and a claim: the model's queue is the database's. */
static void test_queue_model__the_model_answers_what_the_database_answers(void **state)
{
    (void)state;
    world();
    /* efficacy claims queue (confirm: queue) on listed products */
    run("product.update", "merchant:m1", "{\"id\":\"p1\",\"detail\":\"每天一个，治疗便秘\"}");
    run("product.update", "merchant:m1", "{\"id\":\"p2\",\"detail\":\"吃了预防感冒，提高免疫力\"}");
    run("product.update", "merchant:m1", "{\"id\":\"p2\",\"price_fen\":3590}");
    /* the price alone (the text states none) is no change of what was scanned; the title is */
    run("product.update", "merchant:m1", "{\"id\":\"p2\",\"title\":\"脐橙 新季\"}");
    /* three-no by an operator: in force at once, a rectification report owed */
    run("product.create", "merchant:m1",
        "{\"id\":\"t1\",\"merchant\":\"m1\",\"title\":\"橙子\",\"category\":\"fresh.fruit\","
        "\"price_fen\":990,\"production_date\":\"2026-01-01\",\"quality_cert\":\"Q\"}");
    run("violation.create", "operator",
        "{\"product\":\"t1\",\"type\":\"three_no_product\",\"evidence\":[\"no maker\"]}");
    run("violation.create", "operator",
        "{\"product\":\"p3\",\"type\":\"external_diversion\",\"severity\":\"minor\","
        "\"evidence\":[\"加微信\"]}");
    json_t *q = queue_of_database(test_instant("2026-01-05T09:00:00+08:00"), 100);
    assert_int_equal(list_size(q, "pending_violations"), 2);
    json_decref(q);
    run("violation.rectify", "merchant:m1", "{\"id\":\"v3\",\"report\":\"已补全厂家信息\"}");
    run("appeal.create", "merchant:m1", "{\"violation\":\"v4\",\"reason\":\"误判\"}");
    run("appeal.create", "merchant:m1", "{\"violation\":\"v3\",\"reason\":\"已补\"}");
    run("qualification.submit", "merchant:m1",
        "{\"merchant\":\"m1\",\"code\":\"food_business_license\",\"documents\":[\"f/a.pdf\"],"
        "\"expires_on\":\"2027-12-31\"}");
    run_op1("merchant.clear", "{\"id\":\"m1\",\"reason\":\"多次违规\"}");
    run_op1("queue.claim", "{\"item\":\"v1\",\"minutes\":30}");
    int64_t now = test_instant("2026-01-05T09:10:00+08:00");
    feed(0, 1000);
    q = queue_of_database(now, 100);
    assert_int_equal(list_size(q, "pending_violations"), 2);
    assert_int_equal(list_size(q, "rectification_reports"), 1);
    assert_int_equal(list_size(q, "open_appeals"), 2);
    assert_int_equal(list_size(q, "qualifications_in_review"), 1);
    assert_int_equal(json_integer_value(json_object_get(q, "approvals_pending")), 1);
    json_t *v2 = json_array_get(json_object_get(q, "pending_violations"), 1);
    assert_true(json_is_true(json_object_get(v2, "product_changed")));
    assert_same(q, queue_of_model(now, NULL, 100));
    /* paged one violation at a time, as the database pages it */
    json_t *db = NULL;
    struct sw_pool *pool = sw_engine_readers(env.engine);
    struct sw_conn *c = sw_pool_acquire(pool);
    struct sw_error err;
    assert_int_equal(sw_penalty_queue(env.engine, c, env.policy, "v1", 1, &db, &err), SW_OK);
    sw_pool_release(pool, c);
    json_t *mo = queue_of_model(now, "v1", 1);
    json_t *dv = json_object_get(db, "pending_violations"),
           *mv = json_object_get(mo, "pending_violations");
    assert_int_equal(json_array_size(dv), 1);
    assert_int_equal(json_array_size(mv), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(dv, 0), "id")),
                        json_string_value(json_object_get(json_array_get(mv, 0), "id")));
    assert_true(json_equal(json_object_get(db, "has_more"), json_object_get(mo, "has_more")));
    assert_true(json_equal(json_object_get(db, "next_after"), json_object_get(mo, "next_after")));
    json_decref(db);
    json_decref(mo);
    /* after the claim's end nobody holds v1 */
    now = test_instant("2026-01-05T09:45:00+08:00");
    assert_same(queue_of_database(now, 100), queue_of_model(now, NULL, 100));
    /* an appeal past its deadline goes first; a rejected one closes on its violation's copy */
    int fired = 0;
    now = test_instant("2026-01-08T09:00:00+08:00");
    assert_int_equal(sw_engine_tick(env.engine, now, &fired, &err), SW_OK);
    assert_true(fired >= 2);
    run("appeal.decide", "operator", "{\"id\":\"a2\",\"decision\":\"reject\",\"note\":\"n\"}");
    feed(0, 1000);
    q = queue_of_database(now, 100);
    assert_int_equal(json_integer_value(json_object_get(q, "overdue_appeals")), 1);
    assert_int_equal(list_size(q, "open_appeals"), 1);
    assert_same(q, queue_of_model(now, NULL, 100));
    assert_same_quality();
    done();
}

/* Decisions take items off their lists; the model follows, whether it takes the log in one
 * piece or event by event. */
static void test_queue_model__decided_items_leave_and_pieces_give_the_same_model(void **state)
{
    (void)state;
    world();
    run("product.update", "merchant:m1", "{\"id\":\"p1\",\"detail\":\"每天一个，治疗便秘\"}");
    run("product.update", "merchant:m1", "{\"id\":\"p2\",\"detail\":\"吃了预防感冒\"}");
    run("qualification.submit", "merchant:m1",
        "{\"merchant\":\"m1\",\"code\":\"food_business_license\",\"documents\":[\"f/a.pdf\"],"
        "\"expires_on\":\"2027-12-31\"}");
    run_op1("queue.claim", "{\"item\":\"q1\"}");
    feed(0, 1); /* one event at a time */
    int64_t now = test_instant("2026-01-05T09:01:00+08:00");
    json_t *q = queue_of_model(now, NULL, 100);
    assert_int_equal(list_size(q, "qualifications_in_review"), 1);
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(q, "qualifications_in_review"), 0), "claimed_by")),
        "op1");
    json_decref(q);
    assert_same(queue_of_database(now, 100), queue_of_model(now, NULL, 100));
    run("violation.dismiss", "operator", "{\"id\":\"v1\",\"note\":\"不构成\"}");
    run_op1("queue.release", "{\"item\":\"q1\"}");
    run("qualification.decide", "operator",
        "{\"id\":\"q1\",\"decision\":\"approve\",\"note\":\"齐全\"}");
    feed(0, 7);
    q = queue_of_model(now, NULL, 100);
    assert_int_equal(list_size(q, "qualifications_in_review"), 0);
    json_decref(q);
    assert_same(queue_of_database(now, 100), queue_of_model(now, NULL, 100));
    assert_same_quality();
    /* a page cursor must name a violation the models know */
    struct sw_error err;
    bool known = false;
    assert_int_equal(sw_penalty_quality_model_knows(&model, "v1", &known, &err), SW_OK);
    assert_true(known);
    assert_int_equal(sw_penalty_quality_model_knows(&model, "v999", &known, &err), SW_OK);
    assert_false(known);
    /* a cursor that is no violation's id is refused */
    json_t *out = NULL;
    assert_int_equal(sw_queue_model_read(&model, now, "q1", 10, &out, &err), SW_E_INVALID_VALUE);
    done();
}

/* A top-up that pays what a listed violation owed moves its copy as the ledger moves it; two
 * submissions within one second keep their order; malformed cursors are refused. */
static void test_queue_model__settlements_instants_and_cursors(void **state)
{
    (void)state;
    world();
    test_store(&env, "m2", "[\"fresh.fruit\"]", 100000);
    run("product.create", "merchant:m2",
        "{\"id\":\"t2\",\"merchant\":\"m2\",\"title\":\"橙子\",\"category\":\"fresh.fruit\","
        "\"price_fen\":990,\"production_date\":\"2026-01-01\",\"quality_cert\":\"Q\"}");
    run("violation.create", "operator",
        "{\"product\":\"t2\",\"type\":\"three_no_product\",\"evidence\":[\"no maker\"]}");
    run("violation.rectify", "merchant:m2", "{\"id\":\"v1\",\"report\":\"已补全厂家信息\"}");
    struct sw_error err;
    int fired = 0;
    assert_int_equal(
        sw_engine_tick(env.engine, test_instant("2026-01-05T10:00:00+08:00"), &fired, &err), SW_OK);
    run("deposit.top_up", "ingest", "{\"id\":\"m2\",\"amount_fen\":1000000,\"ref\":\"b\"}");
    /* two submissions in one second: the whole second first */
    assert_int_equal(
        sw_engine_tick(env.engine, test_instant("2026-01-05T10:30:00+08:00"), &fired, &err), SW_OK);
    run("qualification.submit", "merchant:m1",
        "{\"merchant\":\"m1\",\"code\":\"food_business_license\",\"documents\":[\"f/a.pdf\"],"
        "\"expires_on\":\"2027-12-31\"}");
    assert_int_equal(
        sw_engine_tick(env.engine, test_instant("2026-01-05T10:30:00.5+08:00"), &fired, &err),
        SW_OK);
    run("qualification.submit", "merchant:m1",
        "{\"merchant\":\"m1\",\"code\":\"business_license\",\"documents\":[\"f/b.pdf\"],"
        "\"expires_on\":\"2027-12-31\"}");
    feed(0, 1000);
    int64_t now = test_instant("2026-01-05T10:31:00+08:00");
    json_t *q = queue_of_database(now, 100);
    json_t *rep = json_array_get(json_object_get(q, "rectification_reports"), 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(rep, "penalty"), "owed_fen")), 0);
    assert_int_equal(list_size(q, "qualifications_in_review"), 2);
    assert_same(q, queue_of_model(now, NULL, 100));
    static const char *const bad[] = {"vv1", "v01", "v99999999999999999999999", "q1", "v"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *out = NULL;
        assert_int_equal(sw_queue_model_read(&model, now, bad[i], 10, &out, &err),
                         SW_E_INVALID_VALUE);
    }
    done();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_model__the_model_answers_what_the_database_answers),
        cmocka_unit_test(test_queue_model__decided_items_leave_and_pieces_give_the_same_model),
        cmocka_unit_test(test_queue_model__settlements_instants_and_cursors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
