// A ZeroMQ client for tsloop's kernel, used by `tsloop run`, the benchmark and the end-to-end tests.
export { KernelClient, type ClientOptions, type ExecuteOptions, type ExecuteResult, type ReadyOptions, type RequestChannel, type RequestOptions } from "./client.js";
export { ClientClosedError, KernelDiedError, KernelTimeoutError } from "./errors.js";
export { type KernelExit, type KernelProcess, type LaunchOptions, LAUNCHER, PACKAGE_ROOT, launchKernel, newConnectionInfo } from "./kernel-process.js";
export { freePorts } from "./ports.js";
export { type Listener, MessageRouter, type Subscription, isIdleOf, isReplyTo, parentMsgId } from "./router.js";
