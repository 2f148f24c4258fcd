/* The policy's "filing" section (designated-streamer filing, docs/filing.md):
 *   designated_streamers  the streamers whose live selling needs filing, at start:
 *                         [{"id", "nickname", "merchant"?}] (operators change the list at runtime)
 *   lead_working_days     how many working days before a live session's date the last
 *                         submission must be made (default 2)
 *   required_documents    {"<category>" | "<industry>.*" | "*": ["code", ...]}: the documents a
 *                         product of a matching category files (none when nothing matches). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "policy/policy.h"

#define DEFAULT_LEAD 2
#define MAX_LEAD 30
#define MAX_STREAMERS 10000
#define MAX_CODES 32

static void read_streamers(struct sw_policy *p, json_t *problems, json_t *arr)
{
    if (json_array_size(arr) > MAX_STREAMERS) {
        sw_json_problem(problems, "$.filing.designated_streamers", "at most %d streamers",
                        MAX_STREAMERS);
        return;
    }
    p->filing.streamers = calloc(json_array_size(arr) + 1, sizeof *p->filing.streamers);
    static const char *const allowed[] = {"id", "nickname", "merchant", NULL};
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        char path[64];
        snprintf(path, sizeof path, "$.filing.designated_streamers[%zu]", i);
        if (!json_is_object(v)) {
            sw_json_problem(problems, path, "must be an object {id, nickname, merchant}");
            continue;
        }
        sw_json_closed(problems, v, path, allowed);
        json_t *id = sw_json_want(problems, v, path, "id", JSON_STRING, true);
        json_t *nick = sw_json_want(problems, v, path, "nickname", JSON_STRING, true);
        json_t *m = sw_json_want(problems, v, path, "merchant", JSON_STRING, false);
        if (id && !sw_id_valid(json_string_value(id)))
            sw_json_problem(problems, path, "id must be 1-63 characters of A-Z a-z 0-9 _ - . :");
        else if (id && sw_policy_filing_streamer(p, json_string_value(id)))
            sw_json_problem(problems, path, "streamer '%s' is listed twice", json_string_value(id));
        if (nick && (json_string_length(nick) == 0 || json_string_length(nick) > 64))
            sw_json_problem(problems, path, "nickname must be 1-64 bytes");
        if (m && !sw_id_valid(json_string_value(m)))
            sw_json_problem(problems, path, "merchant must be a store id");
        if (id && nick)
            p->filing.streamers[p->filing.nstreamers++] = (struct sw_filing_streamer){
                json_string_value(id), json_string_value(nick), m ? json_string_value(m) : NULL};
    }
}

static void read_documents(json_t *problems, json_t *docs)
{
    const char *k;
    json_t *v;
    json_object_foreach(docs, k, v)
    {
        char path[128];
        sw__policy_key_path(path, sizeof path, "$.filing.required_documents", k);
        if (!sw_policy_pattern_shape(k))
            sw_json_problem(problems, path, "must be a category code, 'industry.*' or '*'");
        if (!json_is_array(v) || json_array_size(v) > MAX_CODES) {
            sw_json_problem(problems, path, "must be an array of at most %d codes", MAX_CODES);
            continue;
        }
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
            if (!json_is_string(c) || !sw_id_valid(json_string_value(c)))
                sw_json_problem(problems, path, "item %zu must be a document code", i);
        }
    }
}

void sw__policy_filing(struct sw_policy *p, json_t *problems, json_t *section)
{
    p->filing.lead_working_days = DEFAULT_LEAD;
    p->filing.nstreamers = 0;
    p->filing.streamers = NULL;
    p->filing.required_documents = NULL;
    if (!section)
        return;
    static const char *const allowed[] = {"designated_streamers", "lead_working_days",
                                          "required_documents", NULL};
    sw_json_closed(problems, section, "$.filing", allowed);
    json_t *ds =
        sw_json_want(problems, section, "$.filing", "designated_streamers", JSON_ARRAY, false);
    if (ds)
        read_streamers(p, problems, ds);
    json_t *lead =
        sw_json_want(problems, section, "$.filing", "lead_working_days", JSON_INTEGER, false);
    if (lead && (json_integer_value(lead) < 0 || json_integer_value(lead) > MAX_LEAD))
        sw_json_problem(problems, "$.filing.lead_working_days", "must be between 0 and %d",
                        MAX_LEAD);
    else if (lead)
        p->filing.lead_working_days = (int)json_integer_value(lead);
    json_t *docs =
        sw_json_want(problems, section, "$.filing", "required_documents", JSON_OBJECT, false);
    if (docs)
        read_documents(problems, docs);
    p->filing.required_documents = docs;
}

const struct sw_filing_streamer *sw_policy_filing_streamer(const struct sw_policy *p,
                                                           const char *id)
{
    for (int i = 0; i < p->filing.nstreamers; i++)
        if (strcmp(p->filing.streamers[i].id, id) == 0)
            return &p->filing.streamers[i];
    return NULL;
}

json_t *sw_policy_filing_documents(const struct sw_policy *p, const char *category)
{
    json_t *out = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(p->filing.required_documents, k, v)
    {
        if (!sw_policy_category_matches(k, category))
            continue;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
            bool seen = false;
            size_t j;
            json_t *o;
            json_array_foreach(out, j, o) seen = seen || json_equal(o, c);
            if (!seen)
                json_array_append(out, c);
        }
    }
    return out;
}
