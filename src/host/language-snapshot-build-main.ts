// The file Node runs, detached and at low priority, to build the language process's start-up snapshot after a
// kernel started without one (src/host/language-snapshot.ts).
import { buildInBackground } from "./language-snapshot.js";

process.exitCode = buildInBackground();
