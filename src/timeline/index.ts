// The task timeline's public surface: the recorder the runtime's instrumentation calls, the model it produces,
// and the renderers (HTML, text, MIME bundle, Chrome trace). See docs/timeline.md.

export { TimelineRecorder, type RecorderOptions } from "./recorder";
export type { SettledState, TaskCreateOptions } from "./task-records";
export * from "./model";
export { timelineBundle, TIMELINE_MIME, TIMELINE_RENDERER_VERSION, type TimelineBundle, type BundleOptions } from "./bundle";
export { renderHtml, type HtmlOptions } from "./render-html";
export { renderText, type TextOptions } from "./render-text";
export { chromeTrace, type ChromeTrace, type TraceEvent } from "./chrome-trace";
export { capModel, type CapOptions } from "./cap";
