#include "engine/clock.h"

#include <time.h>

void sw_clock_init_system(struct sw_clock *c)
{
    c->manual = false;
    atomic_store(&c->manual_us, 0);
}

void sw_clock_init_manual(struct sw_clock *c, sw_instant start)
{
    c->manual = true;
    atomic_store(&c->manual_us, start);
}

sw_instant sw_clock_now(const struct sw_clock *c)
{
    if (c->manual)
        return atomic_load(&((struct sw_clock *)c)->manual_us);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SW_US_PER_S + ts.tv_nsec / 1000;
}

int sw_clock_set(struct sw_clock *c, sw_instant t, struct sw_error *err)
{
    if (!c->manual)
        return sw_fail(err, SW_E_STATE_CONFLICT, NULL, "the clock is the system clock");
    int64_t cur = atomic_load(&c->manual_us);
    while (t >= cur) {
        if (atomic_compare_exchange_weak(&c->manual_us, &cur, t))
            return SW_OK;
    }
    char a[32], b[32];
    return sw_fail(err, SW_E_CLOCK_BACKWARDS, "now", "cannot move the clock back from %s to %s",
                   sw_instant_format(cur, a), sw_instant_format(t, b));
}
