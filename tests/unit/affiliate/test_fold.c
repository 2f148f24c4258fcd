#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/affiliate/affiliate.h"

/* Half-even to the fen (RULES §2), worked by hand: amount × rate_bp / 10,000. */
static void test_fold__commission_rounds_half_even(void **state)
{
    static const struct {
        int64_t amount, rate, want;
    } cases[] = {
        {100, 50, 0},        /* 0.5 -> 0 (even) */
        {300, 50, 2},        /* 1.5 -> 2 */
        {500, 50, 2},        /* 2.5 -> 2 */
        {700, 50, 4},        /* 3.5 -> 4 */
        {12345, 50, 62},     /* 61.725 -> 62 */
        {12330, 50, 62},     /* 61.65 -> 62 */
        {12310, 50, 62},     /* 61.55 -> 62 */
        {12290, 50, 61},     /* 61.45 -> 61 */
        {10000, 1500, 1500}, /* exact */
        {1, 10000, 1},       /* the whole amount */
        {0, 3000, 0},
        {19999, 1, 2},                             /* 1.9999 -> 2 */
        {15000, 1, 2},                             /* 1.5 -> 2 */
        {25000, 1, 2},                             /* 2.5 -> 2 */
        {999999999999999, 10000, 999999999999999}, /* no overflow */
        {999999999999999, 9999, 999899999999999},  /* 999899999999999.9001 -> ...999 +1? */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0] - 1; i++)
        if (sw_aff_commission(cases[i].amount, cases[i].rate) != cases[i].want)
            fail_msg("%lld x %lld bp: got %lld, want %lld", (long long)cases[i].amount,
                     (long long)cases[i].rate,
                     (long long)sw_aff_commission(cases[i].amount, cases[i].rate),
                     (long long)cases[i].want);
    /* 999999999999999 × 0.9999 = 999899999999999.0001 -> 999899999999999 */
    assert_int_equal(sw_aff_commission(999999999999999, 9999), 999899999999999);
}

#define T0 "2026-03-01T10:00:00Z"

static struct sw_aff_event ev(const char *id, enum sw_aff_type t, const char *at)
{
    struct sw_aff_event e = {.event_id = id,
                             .promoter = "p1",
                             .merchant = "m1",
                             .item = "i1",
                             .type = t,
                             .at = test_instant(at),
                             .buyer_id = "b1"};
    return e;
}

static struct sw_aff_event paid(const char *id, const char *at, int64_t amount, int64_t rate)
{
    struct sw_aff_event e = ev(id, SW_AT_PAID, at);
    e.amount_fen = amount;
    e.rate_bp = rate;
    return e;
}

static struct sw_aff_event confirmed(const char *id, const char *at, int64_t settled)
{
    struct sw_aff_event e = ev(id, SW_AT_RECEIPT_CONFIRMED, at);
    e.settled_fen = settled;
    return e;
}

static struct sw_aff_event refund(const char *id, const char *at, int64_t amount)
{
    struct sw_aff_event e = ev(id, amount ? SW_AT_PARTIAL_REFUND : SW_AT_REFUND, at);
    e.amount_fen = amount;
    return e;
}

static struct sw_aff_event rights(const char *id, const char *at, enum sw_case_state s,
                                  int64_t refund_fen)
{
    struct sw_aff_event e = ev(id, SW_AT_RIGHTS_CASE, at);
    e.case_id = "c1";
    e.case_state = s;
    e.refund_fen = refund_fen;
    return e;
}

static void fold(struct sw_aff_event *e, int n, struct sw_aff_fold *f)
{
    sw_aff_fold_run(e, n, f);
}

/* Every transition and every reason the events decide (RULES §2). */
static void test_fold__transitions_and_reasons(void **state)
{
    struct sw_aff_fold f;
    struct sw_aff_event a[] = {ev("e1", SW_AT_CREATED, T0)};
    fold(a, 1, &f);
    assert_int_equal(f.status, SW_AS_CREATED);
    assert_int_equal(f.settlement_fen, -1);
    sw_aff_fold_release(&f);

    struct sw_aff_event b[] = {ev("e1", SW_AT_CREATED, T0),
                               paid("e2", "2026-03-01T10:05:00Z", 12345, 50)};
    fold(b, 2, &f);
    assert_int_equal(f.status, SW_AS_PAID);
    assert_int_equal(sw_aff_status_code(f.status), 12);
    assert_int_equal(f.estimated_fen, 62);
    sw_aff_fold_release(&f);

    struct sw_aff_event c[] = {paid("e2", T0, 10000, 300), refund("e3", "2026-03-02T00:00:00Z", 0)};
    fold(c, 2, &f);
    assert_int_equal(f.status, SW_AS_INVALID);
    assert_int_equal(f.reason, SW_AR_REFUNDED);
    assert_int_equal(f.estimated_fen, 0);
    sw_aff_fold_release(&f);

    struct sw_aff_event d[] = {ev("e1", SW_AT_CREATED, T0),
                               ev("e2", SW_AT_CANCELLED, "2026-03-02T00:00:00Z")};
    fold(d, 2, &f);
    assert_int_equal(f.reason, SW_AR_CANCELLED);
    sw_aff_fold_release(&f);

    /* a partial refund lowers the settled amount; confirmation: 14 */
    struct sw_aff_event g[] = {paid("e2", T0, 10000, 300),
                               refund("e3", "2026-03-02T00:00:00Z", 2000),
                               confirmed("e4", "2026-03-05T00:00:00Z", 8000)};
    fold(g, 3, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(sw_aff_status_code(f.status), 14);
    assert_int_equal(f.estimated_fen, 300);
    assert_int_equal(f.settlement_fen, 240);
    sw_aff_fold_release(&f);

    /* a settled amount reported before the refund is lowered by it */
    struct sw_aff_event h[] = {paid("e2", T0, 10000, 300),
                               refund("e3", "2026-03-02T00:00:00Z", 2000),
                               confirmed("e4", "2026-03-05T00:00:00Z", 10000)};
    fold(h, 3, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(f.settled_fen, 8000);
    assert_int_equal(f.settlement_fen, 240);
    sw_aff_fold_release(&f);
    /* a settled amount above what was paid: data_anomaly, both events named */
    struct sw_aff_event h2[] = {paid("e2", T0, 10000, 300),
                                confirmed("e4", "2026-03-05T00:00:00Z", 10001)};
    fold(h2, 2, &f);
    assert_int_equal(f.reason, SW_AR_DATA_ANOMALY);
    assert_int_equal(f.anomaly_b, 1);
    assert_int_equal(f.anomaly_a, 0);
    sw_aff_fold_release(&f);

    /* commission under 1 fen at confirmation: below_minimum */
    struct sw_aff_event k[] = {paid("e2", T0, 100, 50),
                               confirmed("e4", "2026-03-05T00:00:00Z", 100)};
    fold(k, 2, &f);
    assert_int_equal(f.reason, SW_AR_BELOW_MINIMUM);
    assert_int_equal(f.settlement_fen, 0);
    sw_aff_fold_release(&f);

    /* paid after cancelled; cancelled after a payment: data_anomaly (cancelled is unpaid) */
    struct sw_aff_event m[] = {ev("e1", SW_AT_CANCELLED, T0),
                               paid("e2", "2026-03-02T00:00:00Z", 100, 50)};
    fold(m, 2, &f);
    assert_int_equal(f.reason, SW_AR_DATA_ANOMALY);
    sw_aff_fold_release(&f);
    struct sw_aff_event n2[] = {paid("e2", T0, 10000, 300),
                                confirmed("e4", "2026-03-05T00:00:00Z", 10000),
                                ev("e5", SW_AT_CANCELLED, "2026-03-06T00:00:00Z")};
    fold(n2, 3, &f);
    assert_int_equal(f.reason, SW_AR_DATA_ANOMALY);
    sw_aff_fold_release(&f);

    /* a confirmation naming another item than the order's: data_anomaly, both named */
    struct sw_aff_event q[] = {paid("e2", T0, 10000, 300),
                               confirmed("e4", "2026-03-05T00:00:00Z", 10000)};
    q[1].item = "i2";
    fold(q, 2, &f);
    assert_int_equal(f.reason, SW_AR_DATA_ANOMALY);
    assert_int_equal(f.anomaly_a, 0);
    assert_int_equal(f.anomaly_b, 1);
    assert_non_null(strstr(f.anomaly_detail, "item i2"));
    sw_aff_fold_release(&f);
}

/* Held events: what comes before its dependency waits and applies once it can. */
static void test_fold__held_until_the_dependency_arrives(void **state)
{
    struct sw_aff_fold f;
    struct sw_aff_event a[] = {confirmed("e4", "2026-03-05T00:00:00Z", 10000)};
    fold(a, 1, &f);
    assert_int_equal(f.status, SW_AS_NONE);
    assert_int_equal(f.nheld, 1);
    assert_string_equal(sw_aff_waiting_for(&a[f.held[0]]), "paid");
    sw_aff_fold_release(&f);
    /* a receipt whose `at` is even earlier than the payment: applied right after it */
    struct sw_aff_event b[] = {confirmed("e4", "2026-03-01T00:00:00Z", 10000),
                               paid("e2", "2026-03-02T00:00:00Z", 10000, 300)};
    fold(b, 2, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(f.nheld, 0);
    assert_int_equal(f.napplied, 2);
    assert_int_equal(f.applied[0], 1);
    sw_aff_fold_release(&f);
}

/* A succeeded rights case claws back the commission on its refund amount, rounded alike. */
static void test_fold__rights_cases(void **state)
{
    struct sw_aff_fold f;
    struct sw_aff_event a[] = {paid("e2", T0, 10000, 250),
                               confirmed("e4", "2026-03-05T00:00:00Z", 10000),
                               rights("e6", "2026-04-25T00:00:00Z", SW_CASE_OPEN, 4100),
                               rights("e7", "2026-04-28T00:00:00Z", SW_CASE_SUCCEEDED, 4100)};
    fold(a, 4, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(f.ncases, 1);
    assert_int_equal(f.cases[0].state, SW_CASE_SUCCEEDED);
    assert_int_equal(f.cases[0].clawback_fen, 102); /* 102.5 -> 102 */
    sw_aff_fold_release(&f);
}

/* RULES §2: after confirmation a refund creates a rights case (the refund's event id, succeeded):
 * a partial refund of its amount, a full refund of what the cases have not refunded yet; the
 * order stays confirmed. Beyond the settled amount it is an anomaly. */
static void test_fold__a_refund_after_confirmation_is_a_rights_case(void **state)
{
    struct sw_aff_fold f;
    struct sw_aff_event a[] = {
        paid("e2", T0, 10000, 1000), confirmed("e4", "2026-03-05T00:00:00Z", 10000),
        refund("e5", "2026-03-06T00:00:00Z", 2500), refund("e6", "2026-03-07T00:00:00Z", 0)};
    fold(a, 4, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(f.settlement_fen, 1000);
    assert_int_equal(f.ncases, 2);
    assert_string_equal(f.cases[0].id, "e5");
    assert_int_equal(f.cases[0].state, SW_CASE_SUCCEEDED);
    assert_int_equal(f.cases[0].refund_fen, 2500);
    assert_int_equal(f.cases[0].clawback_fen, 250);
    assert_string_equal(f.cases[1].id, "e6");
    assert_int_equal(f.cases[1].refund_fen, 7500); /* what is left */
    assert_int_equal(f.cases[1].clawback_fen, 750);
    sw_aff_fold_release(&f);

    /* dated before the confirmation, the same partial refund lowers the settled amount */
    struct sw_aff_event b[] = {paid("e2", T0, 10000, 1000),
                               refund("e5", "2026-03-02T00:00:00Z", 2500),
                               confirmed("e4", "2026-03-05T00:00:00Z", 10000)};
    fold(b, 3, &f);
    assert_int_equal(f.ncases, 0);
    assert_int_equal(f.settled_fen, 7500);
    sw_aff_fold_release(&f);

    /* a second full refund finds nothing left: told again, no change */
    struct sw_aff_event c[] = {
        paid("e2", T0, 10000, 1000), confirmed("e4", "2026-03-05T00:00:00Z", 10000),
        refund("e5", "2026-03-06T00:00:00Z", 0), refund("e6", "2026-03-07T00:00:00Z", 0)};
    fold(c, 4, &f);
    assert_int_equal(f.status, SW_AS_RECEIPT_CONFIRMED);
    assert_int_equal(f.ncases, 1);
    sw_aff_fold_release(&f);

    /* partial refunds above the settled amount (8,000) cannot be reconciled */
    struct sw_aff_event d[] = {
        paid("e2", T0, 10000, 1000), confirmed("e4", "2026-03-05T00:00:00Z", 8000),
        refund("e5", "2026-03-06T00:00:00Z", 5000), refund("e6", "2026-03-07T00:00:00Z", 4000)};
    fold(d, 4, &f);
    assert_int_equal(f.status, SW_AS_INVALID);
    assert_int_equal(f.reason, SW_AR_DATA_ANOMALY);
    assert_int_equal(f.anomaly_b, 3);
    sw_aff_fold_release(&f);
}

/* Any arrival order gives the same order (a few hundred shuffles of one history). */
static void test_fold__arrival_order_does_not_matter(void **state)
{
    struct sw_aff_event base[] = {
        ev("e1", SW_AT_CREATED, T0), paid("e2", "2026-03-01T10:05:00Z", 54321, 333),
        refund("e3", "2026-03-02T00:00:00Z", 1321), confirmed("e4", "2026-03-05T00:00:00Z", 53000),
        rights("e5", "2026-04-01T00:00:00Z", SW_CASE_SUCCEEDED, 10000)};
    enum { N = sizeof base / sizeof base[0] };
    struct sw_aff_fold want;
    fold(base, N, &want);
    srand(7);
    for (int round = 0; round < 300; round++) {
        struct sw_aff_event e[N];
        memcpy(e, base, sizeof e);
        for (int i = N - 1; i > 0; i--) {
            int j = rand() % (i + 1);
            struct sw_aff_event t = e[i];
            e[i] = e[j];
            e[j] = t;
        }
        struct sw_aff_fold f;
        fold(e, N, &f);
        assert_int_equal(f.status, want.status);
        assert_int_equal(f.settlement_fen, want.settlement_fen);
        assert_int_equal(f.estimated_fen, want.estimated_fen);
        assert_int_equal(f.cases[0].clawback_fen, want.cases[0].clawback_fen);
        assert_int_equal(f.napplied, N);
        sw_aff_fold_release(&f);
    }
    assert_int_equal(want.settlement_fen, sw_aff_commission(53000, 333));
    sw_aff_fold_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold__commission_rounds_half_even),
        cmocka_unit_test(test_fold__transitions_and_reasons),
        cmocka_unit_test(test_fold__held_until_the_dependency_arrives),
        cmocka_unit_test(test_fold__rights_cases),
        cmocka_unit_test(test_fold__a_refund_after_confirmation_is_a_rights_case),
        cmocka_unit_test(test_fold__arrival_order_does_not_matter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
