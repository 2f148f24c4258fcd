// Bundles the console into OUTDIR (index.html, app.js, app.css) with esbuild: the npm
// libraries (preact, htm, uPlot) are bundled in, so the binary serves everything itself.
// Run by the CMake build: node web/build.mjs OUTDIR
import { build } from "esbuild";
import { copyFileSync, mkdirSync, renameSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node web/build.mjs OUTDIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { app: join(here, "src/main.js"), "app-style": join(here, "src/app.css") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  outdir: out,
  logLevel: "warning",
  legalComments: "none",
});
// esbuild names the CSS entry app-style.css: the page links app.css.
renameSync(join(out, "app-style.css"), join(out, "app.css"));
copyFileSync(join(here, "src/index.html"), join(out, "index.html"));
