/* Row tables (src/store/rows.h): binding a struct and reading it back for every column kind,
 * SQL NULL both ways, text too long for its field, unknown kinds, and the loops. */
#include "support.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

struct t_row {
    int64_t id;
    char *str;
    json_t *obj;
    char code[8];
    int64_t opt;
    bool flag;
    char code_opt[8];
    char *str_opt;
    json_t *arr, *jopt;
};

#define C(field, kind) SW_COL(struct t_row, field, kind)
static const struct sw_col t_cols[] = {
    C(id, SW_COL_INT),
    C(str, SW_COL_STR),
    C(obj, SW_COL_JSON_OBJECT),
    C(code, SW_COL_CHARS),
    C(opt, SW_COL_INT_OR_NULL),
    C(flag, SW_COL_BOOL),
    C(code_opt, SW_COL_CHARS_OR_NULL),
    C(str_opt, SW_COL_STR_OR_NULL),
    C(arr, SW_COL_JSON_ARRAY),
    C(jopt, SW_COL_JSON_OR_NULL),
};
#undef C
static const struct sw_rowdef t_def = SW_ROWDEF("t", struct t_row, t_cols);

#define T_COLS "id, str, obj, code, opt, flag, code_opt, str_opt, arr, jopt"
static const char insert_sql[] =
    "INSERT INTO t(" T_COLS ") VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)";
static const char get_sql[] = "SELECT " T_COLS " FROM t WHERE id = ?1";

static struct sw_conn conn;
static struct sw_error err;

static int setup(void **state)
{
    assert_int_equal(sw_conn_open(&conn, ":memory:", false, SW_SYNC_NORMAL, &err), SW_OK);
    assert_int_equal(sw_conn_exec(&conn,
                                  "CREATE TABLE t(id INTEGER PRIMARY KEY, str, obj, code, opt,"
                                  " flag, code_opt, str_opt, arr, jopt)",
                                  &err),
                     SW_OK);
    memset(&err, 0, sizeof err);
    return 0;
}

static int teardown(void **state)
{
    sw_conn_close(&conn);
    return 0;
}

static int get(int64_t id, struct t_row *r, bool *found)
{
    sqlite3_stmt *s = sw_conn_stmt(&conn, get_sql, &err);
    assert_non_null(s);
    sqlite3_bind_int64(s, 1, id);
    return sw_rows_get(&conn, s, &t_def, r, found, &err, "get t");
}

/* SQL's view of one value: its type name and text, e.g. "null", "text:abc". */
static void sql_value(const char *expr, int64_t id, char *out, size_t n)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT typeof(%s) || ':' || coalesce(%s, '') FROM t WHERE id = %lld",
             expr, expr, (long long)id);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(conn.db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

static void assert_sql(const char *expr, int64_t id, const char *want)
{
    char got[128];
    sql_value(expr, id, got, sizeof got);
    assert_string_equal(got, want);
}

static void test_rows__every_kind_reads_back_what_was_bound(void **state)
{
    struct t_row in = {.id = 1,
                       .str = "名字 one",
                       .obj = json_pack("{s:i}", "a", 1),
                       .code = "1234567", /* exactly what the field holds */
                       .opt = -5,
                       .flag = true,
                       .code_opt = "x",
                       .str_opt = "note",
                       .arr = json_pack("[i,s]", 2, "b"),
                       .jopt = json_pack("{s:b}", "c", 0)};
    assert_int_equal(sw_rows_write(&conn, insert_sql, &t_def, &in, &err, "insert t"), SW_OK);
    assert_sql("flag", 1, "integer:1");
    assert_sql("obj", 1, "text:{\"a\":1}");

    struct t_row out;
    bool found = false;
    assert_int_equal(get(1, &out, &found), SW_OK);
    assert_true(found);
    assert_int_equal(out.id, 1);
    assert_string_equal(out.str, in.str);
    assert_ptr_not_equal(out.str, in.str); /* a copy the row owns */
    assert_true(json_equal(out.obj, in.obj));
    assert_string_equal(out.code, "1234567");
    assert_int_equal(out.opt, -5);
    assert_true(out.flag);
    assert_string_equal(out.code_opt, "x");
    assert_string_equal(out.str_opt, "note");
    assert_true(json_equal(out.arr, in.arr));
    assert_true(json_equal(out.jopt, in.jopt));
    sw_rows_release(&t_def, &out);
    assert_null(out.str);
    assert_null(out.obj);
    assert_null(out.arr);
    json_decref(in.obj);
    json_decref(in.arr);
    json_decref(in.jopt);
}

static void test_rows__empty_values_of_or_null_kinds_are_stored_as_null(void **state)
{
    struct t_row in = {.id = 2}; /* every field empty */
    assert_int_equal(sw_rows_write(&conn, insert_sql, &t_def, &in, &err, "insert t"), SW_OK);
    assert_sql("opt", 2, "null:");
    assert_sql("code_opt", 2, "null:");
    assert_sql("str_opt", 2, "null:");
    assert_sql("jopt", 2, "null:");
    /* the other kinds store the empty value itself */
    assert_sql("str", 2, "text:");
    assert_sql("code", 2, "text:");
    assert_sql("flag", 2, "integer:0");
    /* a JSON field without a value has no text to store */
    assert_sql("obj", 2, "null:");

    struct t_row out;
    bool found;
    assert_int_equal(get(2, &out, &found), SW_OK);
    assert_true(found);
    assert_int_equal(out.opt, 0);
    assert_string_equal(out.code_opt, "");
    assert_null(out.str_opt);
    assert_null(out.jopt);
    assert_string_equal(out.str, "");
    assert_true(json_is_object(out.obj) && json_object_size(out.obj) == 0);
    assert_true(json_is_array(out.arr) && json_array_size(out.arr) == 0);
    sw_rows_release(&t_def, &out);
}

static void test_rows__null_and_unparsable_columns_read_as_empty_values(void **state)
{
    assert_int_equal(sw_conn_exec(&conn,
                                  "INSERT INTO t(id) VALUES (3);"
                                  "INSERT INTO t(id, obj, arr, jopt, flag) VALUES"
                                  " (4, 'not json', '{', '[1', 7)",
                                  &err),
                     SW_OK);
    struct t_row out;
    bool found;
    assert_int_equal(get(3, &out, &found), SW_OK);
    assert_true(found);
    assert_string_equal(out.code, "");
    assert_string_equal(out.str, "");
    assert_null(out.str_opt);
    assert_false(out.flag);
    assert_null(out.jopt);
    sw_rows_release(&t_def, &out);

    assert_int_equal(get(4, &out, &found), SW_OK);
    assert_true(json_is_object(out.obj) && json_object_size(out.obj) == 0);
    assert_true(json_is_array(out.arr) && json_array_size(out.arr) == 0);
    assert_true(json_is_object(out.jopt)); /* stored, but not JSON: the empty object */
    assert_true(out.flag);                 /* any non-zero integer is true */
    sw_rows_release(&t_def, &out);

    assert_int_equal(get(99, &out, &found), SW_OK);
    assert_false(found);
}

/* Decided: stored text longer than a CHARS field holds is an error (storage_failed naming the
 * column), never cut short, and the row owns nothing afterwards. */
static void test_rows__text_too_long_for_its_field_is_an_error(void **state)
{
    assert_int_equal(sw_conn_exec(&conn,
                                  "INSERT INTO t(id, str, obj, code, arr) VALUES"
                                  " (5, 'owned', '{}', '12345678', '[]')",
                                  &err),
                     SW_OK);
    struct t_row out;
    bool found = true;
    assert_int_equal(get(5, &out, &found), SW_E_STORAGE_FAILED);
    assert_false(found);
    assert_string_equal(err.field, "code");
    assert_non_null(strstr(err.msg, "t.code"));
    /* read before the failure and released, or not reached: either way NULL (ASan: no leak) */
    assert_null(out.str);
    assert_null(out.obj);
    assert_null(out.arr);
    assert_null(out.str_opt);
    assert_null(out.jopt);
    sw_rows_release(&t_def, &out);

    /* the statement was reset: the next read on it works */
    assert_int_equal(sw_conn_exec(&conn, "UPDATE t SET code = '1234567' WHERE id = 5", &err),
                     SW_OK);
    assert_int_equal(get(5, &out, &found), SW_OK);
    assert_string_equal(out.code, "1234567");
    sw_rows_release(&t_def, &out);
}

static void test_rows__a_field_without_its_nul_is_refused_when_bound(void **state)
{
    struct t_row in = {.id = 6};
    memset(in.code, 'x', sizeof in.code);
    assert_int_equal(sw_rows_write(&conn, insert_sql, &t_def, &in, &err, "insert t"),
                     SW_E_INTERNAL);
    assert_string_equal(err.field, "code");
    bool yes = true;
    sqlite3_stmt *s = sw_conn_stmt(&conn, "SELECT 1 FROM t WHERE id = 6", &err);
    assert_int_equal(sw_sql_exists(&conn, s, &yes, &err, "find t"), SW_OK);
    assert_false(yes); /* nothing written */
}

static void test_rows__an_unknown_kind_is_an_error(void **state)
{
    static const struct sw_col bad_cols[] = {
        SW_COL(struct t_row, id, SW_COL_INT),
        {"str", (enum sw_col_kind)99, offsetof(struct t_row, str), sizeof(char *)},
    };
    static const struct sw_rowdef bad = SW_ROWDEF("bad", struct t_row, bad_cols);
    struct t_row in = {.id = 7, .str = "s"};
    assert_int_equal(sw_rows_write(&conn, "INSERT INTO t(id, str) VALUES (?1, ?2)", &bad, &in, &err,
                                   "insert bad"),
                     SW_E_INTERNAL);
    assert_string_equal(err.field, "str");

    assert_int_equal(sw_conn_exec(&conn, "INSERT INTO t(id, str) VALUES (7, 's')", &err), SW_OK);
    sqlite3_stmt *s = sw_conn_stmt(&conn, "SELECT id, str FROM t WHERE id = 7", &err);
    struct t_row out;
    bool found;
    assert_int_equal(sw_rows_get(&conn, s, &bad, &out, &found, &err, "get bad"), SW_E_INTERNAL);
    assert_false(found);
    json_t *rows = NULL;
    s = sw_conn_stmt(&conn, "SELECT id, str FROM t WHERE id = 7", &err);
    assert_int_equal(sw_rows_json(&conn, s, &bad, &rows, &err, "list bad"), SW_E_INTERNAL);
    assert_null(rows);
}

/* Column i binds ?(i+1); a statement binds only the parameters it has. */
static void test_rows__a_statement_uses_only_the_parameters_it_names(void **state)
{
    struct t_row in = {.id = 8, .str = "first", .code = "c1", .opt = 3};
    assert_int_equal(sw_rows_write(&conn, insert_sql, &t_def, &in, &err, "insert t"), SW_OK);
    snprintf(in.code, sizeof in.code, "c2");
    in.str = "second";
    in.opt = 4;
    /* ?2 (str) is bound and not used; ?5 and later are not bound at all */
    assert_int_equal(
        sw_rows_write(&conn, "UPDATE t SET code = ?4 WHERE id = ?1", &t_def, &in, &err, "upd t"),
        SW_OK);
    assert_sql("code", 8, "text:c2");
    assert_sql("str", 8, "text:first");
    assert_sql("opt", 8, "integer:3");
    /* a key conflict is already_exists, as for every write */
    assert_int_equal(sw_rows_write(&conn, insert_sql, &t_def, &in, &err, "insert t"),
                     SW_E_ALREADY_EXISTS);
}

static void insert_codes(const char *const *codes, int n)
{
    for (int i = 0; i < n; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO t(id, str, code) VALUES (%d, 's%d', '%s')", 10 + i,
                 i, codes[i]);
        assert_int_equal(sw_conn_exec(&conn, sql, &err), SW_OK);
    }
}

static void test_rows__all_reads_up_to_max_and_releases_on_error(void **state)
{
    static const char *const codes[] = {"a", "b", "too long!"};
    insert_codes(codes, 3);
    static const char sql[] = "SELECT " T_COLS " FROM t WHERE id >= 10 ORDER BY id";
    struct t_row rows[3];
    int n = -1;
    assert_int_equal(
        sw_rows_all(&conn, sw_conn_stmt(&conn, sql, &err), &t_def, rows, 2, &n, &err, "list t"),
        SW_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rows[1].code, "b");
    assert_string_equal(rows[1].str, "s1");
    for (int i = 0; i < n; i++)
        sw_rows_release(&t_def, &rows[i]);

    /* the third row does not fit: nothing is returned, nothing leaks (ASan) */
    assert_int_equal(
        sw_rows_all(&conn, sw_conn_stmt(&conn, sql, &err), &t_def, rows, 3, &n, &err, "list t"),
        SW_E_STORAGE_FAILED);
    assert_int_equal(n, 0);
}

static void test_rows__json_renders_columns_and_leaves_out_nulls(void **state)
{
    assert_int_equal(sw_conn_exec(&conn,
                                  "INSERT INTO t(id, str, opt, flag, str_opt, arr) VALUES"
                                  " (20, 'x', NULL, 1, NULL, '[1]'), (21, NULL, 9, 0, 'n', NULL)",
                                  &err),
                     SW_OK);
    static const struct sw_col cols[] = {
        SW_COL_KEY("seq", SW_COL_INT),          SW_COL_KEY("name", SW_COL_STR),
        SW_COL_KEY("n", SW_COL_INT_OR_NULL),    SW_COL_KEY("on", SW_COL_BOOL),
        SW_COL_KEY("note", SW_COL_STR_OR_NULL), SW_COL_KEY("list", SW_COL_JSON_ARRAY),
    };
    static const struct sw_rowdef def = SW_ROWDEF_KEYS("t", cols);
    sqlite3_stmt *s = sw_conn_stmt(
        &conn, "SELECT id, str, opt, flag, str_opt, arr FROM t WHERE id >= 20 ORDER BY id", &err);
    json_t *rows = NULL;
    assert_int_equal(sw_rows_json(&conn, s, &def, &rows, &err, "list t"), SW_OK);
    json_t *want = json_loads("[{\"seq\":20,\"name\":\"x\",\"on\":true,\"list\":[1]},"
                              "{\"seq\":21,\"name\":\"\",\"n\":9,\"on\":false,\"note\":\"n\","
                              "\"list\":[]}]",
                              0, NULL);
    assert_true(json_equal(rows, want));
    /* keys come in column order */
    assert_string_equal(json_object_iter_key(json_object_iter(json_array_get(rows, 0))), "seq");
    json_decref(want);
    json_decref(rows);
}

static void test_rows__aggregates_read_into_integers(void **state)
{
    static const char *const codes[] = {"a", "b"};
    insert_codes(codes, 2);
    int64_t count = -1, max = -1;
    sqlite3_stmt *s = sw_conn_stmt(&conn, "SELECT count(*), max(id) FROM t", &err);
    assert_int_equal(sw_sql_row_ints(&conn, s, (int64_t *const[]){&count, &max}, 2, &err, "count"),
                     SW_OK);
    assert_int_equal(count, 2);
    assert_int_equal(max, 11);
    /* a query that returns no row is a failure for an aggregate */
    s = sw_conn_stmt(&conn, "SELECT id FROM t WHERE id < 0", &err);
    assert_int_equal(sw_sql_row_ints(&conn, s, (int64_t *const[]){&count}, 1, &err, "none"),
                     SW_E_STORAGE_FAILED);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_rows__every_kind_reads_back_what_was_bound),
        T(test_rows__empty_values_of_or_null_kinds_are_stored_as_null),
        T(test_rows__null_and_unparsable_columns_read_as_empty_values),
        T(test_rows__text_too_long_for_its_field_is_an_error),
        T(test_rows__a_field_without_its_nul_is_refused_when_bound),
        T(test_rows__an_unknown_kind_is_an_error),
        T(test_rows__a_statement_uses_only_the_parameters_it_names),
        T(test_rows__all_reads_up_to_max_and_releases_on_error),
        T(test_rows__json_renders_columns_and_leaves_out_nulls),
        T(test_rows__aggregates_read_into_integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
