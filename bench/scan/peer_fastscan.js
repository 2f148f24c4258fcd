// Peer: npm fastscan (pure JavaScript Aho-Corasick) on the scanner benchmark's corpus.
//   node peer_fastscan.js CORPUS.jsonl TERMS.txt NTERMS [SECONDS]
// Two runs: `search` with the default options (every match, like the others) and with
// {quick: true} (stops at the first match of each text), as FACTS.md measured it.
'use strict';
const fs = require('fs');
const FastScanner = require('fastscan');

const [corpus, termsPath, ntermsArg, secondsArg] = process.argv.slice(2);
const nterms = parseInt(ntermsArg, 10);
const seconds = secondsArg ? parseFloat(secondsArg) : 5;
const terms = fs.readFileSync(termsPath, 'utf8').split('\n').filter((t) => t.trim()).slice(0, nterms);
const texts = [];
let bytes = 0;
let listings = 0;
for (const line of fs.readFileSync(corpus, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const d = JSON.parse(line);
  listings++;
  for (const k of ['title', 'short_title', 'detail']) {
    const t = d[k] || '';
    texts.push(t);
    bytes += Buffer.byteLength(t, 'utf8');
  }
}
let t0 = process.hrtime.bigint();
const scanner = new FastScanner(terms);
const buildMs = Number(process.hrtime.bigint() - t0) / 1e6;

function run(name, options) {
  let matches = 0;
  let passes = 0;
  let el = 0;
  t0 = process.hrtime.bigint();
  for (;;) {
    for (const t of texts) matches += scanner.search(t, options).length;
    passes++;
    el = Number(process.hrtime.bigint() - t0) / 1e9;
    if (el >= seconds) break;
  }
  console.log(JSON.stringify({
    engine: name, terms: nterms, mb_s: Math.round((passes * bytes) / el / 1e5) / 10,
    listings_s: Math.round((passes * listings) / el), build_ms: Math.round(buildMs), matches,
  }));
}
run('fastscan 1.0.6 (npm, every match)', {});
run('fastscan 1.0.6 (npm, quick: first match only)', { quick: true });
