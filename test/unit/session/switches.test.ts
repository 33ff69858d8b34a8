// One spelling of on and off for every TSLOOP_* switch.
import { describe, expect, it } from "vitest";
import { switchedOff, switchedOn } from "../../../src/session/switches.js";

describe("environment switches", () => {
  it.each([
    [undefined, false, false],
    ["", false, false],
    ["off", true, false],
    ["OFF", true, false],
    ["0", true, false],
    ["false", true, false],
    ["no", true, false],
    ["on", false, true],
    ["Yes", false, true],
    ["1", false, true],
    ["true", false, true],
    ["maybe", false, false],
    [" off", false, false],
  ])("%j is off: %s, on: %s", (value, off, on) => {
    expect(switchedOff(value)).toBe(off);
    expect(switchedOn(value)).toBe(on);
  });
});
