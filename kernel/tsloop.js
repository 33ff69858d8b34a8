#!/usr/bin/env node
// Launcher: `tsloop kernel -f CONNECTION_FILE`, `tsloop install`, `tsloop uninstall`, `tsloop run NOTEBOOK`.
"use strict";
require("../dist/cli/main.js").main(process.argv.slice(2));
