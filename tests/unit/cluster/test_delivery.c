/* The owner applies its partition's stream in order, each message once: a delivery that skips
 * a message (its consumer sequence does not follow the last one) stops the batch, and a
 * redelivery of an applied message is not applied again. */
#include "support.h"

#include "cluster/cluster_int.h"

static void test_delivery__next_message_is_applied(void **state)
{
    /* a fresh consumer: consumer sequences start at 1, stream sequences anywhere after the
     * snapshot (the stream holds every partition, so they jump) */
    assert_int_equal(sw__cl_delivery(0, 700, 1, 738), SW_DELIVERY_APPLY);
    assert_int_equal(sw__cl_delivery(122, 737, 123, 790), SW_DELIVERY_APPLY);
}

static void test_delivery__a_skipped_consumer_sequence_is_a_gap(void **state)
{
    /* the consumer leader died with message 123 in a lost fetch; the next leader delivers 124 */
    assert_int_equal(sw__cl_delivery(122, 737, 124, 790), SW_DELIVERY_GAP);
    /* nor may a sequence go back (a consumer that is not the one this owner made) */
    assert_int_equal(sw__cl_delivery(122, 737, 122, 738), SW_DELIVERY_GAP);
    assert_int_equal(sw__cl_delivery(0, 0, 5, 5), SW_DELIVERY_GAP);
}

static void test_delivery__a_redelivery_of_an_applied_message_is_seen_not_applied(void **state)
{
    /* the acknowledgement was lost with the broker: the messages come again, new consumer
     * sequences, old stream sequences */
    assert_int_equal(sw__cl_delivery(122, 737, 123, 737), SW_DELIVERY_SEEN);
    assert_int_equal(sw__cl_delivery(123, 737, 124, 12), SW_DELIVERY_SEEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delivery__next_message_is_applied),
        cmocka_unit_test(test_delivery__a_skipped_consumer_sequence_is_a_gap),
        cmocka_unit_test(test_delivery__a_redelivery_of_an_applied_message_is_seen_not_applied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
