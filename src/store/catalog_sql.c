#include "store/catalog_sql.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

#define M(field, kind) SW_COL(struct sw_merchant_row, field, kind)
static const struct sw_col merchant_cols[] = {
    M(id, SW_COL_CHARS),
    M(name, SW_COL_CHARS),
    M(status, SW_COL_CHARS),
    M(categories, SW_COL_JSON_ARRAY),
    M(deposit_required_fen, SW_COL_INT),
    M(version, SW_COL_INT),
    M(created_at, SW_COL_INT),
    M(updated_at, SW_COL_INT),
    M(holds, SW_COL_INT),
};
#undef M
static const struct sw_rowdef merchant_row =
    SW_ROWDEF("merchant", struct sw_merchant_row, merchant_cols);

/* The columns in the order of merchant_cols: column i is parameter ?(i+1). */
#define MERCHANT_COLS                                                                              \
    "id, name, status, categories, deposit_required_fen, version, created_at, updated_at, holds"

int sw_sql_merchant_insert(struct sw_conn *c, const struct sw_merchant_row *m, struct sw_error *err)
{
    return sw_rows_write(c,
                         "INSERT INTO merchants(" MERCHANT_COLS ") VALUES (?1,?2,?3,?4,?5,?6,"
                         "?7,?8,?9)",
                         &merchant_row, m, err, "insert merchant");
}

/* created_at (?7) is bound and left alone. */
int sw_sql_merchant_update(struct sw_conn *c, const struct sw_merchant_row *m, struct sw_error *err)
{
    return sw_rows_write(c,
                         "UPDATE merchants SET name=?2, status=?3, categories=?4,"
                         " deposit_required_fen=?5, version=?6, updated_at=?8,"
                         " holds=?9 WHERE id=?1",
                         &merchant_row, m, err, "update merchant");
}

int sw_sql_merchant_get(struct sw_conn *c, const char *id, struct sw_merchant_row *m, bool *found,
                        struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " MERCHANT_COLS " FROM merchants WHERE id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return sw_rows_get(c, s, &merchant_row, m, found, err, "get merchant");
}

int sw_sql_merchant_each_status(struct sw_conn *c,
                                bool (*add)(void *arg, const char *id, const char *status),
                                void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT id, status FROM merchants", err);
    if (!s)
        return err->code;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (!add(arg, (const char *)sqlite3_column_text(s, 0),
                 (const char *)sqlite3_column_text(s, 1))) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory loading store statuses");
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "load store statuses");
}

static json_t *merchant_json(struct sw_merchant_row *m)
{
    return json_pack("{s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:I,s:I}", "id", m->id, "name", m->name,
                     "status", m->status, "holds", (json_int_t)m->holds, "categories",
                     m->categories, "deposit_required_fen", (json_int_t)m->deposit_required_fen,
                     "version", (json_int_t)m->version, "created_at", (json_int_t)m->created_at,
                     "updated_at", (json_int_t)m->updated_at);
}

int sw_sql_merchants_list(struct sw_conn *c, const char *after, const char *status, int limit,
                          json_t **rows, struct sw_error *err)
{
    /* Two statements, not "?3 IS NULL OR status = ?3": that form keeps SQLite off the
     * (status, id) index. */
    sqlite3_stmt *s =
        status ? sw_conn_stmt(c,
                              "SELECT " MERCHANT_COLS " FROM merchants WHERE status = ?3 AND"
                              " id > ?1 ORDER BY id LIMIT ?2",
                              err)
               : sw_conn_stmt(c,
                              "SELECT " MERCHANT_COLS
                              " FROM merchants WHERE id > ?1 ORDER BY id LIMIT ?2",
                              err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, after, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    if (status)
        sqlite3_bind_text(s, 3, status, -1, SQLITE_STATIC);
    json_t *arr = json_array();
    int r, rc = SW_OK;
    while (rc == SW_OK && (r = sqlite3_step(s)) == SQLITE_ROW) {
        struct sw_merchant_row m;
        if ((rc = sw_rows_read(s, &merchant_row, &m, err)) == SW_OK)
            json_array_append_new(arr, merchant_json(&m));
    }
    sqlite3_reset(s);
    if (rc == SW_OK && r != SQLITE_DONE)
        rc = sw_conn_fail(c, err, "list merchants");
    if (rc)
        json_decref(arr);
    else
        *rows = arr;
    return rc;
}

/* The columns in the order of the SELECT (PRODUCT_COLS): column i is parameter ?(i+1). The doc
 * comes last so that product_fields (every column but the doc) is a prefix. */
#define P(field, kind) SW_COL(struct sw_product_row, field, kind)
static const struct sw_col product_cols[] = {
    P(rid, SW_COL_INT),        P(id, SW_COL_CHARS),       P(merchant, SW_COL_CHARS),
    P(status, SW_COL_CHARS),   P(price_fen, SW_COL_INT),  P(stock, SW_COL_INT),
    P(version, SW_COL_INT),    P(created_at, SW_COL_INT), P(updated_at, SW_COL_INT),
    P(scan_flags, SW_COL_INT), P(tags, SW_COL_INT),       P(doc, SW_COL_JSON_OBJECT),
};
#undef P
static const struct sw_rowdef product_row =
    SW_ROWDEF("product", struct sw_product_row, product_cols);
static const struct sw_rowdef product_fields = {"product", product_cols, 11,
                                                sizeof(struct sw_product_row)};
#define PRODUCT_COLS                                                                               \
    "rid, id, merchant, status, price_fen, stock, version, created_at, updated_at, scan_flags, "   \
    "tags, doc"

int sw_sql_product_insert(struct sw_conn *c, struct sw_product_row *p, const char *doc,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO products(id, merchant, status, price_fen, stock,"
                                   " version, created_at, updated_at, scan_flags, tags, doc)"
                                   " VALUES (?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
                                   err);
    if (!s)
        return err->code;
    int rc = sw_rows_bind(s, &product_fields, p, err);
    if (rc)
        return rc;
    sqlite3_bind_text(s, 12, doc, -1, SQLITE_STATIC);
    if ((rc = sw_sql_done(c, s, err, "insert product")) == SW_OK)
        p->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

/* Without the doc the statement has no ?10 and ?12: scan_flags and the doc are not bound. */
int sw_sql_product_update(struct sw_conn *c, const struct sw_product_row *p, bool doc_changed,
                          struct sw_error *err)
{
    return doc_changed ? sw_rows_write(c,
                                       "UPDATE products SET status=?4, price_fen=?5, stock=?6,"
                                       " version=?7, updated_at=?9, scan_flags=?10, tags=?11,"
                                       " doc=?12 WHERE rid=?1",
                                       &product_row, p, err, "update product")
                       : sw_rows_write(c,
                                       "UPDATE products SET status=?4, price_fen=?5, stock=?6,"
                                       " version=?7, updated_at=?9, tags=?11 WHERE rid=?1",
                                       &product_row, p, err, "update product");
}

int sw_sql_product_version(struct sw_conn *c, int64_t rid, int64_t *version, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT version FROM products WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int64_t *const outs[] = {version};
    return sw_sql_row_ints(c, s, outs, 1, err, "get product version");
}

int sw_sql_product_versions(struct sw_conn *c, int64_t rid, int64_t *version, int64_t *scanned,
                            struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT version, coalesce(doc ->> '$.scan.product_version', version) FROM products"
        " WHERE rid = ?1",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int64_t *const outs[] = {version, scanned};
    return sw_sql_row_ints(c, s, outs, 2, err, "get product versions");
}

/* Reads the row with its doc parsed into p->doc, or left as text in *doc_text. */
static int product_get(struct sw_conn *c, int64_t rid, struct sw_product_row *p, char **doc_text,
                       bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " PRODUCT_COLS " FROM products WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    if (!doc_text)
        return sw_rows_get(c, s, &product_row, p, found, err, "get product");
    int r = sqlite3_step(s);
    int rc = r == SQLITE_ROW ? sw_rows_read(s, &product_fields, p, err) : SW_OK;
    *found = r == SQLITE_ROW && rc == SW_OK;
    if (*found) {
        const char *doc = (const char *)sqlite3_column_blob(s, 11);
        size_t n = (size_t)sqlite3_column_bytes(s, 11);
        p->doc = NULL;
        *doc_text = strndup(doc ? doc : "{}", doc ? n : 2);
    }
    sqlite3_reset(s);
    if (rc)
        return rc;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "get product");
    return SW_OK;
}

int sw_sql_product_get(struct sw_conn *c, int64_t rid, struct sw_product_row *p, bool *found,
                       struct sw_error *err)
{
    return product_get(c, rid, p, NULL, found, err);
}

int sw_sql_product_get_text(struct sw_conn *c, int64_t rid, struct sw_product_row *p, char **doc,
                            bool *found, struct sw_error *err)
{
    return product_get(c, rid, p, doc, found, err);
}

int sw_sql_product_id(struct sw_conn *c, int64_t rid, char *id, size_t size, bool *found,
                      struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT id FROM products WHERE rid = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found)
        snprintf(id, size, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return r == SQLITE_ROW || r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "get product id");
}

/* SQLite reads the three fields out of the doc's text (one parse, cached for the row) without
 * the tree jansson would build of all of it. */
int sw_sql_product_brief(struct sw_conn *c, int64_t rid, struct sw_product_brief *b, bool *found,
                         struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(
        c,
        "SELECT rid, id, merchant, status, price_fen, stock, version, created_at, updated_at,"
        " scan_flags, tags,"
        " CASE json_type(doc, '$.spu_id') WHEN 'text' THEN doc ->> '$.spu_id' END,"
        " CASE json_type(doc, '$.category') WHEN 'text' THEN doc ->> '$.category' END,"
        " doc -> '$.scan.findings' FROM products WHERE rid = ?1",
        err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    *b = (struct sw_product_brief){0};
    int r = sqlite3_step(s);
    int rc = r == SQLITE_ROW ? sw_rows_read(s, &product_fields, &b->row, err) : SW_OK;
    *found = r == SQLITE_ROW && rc == SW_OK;
    if (*found) {
        const char *spu = (const char *)sqlite3_column_text(s, 11);
        const char *cat = (const char *)sqlite3_column_text(s, 12);
        snprintf(b->spu_id, sizeof b->spu_id, "%s", spu ? spu : "");
        snprintf(b->category, sizeof b->category, "%s", cat ? cat : "");
        const char *f = (const char *)sqlite3_column_text(s, 13);
        b->findings = f ? json_loads(f, JSON_DECODE_ANY, NULL) : json_array();
        if (!b->findings)
            rc = sw_fail(err, SW_E_INTERNAL, NULL, "product %lld: findings unreadable",
                         (long long)rid);
    }
    sqlite3_reset(s);
    if (rc)
        return rc;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "get product brief");
    return SW_OK;
}

int sw_sql_product_load_ids(struct sw_conn *c, struct sw_map *m, struct sw_error *err)
{
    return sw_sql_load_idmap(c, "SELECT rid, id FROM products", m, err, "load product ids");
}

int sw_sql_product_each_merchant(struct sw_conn *c,
                                 bool (*add)(void *arg, const char *merchant, int64_t rid),
                                 void *arg, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT rid, merchant FROM products ORDER BY rid", err);
    if (!s)
        return err->code;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        if (!add(arg, (const char *)sqlite3_column_text(s, 1), sqlite3_column_int64(s, 0))) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory loading store products");
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "load store products");
}

int sw_sql_spu_put(struct sw_conn *c, const char *spu, int64_t rid, bool on, struct sw_error *err)
{
    sqlite3_stmt *s =
        on ? sw_conn_stmt(c, "INSERT OR IGNORE INTO product_spus(spu_id, rid) VALUES (?1, ?2)", err)
           : sw_conn_stmt(c, "DELETE FROM product_spus WHERE spu_id = ?1 AND rid = ?2", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, spu, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, rid);
    return sw_sql_done(c, s, err, "index product spu");
}

int sw_sql_spu_rids(struct sw_conn *c, const char *spu, int64_t after, int64_t *out, int max,
                    int *n, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid FROM product_spus WHERE spu_id = ?1 AND rid > ?2"
                                   " ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, spu, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, after);
    sqlite3_bind_int(s, 3, max);
    return sw_sql_ints(c, s, out, max, n, err, "list spu products");
}

int sw_sql_merchant_each_categories(struct sw_conn *c,
                                    bool (*add)(void *arg, const char *id, const json_t *cats,
                                                int64_t deposit_required_fen),
                                    void *arg, struct sw_error *err)
{
    sqlite3_stmt *s =
        sw_conn_stmt(c, "SELECT id, categories, deposit_required_fen FROM merchants", err);
    if (!s)
        return err->code;
    int r;
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *cats = json_loads((const char *)sqlite3_column_text(s, 1), 0, NULL);
        bool ok =
            add(arg, (const char *)sqlite3_column_text(s, 0), cats, sqlite3_column_int64(s, 2));
        json_decref(cats);
        if (!ok) {
            sqlite3_reset(s);
            return sw_fail(err, SW_E_INTERNAL, NULL, "out of memory loading store categories");
        }
    }
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "load store categories");
}

int sw_sql_product_listed_rids(struct sw_conn *c, int64_t after, int64_t upto, int64_t *out,
                               int max, int *n, int64_t *last, struct sw_error *err)
{
    /* The rowid range is walked in order; the status test skips the rest without an index. A
     * read stops after max listed rows or 64 times as many rows in all, so that a range of
     * unlisted products does not make one step long. */
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid, status = 'listed' FROM products WHERE rid > ?1"
                                   " AND rid <= ?2 ORDER BY rid LIMIT ?3",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, upto);
    sqlite3_bind_int(s, 3, max * 64);
    *n = 0;
    *last = after;
    int r = SQLITE_DONE;
    while (*n < max && (r = sqlite3_step(s)) == SQLITE_ROW) {
        *last = sqlite3_column_int64(s, 0);
        if (sqlite3_column_int(s, 1))
            out[(*n)++] = *last;
    }
    if (*n == max)
        r = SQLITE_DONE;
    sqlite3_reset(s);
    return r == SQLITE_DONE ? SW_OK : sw_conn_fail(c, err, "list listed products");
}

int sw_sql_product_listed_count(struct sw_conn *c, int64_t *listed, int64_t *max_rid,
                                struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT (SELECT count(*) FROM products WHERE status = 'listed'),"
                                   " (SELECT coalesce(max(rid), 0) FROM products)",
                                   err);
    if (!s)
        return err->code;
    int64_t *const outs[] = {listed, max_rid};
    return sw_sql_row_ints(c, s, outs, 2, err, "count listed products");
}
