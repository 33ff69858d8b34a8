// The file Node loads for the I/O worker thread; the program is ./io-worker.ts (importable by tests).
import { parentPort, workerData } from "node:worker_threads";
import { type IoWorkerData, start } from "./io-worker.js";

if (!parentPort) throw new Error("the I/O worker must run in a worker thread");
start(parentPort, workerData as IoWorkerData);
