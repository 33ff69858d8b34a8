// `npm run bench` entry while package.json points at bench/run.js: the benchmark itself is the ES module run.mjs.
"use strict";
import("./run.mjs").catch((err) => {
  console.error(err);
  process.exit(1);
});
