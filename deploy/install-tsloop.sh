#!/usr/bin/env bash
# Installs tsloop for every user of a machine or a container image (a JupyterHub classroom): the package in
# PREFIX/lib/node_modules/tsloop (npm's global layout), `tsloop` in PREFIX/bin, the kernelspec in
# PREFIX/share/jupyter/kernels/tsloop (on every Jupyter's default search path when PREFIX is /usr/local), all
# readable by every uid. Then it proves that an unprivileged user (nobody) can run a cell with it.
# The Dockerfile beside it runs exactly this script; CI runs it on a plain Debian machine, so the recipe cannot rot.
#
# usage: deploy/install-tsloop.sh PACKAGE [PREFIX]
#   PACKAGE  what `npm install` takes: a tarball from `npm pack` (tsloop-X.Y.Z.tgz) or a registry spec
#   PREFIX   default /usr/local
# Runs as root (it writes under PREFIX and switches to `nobody` for the check). Node must already be installed
# where every user can run it (/usr/bin/node or /usr/local/bin/node; not under root's home or an nvm dir): the
# kernelspec names this `node` by absolute path.
set -euo pipefail

package=${1:?usage: install-tsloop.sh PACKAGE [PREFIX]}
prefix=${2:-/usr/local}
# The system's Node, not one a project put first on PATH (npm run, npx: node_modules/.bin), which would be pinned
# in the kernelspec at a path students may not reach.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v '/node_modules/' | paste -sd: -)
node=$(command -v node) || { echo "install-tsloop.sh: no node on PATH" >&2; exit 1; }
node=$(readlink -f "$node")
root="$prefix/lib/node_modules/tsloop"

# --ignore-scripts: the only install script among tsloop's dependencies is zeromq's, which builds the native
# addon from source when no prebuilt one fits; zeromq ships prebuilt addons for Linux x64/arm64 (glibc and musl),
# and npm 11 skips a global install's scripts unless allowed anyway. The check below fails if the addon is missing.
umask 022
npm install --global --prefix "$prefix" --omit=dev --ignore-scripts --no-audit --no-fund "$package"
chmod -R a+rX "$root"
"$node" "$root/kernel/tsloop.js" install --prefix "$prefix"
chmod -R a+rX "$prefix/share/jupyter/kernels/tsloop"

# The check: as `nobody`, run a typed cell through a real kernel (zeromq, the type checker, the launcher).
if [ "$(id -u)" != 0 ]; then
  echo "install-tsloop.sh: not root: skipping the check that an unprivileged user can run the kernel" >&2
  exit 0
fi
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
chmod 755 "$check"
cat >"$check/check.ipynb" <<'NB'
{"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
  "source": ["const n: number = await Promise.resolve(21);\n", "console.log(`tsloop works for ${n * 2}`);"]}],
 "metadata": {"kernelspec": {"display_name": "TypeScript (tsloop)", "language": "typescript", "name": "tsloop"}},
 "nbformat": 4, "nbformat_minor": 5}
NB
chmod 644 "$check/check.ipynb"
out=$(cd "$check" && runuser -u nobody -- env HOME="$check" TSLOOP_HISTORY=off "$node" "$root/kernel/tsloop.js" run --no-color "$check/check.ipynb" 2>&1) || {
  echo "install-tsloop.sh: user nobody cannot run a cell with $root:" >&2
  echo "$out" >&2
  exit 1
}
grep -q "tsloop works for 42" <<<"$out" || { echo "install-tsloop.sh: unexpected output from the check cell:" >&2; echo "$out" >&2; exit 1; }
echo "install-tsloop.sh: tsloop installed in $root, kernelspec in $prefix/share/jupyter/kernels/tsloop; user nobody ran a cell with it"
