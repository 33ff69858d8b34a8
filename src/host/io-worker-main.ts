// The file Node loads for the I/O worker thread; the program is ./io-worker.ts (importable by tests).
// The language process is spawned before that program's modules load (sockets, kernel, debugger: ~45 ms): it is on
// the first result's path (its start from the snapshot takes ~0.45 s), and everything else here is not.
import { parentPort, workerData } from "node:worker_threads";
import type { IoWorkerData } from "./io-worker.js";
import { LanguageChild } from "./language-child.js";
import { setLogLevel } from "../wire/log.js";

if (!parentPort) throw new Error("the I/O worker must run in a worker thread");
const port = parentPort;
const data = workerData as IoWorkerData;
setLogLevel(data.logLevel); // before the language process is started, which logs how
const language = new LanguageChild(data);
// A program that cannot load is an unhandled rejection: the worker dies, and the main thread ends the kernel.
void import("./io-worker.js").then(({ start }) => start(port, data, language));
