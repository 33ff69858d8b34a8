#!/usr/bin/env node
// Launcher: `tsloop kernel -f CONNECTION_FILE`, `tsloop install`, `tsloop uninstall`, `tsloop run NOTEBOOK`.
"use strict";
let main;
try {
  // Resolve the dependencies the worker threads load too, so an unreadable install fails here, in one line.
  for (const dependency of ["zeromq", "typescript"]) require.resolve(dependency);
  main = require("../dist/cli/main.js").main;
} catch (err) {
  require("./launch-error.js").exitWithLaunchError(err, process.argv.slice(2));
}
main(process.argv.slice(2));
