/* Rule quality (GET /v1/admin/rules/quality) as a read model of events, for cluster mode
 * (docs/scale-out.md, "Read models"): a node keeps a row per violation of every partition from
 * the violations' events, each of which carries the violation as a read renders it, and adds
 * them up as sw_penalty_rule_quality adds up one database's. Filing an appeal changes the
 * violation (appeals.filed) without an event of the violation: the appeal's own event marks it
 * appealed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "domain/penalty/penalty_int.h"

int sw_penalty_quality_model_open(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_quality_view_schema(c, err);
}

int sw_penalty_quality_model_clear(struct sw_conn *c, struct sw_error *err)
{
    return sw_sql_quality_view_clear(c, err);
}

/* The rules a violation counts under: each finding's (its source and type when a finding
 * names none), or its source and type when it has no findings; each once. */
static char *rules_of(const json_t *v)
{
    char fallback[160];
    snprintf(fallback, sizeof fallback, "%s.%s", sw_json_str_or_empty(v, "source"),
             sw_json_str_or_empty(v, "type"));
    json_t *rules = json_array();
    const json_t *findings = json_object_get(v, "findings");
    size_t i, j;
    const json_t *f, *have;
    json_array_foreach(findings, i, f)
    {
        const char *rule = json_string_value(json_object_get(f, "rule"));
        if (!rule)
            rule = fallback;
        bool seen = false;
        json_array_foreach(rules, j, have) seen |= strcmp(json_string_value(have), rule) == 0;
        if (!seen)
            json_array_append_new(rules, json_string(rule));
    }
    if (json_array_size(rules) == 0)
        json_array_append_new(rules, json_string(fallback));
    char *text = json_dumps(rules, JSON_COMPACT);
    json_decref(rules);
    return text;
}

int sw_penalty_quality_model_apply(struct sw_conn *c, int p, const json_t *ev, struct sw_error *err)
{
    const char *type = sw_json_str_or_empty(ev, "type");
    const char *subject = json_string_value(json_object_get(ev, "subject"));
    const json_t *pl = json_object_get(ev, "payload");
    if (!subject || !json_is_object(pl))
        return SW_OK;
    if (strcmp(type, "appeal.filed") == 0) {
        const char *vid = json_string_value(json_object_get(pl, "violation"));
        return vid ? sw_sql_quality_view_appealed(c, p, vid, err) : SW_OK;
    }
    const char *id = json_string_value(json_object_get(pl, "id"));
    const char *status = json_string_value(json_object_get(pl, "status"));
    if (strncmp(type, "violation.", 10) != 0 || !id || strcmp(id, subject) != 0 || !status)
        return SW_OK; /* not a violation's document */
    char *rules = rules_of(pl);
    if (!rules)
        return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
    int64_t filed = json_integer_value(json_object_get(json_object_get(pl, "appeals"), "filed"));
    int rc = sw_sql_quality_view_put(c, p, id, sw_json_str_or_empty(pl, "type"), status, filed > 0,
                                     sw_json_str_or_empty(pl, "policy_version"), rules, err);
    free(rules);
    return rc;
}

int sw_penalty_quality_model_knows(struct sw_conn *c, const char *id, bool *known,
                                   struct sw_error *err)
{
    return sw_sql_quality_view_has(c, id, known, err);
}

int sw_penalty_quality_model_read(struct sw_conn *c, const char *rule, const char *policy_version,
                                  json_t **out, struct sw_error *err)
{
    json_t *rows = NULL;
    int rc = sw_sql_quality_view_rows(c, rule, policy_version, &rows, err);
    if (rc)
        return rc;
    sw__quality_rates(rows);
    *out = json_pack("{s:o}", "rules", rows);
    return SW_OK;
}
