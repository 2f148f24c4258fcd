/* Strict JSON on jansson: duplicate keys, invalid UTF-8, NUL in strings, excess depth and
 * excess size are refused; typed field readers refuse wrong types and (for closed schemas)
 * unknown fields. Errors name the field by its JSON path. */
#ifndef SW_BASE_JSON_H
#define SW_BASE_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define SW_JSON_MAX_DEPTH 16
/* The largest document parsed: the largest body a route takes (POST /v1/affiliate/events,
 * 8 MiB: 10,000 events of realistic ids; POST /v1/impressions 4 MiB; every other route stops
 * at SW_HTTP_MAX_BODY, 1 MiB, before parsing). */
#define SW_JSON_MAX_BYTES ((size_t)8 << 20)
#define SW_ID_MAX_LEN 64
#define SW_JSON_MAX_ITEM_BYTES 1024 /* each string of a string array (image URLs...) */

/* Parses exactly one JSON value from buf. On success *out is a new reference. */
int sw_json_parse(const char *buf, size_t len, json_t **out, struct sw_error *err) SW_MUSTCHECK;
/* Parses and requires an object. */
int sw_json_parse_object(const char *buf, size_t len, json_t **out,
                         struct sw_error *err) SW_MUSTCHECK;
int sw_json_depth(const json_t *v);
/* Compact serialisation (UTF-8, insertion order); malloc'd, caller frees. */
char *sw_json_dump(const json_t *v);
/* The same, appended to b: a string (s, n bytes) or any value. False (b as it was) when out of
 * memory or past b's limit. */
bool sw_json_buf_string(struct sw_buf *b, const char *s, size_t n) SW_MUSTCHECK;
bool sw_json_buf_value(struct sw_buf *b, const json_t *v) SW_MUSTCHECK;

enum sw_jtype {
    SW_J_STR,     /* const char ** (borrowed from the json value) */
    SW_J_ID,      /* const char **, must satisfy sw_id_valid */
    SW_J_INT,     /* int64_t *, max = upper bound when non-zero, never negative */
    SW_J_FEN,     /* int64_t *, integer fen, 0..SW_MONEY_MAX_FEN (1.. with SW_J_POSITIVE) */
    SW_J_YUAN,    /* int64_t *, a string "12.34" parsed exactly into fen */
    SW_J_BOOL,    /* bool * */
    SW_J_INSTANT, /* int64_t * (sw_instant), RFC 3339 string */
    SW_J_DATE,    /* int64_t * days since epoch, "YYYY-MM-DD" */
    SW_J_OBJ,     /* json_t ** borrowed */
    SW_J_ARR,     /* json_t ** borrowed, max = max items */
    SW_J_STRARR,  /* json_t ** borrowed array of strings, max = max items, each <= 1 KiB */
    SW_J_ANY,     /* json_t ** borrowed */
};

#define SW_J_REQUIRED 1u
#define SW_J_NULLABLE 2u /* null accepted and reported as present with *isnull */
#define SW_J_POSITIVE 4u /* SW_J_FEN: 1..SW_MONEY_MAX_FEN (0 refused, and named in the range) */

struct sw_jfield {
    const char *name;
    enum sw_jtype type;
    unsigned flags;
    void *out;
    size_t max;    /* string bytes for STR (0 = 1024), items for arrays, bound for INT */
    bool *present; /* optional: set true when the field was given */
};

/* Reads fields of obj into their outputs. closed: any other key is unknown_field.
 * prefix is the path of obj ("" at the top level, "buyer", "items[0]"): errors name a member
 * prefix.name (sw_json_path_key). Problems are reported in one order, the one clients read in
 * the docs: an unknown key first (a misspelt name would otherwise show as a missing field),
 * then the fields in the order of `fields`, which is their documented order. */
int sw_json_read(const json_t *obj, const char *prefix, const struct sw_jfield *fields, size_t n,
                 bool closed, struct sw_error *err) SW_MUSTCHECK;

/* The closed check of sw_json_read alone: obj must be an object whose keys are all among
 * fields. For a reader that checks more between its fields (in their order) than their types:
 * it checks the keys once, then reads the fields in runs with closed = false. */
int sw_json_unknown(const json_t *obj, const char *prefix, const struct sw_jfield *fields, size_t n,
                    struct sw_error *err) SW_MUSTCHECK;

/* Checks one value against a field spec (type, limits) and writes it to f->out, exactly as
 * sw_json_read does for a member; `path` names it in errors. For values that are not object
 * members (or are validated one at a time). */
int sw_json_check(const struct sw_jfield *f, json_t *v, const char *path,
                  struct sw_error *err) SW_MUSTCHECK;

/* 1-64 of A-Z a-z 0-9 _ - . : and not "." or ".." (dot segments in a URL). */
bool sw_id_valid(const char *s);
/* Whether a text has nothing but spaces (ASCII blanks, line breaks and the ideographic space
 * U+3000): a required note or reason left blank, refused as an empty one. */
bool sw_text_blank(const char *s);
/* A server-assigned id: the prefix letter, then a decimal number without leading zero
 * ("v12" -> 12). False for anything else, *rid untouched. */
bool sw_id_parse_numbered(const char *s, char prefix, int64_t *rid);

/* Paths in errors, written one way everywhere: base.key and base[i] (items[0].qty). base ""
 * gives key alone; a trailing '.' on base is dropped. Truncated to cap. */
void sw_json_path_key(char *out, size_t cap, const char *base, const char *key);
void sw_json_path_index(char *out, size_t cap, const char *base, size_t i);

/* A feed's event id (the fact's idempotency key): 1-128 bytes of UTF-8 without control
 * characters (C0, DEL, C1); spaces and any script are fine. */
#define SW_EVENT_ID_MAX 128
#define SW_EVENT_ID_RULE "'event_id' must be 1-128 bytes of printable UTF-8 (no control characters)"
bool sw_event_id_valid(const char *s);

/* obj[key] when it is a string, else "" (absent, null or another type): for reads that compare
 * a member with a string. */
const char *sw_json_str_or_empty(const json_t *obj, const char *key);

/* An instant (µs UTC) as an RFC 3339 string; the _opt form gives null for 0 ("not yet"). */
json_t *sw_json_instant(int64_t us);
json_t *sw_json_instant_opt(int64_t us);

/* Checks that report every problem instead of stopping at the first (policy files): each
 * appends {"path", "message"} to `problems`. */
void sw_json_problem(json_t *problems, const char *path, const char *fmt, ...) SW_PRINTF(3, 4);
/* obj[key] when present and of `type` (JSON_TRUE stands for either boolean); else NULL, with
 * "missing field" (when required) or "must be <type>" at path.key. */
json_t *sw_json_want(json_t *problems, const json_t *obj, const char *path, const char *key,
                     json_type type, bool required);
/* Every key of obj that is not in allowed (NULL-terminated) is "unknown field 'k'" at path. */
void sw_json_closed(json_t *problems, const json_t *obj, const char *path,
                    const char *const *allowed);
/* True when s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool sw_utf8_valid(const char *s, size_t len);

/* The list convention (docs/api.md, "Lists"). A list reads up to limit + 1 rows into items:
 * the extra row only says that another page exists. sw_page_trim drops it and returns whether
 * it was there. sw_page_set trims, then puts into obj the items under key, has_more, and
 * next_after: the `cursor` member of the last item kept when there is more, else null. It
 * steals items. */
bool sw_page_trim(json_t *items, size_t limit);
void sw_page_set(json_t *obj, const char *key, json_t *items, size_t limit, const char *cursor);

/* Money as the API takes it: `name` (a yuan string, "12.34") or `name_fen` (integer fen), not
 * both (invalid_value); *present false when neither is there (*out unchanged). */
int sw_json_read_amount(const json_t *in, const char *name, int64_t *out, bool *present,
                        struct sw_error *err) SW_MUSTCHECK;

#endif
