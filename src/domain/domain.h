/* Registers every domain module's commands, subscribers and id maps on an engine. Adapters
 * (the server, the CLI, tests) call this once between sw_engine_open and sw_engine_start. */
#ifndef SW_DOMAIN_DOMAIN_H
#define SW_DOMAIN_DOMAIN_H

#include "engine/engine.h"

int sw_domain_register_all(struct sw_engine *e) SW_MUSTCHECK;

/* The version a write expects its object at (HTTP If-Match, or the payload's `if_version`): a
 * command on one object reads it with SW_IF_VERSION_FIELD among its fields and checks it with
 * sw_if_version once the object is loaded, inside the writer, so that the check and the write
 * are one step (docs/api.md "HTTP conventions"). */
struct sw_if_version {
    int64_t want; /* SW_IF_VERSION_ANY: any version (If-Match: *) */
    bool given;
};
#define SW_IF_VERSION_ANY INT64_MAX
#define SW_IF_VERSION_FIELD(iv)                                                                    \
    {                                                                                              \
        "if_version", SW_J_INT, 0, &(iv).want, 0, &(iv).given                                      \
    }
/* version_mismatch, and nothing changes, when a version was given and the object (what, id)
 * is at another one. */
int sw_if_version(const struct sw_if_version *iv, int64_t have, const char *what, const char *id,
                  struct sw_error *err) SW_MUSTCHECK;
/* An operator's decision on a record under review, as filings and qualifications take it:
 * {"id", "decision": "approve" | "reject", "note"?, "if_version"?}, read in that order (a
 * wrong decision before a later field's problem). note_max bounds the note in bytes. */
struct sw_decision {
    const char *id;
    bool approve;
    const char *note; /* NULL or "" when none was given */
    struct sw_if_version iv;
};
int sw_decision_read(const json_t *in, size_t note_max, struct sw_decision *d,
                     struct sw_error *err) SW_MUSTCHECK;

/* Whether a store may read an event of its own partition (GET /v1/events with a store's key):
 * each module hides the events of what it does not show the store (docs/api.md, "Event
 * feed"). A new module with such objects adds its rule here. */
bool sw_domain_store_sees(const char *type, const json_t *payload);

#endif
