#!/usr/bin/env bash
# Install what is needed, then run the whole test suite (extra arguments go to pytest).
#   bash scripts/test.sh --fast   only the unit tier: in-process tests for an author's inner loop
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1

# Browser tests use Debian's Chromium when present; elsewhere Playwright's own browser.
if [ -z "${LESSONKIT_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "test: /usr/bin/chromium not found; installing Playwright's Chromium instead" >&2
  .venv/bin/python -m playwright install chromium
fi

if [ "${1:-}" = "--fast" ]; then
  shift
  exec .venv/bin/python -m pytest -m unit -q "$@"
fi

.venv/bin/ruff check scripts tests snippets
.venv/bin/ruff format --check scripts tests snippets
# The suite's own time and its slowest tests, in CI's log too.
exec .venv/bin/python -m pytest --durations=25 "$@"
