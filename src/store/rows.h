/* Row tables: a module describes each row type once, as a table of columns (name, kind, place
 * in the struct), and these functions bind a struct to a statement's parameters and read a
 * result row back into a struct from that table. A module's SQL file then holds its
 * statements, its row tables and little else (docs/store.md shows how).
 *
 * Parameters and result columns are positional: column i of the table (from 0) binds to
 * parameter ?(i+1) and reads from result column i. A statement uses the parameters it needs:
 * columns whose parameter the statement does not have are not bound, and a parameter the
 * statement does not name (an UPDATE that leaves created_at alone) is bound and ignored. */
#ifndef SW_STORE_ROWS_H
#define SW_STORE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store/store.h"

/* What a column holds in the struct and in SQL. The _OR_NULL kinds store the field's empty
 * value (0, "", a NULL pointer) as SQL NULL and read NULL back as it; the others store what
 * the field holds and read NULL as the empty value. */
enum sw_col_kind {
    SW_COL_INT,           /* int64_t */
    SW_COL_INT_OR_NULL,   /* int64_t; 0 <-> NULL */
    SW_COL_BOOL,          /* bool, stored as 0 or 1 */
    SW_COL_CHARS,         /* char[size], NUL-terminated; NULL reads as "" */
    SW_COL_CHARS_OR_NULL, /* char[size]; "" <-> NULL */
    SW_COL_STR,           /* char *; a NULL pointer binds ''; reads a malloc'd copy ("" for NULL) */
    SW_COL_STR_OR_NULL,   /* char *; NULL <-> NULL; reads a malloc'd copy */
    SW_COL_JSON_OBJECT,   /* json_t *, stored as JSON text; NULL or unparsable text reads as {} */
    SW_COL_JSON_ARRAY,    /* json_t *, likewise; reads as [] */
    SW_COL_JSON_OR_NULL,  /* json_t *; NULL <-> NULL; unparsable text reads as {} */
    SW_COL__COUNT
};

/* One column: its name (the SQL column's, or the JSON key for sw_rows_json), its kind, and
 * where it lives in the row struct (offset, size of the field). */
struct sw_col {
    const char *name;
    enum sw_col_kind kind;
    size_t offset, size;
};

/* A row type: a name for messages ("order"), its columns, and the size of its struct. */
struct sw_rowdef {
    const char *name;
    const struct sw_col *cols;
    int ncols;
    size_t size;
};

/* SW_COL(struct sw_order_row, status, SW_COL_CHARS): the column named like the field. */
#define SW_COL(type, field, kind)                                                                  \
    {                                                                                              \
#field, kind, offsetof(type, field), sizeof(((type *)0)->field)                            \
    }
/* A column read from a statement only, never from a struct (sw_rows_json). */
#define SW_COL_KEY(name, kind)                                                                     \
    {                                                                                              \
        name, kind, 0, 0                                                                           \
    }
/* static const struct sw_rowdef order_row = SW_ROWDEF("order", struct sw_order_row, cols); */
#define SW_ROWDEF(name, type, cols)                                                                \
    {                                                                                              \
        name, cols, (int)(sizeof(cols) / sizeof((cols)[0])), sizeof(type)                          \
    }
/* A row type rendered by sw_rows_json only, with SW_COL_KEY columns. */
#define SW_ROWDEF_KEYS(name, cols)                                                                 \
    {                                                                                              \
        name, cols, (int)(sizeof(cols) / sizeof((cols)[0])), 0                                     \
    }

/* Binds the fields of row (a struct of d's type; borrowed until the statement is reset) to
 * s's parameters ?1..?n. Every column up to the statement's last parameter is read, used by
 * the statement or not, so the row must be initialised (a loaded row, or `= {0}` and set). Errors:
 * internal for a CHARS field without a NUL in its size or an unknown kind, internal when a JSON
 * value cannot be serialised, storage_failed when SQLite refuses a value; the field is the column's
 * name. */
int sw_rows_bind(sqlite3_stmt *s, const struct sw_rowdef *d, const void *row,
                 struct sw_error *err) SW_MUSTCHECK;

/* Reads s's current result row into row. Text longer than a CHARS field can hold (size - 1
 * bytes) is an error (storage_failed, field = the column), never cut short: a cut id or status
 * would be read as another. Errors: internal for an unknown kind or no memory. On error no
 * owned field of row holds anything (all NULL), so sw_rows_release is safe. */
int sw_rows_read(sqlite3_stmt *s, const struct sw_rowdef *d, void *row,
                 struct sw_error *err) SW_MUSTCHECK;

/* Frees row's owned fields (STR, JSON kinds) and sets them to NULL. */
void sw_rows_release(const struct sw_rowdef *d, void *row);

/* --- the loops every module writes --- */

/* Prepares sql (cached), binds row, steps it to its end (sw_sql_done: already_exists on a
 * key conflict, storage_failed naming `what` otherwise) and resets it. */
int sw_rows_write(struct sw_conn *c, const char *sql, const struct sw_rowdef *d, const void *row,
                  struct sw_error *err, const char *what) SW_MUSTCHECK;

/* sw_rows_write for an INSERT; on success *rid is the rowid SQLite gave the new row. */
int sw_rows_insert(struct sw_conn *c, const char *sql, const struct sw_rowdef *d, const void *row,
                   int64_t *rid, struct sw_error *err, const char *what) SW_MUSTCHECK;

/* Prepares sql (cached), binds rid to ?1 and reads the row as sw_rows_get does. */
int sw_rows_get_rid(struct sw_conn *c, const char *sql, int64_t rid, const struct sw_rowdef *d,
                    void *row, bool *found, struct sw_error *err, const char *what) SW_MUSTCHECK;

/* Steps s (its keys bound) once: *found and row filled when it returns a row. Resets s. */
int sw_rows_get(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void *row,
                bool *found, struct sw_error *err, const char *what) SW_MUSTCHECK;

/* Reads up to max rows of s into the array out (of d's struct) and resets s. On error the
 * rows read are released and *n is 0. */
int sw_rows_all(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void *out, int max,
                int *n, struct sw_error *err, const char *what) SW_MUSTCHECK;

/* As sw_rows_all, into a new array *out (malloc'd, grown as rows come: a few rows cost a few
 * rows' memory, not max's), at most max rows; *out is NULL on error. */
int sw_rows_all_alloc(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, void **out,
                      int max, int *n, struct sw_error *err, const char *what) SW_MUSTCHECK;

/* Renders every row of s as a JSON object keyed by the column names, in column order, into
 * a new array *rows; resets s. INT and BOOL give numbers and booleans, text kinds strings,
 * JSON kinds the parsed value (read as sw_rows_read does); an _OR_NULL column holding NULL is
 * left out of the object. Offsets are not used (SW_COL_KEY). */
int sw_rows_json(struct sw_conn *c, sqlite3_stmt *s, const struct sw_rowdef *d, json_t **rows,
                 struct sw_error *err, const char *what) SW_MUSTCHECK;

/* Steps s once: *yes when it returns a row. Resets s. */
int sw_sql_exists(struct sw_conn *c, sqlite3_stmt *s, bool *yes, struct sw_error *err,
                  const char *what) SW_MUSTCHECK;

/* Steps s, which must return a row (an aggregate), and reads its first n integer columns
 * into *out[0..n). Resets s. */
int sw_sql_row_ints(struct sw_conn *c, sqlite3_stmt *s, int64_t *const *out, int n,
                    struct sw_error *err, const char *what) SW_MUSTCHECK;

#endif
