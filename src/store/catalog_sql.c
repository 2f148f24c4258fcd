#include "store/catalog_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

int sw_sql_merchant_insert(struct sw_conn *c, const struct sw_merchant_row *m, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO merchants(id, name, status, categories,"
                                   " deposit_required_fen, version, created_at, updated_at,"
                                   " holds) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
                                   err);
    if (!s)
        return err->code;
    char *cats = sw_json_dump(m->categories);
    sqlite3_bind_text(s, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, m->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, cats, -1, free);
    sqlite3_bind_int64(s, 5, m->deposit_required_fen);
    sqlite3_bind_int64(s, 6, m->version);
    sqlite3_bind_int64(s, 7, m->created_at);
    sqlite3_bind_int64(s, 8, m->updated_at);
    sqlite3_bind_int64(s, 9, m->holds);
    return sw_sql_done(c, s, err, "insert merchant");
}

int sw_sql_merchant_update(struct sw_conn *c, const struct sw_merchant_row *m, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "UPDATE merchants SET name=?2, status=?3, categories=?4,"
                                   " deposit_required_fen=?5, version=?6, updated_at=?7,"
                                   " holds=?8 WHERE id=?1",
                                   err);
    if (!s)
        return err->code;
    char *cats = sw_json_dump(m->categories);
    sqlite3_bind_text(s, 1, m->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, m->status, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, cats, -1, free);
    sqlite3_bind_int64(s, 5, m->deposit_required_fen);
    sqlite3_bind_int64(s, 6, m->version);
    sqlite3_bind_int64(s, 7, m->updated_at);
    sqlite3_bind_int64(s, 8, m->holds);
    return sw_sql_done(c, s, err, "update merchant");
}

static void read_merchant(sqlite3_stmt *s, struct sw_merchant_row *m)
{
    sw_sql_text(s, 0, m->id, sizeof m->id);
    sw_sql_text(s, 1, m->name, sizeof m->name);
    sw_sql_text(s, 2, m->status, sizeof m->status);
    m->categories = json_loads((const char *)sqlite3_column_text(s, 3), 0, NULL);
    if (!m->categories)
        m->categories = json_array();
    m->deposit_required_fen = sqlite3_column_int64(s, 4);
    m->version = sqlite3_column_int64(s, 5);
    m->created_at = sqlite3_column_int64(s, 6);
    m->updated_at = sqlite3_column_int64(s, 7);
    m->holds = sqlite3_column_int64(s, 8);
}

#define MERCHANT_COLS                                                                              \
    "id, name, status, categories, deposit_required_fen, version, created_at, updated_at, holds"

int sw_sql_merchant_get(struct sw_conn *c, const char *id, struct sw_merchant_row *m, bool *found,
                        struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c, "SELECT " MERCHANT_COLS " FROM merchants WHERE id = ?1", err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found)
        read_merchant(s, m);
    sqlite3_reset(s);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return sw_conn_fail(c, err, "get merchant");
    return SW_OK;
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
    while (sqlite3_step(s) == SQLITE_ROW) {
        struct sw_merchant_row m;
        read_merchant(s, &m);
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:I,s:I}", "id", m.id, "name", m.name,
                           "status", m.status, "holds", (json_int_t)m.holds, "categories",
                           m.categories, "deposit_required_fen", (json_int_t)m.deposit_required_fen,
                           "version", (json_int_t)m.version, "created_at", (json_int_t)m.created_at,
                           "updated_at", (json_int_t)m.updated_at));
    }
    sqlite3_reset(s);
    *rows = arr;
    return SW_OK;
}

int sw_sql_product_insert(struct sw_conn *c, struct sw_product_row *p, const char *doc,
                          struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "INSERT INTO products(id, merchant, status, price_fen, stock,"
                                   " version, created_at, updated_at, doc, scan_flags)"
                                   " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_text(s, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, p->merchant, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, p->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, p->price_fen);
    sqlite3_bind_int64(s, 5, p->stock);
    sqlite3_bind_int64(s, 6, p->version);
    sqlite3_bind_int64(s, 7, p->created_at);
    sqlite3_bind_int64(s, 8, p->updated_at);
    sqlite3_bind_text(s, 9, doc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 10, p->scan_flags);
    int rc = sw_sql_done(c, s, err, "insert product");
    if (rc == SW_OK)
        p->rid = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int sw_sql_product_update(struct sw_conn *c, const struct sw_product_row *p, bool doc_changed,
                          struct sw_error *err)
{
    sqlite3_stmt *s;
    if (doc_changed)
        s = sw_conn_stmt(c,
                         "UPDATE products SET status=?2, price_fen=?3, stock=?4, version=?5,"
                         " updated_at=?6, doc=?7, scan_flags=?8 WHERE rid=?1",
                         err);
    else
        s = sw_conn_stmt(c,
                         "UPDATE products SET status=?2, price_fen=?3, stock=?4, version=?5,"
                         " updated_at=?6 WHERE rid=?1",
                         err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, p->rid);
    sqlite3_bind_text(s, 2, p->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, p->price_fen);
    sqlite3_bind_int64(s, 4, p->stock);
    sqlite3_bind_int64(s, 5, p->version);
    sqlite3_bind_int64(s, 6, p->updated_at);
    if (doc_changed) {
        sqlite3_bind_text(s, 7, sw_json_dump(p->doc), -1, free);
        sqlite3_bind_int64(s, 8, p->scan_flags);
    }
    return sw_sql_done(c, s, err, "update product");
}

static int product_get(struct sw_conn *c, int64_t rid, struct sw_product_row *p, char **doc_text,
                       bool *found, struct sw_error *err)
{
    sqlite3_stmt *s = sw_conn_stmt(c,
                                   "SELECT rid, id, merchant, status, price_fen, stock, version,"
                                   " created_at, updated_at, doc, scan_flags FROM products"
                                   " WHERE rid = ?1",
                                   err);
    if (!s)
        return err->code;
    sqlite3_bind_int64(s, 1, rid);
    int r = sqlite3_step(s);
    *found = r == SQLITE_ROW;
    if (*found) {
        p->rid = sqlite3_column_int64(s, 0);
        sw_sql_text(s, 1, p->id, sizeof p->id);
        sw_sql_text(s, 2, p->merchant, sizeof p->merchant);
        sw_sql_text(s, 3, p->status, sizeof p->status);
        p->price_fen = sqlite3_column_int64(s, 4);
        p->stock = sqlite3_column_int64(s, 5);
        p->version = sqlite3_column_int64(s, 6);
        p->created_at = sqlite3_column_int64(s, 7);
        p->updated_at = sqlite3_column_int64(s, 8);
        p->scan_flags = sqlite3_column_int64(s, 10);
        const char *doc = (const char *)sqlite3_column_blob(s, 9);
        size_t n = (size_t)sqlite3_column_bytes(s, 9);
        p->doc = NULL;
        if (doc_text) {
            *doc_text = strndup(doc ? doc : "{}", doc ? n : 2);
        } else {
            p->doc = json_loadb(doc, n, 0, NULL);
            if (!p->doc)
                p->doc = json_object();
        }
    }
    sqlite3_reset(s);
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
