/* libFuzzer: the scalar parsers that see user input (money, instants, dates, ids, UTF-8).
 * Besides memory errors, checks that what parses formats back to something that parses to
 * the same value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/instant.h"
#include "base/json.h"
#include "base/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct sw_error err;
    int64_t fen;
    if (sw_money_parse(s, size, true, &fen, &err) == SW_OK) {
        char buf[24], *f = sw_money_format(fen, buf);
        int64_t again;
        if (sw_money_parse(f, strlen(f), true, &again, &err) != SW_OK || again != fen)
            abort();
    }
    sw_instant t;
    if (sw_instant_parse(s, size, &t, &err) == SW_OK) {
        char buf[32];
        sw_instant_format(t, buf);
        sw_instant again;
        if (sw_instant_parse(buf, strlen(buf), &again, &err) != SW_OK || again != t)
            abort();
    }
    int64_t day;
    if (sw_date_parse(s, size, &day, &err) == SW_OK) {
        char buf[16];
        int64_t again;
        if (sw_date_parse(sw_date_format(day, buf), 10, &again, &err) != SW_OK || again != day)
            abort();
    }
    (void)sw_utf8_valid(s, size);
    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = '\0';
    (void)sw_id_valid(z);
    free(z);
    return 0;
}
