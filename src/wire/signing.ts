// HMAC signing of Jupyter messages: computed over the four raw JSON frames (header, parent header,
// metadata, content) — never over buffers — and compared in constant time. An empty key means unsigned.
// A bounded history of seen signatures rejects replays, as jupyter_client's Session does.
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureScheme = "hmac-sha256" | "hmac-sha384" | "hmac-sha512" | "hmac-sha1" | "hmac-md5";

const SUPPORTED: Record<string, string> = {
  "hmac-sha256": "sha256",
  "hmac-sha384": "sha384",
  "hmac-sha512": "sha512",
  "hmac-sha1": "sha1",
  "hmac-md5": "md5",
};

export function isSupportedScheme(scheme: string): scheme is SignatureScheme {
  return Object.hasOwn(SUPPORTED, scheme);
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Signs outgoing frames and verifies incoming ones for one connection key. */
export class Signer {
  private readonly algorithm: string;
  private readonly key: Buffer;
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  constructor(scheme: string, key: string, private readonly historySize = 2 ** 16) {
    const algorithm = SUPPORTED[scheme];
    if (algorithm === undefined) {
      throw new Error(`unsupported signature_scheme ${JSON.stringify(scheme)}; expected one of ${Object.keys(SUPPORTED).join(", ")}`);
    }
    this.algorithm = algorithm;
    this.key = Buffer.from(key, "utf8");
  }

  get signs(): boolean {
    return this.key.length > 0;
  }

  /** Hex signature of the four JSON frames, or "" when unsigned. */
  sign(frames: readonly Buffer[]): string {
    if (!this.signs) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  /** Checks a received signature against the raw frames as they arrived, and records it against replay. */
  verify(signature: Buffer, frames: readonly Buffer[]): VerifyResult {
    if (!this.signs) return { ok: true };
    const expected = Buffer.from(this.sign(frames), "ascii");
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      return { ok: false, reason: "invalid signature" };
    }
    const text = signature.toString("ascii");
    if (this.seen.has(text)) return { ok: false, reason: "replayed signature" };
    this.seen.add(text);
    this.order.push(text);
    if (this.order.length > this.historySize) {
      const oldest = this.order.shift();
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return { ok: true };
  }
}
