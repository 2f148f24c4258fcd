/* Clocks: the system clock, or a manual clock that only moves when told (tests, replays).
 * Only the engine reads a clock; domain code gets `now` in its context. */
#ifndef SW_ENGINE_CLOCK_H
#define SW_ENGINE_CLOCK_H

#include <stdatomic.h>
#include <stdbool.h>

#include "base/err.h"
#include "base/instant.h"

struct sw_clock {
    bool manual;
    _Atomic int64_t manual_us;
};

void sw_clock_init_system(struct sw_clock *c);
void sw_clock_init_manual(struct sw_clock *c, sw_instant start);
sw_instant sw_clock_now(const struct sw_clock *c);
/* Manual clocks only; time never moves backwards (clock_backwards). */
int sw_clock_set(struct sw_clock *c, sw_instant t, struct sw_error *err) SW_MUSTCHECK;

#endif
