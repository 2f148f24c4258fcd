#include "store/rows.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static bool owned(enum sw_col_kind k)
{
    return k == SW_COL_STR || k == SW_COL_STR_OR_NULL || k == SW_COL_JSON_OBJECT ||
           k == SW_COL_JSON_ARRAY || k == SW_COL_JSON_OR_NULL;
}

static int unknown_kind(const struct sw_rowdef *d, const struct sw_col *col, struct sw_error *err)
{
    return sw_fail(err, SW_E_INTERNAL, col->name, "%s.%s: unknown column kind %d", d->name,
                   col->name, (int)col->kind);
}

/* Binds one JSON value as its text (SQLite frees the text), NULL as NULL. */
static int bind_json(sqlite3_stmt *s, int i, const json_t *v)
{
    if (!v)
        return sqlite3_bind_null(s, i);
    char *text = sw_json_dump(v);
    if (!text)
        return SQLITE_NOMEM;
    return sqlite3_bind_text(s, i, text, -1, free);
}

static int bind_col(sqlite3_stmt *s, int i, const struct sw_col *col, const char *p)
{
    int64_t v;
    const char *t;
    switch (col->kind) {
    case SW_COL_INT:
        memcpy(&v, p, sizeof v);
        return sqlite3_bind_int64(s, i, v);
    case SW_COL_INT_OR_NULL:
        memcpy(&v, p, sizeof v);
        return v ? sqlite3_bind_int64(s, i, v) : sqlite3_bind_null(s, i);
    case SW_COL_BOOL:
        return sqlite3_bind_int(s, i, *(const bool *)p ? 1 : 0);
    case SW_COL_CHARS:
    case SW_COL_CHARS_OR_NULL:
        if (col->kind == SW_COL_CHARS_OR_NULL && !p[0])
            return sqlite3_bind_null(s, i);
        return sqlite3_bind_text(s, i, p, -1, SQLITE_STATIC);
    case SW_COL_STR:
    case SW_COL_STR_OR_NULL:
        memcpy(&t, p, sizeof t);
        if (!t && col->kind == SW_COL_STR)
            t = "";
        return sqlite3_bind_text(s, i, t, -1, SQLITE_STATIC);
    case SW_COL_JSON_OBJECT:
    case SW_COL_JSON_ARRAY:
    case SW_COL_JSON_OR_NULL:
        return bind_json(s, i, *(json_t *const *)(const void *)p);
    default:
        return SQLITE_ERROR;
    }
}

int sw_rows_bind(sqlite3_stmt *s, const struct sw_rowdef *d, const void *row, struct sw_error *err)
{
    int nparams = sqlite3_bind_parameter_count(s);
    for (int i = 0; i < d->ncols && i < nparams; i++) {
        const struct sw_col *col = &d->cols[i];
        const char *p = (const char *)row + col->offset;
        if ((unsigned)col->kind >= SW_COL__COUNT)
            return unknown_kind(d, col, err);
        /* A fixed array must hold its NUL: binding it as a C string would read past it. */
        if ((col->kind == SW_COL_CHARS || col->kind == SW_COL_CHARS_OR_NULL) &&
            !memchr(p, '\0', col->size))
            return sw_fail(err, SW_E_INTERNAL, col->name, "%s.%s: text without its end", d->name,
                           col->name);
        int r = bind_col(s, i + 1, col, p);
        if (r == SQLITE_NOMEM)
            return sw_fail(err, SW_E_INTERNAL, col->name, "%s.%s: out of memory", d->name,
                           col->name);
        if (r != SQLITE_OK)
            return sw_fail(err, SW_E_STORAGE_FAILED, col->name, "bind %s.%s: %s", d->name,
                           col->name, sqlite3_errstr(r));
    }
    return SW_OK;
}

/* A JSON column's value: NULL when the column is NULL and the kind allows it, otherwise the
 * parsed text or the kind's empty value. NULL with *oom on no memory. */
static json_t *read_json(sqlite3_stmt *s, int i, enum sw_col_kind kind, bool *oom)
{
    *oom = false;
    json_t *v = NULL;
    if (sqlite3_column_type(s, i) != SQLITE_NULL) {
        const char *t = (const char *)sqlite3_column_blob(s, i);
        v = json_loadb(t, (size_t)sqlite3_column_bytes(s, i), 0, NULL);
    } else if (kind == SW_COL_JSON_OR_NULL) {
        return NULL;
    }
    if (!v)
        v = kind == SW_COL_JSON_ARRAY ? json_array() : json_object();
    *oom = !v;
    return v;
}

/* Reads text column i as a malloc'd copy: NULL for NULL when or_null, else "". */
static char *read_str(sqlite3_stmt *s, int i, bool or_null, bool *oom)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    *oom = false;
    if (!t && or_null)
        return NULL;
    char *copy = malloc(n + 1);
    *oom = !copy;
    if (copy) {
        memcpy(copy, t ? t : "", n);
        copy[n] = '\0';
    }
    return copy;
}

static int read_chars(sqlite3_stmt *s, int i, const struct sw_rowdef *d, const struct sw_col *col,
                      char *p, struct sw_error *err)
{
    const char *t = (const char *)sqlite3_column_text(s, i);
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    if (n >= col->size)
        return sw_fail(err, SW_E_STORAGE_FAILED, col->name,
                       "%s.%s: the stored text (%zu bytes) is longer than its field (%zu)", d->name,
                       col->name, n, col->size - 1);
    memcpy(p, t ? t : "", n);
    p[n] = '\0';
    return SW_OK;
}

static int read_col(sqlite3_stmt *s, int i, const struct sw_rowdef *d, const struct sw_col *col,
                    char *p, struct sw_error *err)
{
    int64_t v;
    bool oom = false;
    char *str;
    json_t *j;
    switch (col->kind) {
    case SW_COL_INT:
    case SW_COL_INT_OR_NULL:
        v = sqlite3_column_int64(s, i);
        memcpy(p, &v, sizeof v);
        break;
    case SW_COL_BOOL:
        *(bool *)p = sqlite3_column_int64(s, i) != 0;
        break;
    case SW_COL_CHARS:
    case SW_COL_CHARS_OR_NULL:
        return read_chars(s, i, d, col, p, err);
    case SW_COL_STR:
    case SW_COL_STR_OR_NULL:
        str = read_str(s, i, col->kind == SW_COL_STR_OR_NULL, &oom);
        memcpy(p, &str, sizeof str);
        break;
    case SW_COL_JSON_OBJECT:
    case SW_COL_JSON_ARRAY:
    case SW_COL_JSON_OR_NULL:
        j = read_json(s, i, col->kind, &oom);
        memcpy(p, &j, sizeof j);
        break;
    default:
        return unknown_kind(d, col, err);
    }
    return oom ? sw_fail(err, SW_E_INTERNAL, col->name, "%s.%s: out of memory", d->name, col->name)
               : SW_OK;
}

/* Frees the owned fields of columns [from, to) and sets them to NULL. */
static void release_cols(const struct sw_rowdef *d, void *row, int from, int to)
{
    for (int i = from; i < to; i++) {
        const struct sw_col *col = &d->cols[i];
        if (!owned(col->kind))
            continue;
        void *v;
        char *p = (char *)row + col->offset;
        memcpy(&v, p, sizeof v);
        if (col->kind == SW_COL_STR || col->kind == SW_COL_STR_OR_NULL)
            free(v);
        else
            json_decref(v);
        v = NULL;
        memcpy(p, &v, sizeof v);
    }
}

/* Sets the owned fields of the columns from `from` on to NULL without freeing anything: they
 * hold what the caller left there, not what this read allocated. */
static void clear_cols(const struct sw_rowdef *d, void *row, int from)
{
    for (int i = from; i < d->ncols; i++) {
        if (!owned(d->cols[i].kind))
            continue;
        void *v = NULL;
        memcpy((char *)row + d->cols[i].offset, &v, sizeof v);
    }
}

int sw_rows_read(sqlite3_stmt *s, const struct sw_rowdef *d, void *row, struct sw_error *err)
{
    for (int i = 0; i < d->ncols; i++) {
        int rc = read_col(s, i, d, &d->cols[i], (char *)row + d->cols[i].offset, err);
        if (rc) {
            release_cols(d, row, 0, i);
            clear_cols(d, row, i);
            return rc;
        }
    }
    return SW_OK;
}

void sw_rows_release(const struct sw_rowdef *d, void *row)
{
    release_cols(d, row, 0, d->ncols);
}

int sw_rows_write(struct sw_conn *c, const char *sql, const struct sw_rowdef *d, const void *row,
                  struct sw_error *err, const char *what)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return err->code;
    int rc = sw_rows_bind(s, d, row, err);
    if (rc) {
        sqlite3_clear_bindings(s);
        return rc;
    }
    return sw_sql_done(c, s, err, what);
}

int sw_rows_insert(struct sw_conn *c, const char *sql, const struct sw_rowdef *d, const void *row,
                   int64_t *rid, struct sw_error *err, const char *what)
{
    int rc = sw_rows_write(c, sql, d, row, err, what);
    if (rc == SW_OK)
        *rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_rows_get_rid(struct sw_conn *c, const char *sql, int64_t rid, const struct sw_rowdef *d,
                    void *row, bool *found, struct sw_error *err, const char *what)
{
    sqlite3_stmt *s = sw_conn_stmt(c, sql, err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    return sw_rows_get(c, s, d, row, found, err, what);
}

int sw_rows_get(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void *row,
                bool *found, struct sw_error *err, const char *what)
{
    int r = sqlite3_step(s);
    int rc = r == SQLITE_ROW ? sw_rows_read(s, d, row, err) : SW_OK;
    *found = r == SQLITE_ROW && rc == SW_OK;
    sqlite3_reset(s);
    if (rc)
        return rc;
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}

/* Steps s into *rows up to max rows: into the caller's array of max rows, or (grow) into one
 * grown with realloc as rows come, each zeroed first. Resets s; on error the rows read are
 * released and *n is 0 (a grown array stays for the caller to free). */
static int step_rows(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, char **rows,
                     bool grow, int max, int *n, struct sw_error *err, const char *what)
{
    int r = SQLITE_DONE, rc = SW_OK, cap = grow ? 0 : max;
    *n = 0;
    while (*n < max && (r = sqlite3_step(s)) == SQLITE_ROW) {
        if (*n == cap) {
            int grown = cap ? (cap * 2 < max ? cap * 2 : max) : (max < 4 ? max : 4);
            char *more = realloc(*rows, (size_t)grown * d->size);
            if (!more) {
                rc = sw_fail(err, SW_E_INTERNAL, NULL, "out of memory");
                break;
            }
            *rows = more;
            cap = grown;
        }
        char *row = *rows + (size_t)*n * d->size;
        if (grow)
            memset(row, 0, d->size);
        if ((rc = sw_rows_read(s, d, row, err)))
            break;
        (*n)++;
    }
    if (*n == max)
        r = SQLITE_DONE;
    sqlite3_reset(s);
    if (rc == SW_OK && r != SQLITE_DONE)
        rc = sw_conn_fail(c, err, what);
    if (rc) {
        for (int i = 0; i < *n; i++)
            sw_rows_release(d, *rows + (size_t)i * d->size);
        *n = 0;
    }
    return rc;
}

int sw_rows_all(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void *out, int max,
                int *n, struct sw_error *err, const char *what)
{
    char *rows = out;
    return step_rows(c, s, d, &rows, false, max, n, err, what);
}

int sw_rows_all_alloc(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void **out,
                      int max, int *n, struct sw_error *err, const char *what)
{
    char *rows = NULL;
    int rc = step_rows(c, s, d, &rows, true, max, n, err, what);
    if (rc) {
        free(rows);
        rows = NULL;
    }
    *out = rows;
    return rc;
}

/* Column i of s's current row as a JSON value for sw_rows_json; NULL to leave it out. */
static json_t *json_of_col(sqlite3_stmt *s, int i, enum sw_col_kind kind)
{
    bool null = sqlite3_column_type(s, i) == SQLITE_NULL, oom;
    switch (kind) {
    case SW_COL_INT:
        return json_integer(sqlite3_column_int64(s, i));
    case SW_COL_INT_OR_NULL:
        return null ? NULL : json_integer(sqlite3_column_int64(s, i));
    case SW_COL_BOOL:
        return json_boolean(sqlite3_column_int64(s, i) != 0);
    case SW_COL_CHARS:
    case SW_COL_STR:
        return json_string(null ? "" : (const char *)sqlite3_column_text(s, i));
    case SW_COL_CHARS_OR_NULL:
    case SW_COL_STR_OR_NULL:
        return null ? NULL : json_string((const char *)sqlite3_column_text(s, i));
    default:
        return read_json(s, i, kind, &oom);
    }
}

int sw_rows_json(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, json_t **rows,
                 struct sw_error *err, const char *what)
{
    for (int i = 0; i < d->ncols; i++)
        if ((unsigned)d->cols[i].kind >= SW_COL__COUNT) {
            sqlite3_reset(s);
            return unknown_kind(d, &d->cols[i], err);
        }
    json_t *arr = json_array();
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; i < d->ncols; i++) {
            json_t *v = json_of_col(s, i, d->cols[i].kind);
            if (v)
                json_object_set_new(o, d->cols[i].name, v);
        }
        json_array_append_new(arr, o);
    }
    sqlite3_reset(s);
    if (r != SQLITE_DONE) {
        json_decref(arr);
        return sw_conn_fail(c, err, what);
    }
    *rows = arr;
    return SW_OK;
}

int sw_sql_exists(struct sw_conn *c, sqlite3_stmt *s, bool *yes, struct sw_error *err,
                  const char *what)
{
    int r = sqlite3_step(s);
    *yes = r == SQLITE_ROW;
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, what);
}

int sw_sql_row_ints(struct sw_conn *c, sqlite3_stmt *s, int64_t *const *out, int n,
                    struct sw_error *err, const char *what)
{
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW)
        for (int i = 0; i < n; i++)
            *out[i] = sqlite3_column_int64(s, i);
    sqlite3_reset(s);
    return r == SQLITE_ROW ? SW_OK : sw_conn_fail(c, err, what);
}
