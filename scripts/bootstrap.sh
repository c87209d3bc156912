#!/usr/bin/env bash
# Install what the site needs into .venv (Python) and node_modules (KaTeX; axe-core for the
# accessibility tests), from the lock files.
# Re-runs only when a lock file changes, so it is cheap to call before every command.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
if [ -z "$python_bin" ] || ! "$python_bin" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "bootstrap: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: Node.js (node and npm) is required: the build renders math with KaTeX." >&2
  exit 1
fi

stamp=.venv/.lessonkit-installed
wanted="$(cat requirements.lock pyproject.toml package-lock.json | sha256sum | cut -d' ' -f1)"
if [ -x .venv/bin/python ] && [ -d node_modules/katex ] && [ -d node_modules/axe-core ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  exit 0
fi

echo "bootstrap: installing Python packages into .venv and KaTeX into node_modules ..."
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
echo "bootstrap: done"
