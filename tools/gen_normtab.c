/* Build-time generator of the scanner's flat normalisation table (src/scan/normalize.c).
 *
 * Input: OpenCC's traditional -> simplified character data as text (`opencc_dict -f ocd2
 * -t text` of TSCharacters.ocd2: "TRAD<TAB>SIMP [MORE...]" per line; the first candidate
 * wins). Output: a C file with one entry per BMP code point (the already-encoded output
 * bytes, their length, a character class) and a sorted array of the supplementary-plane
 * pairs. The folding rules (full-width -> half-width, case, separators, decorations, circled
 * digits) are written here once, as code, so that no table is typed by hand. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/normclass.h"

#define NBMP 65536
#define MAX_WIDE 4096

struct entry {
    uint32_t out; /* code point the input becomes; 0 = dropped */
    int cls;
};

static struct entry tab[NBMP];
static uint32_t wide_from[MAX_WIDE], wide_to[MAX_WIDE];
static int nwide;

static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    return -1;
}

static int utf8_encode(uint32_t cp, unsigned char *o)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ASCII after folding: what a code point < 0x80 becomes. */
static struct entry ascii_rule(uint32_t c)
{
    struct entry e = {c, SW_NC_PUNCT};
    if (c >= 'A' && c <= 'Z') {
        e.out = c + 32;
        e.cls = SW_NC_LETTER;
    } else if (c >= 'a' && c <= 'z') {
        e.cls = SW_NC_LETTER;
    } else if (c >= '0' && c <= '9') {
        e.cls = SW_NC_DIGIT;
    } else if (c == '=') {
        /* key=value specs (售价=99元, 品牌=颜粉, 运费=15元) label as key:value does */
        e.out = ':';
    } else if (c == '\n') {
        /* a line break ends a clause (a negation or a phrase does not reach past it): kept as
         * punctuation */
    } else if (c <= 0x20 || c == 0x7F || strchr(".-_*~`'\"|\\/^()", (int)c)) {
        /* controls, space and the characters used as separators or decoration; parentheses
         * too, so that "(021)6488 1234" reads as one number */
        e.out = 0;
        e.cls = SW_NC_DROP;
    }
    return e;
}

static int in(uint32_t c, uint32_t lo, uint32_t hi)
{
    return c >= lo && c <= hi;
}

static struct entry rule(uint32_t c)
{
    struct entry drop = {0, SW_NC_DROP};
    if (c < 0x80)
        return ascii_rule(c);
    if (in(c, 0xFF01, 0xFF5E)) /* full-width ASCII */
        return ascii_rule(c - 0xFEE0);
    if (in(c, 0xD800, 0xDFFF))
        return drop; /* not a character: bit 53 tells the decoder to refuse it */
    /* digits and letters in circles and dingbats, a common disguise */
    if (in(c, 0x2460, 0x2468))
        return (struct entry){'1' + (c - 0x2460), SW_NC_DIGIT};
    if (c == 0x24EA || c == 0x24FF)
        return (struct entry){'0', SW_NC_DIGIT};
    if (in(c, 0x2160, 0x2168)) /* Roman numerals one to nine: a number written in them */
        return (struct entry){'1' + (c - 0x2160), SW_NC_DIGIT};
    if (in(c, 0x2170, 0x2178))
        return (struct entry){'1' + (c - 0x2170), SW_NC_DIGIT};
    if (in(c, 0x2776, 0x277E))
        return (struct entry){'1' + (c - 0x2776), SW_NC_DIGIT};
    if (in(c, 0x2780, 0x2788))
        return (struct entry){'1' + (c - 0x2780), SW_NC_DIGIT};
    if (in(c, 0x278A, 0x2792))
        return (struct entry){'1' + (c - 0x278A), SW_NC_DIGIT};
    if (in(c, 0x24B6, 0x24CF))
        return (struct entry){'a' + (c - 0x24B6), SW_NC_LETTER};
    if (in(c, 0x24D0, 0x24E9))
        return (struct entry){'a' + (c - 0x24D0), SW_NC_LETTER};
    /* Latin-1 capitals fold to small letters */
    if (in(c, 0xC0, 0xDE) && c != 0xD7)
        return (struct entry){c + 32, SW_NC_OTHER};
    if (c == 0xA0 || c == 0xAD || c == 0xB7) /* no-break space, soft hyphen, middle dot */
        return drop;
    if (in(c, 0x0300, 0x036F) || in(c, 0x20D0, 0x20FF)) /* combining marks, keycaps */
        return drop;
    if (c == 0x1680 || c == 0x180E)
        return drop;
    if (in(c, 0x2000, 0x202F) || c == 0x203B || c == 0x2043 || in(c, 0x205F, 0x206F))
        return drop; /* spaces, zero-width, dashes, quotes, bullets, ellipsis, invisibles */
    if (c == 0x2212 || c == 0x2219 || c == 0x22C5)
        return drop;                                              /* minus and dot operators */
    if (c == 0x2795 || c == 0x271A || c == 0x2719 || c == 0x2629) /* heavy and Greek crosses */
        return ascii_rule('+');                                   /* ➕v is +v */
    if (in(c, 0x2190, 0x21FF) || in(c, 0x2460, 0x24FF) || in(c, 0x2500, 0x27BF) ||
        in(c, 0x2900, 0x297F) || in(c, 0x2B00, 0x2BFF))
        return drop; /* arrows, enclosed marks, boxes, shapes, symbols, dingbats (hearts) */
    if (c == 0x3000 || c == 0x301C || c == 0x3030 || c == 0x30FB || c == 0x30FC)
        return drop; /* ideographic space, wave dash, katakana middle dot and long mark */
    if (in(c, 0xFE00, 0xFE0F) || c == 0xFE52 || c == 0xFE58 || c == 0xFEFF || c == 0xFF65)
        return drop; /* variation selectors, small dot and dash, BOM, half-width dot */
    if (c == 0x3001 || c == 0x3002 || in(c, 0x3008, 0x3011) || in(c, 0x3014, 0x301B))
        return (struct entry){c, SW_NC_PUNCT};
    return (struct entry){c, SW_NC_OTHER};
}

/* Reads one "FROM<TAB>TO [MORE...]" line of an OpenCC dump (the first candidate wins). */
static void read_pair(const char *path, const char *line, uint32_t *from, uint32_t *to)
{
    const unsigned char *s = (const unsigned char *)line;
    int a = utf8_decode(s, from);
    if (a < 0 || s[a] != '\t' || utf8_decode(s + a + 1, to) < 0) {
        fprintf(stderr, "%s: bad line: %s", path, line);
        exit(1);
    }
}

static bool is_target[NBMP]; /* a simplified character TSCharacters gives */

/* Reads every pair of an OpenCC dump into take; the number of pairs it took. */
static int each_pair(const char *path, bool (*take)(uint32_t from, uint32_t to))
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        uint32_t from, to;
        read_pair(path, line, &from, &to);
        n += take(from, to);
    }
    fclose(f);
    return n;
}

/* Traditional -> simplified (TSCharacters). */
static bool take_simplified(uint32_t from, uint32_t to)
{
    if (to < NBMP)
        is_target[to] = true;
    if (from == to)
        return false;
    if (from < NBMP) {
        tab[from].out = to;
        tab[from].cls = SW_NC_OTHER;
    } else if (nwide < MAX_WIDE) {
        wide_from[nwide] = from;
        wide_to[nwide] = to;
        nwide++;
    }
    return true;
}

/* Japanese forms (JPVariantsRev: 鋳 -> 鑄, 広 -> 廣) become the simplified character of their
 * traditional one (鑄 -> 铸), so that 岩鋳 and 岩铸 are one brand. Not a form that is itself a
 * simplified character (芸 of 芸豆 stays; 来 is one already), nor one TSCharacters maps, nor one
 * whose traditional character TSCharacters does not fold (醋, 欠, 予 stay): read after it. */
static bool take_japanese(uint32_t jp, uint32_t trad)
{
    if (jp >= NBMP || trad >= NBMP || is_target[jp] || tab[jp].out != jp)
        return false;
    /* only through a traditional character the table folds (鑄 -> 铸): 醋 -> 酢 or
     * 欠 -> 缺 would turn one Chinese character into another */
    uint32_t simp = tab[trad].out;
    if (!simp || simp == trad || simp == jp || simp >= NBMP)
        return false;
    tab[jp].out = simp;
    tab[jp].cls = SW_NC_OTHER;
    return true;
}

/* Cantonese written forms that stand for one Mandarin character each (唔 = 不, 冇 = 没, 咗 = 了,
 * 嘅 = 的, 嚟 = 来, 喺 = 在, 佢 = 他, 睇 = 看, 搵 = 找): copy from Hong Kong and Macau shops says
 * 唔會再便秘 for 不会再便秘, so that the words of the policy meet it. Only characters written
 * in no Mandarin word. */
static void take_cantonese(void)
{
    static const uint32_t pairs[][2] = {
        {0x5514, 0x4E0D}, /* 唔 不 */ {0x5187, 0x6CA1}, /* 冇 没 */ {0x5497, 0x4E86}, /* 咗 了 */
        {0x5605, 0x7684}, /* 嘅 的 */ {0x569F, 0x6765}, /* 嚟 来 */ {0x55BA, 0x5728}, /* 喺 在 */
        {0x4F62, 0x4ED6}, /* 佢 他 */ {0x7747, 0x770B}, /* 睇 看 */ {0x6435, 0x627E}, /* 搵 找 */
    };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        tab[pairs[k][0]].out = pairs[k][1];
        tab[pairs[k][0]].cls = SW_NC_OTHER;
    }
}

/* The digit a Chinese numeral stands for in a written number (一五八, 幺 = 1, 两 = 2, the
 * financial forms 壹贰叁...), or -1. Read on the output code point (after t2s). */
static int numeral(uint32_t c)
{
    static const uint32_t d[][4] = {
        {0x96F6, 0x3007, 0},         /* 零 〇 */
        {0x4E00, 0x5E7A, 0x58F9, 0}, /* 一 幺 壹 */
        {0x4E8C, 0x4E24, 0x8D30, 0}, /* 二 两 贰 */
        {0x4E09, 0x53C1, 0},         /* 三 叁 */
        {0x56DB, 0x8086, 0},         /* 四 肆 */
        {0x4E94, 0x4F0D, 0},         /* 五 伍 */
        {0x516D, 0x9646, 0},         /* 六 陆 */
        {0x4E03, 0x67D2, 0},         /* 七 柒 */
        {0x516B, 0x634C, 0},         /* 八 捌 */
        {0x4E5D, 0x7396, 0},         /* 九 玖 */
    };
    for (int k = 0; k < 10; k++)
        for (int i = 0; d[k][i]; i++)
            if (d[k][i] == c)
                return k;
    return -1;
}

static void emit(FILE *o, const char *src)
{
    fprintf(o, "/* generated by tools/gen_normtab.c from %s: do not edit */\n", src);
    fprintf(o, "#include \"scan/normclass.h\"\n\n");
    fprintf(o, "const uint64_t sw__normtab[65536] = {\n");
    for (uint32_t c = 0; c < NBMP; c++) {
        unsigned char b[4] = {0, 0, 0, 0};
        int len = tab[c].out ? utf8_encode(tab[c].out, b) : 0;
        uint64_t v = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
                     (uint64_t)b[3] << 24 | (uint64_t)len << 32 | (uint64_t)tab[c].cls << 40;
        int num = numeral(tab[c].out);
        if (num >= 0)
            v |= (uint64_t)(num + 1) << 48;
        if (tab[c].cls == SW_NC_DIGIT || num >= 0)
            v |= (uint64_t)1 << 52;
        if (c >= 0xD800 && c <= 0xDFFF) /* no character: the decoder refuses it (bit 53) */
            v |= (uint64_t)1 << 53;
        fprintf(o, "0x%llxu,%s", (unsigned long long)v, (c % 8 == 7) ? "\n" : "");
    }
    fprintf(o, "};\n\nconst uint32_t sw__normwide[][2] = {\n");
    for (int i = 0; i < nwide; i++)
        fprintf(o, "{0x%X,0x%X},\n", wide_from[i], wide_to[i]);
    fprintf(o, "{0,0}};\nconst int sw__normwide_count = %d;\n", nwide);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: gen_normtab TSCharacters.txt JPVariantsRev.txt OUT.c\n");
        return 2;
    }
    for (uint32_t c = 0; c < NBMP; c++)
        tab[c] = rule(c);
    int n = each_pair(argv[1], take_simplified);
    if (n < 1000) {
        fprintf(stderr, "%s: only %d pairs, expected OpenCC's ~4,000\n", argv[1], n);
        return 1;
    }
    if ((n = each_pair(argv[2], take_japanese)) < 100) {
        fprintf(stderr, "%s: only %d Japanese forms, expected OpenCC's ~200\n", argv[2], n);
        return 1;
    }
    take_cantonese();
    /* simple insertion sort: a few dozen entries */
    for (int i = 1; i < nwide; i++)
        for (int j = i; j > 0 && wide_from[j - 1] > wide_from[j]; j--) {
            uint32_t t = wide_from[j];
            wide_from[j] = wide_from[j - 1];
            wide_from[j - 1] = t;
            t = wide_to[j];
            wide_to[j] = wide_to[j - 1];
            wide_to[j - 1] = t;
        }
    FILE *o = fopen(argv[3], "w");
    if (!o) {
        perror(argv[3]);
        return 1;
    }
    emit(o, argv[1]);
    return fclose(o) == 0 ? 0 : 1;
}
