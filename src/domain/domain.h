/* Registers every domain module's commands, subscribers and id maps on an engine. Adapters
 * (the server, the CLI, tests) call this once between sw_engine_open and sw_engine_start. */
#ifndef SW_DOMAIN_DOMAIN_H
#define SW_DOMAIN_DOMAIN_H

#include "engine/engine.h"

int sw_domain_register_all(struct sw_engine *e) SW_MUSTCHECK;

#endif
