// The Jupyter user data dir and the kernel's history file in it, computed as jupyter_core does: an empty
// variable counts as unset, so an empty JUPYTER_DATA_DIR never puts the history in the working directory.
import { describe, expect, it } from "vitest";
import { type PathEnv, historyFileFor, userDataDir } from "../../../src/cli/jupyter-paths.js";

const linux = (env: NodeJS.ProcessEnv = {}): PathEnv => ({ env, platform: "linux", home: "/home/ada" });

describe("the Jupyter user data dir", () => {
  const table: [string, PathEnv, string][] = [
    ["Linux default", linux(), "/home/ada/.local/share/jupyter"],
    ["JUPYTER_DATA_DIR", linux({ JUPYTER_DATA_DIR: "/jd" }), "/jd"],
    ["empty JUPYTER_DATA_DIR counts as unset", linux({ JUPYTER_DATA_DIR: "" }), "/home/ada/.local/share/jupyter"],
    ["XDG_DATA_HOME", linux({ XDG_DATA_HOME: "/xdg" }), "/xdg/jupyter"],
    ["empty XDG_DATA_HOME counts as unset", linux({ XDG_DATA_HOME: "" }), "/home/ada/.local/share/jupyter"],
    ["macOS", { env: {}, platform: "darwin", home: "/Users/ada" }, "/Users/ada/Library/Jupyter"],
  ];
  it.each(table)("%s", (_name, env, expected) => {
    expect(userDataDir(env)).toBe(expected);
  });
});

describe("the kernel's history file", () => {
  const table: [string, PathEnv, string | null][] = [
    ["in the user data dir", linux(), "/home/ada/.local/share/jupyter/tsloop/history.jsonl"],
    ["under JUPYTER_DATA_DIR", linux({ JUPYTER_DATA_DIR: "/jd" }), "/jd/tsloop/history.jsonl"],
    ["not in the working directory when JUPYTER_DATA_DIR is empty", linux({ JUPYTER_DATA_DIR: "" }), "/home/ada/.local/share/jupyter/tsloop/history.jsonl"],
    ["off with TSLOOP_HISTORY=off", linux({ TSLOOP_HISTORY: "off" }), null],
    ["off with TSLOOP_HISTORY=0", linux({ TSLOOP_HISTORY: "0" }), null],
    ["kept with TSLOOP_HISTORY=on", linux({ TSLOOP_HISTORY: "on" }), "/home/ada/.local/share/jupyter/tsloop/history.jsonl"],
  ];
  it.each(table)("%s", (_name, env, expected) => {
    expect(historyFileFor(env)).toBe(expected);
  });
});
