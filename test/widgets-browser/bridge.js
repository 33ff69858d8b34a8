// The page's side of the live widget test: an HTMLManager (@jupyter-widgets/html-manager, the ipywidgets 8
// renderer) whose comms reach the kernel through the test process. The test calls __fromKernel(msg) for each
// iopub message, in order (anywidget models load the `anywidget` npm package's front end); comm sends go out through __toKernel (a Playwright binding) and __idle(id) reports
// that the kernel finished handling one (the models' message throttle waits for it, as in JupyterLab).
(function () {
  "use strict";
  const MIME = "application/vnd.jupyter.widget-view+json";
  const { HTMLManager } = window.amdRequire("@jupyter-widgets/html-manager");
  const comms = new Map();
  const pending = new Map();
  let seq = 0;
  const toBase64 = (b) => {
    const bytes = b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    let s = "";
    for (const x of bytes) s += String.fromCharCode(x);
    return btoa(s);
  };
  const fromBase64 = (text) => {
    const s = atob(text);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return new DataView(bytes.buffer);
  };

  class Comm {
    constructor(commId, targetName) {
      this.comm_id = commId;
      this.target_name = targetName;
      this.onMsg = undefined;
      this.onClose = undefined;
    }
    on_msg(cb) {
      this.onMsg = cb;
    }
    on_close(cb) {
      this.onClose = cb;
    }
    open() {
      throw new Error("this test frontend does not open comms");
    }
    send(data, callbacks, metadata, buffers) {
      const id = "page-" + ++seq;
      if (callbacks) pending.set(id, callbacks);
      void window.__toKernel({ id, type: "comm_msg", comm_id: this.comm_id, data, buffers: (buffers || []).map(toBase64) });
      return id;
    }
    close(data) {
      const id = "page-" + ++seq;
      void window.__toKernel({ id, type: "comm_close", comm_id: this.comm_id, data: data || {}, buffers: [] });
      return id;
    }
  }

  class LiveManager extends HTMLManager {
    _create_comm() {
      return Promise.reject(new Error("widgets created in the frontend are not supported by this test page"));
    }
    _get_comm_info() {
      return Promise.resolve({});
    }
  }
  // Modules beyond base/controls/output: the anywidget front end (its AMD build, which needs @jupyter-widgets/base).
  // Loaded once: the model and view classes share the module's state (anywidget keeps its runtimes in a WeakMap).
  let anywidget;
  const loader = (moduleName) => {
    if (moduleName !== "anywidget") return Promise.reject(new Error("no module " + moduleName + " in this test page"));
    anywidget ??= fetch("anywidget.js")
      .then((response) => response.text())
      .then((text) => {
        let exported;
        const define = (deps, factory) => {
          exported = factory(...deps.map((d) => window.amdRequire(d)));
        };
        new Function("define", text)(define);
        return exported;
      });
    return anywidget;
  };
  const manager = new LiveManager({ loader });
  window.__manager = manager;
  window.__errors = [];
  window.addEventListener("error", (e) => window.__errors.push(String(e.message)));

  window.__fromKernel = async (msg) => {
    msg.buffers = (msg.buffers || []).map(fromBase64);
    const type = msg.header.msg_type;
    const content = msg.content;
    if (type === "comm_open" && content.target_name === "jupyter.widget") {
      const comm = new Comm(content.comm_id, content.target_name);
      comms.set(content.comm_id, comm);
      await manager.handle_comm_open(comm, msg);
    } else if (type === "comm_msg") {
      const comm = comms.get(content.comm_id);
      if (comm && comm.onMsg) await comm.onMsg(msg);
    } else if (type === "comm_close") {
      const comm = comms.get(content.comm_id);
      comms.delete(content.comm_id);
      if (comm && comm.onClose) comm.onClose(msg);
    } else if ((type === "display_data" || type === "execute_result") && content.data && content.data[MIME]) {
      const el = document.createElement("div");
      el.className = "output";
      el.dataset.modelId = content.data[MIME].model_id;
      document.getElementById("outputs").appendChild(el);
      const model = await manager.get_model(content.data[MIME].model_id);
      await manager.display_view(manager.create_view(model), el);
    }
  };

  window.__idle = (id) => {
    const callbacks = pending.get(id);
    pending.delete(id);
    const status = callbacks && callbacks.iopub && callbacks.iopub.status;
    if (status) status({ header: { msg_type: "status" }, parent_header: {}, metadata: {}, content: { execution_state: "idle" } });
  };
})();
