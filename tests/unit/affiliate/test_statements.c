#include "support.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/affiliate/affiliate.h"

/* docs/affiliate.md, Statements and Corrections: the CSV shows every kind of line the JSON
 * does (order, clawback, a credit, correction), a row each, then the total. */
static void test_statements__csv_shows_every_kind_of_line(void **state)
{
    (void)state;
    json_t *st = json_pack(
        "{s:s,s:[{s:s,s:s,s:I},{s:s,s:s,s:s,s:I},{s:s,s:s,s:s,s:I},{s:s,s:s,s:I}],s:I}", "id",
        "st-p1-2026-02", "lines", "kind", "order", "order", "o2", "amount_fen", (json_int_t)1000,
        "kind", "clawback", "order", "o1", "case", "k", "amount_fen", (json_int_t)-300, "kind",
        "clawback", "order", "o3", "case", "k", "amount_fen", (json_int_t)300, "kind", "correction",
        "order", "o4", "amount_fen", (json_int_t)-200, "total_fen", (json_int_t)800);
    char *csv = sw_affiliate_statement_csv(st);
    assert_non_null(csv);
    assert_string_equal(csv, "kind,order,case,amount_fen\r\n"
                             "order,o2,,1000\r\n"
                             "clawback,o1,k,-300\r\n"
                             "clawback,o3,k,300\r\n"
                             "correction,o4,,-200\r\n"
                             "total,,,800\r\n");
    free(csv);
    json_decref(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements__csv_shows_every_kind_of_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
