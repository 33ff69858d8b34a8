// The file Node loads for the language worker thread; the program is ./language-worker.ts (importable by tests).
import { parentPort, workerData } from "node:worker_threads";
import { type LanguageWorkerData, start } from "./language-worker.js";

if (!parentPort) throw new Error("the language worker must run in a worker thread");
start(parentPort, workerData as LanguageWorkerData);
