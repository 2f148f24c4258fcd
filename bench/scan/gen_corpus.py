#!/usr/bin/env python3
"""Generates the scanner benchmark's inputs, deterministically (seeded):

  terms.txt     20,000 policy terms (3-4 common CJK characters); runs take the first N
  corpus.jsonl  synthetic Chinese listings (title, short_title, detail and the structured
                fields of `shopwarden scan`), about --mb megabytes of text

About 2% of the listings carry a term, 1% a contact (phone, WeChat id, URL) written the ways
merchants disguise them; the rest is ordinary listing text with numbers, units and prices."""
import argparse
import json
import random

# Common characters of product listings (frequency-ordered chunks of everyday Chinese).
COMMON = ("的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学"
          "对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面"
          "公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部"
          "正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关"
          "并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安"
          "表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共"
          "风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管"
          "夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品"
          "士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研"
          "像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济"
          "喜离虽坏兴切养舒适透气柔软清爽细腻顺滑精选优质新鲜口感营养健康时尚百搭简约经典款式尺码颜色材质")
UNITS = ["ml", "g", "kg", "cm", "mm", "米", "斤", "片", "只", "件", "盒", "袋", "瓶"]
CATS = ["beauty.skincare", "beauty.makeup", "fresh.fruit", "fresh.seafood", "food.snacks",
        "health.supplements", "apparel.women", "digital.phones", "home.kitchen", "baby.formula"]
PUNCT = ["，", "。", "！", "、", " ", ",", "；", "：", " "]


def words(rng, n):
    out, seen = [], set()
    while len(out) < n:
        w = "".join(rng.choice(COMMON) for _ in range(rng.choice((3, 3, 4))))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def phrase(rng, k):
    s = []
    for _ in range(k):
        r = rng.random()
        if r < 0.06:
            s.append(f"{rng.randint(1, 999)}{rng.choice(UNITS)}")
        elif r < 0.08:
            s.append(f"型号{rng.choice('ABCDEFGH')}{rng.randint(100, 99999)}")
        elif r < 0.10:
            s.append(f"{rng.randint(1, 9)}.{rng.randint(0, 9)}{rng.choice(UNITS)}")
        elif r < 0.22:
            s.append(rng.choice(PUNCT))
        else:
            s.append("".join(rng.choice(COMMON) for _ in range(rng.randint(1, 4))))
    return "".join(s)


CONTACTS = ["加微信 shop_{n}", "V信：vx{n}", "电话 139 {a} {b}", "官网 www.shop{n}.cn",
            "扣扣 {n}{n}", "威.信.号 abc{n}", "手机1{c}{a}{b}"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--out", default=".")
    ap.add_argument("--seed", type=int, default=20261123)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    terms = words(rng, 20000)
    with open(f"{a.out}/terms.txt", "w", encoding="utf-8") as f:
        f.write("\n".join(terms) + "\n")
    target = int(a.mb * 1e6)
    total = 0
    n = 0
    with open(f"{a.out}/corpus.jsonl", "w", encoding="utf-8") as f:
        while total < target:
            n += 1
            title = phrase(rng, rng.randint(8, 14))
            detail = phrase(rng, rng.randint(60, 260))
            r = rng.random()
            if r < 0.02:
                pos = rng.randrange(len(detail) + 1)
                detail = detail[:pos] + rng.choice(terms[:200]) + detail[pos:]
            elif r < 0.03:
                c = rng.choice(CONTACTS).format(n=rng.randint(1000, 99999), a=rng.randint(1000, 9999),
                                                b=rng.randint(1000, 9999), c=rng.randint(3, 9))
                detail += c
            listing = {"id": f"b{n}", "category": rng.choice(CATS), "title": title,
                       "short_title": title[:10], "detail": detail, "brand": "品牌",
                       "price_fen": rng.randint(100, 99999), "freight_fen": 0,
                       "production_date": "2026-01-01", "quality_cert": "QC",
                       "manufacturer": "工厂"}
            total += sum(len(listing[k].encode()) for k in ("title", "short_title", "detail"))
            f.write(json.dumps(listing, ensure_ascii=False) + "\n")
    print(f"{n} listings, {total / 1e6:.1f} MB of text, {len(terms)} terms")


if __name__ == "__main__":
    main()
