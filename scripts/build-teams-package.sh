#!/usr/bin/env bash
# Builds the Microsoft Teams app package manifest/teams/kpibot-teams.zip (manifest.json + color.png +
# outline.png at the root of the zip), ready to upload in Teams ("Apps > Manage your apps > Upload an app")
# or in the Teams Developer Portal.
#
#   scripts/build-teams-package.sh                 # values from the environment or src/KpiBot/appsettings*.json
#   TEAMS_APP_ID=<guid> KPIBOT_PUBLIC_URL=https://kpibot.example.com scripts/build-teams-package.sh
#
# Placeholders filled in manifest.json:
#   ${{TEAMS_APP_ID}}      the bot's Microsoft App ID: $TEAMS_APP_ID, else $Teams__AppId, else Teams:AppId in appsettings
#   ${{KPIBOT_PUBLIC_URL}} the bot's public https base URL: $KPIBOT_PUBLIC_URL, else $Bot__PublicBaseUrl, else Bot:PublicBaseUrl
#   ${{KPIBOT_PUBLIC_HOST}} the host part of that URL (validDomains)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/manifest/teams"
out="$dir/kpibot-teams.zip"

# Reads a "Section:Key" value from the app's settings files (Development overrides the base file).
setting() {
  local section="$1" key="$2" value=""
  for file in "$root/src/KpiBot/appsettings.json" "$root/src/KpiBot/appsettings.Development.json"; do
    if [ -f "$file" ]; then
      local v
      v="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print((d.get(sys.argv[2]) or {}).get(sys.argv[3]) or "")' "$file" "$section" "$key" 2>/dev/null || true)"
      if [ -n "$v" ]; then value="$v"; fi
    fi
  done
  printf '%s' "$value"
}

app_id="${TEAMS_APP_ID:-${Teams__AppId:-$(setting Teams AppId)}}"
public_url="${KPIBOT_PUBLIC_URL:-${Bot__PublicBaseUrl:-$(setting Bot PublicBaseUrl)}}"
public_url="${public_url%/}"

if ! [[ "$app_id" =~ ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$ ]]; then
  echo "error: the bot's Microsoft App ID is '${app_id}', not a GUID." >&2
  echo "       Set TEAMS_APP_ID=<guid> (or Teams:AppId in appsettings / Teams__AppId) to the App ID of your Azure Bot or Developer Portal bot." >&2
  exit 2
fi
if ! [[ "$public_url" =~ ^https://[^/]+ ]]; then
  echo "error: the public URL is '${public_url}'; Teams needs an https URL (e.g. your tunnel: https://abc123.devtunnels.ms)." >&2
  echo "       Set KPIBOT_PUBLIC_URL=https://… (or Bot:PublicBaseUrl / Bot__PublicBaseUrl)." >&2
  exit 2
fi
public_host="$(printf '%s' "$public_url" | sed -E 's#^https://([^/:]+).*#\1#')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed -e "s#\${{TEAMS_APP_ID}}#${app_id}#g" \
    -e "s#\${{KPIBOT_PUBLIC_URL}}#${public_url}#g" \
    -e "s#\${{KPIBOT_PUBLIC_HOST}}#${public_host}#g" \
    "$dir/manifest.json" > "$work/manifest.json"
if grep -q '\${{' "$work/manifest.json"; then
  echo "error: manifest.json still has unfilled placeholders: $(grep -o '\${{[A-Z_]*}}' "$work/manifest.json" | sort -u | tr '\n' ' ')" >&2
  exit 2
fi
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/manifest.json"
cp "$dir/color.png" "$dir/outline.png" "$work/"

rm -f "$out"
(cd "$work" && python3 - "$out" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in ("manifest.json", "color.png", "outline.png"):
        z.write(name, name)
PY
)
echo "Built $out (bot $app_id, $public_url)"
