#!/usr/bin/env bash
# tsloop in a real JupyterLab 4.6 (see docs/jupyterlab.md). CI calls this after the root `npm ci` and `npm test`
# (which build dist/); it needs Debian's python3-jupyterlab-server, python3-ipykernel and chromium.
#   1. npm ci in test/jupyterlab — skipped while node_modules matches the lockfile (a stamp holds its hash);
#   2. the webpack build — skipped while the build matches the lockfile and the sources (build.mjs's stamp);
#   3. the UI tests (vitest, tests/*.spec.ts), JUnit XML to test-artifacts/jupyterlab.xml.
# Extra arguments go to vitest, e.g. `test/jupyterlab/run.sh tests/timeline.spec.ts`.
set -euo pipefail
APP="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$APP/../.." && pwd)"
cd "$ROOT"
started=$SECONDS

if ! /usr/bin/python3 -c 'import jupyterlab_server, ipykernel' 2>/dev/null || [ ! -x /usr/bin/chromium ]; then
  echo "jupyterlab: missing Debian packages: apt-get install -y python3-jupyterlab-server python3-jupyter-server python3-ipykernel chromium" >&2
  [ -n "${CI:-}" ] && exit 1
fi
if [ ! -f dist/cli/kernel-command.js ]; then
  echo "== jupyterlab: building the kernel (dist/ is missing)"
  npm run build
fi

echo "== jupyterlab: npm ci (test/jupyterlab)"
lock_hash="$( (sha256sum "$APP/package-lock.json"; node --version) | sha256sum | cut -d' ' -f1)"
stamp="$APP/node_modules/.tsloop-lockfile-hash"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  echo "node_modules matches package-lock.json (stamp ${lock_hash:0:12}); skipped"
else
  (cd "$APP" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" >"$stamp"
fi

echo "== jupyterlab: webpack build"
(cd "$APP" && node build.mjs)
echo "setup took $((SECONDS - started)) s"

echo "== jupyterlab: UI tests (playwright-core + Debian's Chromium)"
mkdir -p test-artifacts/jupyterlab
rm -f test-artifacts/jupyterlab/*.png test-artifacts/jupyterlab/*.log
status=0
"$ROOT/node_modules/.bin/vitest" run --config "$APP/vitest.config.ts" \
  --reporter=default --reporter=junit --outputFile.junit="$ROOT/test-artifacts/jupyterlab.xml" "$@" || status=$?

echo "screenshots: $ROOT/test-artifacts/jupyterlab/*.png (server logs: *-server.log)"
ls -1 test-artifacts/jupyterlab/*.png 2>/dev/null | sed 's/^/  /' || true
echo "jupyterlab: done in $((SECONDS - started)) s (exit $status)"
exit "$status"
