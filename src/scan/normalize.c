#include "scan/normalize.h"

#include <stdlib.h>
#include <string.h>

#include "scan/normclass.h"

int sw_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned b = s[0];
    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if ((b & 0xF0) == 0xE0) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        unsigned cp = ((b & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6);
        return cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) ? 3 : 0;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        unsigned cp = ((b & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12);
        return cp >= 0x10000 && cp <= 0x10FFFF ? 4 : 0;
    }
    return 0;
}

/* What a supplementary-plane code point becomes: 0 = dropped. */
static uint32_t wide_rule(uint32_t cp)
{
    /* emoji that stand for a word in a disguise: QQ's penguin (normalize writes it as qq) and
     * the fish of 闲鱼 (闲🐟), the peach of 淘宝 (🍑宝) */
    if (cp == 0x1F427)
        return 'q';
    if (cp == 0x1F41F || cp == 0x1F420)
        return 0x9C7C; /* 鱼 */
    if (cp == 0x1F351)
        return 0x6DD8; /* the peach of 桃, said as 淘 (🍑宝) */
    if (cp == 0x1F912)
        return 0x75C5; /* the face with a thermometer, for 病 (不生🤒) */
    if ((cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000 && cp <= 0xE007F))
        return 0;                         /* emoji, pictographs, regional indicators, tags */
    if (cp >= 0x1D400 && cp <= 0x1D6A3) { /* mathematical letters: 13 alphabets of 52 */
        uint32_t k = (cp - 0x1D400) % 52;
        return 'a' + (k < 26 ? k : k - 26);
    }
    if (cp >= 0x1D7CE && cp <= 0x1D7FF) /* mathematical digits: 5 sets of 10 */
        return '0' + (cp - 0x1D7CE) % 10;
    int lo = 0, hi = sw__normwide_count - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (sw__normwide[mid][0] == cp)
            return sw__normwide[mid][1];
        if (sw__normwide[mid][0] < cp)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return cp;
}

static int encode(uint32_t cp, char *o)
{
    unsigned char *u = (unsigned char *)o;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x10000) { /* only reached for the rare wide rules: a BMP result is 3 bytes */
        if (cp < 0x800) {
            u[0] = (unsigned char)(0xC0 | (cp >> 6));
            u[1] = (unsigned char)(0x80 | (cp & 0x3F));
            return 2;
        }
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    u[0] = (unsigned char)(0xF0 | (cp >> 18));
    u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the packed normalisation table is written for little-endian machines"
#endif

/* Room for `more` entries in the array *v of *n used, *cap allocated (doubling from 64); false,
 * with r->oom set, when it cannot grow. */
static bool room(struct sw_runs *r, uint32_t **v, size_t n, size_t *cap, size_t more)
{
    if (n + more <= *cap)
        return true;
    size_t c = *cap ? *cap * 2 : 64;
    uint32_t *g = realloc(*v, c * sizeof *g);
    if (!g) {
        r->oom = true;
        return false;
    }
    *v = g;
    *cap = c;
    return true;
}

static void run_end(struct sw_runs *r, uint32_t start, uint32_t len, size_t end)
{
    if (len < SW_RUN_MIN || !room(r, &r->v, r->n, &r->cap, 2))
        return;
    r->v[r->n++] = start;
    r->v[r->n++] = (uint32_t)end;
}

static void maybe_add(struct sw_runs *r, size_t end)
{
    if (room(r, &r->maybe, r->maybe_n, &r->maybe_cap, 1))
        r->maybe[r->maybe_n++] = (uint32_t)end;
}

/* The prefilter's first stage on an output character of l bytes, w its first four (pkey: the
 * last three three-byte characters; probe: the loop has a prefilter, runs->pf_bits). */
#define PROBE(w, l)                                                                                \
    do {                                                                                           \
        if (probe) {                                                                               \
            if ((l) == 3) {                                                                        \
                pkey = (pkey << 24) | (w); /* a 3-byte character's fourth byte is 0 */             \
                uint32_t b_ = sw_pf_bit(pkey);                                                     \
                if (__builtin_expect((bits[b_ >> 6] >> (b_ & 63)) & 1, 0))                         \
                    maybe_add(runs, o + 3);                                                        \
            } else if (l) {                                                                        \
                pkey = 0;                                                                          \
            }                                                                                      \
        }                                                                                          \
    } while (0)

/* Appends a table entry's output (4 bytes stored, len of them kept) and, when tracking, follows
 * runs of digits and Chinese numerals (bit 52): one well-predicted branch per character when
 * there is no run. A letter o inside a run stands for a zero (15O 1234 5678): a run may end with
 * one, which the phone check drops (diversion.c). A comma or a line break may stand between two
 * digits of a run (a number split over lines). A run's length counts characters; its end is
 * a byte offset. A surrogate's entry (bit 53) fails the text in the same rare branch, so that the
 * decoder's common case does not test for it. */
#define EMIT(e)                                                                                           \
    do {                                                                                                  \
        uint32_t w_ = (uint32_t)(e);                                                                      \
        size_t l_ = (size_t)(((e) >> 32) & 0xFF);                                                         \
        memcpy(out + o, &w_, 4);                                                                          \
        map[o] = (uint32_t)i;                                                                             \
        if (track) {                                                                                      \
            PROBE(w_, l_);                                                                                \
            unsigned f_ = (unsigned)((e) >> 52) & 3u; /* bit 0: a digit; bit 1: a surrogate */            \
            if (__builtin_expect(f_ | run, 0)) {                                                          \
                if (f_ & 2u)                                                                              \
                    return (long)i;                                                                       \
                if ((f_ & 1u) || (l_ == 1 && (w_ & 0xFF) == 'o')) {                                       \
                    if (run == 0)                                                                         \
                        run_start = (uint32_t)o;                                                          \
                    run++;                                                                                \
                    comma = 0;                                                                            \
                } else if (l_ == 1 && ((w_ & 0xFF) == ',' || (w_ & 0xFF) == '\n') && !comma) {            \
                    comma = (uint32_t)o + 1; /* 一三八，零五七四, 138\n0013: the run may go on */ \
                } else if (l_) {                                                                          \
                    run_end(runs, run_start, run, comma ? comma - 1 : o);                                 \
                    run = 0;                                                                              \
                    comma = 0;                                                                            \
                }                                                                                         \
            }                                                                                             \
        }                                                                                                 \
        o += l_;                                                                                          \
    } while (0)

static inline __attribute__((always_inline)) long normalize(const char *in, size_t n, char *out,
                                                            uint32_t *map, size_t *out_len,
                                                            struct sw_runs *runs, const bool track,
                                                            const bool probe)
{
    const unsigned char *s = (const unsigned char *)in;
    const uint64_t *T = sw__normtab;
    const uint64_t *bits = probe ? runs->pf_bits : NULL;
    uint64_t pkey = 0;
    size_t i = 0, o = 0;
    uint32_t run = 0, run_start = 0, comma = 0; /* comma: 1 + where a ',' in a run stands */
    while (i < n) {
        unsigned b = s[i];
        if (b - 0xE1u < 15u) { /* E1-EF, the common case for Chinese text (E0, whose overlong
                                 forms must be refused, goes the long way below) */
            if (i + 2 >= n || (((s[i + 1] ^ 0x80u) | (s[i + 2] ^ 0x80u)) & 0xC0u))
                return (long)i;
            /* b is 1110xxxx, the next two 10xxxxxx (checked): their marks taken off at once */
            unsigned cp = (b << 12) + ((unsigned)s[i + 1] << 6) + s[i + 2] - 0xE2080u;
            uint64_t e = T[cp];
            if (!track && ((e >> 53) & 1)) /* a surrogate (tracking: EMIT's rare branch) */
                return (long)i;
            EMIT(e);
            i += 3;
        } else if (b < 0x80) {
            uint64_t e = T[b];
            EMIT(e);
            i++;
        } else if (b >= 0xC2 && b <= 0xDF) {
            if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80)
                return (long)i;
            uint64_t e = T[((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu)];
            EMIT(e);
            i += 2;
        } else {
            int l = sw_utf8_len(s + i, n - i);
            if (l == 3) { /* E0 A0-BF: U+0800-U+0FFF, checked by sw_utf8_len */
                uint64_t e =
                    T[((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu)];
                EMIT(e);
                i += 3;
                continue;
            }
            if (l != 4)
                return (long)i;
            uint32_t cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) |
                          ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
            uint32_t to = wide_rule(cp);
            map[o] = (uint32_t)i;
            if (to) {
                bool digit = to >= '0' && to <= '9';
                if (track && digit) {
                    if (run == 0)
                        run_start = (uint32_t)o;
                    run++;
                } else if (track && run) {
                    run_end(runs, run_start, run, comma ? comma - 1 : o);
                    run = 0;
                    comma = 0;
                }
                int el = encode(to, out + o);
                uint32_t w = 0;
                memcpy(&w, out + o, (size_t)el);
                PROBE(w, el);
                o += (size_t)el;
                if (cp == 0x1F427) { /* the penguin is QQ: two letters, as "qq" (🐧 1094 3827) */
                    PROBE((uint32_t)'q', 1);
                    map[o] = (uint32_t)i;
                    out[o++] = 'q';
                }
            }
            i += 4;
        }
    }
    if (track && run)
        run_end(runs, run_start, run, comma ? comma - 1 : o);
    map[o] = (uint32_t)n;
    *out_len = o;
    return -1;
}

long sw_normalize(const char *in, size_t n, char *out, uint32_t *map, size_t *out_len)
{
    return normalize(in, n, out, map, out_len, NULL, false, false);
}

long sw_normalize_runs(const char *in, size_t n, char *out, uint32_t *map, size_t *out_len,
                       struct sw_runs *runs)
{
    runs->n = 0;
    runs->maybe_n = 0;
    runs->oom = false; /* a failed growth fails one scan, not every later one on this thread */
    /* two copies of the loop: without a prefilter, the probe costs nothing */
    return runs->pf_bits ? normalize(in, n, out, map, out_len, runs, true, true)
                         : normalize(in, n, out, map, out_len, runs, true, false);
}
