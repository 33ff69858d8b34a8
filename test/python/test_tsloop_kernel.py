"""jupyter_kernel_test's conformance suite run against the tsloop kernels: `tsloop` with TypeScript samples and
`tsloop-js` (the same kernel, JavaScript cells) with JavaScript samples.

Run with Debian's Python (it has jupyter_client and jupyter_kernel_test):

    npm run build && /usr/bin/python3 -m pytest -v test/python
    # or: /usr/bin/python3 -m unittest -v test/python/test_tsloop_kernel.py

Unless TSLOOP_KERNELSPEC_READY=1 says the `tsloop` and `tsloop-js` kernelspecs are already on JUPYTER_PATH, this module installs it
with `tsloop install --prefix <temp dir>` and points JUPYTER_PATH (and the data and runtime dirs) there, so it
never touches the user's Jupyter setup.
"""

import atexit
import os
import shutil
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _install_kernelspec():
    if os.environ.get("TSLOOP_KERNELSPEC_READY") == "1":
        return
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH; the tsloop kernel needs Node.js 20")
    if not os.path.exists(os.path.join(REPO, "dist", "cli", "kernel-command.js")):
        raise RuntimeError("dist/ is missing: run `npm run build` first")
    tmp = tempfile.mkdtemp(prefix="tsloop-kernel-test-")
    atexit.register(shutil.rmtree, tmp, True)
    subprocess.run([node, os.path.join(REPO, "kernel", "tsloop.js"), "install", "--prefix", tmp], check=True)
    os.environ["JUPYTER_PATH"] = os.path.join(tmp, "share", "jupyter")
    os.environ["JUPYTER_DATA_DIR"] = os.path.join(tmp, "data")
    os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(tmp, "runtime")
    os.environ["TSLOOP_KERNELSPEC_READY"] = "1"


_install_kernelspec()

import jupyter_kernel_test  # noqa: E402  (after JUPYTER_PATH is set)


class TsloopKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tsloop"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("oops")'

    completion_samples = [
        {"text": "const abcdef = 1; abcd", "matches": {"abcdef"}},
        {"text": "Math.ma", "matches": {"max"}},
    ]

    complete_code_samples = [
        "1 + 1",
        "const x = 1;",
        "function f(a: number): number { return a * 2; }",
        "for (let i = 0; i < 3; i++) {}",
    ]
    incomplete_code_samples = [
        "function f() {",
        "const a = [1, 2,",
        "if (true) {",
        "const s = `unfinished",
    ]
    invalid_code_samples = [
        "}",
        "const = 1;",
    ]

    # tsloop has no pager payloads.
    code_page_something = ""

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
    ]

    code_display_data = [
        {"code": 'display(html("<b>hi</b>"))', "mime": "text/html"},
    ]

    # IPython-style glob over the history; matches "6 * 7" above.
    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


class TsloopJavaScriptKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "tsloop-js"
    language_name = "javascript"
    file_extension = ".js"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'process.stderr.write("oops\\n")'

    completion_samples = [
        {"text": "const abcdef = 1; abcd", "matches": {"abcdef"}},
        {"text": "Math.ma", "matches": {"max"}},
        {"text": 'const fs = require("node:fs"); fs.readFileS', "matches": {"readFileSync"}},
    ]

    complete_code_samples = [
        "1 + 1",
        "const x = 1;",
        "function f(a) { return a * 2; }",
        "for (let i = 0; i < 3; i++) {}",
    ]
    incomplete_code_samples = [
        "function f() {",
        "const a = [1, 2,",
        "if (true) {",
        "const s = `unfinished",
    ]
    invalid_code_samples = [
        "}",
        "const = 1;",
    ]

    code_page_something = ""

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "[1, 2, 3].map((n) => n * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": 'require("tslab").isJupyterEnv()', "result": "true"},
    ]

    code_display_data = [
        {"code": 'display(html("<b>hi</b>"))', "mime": "text/html"},
        {"code": 'require("tslab").display.markdown("**hi**")', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 ?*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = "clearOutput()"


if __name__ == "__main__":
    unittest.main()
