/* Registers every domain module's commands, subscribers and id maps on an engine. Adapters
 * (the server, the CLI, tests) call this once between sw_engine_open and sw_engine_start. */
#ifndef SW_DOMAIN_DOMAIN_H
#define SW_DOMAIN_DOMAIN_H

#include "engine/engine.h"

int sw_domain_register_all(struct sw_engine *e) SW_MUSTCHECK;

/* Whether a store may read an event of its own partition (GET /v1/events with a store's key):
 * each module hides the events of what it does not show the store (docs/api.md, "Event
 * feed"). A new module with such objects adds its rule here. */
bool sw_domain_store_sees(const char *type, const json_t *payload);

#endif
