#!/usr/bin/env bash
# Build the Debian packages of Xiangli:
#   dist/xiangli-kiosk_<version>_amd64.deb   the kiosk, in its own venv under /opt/xiangli
#   dist/xiangli-hub_<version>_amd64.deb     the county hub, in its own venv under /opt/xiangli-hub
#
# usage: packaging/build-deb.sh [--kiosk-only | --hub-only] [--out DIR]
#
# Environment:
#   XIANGLI_DEB_VERSION   package version (default: setup.cfg's version)
#   XIANGLI_DEB_COMPRESS  dpkg-deb compression: zstd (default), xz, gzip, none
#   XIANGLI_BUILD_DIR     scratch space (default: build/deb in the repository; ignored by git)
#
# Idempotent: the third-party packages are installed once into a cached venv, keyed on
# constraints.txt + setup.cfg + pyproject.toml + this script; every build copies that venv,
# reinstalls the project from a freshly built wheel, and packs the staging tree again.
# Run as root or through sudo the first time (it installs python3-venv if missing); the
# packing itself runs unprivileged (dpkg-deb --root-owner-group).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
BUILD="${XIANGLI_BUILD_DIR:-$ROOT/build/deb}"
OUT="$ROOT/dist"
COMPRESS="${XIANGLI_DEB_COMPRESS:-zstd}"
WHAT=(kiosk hub)

while [ $# -gt 0 ]; do
  case "$1" in
    --kiosk-only) WHAT=(kiosk) ;;
    --hub-only) WHAT=(hub) ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo ">> $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_build_deps() {
  local missing=() pkg
  for pkg in python3 python3-venv dpkg; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing build dependencies: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

version() {
  if [ -n "${XIANGLI_DEB_VERSION:-}" ]; then echo "$XIANGLI_DEB_VERSION"; return; fi
  sed -n 's/^version *= *\([^ ]*\) *$/\1/p' "$ROOT/setup.cfg" | head -n1
}

# Third-party Python packages per venv (pinned by constraints.txt). The hub's venv leaves out
# Qt, OpenCV and the device libraries: it never imports ui/ or drivers/.
KIOSK_REQS=()  # everything in setup.cfg's install_requires, through the project wheel
# The hub gets setup.cfg's install_requires and its [hub] extra, minus these kiosk-only ones.
HUB_WITHOUT=(pyside6-essentials pyside6-addons opencv-python-headless pyzbar zxing-cpp
  python-escpos pyserial evdev)

hub_requirements() {  # the [hub] requirements read from the wheel's metadata, one per line
  "$BUILD/tools/bin/python" - "$WHEEL" "${HUB_WITHOUT[@]}" <<'PY'
import sys, zipfile
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name
wheel, skip = sys.argv[1], {canonicalize_name(n) for n in sys.argv[2:]}
with zipfile.ZipFile(wheel) as zf:
    meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    lines = zf.read(meta).decode().splitlines()
for line in lines:
    if not line.startswith("Requires-Dist:"):
        continue
    req = Requirement(line.split(":", 1)[1].strip())
    if req.marker and not req.marker.evaluate({"extra": "hub"}):
        continue
    if canonicalize_name(req.name) in skip:
        continue
    req.marker = None
    print(req)
PY
}

# Parts of PySide6-Addons a kiosk must not carry: a browser engine (a way out of the kiosk,
# 200 MB) and developer tools. Paths are relative to site-packages/PySide6.
PRUNE_QT=(
  'Qt/lib/libQt6WebEngine*' 'Qt/lib/libQt6Pdf*' 'Qt/libexec/QtWebEngineProcess'
  'Qt/resources/qtwebengine*' 'Qt/translations/qtwebengine_locales' 'Qt/qml/QtWebEngine'
  'QtWebEngine*.abi3.so' 'QtWebEngine*.pyi' 'QtPdf*.abi3.so' 'QtPdf*.pyi'
  'Qt/plugins/webview/libqtwebview_webengine.so' 'Qt/plugins/imageformats/libqpdf.so'
  'Qt/qml/QtQuick/Pdf' 'QtDesigner.abi3.so' 'QtDesigner.pyi'
  'assistant' 'designer' 'linguist' 'lupdate' 'lrelease' 'qmlformat' 'qmlls' 'qmllint'
  'qmlimportscanner' 'qmltyperegistrar' 'qmlcachegen' 'qsb' 'balsam' 'balsamui' 'include'
  'Qt/lib/libQt6Designer*' 'Qt/plugins/designer'
)

input_hash() {  # what the cached third-party venv depends on
  cat "$ROOT/constraints.txt" "$ROOT/setup.cfg" "$ROOT/pyproject.toml" "$0" \
    <("$PY" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16
}

build_wheel() {
  local dir="$BUILD/wheel"
  rm -rf "$dir"; mkdir -p "$dir"
  log "building the project wheel"
  "$PY" -m venv "$BUILD/tools" >/dev/null 2>&1 || true
  [ -x "$BUILD/tools/bin/pip" ] || "$PY" -m venv "$BUILD/tools"
  "$BUILD/tools/bin/pip" wheel -q --no-deps -w "$dir" "$ROOT" >&2
  # The wheel is built from the working tree: a stale in-tree build/lib would leak removed files.
  rm -rf "$ROOT/build/lib" "$ROOT/build/bdist.linux-x86_64"
  WHEEL="$(ls "$dir"/xiangli-*.whl)"
}

# cached_venv NAME: a venv with the third-party packages, reused while input_hash is unchanged.
cached_venv() {
  local name="$1" key venv reqs
  key="$(input_hash)"
  venv="$BUILD/cache/$name-$key"
  if [ ! -f "$venv/.complete" ]; then
    log "creating the $name venv cache ($venv)"
    rm -rf "$BUILD/cache/$name-"*
    "$PY" -m venv "$venv"
    "$venv/bin/pip" install -q --no-compile --upgrade -c "$ROOT/constraints.txt" pip >&2 || true
    if [ "$name" = kiosk ]; then
      "$venv/bin/pip" install -q --no-compile -c "$ROOT/constraints.txt" "$WHEEL" "${KIOSK_REQS[@]}" >&2
    else
      mapfile -t reqs < <(hub_requirements)
      log "hub requirements: ${reqs[*]}"
      "$venv/bin/pip" install -q --no-compile -c "$ROOT/constraints.txt" "${reqs[@]}" >&2
    fi
    touch "$venv/.complete"
  fi
  CACHED="$venv"
}

# Files the packages read at run time but setup.cfg's package_data does not list yet are left
# out of the wheel. Copy them in, loudly, until setup.cfg lists them.
add_missing_package_data() {
  local site="$1" f missing=()
  while IFS= read -r f; do
    [ -e "$site/$f" ] || missing+=("$f")
  done < <(cd "$ROOT" && { git ls-files -- kiosk ui drivers sync 2>/dev/null || true; } | grep -v '\.py$')
  for f in "${missing[@]}"; do
    mkdir -p "$site/$(dirname "$f")"
    cp "$ROOT/$f" "$site/$f"
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "warning: not in the wheel (add to setup.cfg [options.package_data]), copied: ${missing[*]}"
  fi
}

# stage_venv NAME STAGE PREFIX: copy the cached venv to STAGE/PREFIX and make it belong there.
stage_venv() {
  local name="$1" stage="$2" prefix="$3" dest site f
  dest="$stage$prefix"
  mkdir -p "$(dirname "$dest")"
  cp -a "$CACHED" "$dest"
  rm -f "$dest/.complete"
  # Through the copy's python: its bin/pip still names the cached venv in its shebang.
  "$dest/bin/python" -m pip install -q --no-compile --no-deps --force-reinstall "$WHEEL" >&2
  site="$(echo "$dest"/lib/python3*/site-packages)"
  # pip records where the wheel came from; that path means nothing on a kiosk.
  rm -f "$site"/xiangli-*.dist-info/direct_url.json
  add_missing_package_data "$site"
  if [ "$name" = kiosk ]; then
    # kiosk/catalog.py and ui/i18n.py look for assets/ next to the packages (it is not package
    # data); ship the demo catalog and the compiled translations where those lookups find them.
    mkdir -p "$site/assets/catalog" "$site/assets/translations"
    cp "$ROOT/assets/catalog/demo-catalog.json" "$site/assets/catalog/"
    cp "$ROOT"/assets/translations/*.qm "$site/assets/translations/"
    # shellcheck disable=SC2086  # each entry is a glob
    (cd "$site/PySide6" && for p in "${PRUNE_QT[@]}"; do rm -rf $p; done)
  else
    # The hub never imports the kiosk UI or the drivers; keep their code out of the server.
    rm -rf "$site/ui" "$site/drivers"
  fi
  # A venv is not relocatable: scripts' shebangs, activate scripts and pyvenv.cfg name the
  # directory it was created in. Point them at the final path.
  for f in "$dest"/bin/* "$dest/pyvenv.cfg"; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    if grep -Iq "$CACHED\|$dest" "$f" 2>/dev/null; then
      sed -i -e "s#$CACHED#$prefix#g" -e "s#$dest#$prefix#g" "$f"
    fi
  done
  rm -f "$dest"/bin/activate.csh "$dest"/bin/activate.fish "$dest"/bin/Activate.ps1
  # Byte-compile with the final paths recorded in the .pyc files (tracebacks name real files).
  "$dest/bin/python" -m compileall -q -j0 -s "$stage" -p / "$dest/lib" >/dev/null || true
  if grep -rIl --exclude='*.pyc' -e "$BUILD" -e "$ROOT" "$dest" | head -n5 | grep -q .; then
    log "warning: build paths left in $prefix:"
    grep -rIl --exclude='*.pyc' -e "$BUILD" -e "$ROOT" "$dest" | head -n5 >&2
  fi
}

# copy_tree SRC STAGE: the package's static files (packaging/<name>/files) into the staging root.
copy_tree() {
  (cd "$1" && tar --exclude='*~' -cf - .) | (cd "$2" && tar -xf -)
}

pack() {
  local name="$1" ver="$2" stage="$3" pkg="xiangli-$1" size deb
  mkdir -p "$stage/DEBIAN" "$OUT"
  size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
  sed -e "s/@VERSION@/$ver/g" -e "s/@INSTALLED_SIZE@/$size/g" \
    "$HERE/$name/control" > "$stage/DEBIAN/control"
  for f in conffiles preinst postinst prerm postrm; do
    if [ -f "$HERE/$name/$f" ]; then
      install -m 0755 "$HERE/$name/$f" "$stage/DEBIAN/$f"
    fi
  done
  chmod 0644 "$stage/DEBIAN/control"
  [ -f "$stage/DEBIAN/conffiles" ] && chmod 0644 "$stage/DEBIAN/conffiles"
  # md5sums: what debsums and dpkg --verify check against.
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' \
    | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  chmod 0644 "$stage/DEBIAN/md5sums"
  deb="$OUT/${pkg}_${ver}_amd64.deb"
  log "packing $deb ($((size / 1024)) MiB installed, $COMPRESS)"
  local level=()
  [ -n "${XIANGLI_DEB_LEVEL:-}" ] && level=(-z"$XIANGLI_DEB_LEVEL")
  dpkg-deb --root-owner-group -Z"$COMPRESS" "${level[@]}" --build "$stage" "$deb.part" >/dev/null
  mv "$deb.part" "$deb"
  echo "$deb"
}

build_one() {
  local name="$1" ver="$2" stage prefix
  stage="$BUILD/stage-$name"
  [ "$name" = kiosk ] && prefix=/opt/xiangli || prefix=/opt/xiangli-hub
  rm -rf "$stage"; mkdir -p "$stage"
  cached_venv "$name"
  log "staging $name $ver"
  stage_venv "$name" "$stage" "$prefix"
  copy_tree "$HERE/$name/files" "$stage"
  mkdir -p "$stage/usr/share/doc/xiangli-$name"
  cp "$ROOT/docs/INSTALL.md" "$stage/usr/share/doc/xiangli-$name/INSTALL.md"
  # Permissions the tar copy may not carry (git does not keep modes other than +x).
  find "$stage" -path "$stage$prefix" -prune -o -type d -exec chmod 0755 {} +
  pack "$name" "$ver" "$stage"
}

main() {
  local ver t0
  t0=$(date +%s)
  ensure_build_deps
  ver="$(version)"
  mkdir -p "$BUILD"
  build_wheel
  for name in "${WHAT[@]}"; do build_one "$name" "$ver"; done
  log "done in $(( $(date +%s) - t0 )) s"
}

main
