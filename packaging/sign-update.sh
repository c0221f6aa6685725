#!/usr/bin/env bash
# Sign a kiosk .deb (the app or its runtime) for publication through the county hub: writes
# the manifest next to it.
#
#   packaging/sign-update.sh xiangli-kiosk_0.2.0_amd64.deb county-update.key
#     -> xiangli-kiosk_0.2.0_amd64.json
#   packaging/sign-update.sh --new-key county-update     (once: county-update.key + .pem)
#
# A runtime built from pins no one recorded (version N~dev.HASH, see
# packaging/kiosk-runtime/series) is refused: its version would not sort above the next one.
# XIANGLI_SIGN_DEV=1 signs it anyway (tests, a lab).
#
# The .pem (public) goes to every kiosk's /etc/xiangli/update-keys/; the .key (private) stays
# offline with the county's release officer. Signature: Ed25519 over the UTF-8 text
# "xiangli-update-v1\n{package}\n{version}\n{architecture}\n{sha256}\n", base64 in the manifest.
set -euo pipefail

if [ "${1:-}" = --new-key ]; then
  name="${2:?usage: sign-update.sh --new-key NAME}"
  (umask 077 && openssl genpkey -algorithm ed25519 -out "$name.key")
  openssl pkey -in "$name.key" -pubout -out "$name.pem"
  echo "private key: $name.key (keep offline)   public key: $name.pem (to the kiosks)"
  exit 0
fi

deb="${1:?usage: sign-update.sh DEB PRIVATE_KEY}"
key="${2:?usage: sign-update.sh DEB PRIVATE_KEY}"
package="$(dpkg-deb -f "$deb" Package)"
version="$(dpkg-deb -f "$deb" Version)"
arch="$(dpkg-deb -f "$deb" Architecture)"
case "$package:$version" in
  xiangli-kiosk-runtime:*~dev*)
    if [ "${XIANGLI_SIGN_DEV:-}" != 1 ]; then
      echo "refusing to sign $package $version: an unrecorded runtime (run packaging/build-deb.sh --record-runtime, commit, rebuild)" >&2
      exit 1
    fi ;;
esac
sha="$(sha256sum "$deb" | cut -d' ' -f1)"
size="$(stat -c %s "$deb")"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
printf 'xiangli-update-v1\n%s\n%s\n%s\n%s\n' "$package" "$version" "$arch" "$sha" > "$tmp/msg"
openssl pkeyutl -sign -inkey "$key" -rawin -in "$tmp/msg" -out "$tmp/sig"
sig="$(base64 -w0 < "$tmp/sig")"
out="${deb%.deb}.json"
cat > "$out" <<JSON
{
  "package": "$package",
  "version": "$version",
  "architecture": "$arch",
  "filename": "$(basename "$deb")",
  "size": $size,
  "sha256": "$sha",
  "signature": "$sig",
  "key_id": "$(basename "${key%.*}")",
  "published_at": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
JSON
echo "$out"
