#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real program: `folio serve` with its
# fixed seed, `folio` in a tmux window, `tmux capture-pane -e`, and
# scripts/render-screen.py to paint the capture.
#
#   bash scripts/screenshots.sh
#
# Needs tmux, python3 with pyte and Pillow, and the DejaVu fonts; Noto CJK
# draws the CJK names (without it they show as boxes). On Debian or Ubuntu:
#   sudo apt-get install tmux python3-pyte python3-pil fonts-dejavu-core fonts-noto-cjk
# It installs nothing itself.
set -euo pipefail
cd "$(dirname "$0")/.."

COLS=120 ROWS=32
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

missing=()
command -v tmux >/dev/null || missing+=(tmux)
"$PY" -c 'import pyte' 2>/dev/null || missing+=(python3-pyte)
"$PY" -c 'import PIL' 2>/dev/null || missing+=(python3-pil)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "screenshots: missing ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
ls /usr/share/fonts/opentype/noto/Noto*CJK-Regular.ttc >/dev/null 2>&1 \
  || echo "screenshots: fonts-noto-cjk is not installed; CJK names will show as boxes" >&2

swift build --product folio >/dev/null
FOLIO="$(swift build --show-bin-path)/folio"
WORK="$(mktemp -d)"
SOCKET="folio-shots-$$-0"
TOKEN="screenshot-token-$$"
cleanup() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$FOLIO" serve --port 0 --seed 150 --seed-random 1 --token "$TOKEN" --db "$WORK/shots.sqlite" \
  >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 200); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
URL="$(sed -n 's/^listening on //p' "$WORK/server.out")"
[ -n "$URL" ] || { echo "screenshots: the server did not start; see below" >&2; cat "$WORK/server.log" >&2; exit 1; }

# Starts folio (with extra arguments) in a fresh tmux server of its own.
shots=0
open_folio() {
  tmux -L "$SOCKET" kill-server 2>/dev/null || true
  shots=$((shots + 1))
  SOCKET="folio-shots-$$-$shots"
  tmux -L "$SOCKET" -f /dev/null new-session -d -x "$COLS" -y "$ROWS" \
    "env -i PATH=/usr/bin:/bin HOME='$WORK' TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
      FOLIO_BASE_URL='$URL' FOLIO_TOKEN='$TOKEN' XDG_CONFIG_HOME='$WORK' USER=clerk '$FOLIO' $*; sleep 600"
  wait_for "page 1/"
}

# Polls the window until it shows TEXT (and no spinner) and has settled — the
# same cells and colours twice in a row, so no capture lands mid-paint — for
# up to 15 seconds.
wait_for() {
  local previous=""
  for _ in $(seq 300); do
    screen="$(tmux -L "$SOCKET" capture-pane -p 2>/dev/null || true)"
    if [[ "$screen" == *"$1"* ]] && [[ "$screen" != *loading* ]]; then
      now="$(tmux -L "$SOCKET" capture-pane -e -p 2>/dev/null || true)"
      [ "$now" = "$previous" ] && return 0
      previous="$now"
    fi
    sleep 0.05
  done
  echo "screenshots: timed out waiting for '$1'; the window shows:" >&2
  echo "$screen" >&2
  exit 1
}

keys() { tmux -L "$SOCKET" send-keys "$@"; }
typed() { tmux -L "$SOCKET" send-keys -l "$1"; }

# Paints the window into screenshots/NAME.png on a PALETTE (dark or light)
# terminal, and keeps its text in screenshots/NAME.txt (with this machine's
# name as HOST), which a test compares with what the program shows today.
shoot() {
  tmux -L "$SOCKET" capture-pane -e -p -N >"$WORK/$1.ansi"
  "$PY" scripts/render-screen.py "$WORK/$1.ansi" "screenshots/$1.png" "$COLS" "$ROWS" "${2:-dark}"
  tmux -L "$SOCKET" capture-pane -p | sed "s/@$(hostname)/@HOST/g" >"screenshots/$1.txt"
  echo "screenshots/$1.png"
}

mkdir -p screenshots

open_folio
shoot list

keys / && typed 100000045 && keys Enter && wait_for "page 1/1"
keys Enter && wait_for "Invoice 100000045"
shoot detail

keys R && wait_for "Refund total"
keys 1 Tab C-t Enter && wait_for "total to refund"
shoot refund
keys Escape Escape && wait_for "Invoice 100000045"

keys Escape Escape && wait_for "all invoices"
keys c && wait_for "order #"
typed 100000123 && keys Enter && wait_for "To invoice"
shoot create

# list.png is the default theme; the others get one each.
for theme in themes/*.yaml; do
  name="$(basename "$theme" .yaml)"
  [ "$name" = default ] && continue
  palette=dark
  [ "$name" = light ] && palette=light
  open_folio --theme "$name"
  shoot "list-$name" "$palette"
done
