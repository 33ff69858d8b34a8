// A minimal AMD loader: enough for @jupyter-widgets/html-manager's prebuilt dist/libembed-amd.js, which defines
// all its modules by name in one file (base, controls, html-manager). Anonymous defines are ignored.
(function () {
  "use strict";
  const defined = new Map();
  const loaded = new Map();
  function req(name) {
    const done = loaded.get(name);
    if (done) return done.exports;
    const def = defined.get(name);
    if (!def) throw new Error("AMD module not defined: " + name);
    const module = { id: name, exports: {}, config: () => ({}) };
    loaded.set(name, module);
    const args = def.deps.map((d) => (d === "module" ? module : d === "exports" ? module.exports : d === "require" ? req : req(d)));
    const result = typeof def.factory === "function" ? def.factory(...args) : def.factory;
    if (result !== undefined) module.exports = result;
    return module.exports;
  }
  function define(name, deps, factory) {
    if (typeof name !== "string") return;
    if (!Array.isArray(deps)) {
      factory = deps;
      deps = [];
    }
    defined.set(name, { deps, factory });
  }
  define.amd = {};
  window.define = define;
  window.requirejs = (names, ok, fail) => {
    try {
      ok(...names.map(req));
    } catch (err) {
      if (fail) fail(err);
    }
  };
  window.amdRequire = req;
})();
