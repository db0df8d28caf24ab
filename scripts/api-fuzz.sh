#!/usr/bin/env bash
# Schemathesis against `folio serve` and docs/openapi.json: every check, every
# phase (examples, coverage, fuzzing, stateful), positive and negative data.
# Installs schemathesis into a virtual environment on first use, starts the
# reference server on a free loopback port with a fresh seeded database, and
# stops it however the run ends. Exits non-zero on any failure.
#
#   bash scripts/api-fuzz.sh [MAX_EXAMPLES] [MAX_SECONDS]    # default 100 and 1200
#
# .ci/run runs it with 10 examples per operation. What the schema cannot say
# (a date range's order, the seeded store's state) is in
# scripts/schemathesis/folio_hooks.py, one narrow rule each.
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${1:-100} seconds=${2:-1200}
version=4.32.5
venv=${FOLIO_SCHEMATHESIS_VENV:-.build/schemathesis-venv}

# Python 3.12 or later where there is one: 3.11's ast module fails now and
# then under schemathesis' parallel workers ("AST constructor recursion depth
# mismatch"). pyenv's versions are looked for too, since its shims hide them.
python=""
for candidate in python3.13 python3.12 $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -r); do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then python=$candidate; break; fi
done
workers=2
if [ -z "$python" ]; then python=python3 workers=1; fi
if ! [ -x "$venv/bin/st" ] || [ "$("$venv/bin/st" --version 2>/dev/null)" != "st, version $version" ]; then
    echo "api-fuzz: installing schemathesis $version into $venv"
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$version"
fi

swift build --product folio >/dev/null
folio="$(swift build --show-bin-path)/folio"
work=$(mktemp -d)
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The OAuth client is the one docs/openapi.json's example names: its grant is an example like the others.
FOLIO_SERVE_TOKENS=$token FOLIO_SERVE_CLIENTS=erp:s3cret "$folio" serve --seed 300 --port 0 --db "$work/store.sqlite" --log-level error \
    >"$work/serve.out" 2>"$work/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
deadline=$((SECONDS + 120))
until grep -q '^listening on ' "$work/serve.out"; do
    if ! kill -0 $server 2>/dev/null || ((SECONDS > deadline)); then
        echo "api-fuzz: the server did not start" >&2
        cat "$work/serve.err" >&2
        exit 1
    fi
    sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")

started=$SECONDS
status=0
PYTHONPATH=scripts/schemathesis SCHEMATHESIS_HOOKS=folio_hooks timeout $((seconds + 120)) \
    "$venv/bin/st" --config-file scripts/schemathesis/schemathesis.toml run docs/openapi.json \
    --url "$url" --header "Authorization: Bearer $token" \
    --checks all --phases examples,coverage,fuzzing,stateful --mode all \
    --max-examples "$examples" --max-time "$seconds" --workers $workers \
    --generation-database none --no-color --output-sanitize true || status=$?
echo
echo "bash scripts/api-fuzz.sh $examples $seconds  — $(date -u +%Y-%m-%d), $(nproc) cores, $((SECONDS - started)) s, exit $status"
exit $status
