#!/usr/bin/env bash
# Renders the HTML report of the examples in a real browser (headless Chromium) and checks
# that the screenshot is not blank, and that the report puts the title mismatches first
# (its default --sort), both in its table and in the ads shown in full.
#
#   scripts/browser-check.sh [OUT.png]     (default: target/report-examples.png)
#
# Installs Debian's chromium when it is missing (as root, or through sudo). CXTAG=PATH
# uses that binary instead of building a release one.
set -euo pipefail
cd "$(dirname "$0")/.."
png=${1:-target/report-examples.png}

if ! command -v chromium >/dev/null; then
    echo "browser-check: installing chromium from Debian" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi

cxtag=${CXTAG:-}
if [[ -z $cxtag ]]; then
    cargo build --release --quiet
    cxtag=target/release/cxtag
fi
mkdir -p "$(dirname "$png")"
html=$(mktemp --suffix=.html)
trap 'rm -f "$html"' EXIT
# Three ads in full: with mismatches first, all three must be mismatches; one whose title
# claims cx is advised how to mean what it says, between its facts and its text.
"$cxtag" --format html --detail 3 examples > "$html"
python3 - "$html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
ads = page.split('<section class="ad"')[1:]
assert len(ads) == 3, f"{len(ads)} ads in full, expected 3"
for ad in ads:
    assert "Title mismatch:" in ad, "an ad in full is not a title mismatch: " + ad[:200]
    if "the title claims cx," in ad:
        advice = ad.find('<div class="advice">')
        assert advice != -1, "a cx title mismatch without advice: " + ad[:200]
        assert ad.rfind('<p class="facts">') < advice < ad.find('<div class="text">'), \
            "the advice is not between the facts and the text"
        assert "To mean what it says: call it" in ad[advice:], ad[advice:advice + 300]
table = page[page.index('<table class="ads"'):]
body = table[table.index("<tbody>"):table.index("</tbody>")]
rows = re.findall(r"<tr>(.*?)</tr>", body)
checks = ["<td>mismatch" in row for row in rows]
assert checks == sorted(checks, reverse=True), "the table does not list mismatches first"
print(f"browser-check: {sum(checks)} mismatches listed first of {len(rows)} ads, 3 in full")
PY
rm -f "$png"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size=1200,2400 --screenshot="$png" "file://$html" > /dev/null 2>&1 || true
[[ -s $png ]] || { echo "browser-check: chromium wrote no screenshot" >&2; exit 1; }

# Not blank: decode the PNG (standard library only) and count distinct colours and how
# many pixels differ from the background.
python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8, f"bit depth {depth}"
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
channels = {2: 3, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride = width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b, c = prev[i], (prev[i - channels] if i >= channels else 0)
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
pixels = [r[i:i + 3] for r in rows[::8] for i in range(0, stride, channels * 8)]
background = max(set(pixels), key=pixels.count)
ink = sum(p != background for p in pixels) / len(pixels)
colours = len(set(pixels))
print(f"browser-check: {width}x{height} screenshot, {colours} colours, {ink:.1%} of sampled pixels not background")
if colours < 20 or ink < 0.05:
    sys.exit("browser-check: the screenshot looks blank")
PY
echo "browser-check: ok ($png)"
