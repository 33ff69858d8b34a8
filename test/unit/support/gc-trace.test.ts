// The reliability suite's reading of `node --trace-gc`: live-heap growth per thread from full collections, and for a
// thread that ran none, from its other collections without ever counting less than zero for it.
import { describe, expect, it } from "vitest";
import { liveHeapGrowth, parseTraceGc } from "../../reliability/support/gc-trace.js";

const line = (isolate: string, kind: string, after: number) => `[1:${isolate}]     12 ms: ${kind} 9.0 (12.0) -> ${after} (12.0) MB, 1.2 / 0.0 ms\n`;

describe("liveHeapGrowth", () => {
  const cases: [string, string[], { isolates: number; baselineMB: number; endMB: number }][] = [
    ["full collections: first from the mark against the last", [line("0xa", "Mark-Compact", 10), "MARK\n", line("0xa", "Mark-Compact", 12), line("0xa", "Scavenge", 30), line("0xa", "Mark-Compact", 15)], { isolates: 1, baselineMB: 12, endMB: 15 }],
    ["no full collection after the mark: the last one before it", [line("0xa", "Mark-Compact", 10), "MARK\n", line("0xa", "Scavenge", 30)], { isolates: 1, baselineMB: 10, endMB: 10 }],
    ["a thread with scavenges only: first from the mark against the largest since", ["MARK\n", line("0xb", "Scavenge", 5), line("0xb", "Scavenge", 7), line("0xb", "Scavenge", 4)], { isolates: 1, baselineMB: 5, endMB: 7 }],
    ["a scavenge-only thread that shrank counts zero, not less", ["MARK\n", line("0xb", "Scavenge", 8), line("0xb", "Scavenge", 3)], { isolates: 1, baselineMB: 8, endMB: 8 }],
    ["two threads add up", [line("0xa", "Mark-Compact", 10), line("0xb", "Scavenge", 5), "MARK\n", line("0xa", "Mark-Compact", 11), line("0xb", "Scavenge", 6), line("0xa", "Mark-Compact", 13), line("0xb", "Scavenge", 9)], { isolates: 2, baselineMB: 17, endMB: 22 }],
  ];
  it.each(cases)("%s", (_name, parts, expected) => {
    const text = parts.join("");
    const mark = text.indexOf("MARK\n");
    expect(liveHeapGrowth(parseTraceGc(text), mark)).toEqual(expected);
  });
});
