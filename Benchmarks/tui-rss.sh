#!/usr/bin/env bash
# Resident memory of the terminal interface while paging a large store.
#
#   swift build -c release --product folio
#   Benchmarks/tui-rss.sh /tmp/bench-1m.sqlite 300
#
# DB is a reference-server database (folio-server-bench makes a million-invoice
# one, see BENCHMARKS.md). Starts `folio serve` on it, opens `folio` (200 rows
# a page) in a 200×60 tmux window, pages forward PAGES times — waiting for each
# page to be on screen — then jumps to the last page and back to the first,
# sampling VmRSS of the folio process after every step.
set -euo pipefail
db=${1:?usage: tui-rss.sh DB [PAGES]}
pages=${2:-300}
bin=${FOLIO_BIN:-.build/release/folio}
work=$(mktemp -d)
sock=folio-rss-$$
trap 'tmux -L $sock kill-server 2>/dev/null || true; kill $server 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" serve --db "$db" --port 0 --token T --log-level error > "$work/serve.out" &
server=$!
for _ in $(seq 1 200); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.05; done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
mkdir -p "$work/config/folio"
echo "page_size: 200" > "$work/config/folio/config.yaml"

tmux -L $sock -f /dev/null new-session -d -x 200 -y 60 \
    "env FOLIO_BASE_URL=$url FOLIO_TOKEN=T XDG_CONFIG_HOME=$work/config TERM=xterm-256color LANG=C.UTF-8 $bin"
wait_for() {  # polls the screen for a pattern, 30 s at most
    for _ in $(seq 1 600); do tmux -L $sock capture-pane -p | grep -q -- "$1" && return 0; sleep 0.05; done
    echo "timed out waiting for: $1" >&2; tmux -L $sock capture-pane -p >&2; exit 1
}
rss() { awk '/VmRSS/ {print $2}' /proc/"$pid"/status; }

wait_for "page 1/"
pid=$(pgrep -P "$(tmux -L $sock display -p '#{pane_pid}')" -x folio || tmux -L $sock display -p '#{pane_pid}')
last=$(tmux -L $sock capture-pane -p | sed -n 's/.*page 1\/\([0-9]*\).*/\1/p' | head -1)
start=$(rss); peak=$start
for i in $(seq 2 $((pages + 1))); do
    tmux -L $sock send-keys PageDown
    wait_for "page $i/"
    now=$(rss); (( now > peak )) && peak=$now
done
tmux -L $sock send-keys G; wait_for "page $last/$last"
now=$(rss); (( now > peak )) && peak=$now
tmux -L $sock send-keys g; wait_for "page 1/"
end=$(rss); (( end > peak )) && peak=$end
tmux -L $sock send-keys q
echo "folio RSS paging $pages pages of 200 rows (of $last) + last + first:" \
     "start $((start / 1024)) MB, peak $((peak / 1024)) MB, end $((end / 1024)) MB"
