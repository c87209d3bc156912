#!/usr/bin/env bash
# Install what is needed, then build the site and serve it at http://127.0.0.1:8000 with live reload.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export NO_MKDOCS_2_WARNING=1
exec .venv/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000 "$@"
