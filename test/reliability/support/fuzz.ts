// A seeded generator of malformed and hostile Jupyter messages, each with what the kernel must do with it:
// drop it with one log line, ignore an unknown type with one log line, or answer it. Every message that must
// not run carries code with a side effect (a global and a file), so a test can prove none of them ran.
import type { Header, JSONObject } from "../../../src/protocol/messages.js";
import { newHeader } from "../../../src/protocol/messages.js";
import { DELIMITER } from "../../../src/wire/frames.js";
import { Signer } from "../../../src/wire/signing.js";

export type FuzzChannel = "shell" | "control";

/** What the kernel must do with a message. */
export type Expect =
  | { kind: "drop" }
  | { kind: "unknown" }
  /** a request: exactly one reply (status ok or error) */
  | { kind: "reply" }
  /** a comm message: busy and idle, no reply */
  | { kind: "quiet" };

export interface Fuzzed {
  channel: FuzzChannel;
  frames: Buffer[];
  category: string;
  expect: Expect;
  /** the header, for messages the kernel decodes (so the client accepts their replies) */
  header?: Header;
  /** a correctly signed execute_request with real code: it must run exactly once */
  countsAsValidExecute?: boolean;
}

/** Names of the side effects: forged code sets FORGED_GLOBAL and writes FORGED_FILE in the kernel's cwd. */
export const FORGED_GLOBAL = "__tsloop_fuzz_forged";
export const FORGED_FILE = "fuzz-forged-code-ran.txt";
export const VALID_GLOBAL = "__tsloop_fuzz_valid";

const FORGED_CODE = `// @ts-nocheck\nglobalThis.${FORGED_GLOBAL} = (globalThis.${FORGED_GLOBAL} ?? 0) + 1; require("node:fs").writeFileSync(${JSON.stringify(FORGED_FILE)}, "ran");`;
const VALID_CODE = `(globalThis as any).${VALID_GLOBAL} = ((globalThis as any).${VALID_GLOBAL} ?? 0) + 1;`;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD_VALUES: unknown[] = [null, 0, -1, 1e308, -0.5, 2 ** 53 + 1, "", "x", "😀\u0000\ud800", true, [], [1, "a"], {}, { a: { b: [] } }];
const WEIRD_TYPES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "execute_reply",
  "EXECUTE_REQUEST",
  "execute_request ",
  "",
  "status",
  "stream",
  "create_subshell_request",
  "kernel_info_request\u0000",
  "ü".repeat(300),
];

export class Fuzzer {
  readonly rand: () => number;
  private readonly signer: Signer;
  private readonly accepted: { channel: FuzzChannel; frames: Buffer[] }[] = [];
  private n = 0;

  constructor(
    readonly seed: number,
    key: string,
    private readonly session: string,
  ) {
    this.rand = prng(seed);
    this.signer = new Signer("hmac-sha256", key);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)] as T;
  }

  private bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = Math.floor(this.rand() * 256);
    return b;
  }

  private header(msgType: string): Header {
    return newHeader(msgType, { session: this.session, username: "fuzz" });
  }

  private json(header: unknown, content: unknown, parent: unknown = {}, metadata: unknown = {}): Buffer[] {
    return [header, parent, metadata, content].map((p) => Buffer.from(JSON.stringify(p) ?? "null", "utf8"));
  }

  private signed(json: Buffer[], identities: Buffer[] = []): Buffer[] {
    return [...identities, DELIMITER, Buffer.from(this.signer.sign(json), "ascii"), ...json];
  }

  private forgedExecute(): { header: Header; json: Buffer[] } {
    const header = this.header(this.pick(["execute_request", "execute_request", "shutdown_request", "interrupt_request"]));
    const content = { code: FORGED_CODE, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true, restart: false };
    return { header, json: this.json(header, content) };
  }

  private channel(): FuzzChannel {
    return this.rand() < 0.3 ? "control" : "shell";
  }

  /** The next message: mostly ones to drop, some unknown types, some odd but valid requests. */
  next(): Fuzzed {
    this.n++;
    const r = this.rand();
    if (r < 0.78) return this.dropped();
    if (r < 0.88) return this.unknownType();
    return this.oddRequest();
  }

  private dropped(): Fuzzed {
    const channel = this.channel();
    const drop = { kind: "drop" } as const;
    const { json } = this.forgedExecute();
    const variant = this.int(0, 9);
    switch (variant) {
      case 0: {
        const frames = Array.from({ length: this.int(1, 10) }, () => this.bytes(this.int(0, 200)));
        return { channel, frames, category: "random frames", expect: drop };
      }
      case 1:
        return { channel, frames: this.signed(json).slice(1), category: "missing delimiter", expect: drop };
      case 2: {
        const frames = this.signed(json);
        return { channel, frames: frames.slice(0, this.int(1, frames.length - 1)), category: "truncated", expect: drop };
      }
      case 3: {
        const good = this.signer.sign(json);
        const bad = this.pick([
          good.replace(/^./, (c) => (c === "0" ? "1" : "0")),
          good.toUpperCase() === good ? `${good}0` : good.toUpperCase(),
          good.slice(0, 32),
          "",
          this.bytes(32).toString("hex"),
          this.bytes(64).toString("binary"),
        ]);
        return { channel, frames: [DELIMITER, Buffer.from(bad, "binary"), ...json], category: "wrong signature", expect: drop };
      }
      case 4: {
        const other = new Signer("hmac-sha256", this.pick([this.bytes(16).toString("hex"), " ", "key", "k"]));
        return { channel, frames: [DELIMITER, Buffer.from(other.sign(json), "ascii"), ...json], category: "signed with another key", expect: drop };
      }
      case 5: {
        const earlier = this.accepted.filter((a) => a.channel === channel);
        if (earlier.length === 0) return this.dropped();
        return { channel, frames: this.pick(earlier).frames, category: "replayed signature", expect: drop };
      }
      case 6: {
        // Correctly signed, so only JSON parsing can reject it.
        const bad = [...json];
        bad[this.int(0, 3)] = this.pick([Buffer.from('{"msg_id": "x", '), Buffer.from(""), this.bytes(this.int(1, 50)), Buffer.from("{'single': 'quotes'}"), Buffer.from("NaN")]);
        return { channel, frames: this.signed(bad), category: "non-JSON frame (signed)", expect: drop };
      }
      case 7: {
        const base = this.header("execute_request") as unknown as Record<string, unknown>;
        const field = this.pick(["msg_id", "msg_type", "session"]);
        const header = this.pick<unknown>([
          { ...base, [field]: this.pick(WEIRD_VALUES.filter((v) => typeof v !== "string")) },
          (({ [field]: _drop, ...rest }) => rest)(base),
          [],
          "execute_request",
          42,
          null,
        ]);
        return { channel, frames: this.signed(this.json(header, { code: FORGED_CODE })), category: "wrong types in header (signed)", expect: drop };
      }
      case 8: {
        const header = this.header("execute_request");
        const slot = this.int(1, 3);
        const parts: unknown[] = [header, {}, {}, { code: FORGED_CODE }];
        parts[slot] = this.pick([[], "text", 7, null, true]);
        return { channel, frames: this.signed(this.json(parts[0], parts[3], parts[1], parts[2])), category: "parent/metadata/content not an object (signed)", expect: drop };
      }
      default: {
        // Valid-looking identities and a delimiter inside them, then a forged message.
        const frames = [this.bytes(this.int(1, 8)), DELIMITER, Buffer.from("0".repeat(64)), ...json];
        return { channel, frames, category: "delimiter among identities", expect: drop };
      }
    }
  }

  private unknownType(): Fuzzed {
    const channel = this.channel();
    const msgType = this.rand() < 0.5 ? this.pick(WEIRD_TYPES) : channel === "control" ? this.pick(["execute_request", "complete_request", "comm_open"]) : `fuzz_${this.bytes(4).toString("hex")}_request`;
    const header = this.header(msgType);
    const frames = this.signed(this.json(header, { code: FORGED_CODE }));
    this.accepted.push({ channel, frames });
    return { channel, frames, category: "unknown msg_type (signed)", expect: { kind: "unknown" }, header };
  }

  private oddRequest(): Fuzzed {
    const w = () => this.pick(WEIRD_VALUES);
    const s = () => (this.rand() < 0.5 ? w() : this.pick(["Math.ma", "const x = ", "😀.", "\ud800", "a".repeat(this.int(0, 3000)), "x.y.z(", "}"]));
    const kinds: [FuzzChannel, string, () => JSONObject][] = [
      ["shell", "kernel_info_request", () => ({ anything: w() })],
      ["control", "kernel_info_request", () => ({ anything: w() })],
      // A debug_request is answered on control (the debugger, docs/debugger.md), whatever its DAP content.
      ["control", "debug_request", () => ({ seq: w(), type: this.pick<unknown>(["request", w()]), command: this.pick<unknown>(["initialize", "debugInfo", "inspectVariables", "nope", w()]), arguments: w() })],
      ["shell", "execute_request", () => ({ code: this.pick([42, null, [], {}, true]), silent: w(), store_history: w(), user_expressions: w(), allow_stdin: w(), stop_on_error: w() })],
      ["shell", "execute_request", () => ({ code: VALID_CODE, silent: w(), store_history: w(), user_expressions: this.pick<unknown>([w(), { a: "1 +" }, { b: 5 }]), allow_stdin: false, stop_on_error: w() })],
      ["shell", "complete_request", () => ({ code: s(), cursor_pos: w() })],
      ["shell", "inspect_request", () => ({ code: s(), cursor_pos: w(), detail_level: w() })],
      ["shell", "is_complete_request", () => ({ code: s() })],
      ["shell", "history_request", () => ({ hist_access_type: this.pick<unknown>(["tail", "range", "search", "nope", w()]), n: w(), start: w(), stop: w(), session: w(), pattern: this.pick<unknown>(["*", "[", "**(", w()]), unique: w(), output: w(), raw: w() })],
      ["shell", "comm_info_request", () => ({ target_name: w() })],
      ["shell", "comm_open", () => ({ comm_id: w(), target_name: w(), data: w() })],
      ["shell", "comm_msg", () => ({ comm_id: w(), data: w() })],
      ["shell", "comm_close", () => ({ comm_id: w(), data: w() })],
    ];
    const [channel, msgType, content] = this.pick(kinds);
    const header = this.header(msgType);
    const metadata = this.pick<unknown>([{}, { cellId: w() }, { deletedCells: w() }]);
    const identities = Array.from({ length: this.int(0, 2) }, () => Buffer.from(`id${this.int(0, 999)}`));
    const c = content();
    const frames = this.signed(this.json(header, c, this.pick<unknown>([{}, this.header("execute_request"), { msg_id: 5 }]), metadata), identities);
    this.accepted.push({ channel, frames });
    const countsAsValidExecute = msgType === "execute_request" && c.code === VALID_CODE;
    return {
      channel,
      frames,
      category: `odd ${msgType} (signed)`,
      expect: msgType.endsWith("_request") ? { kind: "reply" } : { kind: "quiet" },
      header,
      ...(countsAsValidExecute ? { countsAsValidExecute } : {}),
    };
  }

  /** A message with one huge frame and a forged signature: the kernel must drop it and stay small. */
  huge(bytes: number): Fuzzed {
    const { json } = this.forgedExecute();
    const frames = [DELIMITER, Buffer.from("f".repeat(64)), ...json.slice(0, 3), Buffer.alloc(bytes, 0x7b)];
    return { channel: this.channel(), frames, category: "huge frame", expect: { kind: "drop" } };
  }
}
