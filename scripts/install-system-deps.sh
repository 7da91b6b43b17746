#!/usr/bin/env bash
# Installs the Debian packages the portal needs that are missing on this machine.
#   runtime: WeasyPrint's Pango/HarfBuzz, a CJK font (Noto CJK) and gettext (translations)
#   test:    runtime + Chromium (browser tests) and poppler-utils (pdftotext/pdftoppm in PDF tests)
set -euo pipefail
profile="${1:-runtime}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext)
if [ "$profile" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
