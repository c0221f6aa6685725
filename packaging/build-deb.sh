#!/usr/bin/env bash
# Build the Debian packages of Xiangli:
#   dist/xiangli-kiosk-runtime_<S.hash>_amd64.deb  the kiosk's third-party Python packages and the
#                                                  parts of Qt it loads, under /opt/xiangli-runtime
#   dist/xiangli-kiosk_<version>_amd64.deb         the kiosk's code, QML, translations, assets and
#                                                  session under /opt/xiangli; depends on exactly
#                                                  one runtime version
#   dist/xiangli-hub_<version>_amd64.deb           the county hub, in its own venv (/opt/xiangli-hub)
#
# usage: packaging/build-deb.sh [--kiosk-only | --hub-only | --app-only | --runtime-only]
#                               [--out DIR] [--constraints FILE] [--record-runtime]
#   --app-only        only xiangli-kiosk (the runtime's version still comes from its venv cache)
#   --runtime-only    only xiangli-kiosk-runtime
#   --constraints F   pins other than constraints.txt (a runtime with one library changed)
#   --record-runtime  give the runtime a new series number (packaging/kiosk-runtime/series)
#
# Environment:
#   XIANGLI_DEB_VERSION     version of xiangli-kiosk and xiangli-hub (default: setup.cfg's)
#   XIANGLI_DEB_MAINTAINER  the Maintainer field
#   XIANGLI_DEB_LEVEL       gzip level of data.tar (default 9)
#   XIANGLI_BUILD_DIR       scratch space (default: build/deb in the repository; ignored by git)
#
# Every package is built for small updates (docs/DECISIONS.md, "Packages and updates"): file
# times are fixed, dpkg-deb sorts the files, and data.tar is compressed with `gzip --rsyncable`,
# which restarts its output every few kilobytes where the content says so: a file that did not
# change compresses to the same bytes in the next release, and a binary delta
# (sync/update_deltas.py) carries little more than what changed. (zstd --rsyncable made 2.5 times
# larger deltas, and Debian 12's lintian rejects data.tar.zst; xz has no such mode.) No .pyc
# files are shipped: each package's postinst compiles its own.
#
# Idempotent: the third-party packages are installed once into a cached venv per package, keyed
# on the constraints, setup.cfg, pyproject.toml and this script. Run as root or through sudo the
# first time (it installs missing build tools); the packing runs unprivileged
# (dpkg-deb --root-owner-group).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
PY=/usr/bin/python3
BUILD="${XIANGLI_BUILD_DIR:-$ROOT/build/deb}"
OUT="$ROOT/dist"
CONSTRAINTS="$ROOT/constraints.txt"
MAINTAINER="${XIANGLI_DEB_MAINTAINER:-Xiangli maintainers <xiangli@example.gov.cn>}"
# Every file in every package carries this time (2024-01-01): an unchanged file must be the
# same bytes, tar header included, in two releases.
EPOCH=1704067200
WHAT=(runtime kiosk hub)
RECORD=0

while [ $# -gt 0 ]; do
  case "$1" in
    --kiosk-only) WHAT=(runtime kiosk) ;;
    --hub-only) WHAT=(hub) ;;
    --app-only) WHAT=(kiosk) ;;
    --runtime-only) WHAT=(runtime) ;;
    --out) OUT="$2"; shift ;;
    --constraints) CONSTRAINTS="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    --record-runtime) RECORD=1 ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { echo ">> $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# python3-venv: the venvs; binutils: readelf and ld (runtime.py), ar (packing);
# libblas3 and liblapack3: the runtime's OpenCV uses Debian's BLAS (runtime.py unbundle_blas).
ensure_build_deps() {
  local missing=() pkg
  for pkg in python3 python3-venv dpkg binutils gzip libblas3 liblapack3; do
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

PYVER="$("$PY" -c 'import sys; print(f"python{sys.version_info[0]}.{sys.version_info[1]}")')"

# Third-party packages of each venv, from the project wheel's metadata (pinned by the
# constraints): the kiosk's are its install_requires; the hub's add the [hub] extra and leave
# out Qt, OpenCV and the device libraries (it never imports ui/ or drivers/).
HUB_WITHOUT=(pyside6-essentials pyside6-addons opencv-python-headless pyzbar zxing-cpp
  python-escpos pyserial evdev)

requirements() {  # requirements kiosk|hub: one per line
  "$BUILD/tools/bin/python" - "$WHEEL" "$1" "${HUB_WITHOUT[@]}" <<'PY'
import sys, zipfile
from pip._vendor.packaging.requirements import Requirement
from pip._vendor.packaging.utils import canonicalize_name
wheel, which, skip = sys.argv[1], sys.argv[2], {canonicalize_name(n) for n in sys.argv[3:]}
with zipfile.ZipFile(wheel) as zf:
    meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
    lines = zf.read(meta).decode().splitlines()
for line in lines:
    if not line.startswith("Requires-Dist:"):
        continue
    req = Requirement(line.split(":", 1)[1].strip())
    extra = {"extra": "hub" if which == "hub" else ""}
    if req.marker and not req.marker.evaluate(extra):
        continue
    if which == "hub" and canonicalize_name(req.name) in skip:
        continue
    req.marker = None
    print(req)
PY
}

input_hash() {  # what a cached third-party venv depends on
  cat "$CONSTRAINTS" "$ROOT/setup.cfg" "$ROOT/pyproject.toml" "$0" \
    <("$PY" -c 'import sys; print(sys.version)') | sha256sum | cut -c1-16
}

build_wheel() {
  local dir="$BUILD/wheel"
  rm -rf "$dir"; mkdir -p "$dir"
  log "building the project wheel"
  [ -x "$BUILD/tools/bin/pip" ] || "$PY" -m venv "$BUILD/tools"
  "$BUILD/tools/bin/pip" wheel -q --no-deps -w "$dir" "$ROOT" >&2
  # The wheel is built from the working tree: a stale in-tree build/lib would leak removed files.
  rm -rf "$ROOT/build/lib" "$ROOT/build/bdist.linux-x86_64"
  WHEEL="$(ls "$dir"/xiangli-*.whl)"
}

# cached_venv kiosk|hub: a venv with the third-party packages, reused while input_hash holds.
cached_venv() {
  local name="$1" key venv reqs
  key="$(input_hash)"
  venv="$BUILD/cache/$name-$key"
  if [ ! -f "$venv/.complete" ]; then
    log "creating the $name venv cache ($venv)"
    rm -rf "$BUILD/cache/$name-"*
    "$PY" -m venv "$venv"
    "$venv/bin/pip" install -q --no-compile --upgrade -c "$CONSTRAINTS" pip >&2 || true
    mapfile -t reqs < <(requirements "$name")
    log "$name requirements: ${reqs[*]}"
    "$venv/bin/pip" install -q --no-compile -c "$CONSTRAINTS" "${reqs[@]}" >&2
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
  done < <(cd "$ROOT" && { git ls-files -- domain kiosk ui drivers sync 2>/dev/null || true; } | grep -v '\.py$')
  for f in "${missing[@]}"; do
    mkdir -p "$site/$(dirname "$f")"
    cp "$ROOT/$f" "$site/$f"
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "warning: not in the wheel (add to setup.cfg [options.package_data]), copied: ${missing[*]}"
  fi
}

# A venv is not relocatable: scripts' shebangs and pyvenv.cfg name the directory it was made
# in. relocate DEST PREFIX [OLD...]: point them at the final path.
relocate() {
  local dest="$1" prefix="$2" f old
  shift 2
  for f in "$dest"/bin/* "$dest/pyvenv.cfg"; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    for old in "$@" "$dest"; do
      if grep -Iq "$old" "$f" 2>/dev/null; then sed -i "s#$old#$prefix#g" "$f"; fi
    done
  done
  rm -f "$dest"/bin/activate* "$dest"/bin/Activate.ps1
}

no_build_paths() {
  if grep -rIl -e "$BUILD" -e "$ROOT" "$1" | head -n5 | grep -q .; then
    log "error: build paths left in $1:"
    grep -rIl -e "$BUILD" -e "$ROOT" "$1" | head -n5 >&2
    return 1
  fi
}

# The runtime: the cached venv's site-packages, pruned to what the kiosk loads.
stage_runtime() {
  local stage="$1" site
  site="$stage/opt/xiangli-runtime/lib/$PYVER/site-packages"
  mkdir -p "$site"
  cp -a "$CACHED/lib/$PYVER/site-packages/." "$site/"
  "$PY" "$HERE/tools/runtime.py" prune "$site"
  "$PY" "$HERE/tools/runtime.py" dedupe "$stage/opt/xiangli-runtime"
  no_build_paths "$stage/opt/xiangli-runtime"
  RUNTIME_SITE="$site"
}

# runtime_version SITE: SERIES.HASH, or NEXT~dev.HASH when the hash is not recorded yet.
runtime_version() {
  local site="$1" ident series last n h files
  files=("$HERE/tools/runtime.py")
  while IFS= read -r f; do files+=("$f"); done < <(find "$HERE/kiosk-runtime" -type f ! -name series | sort)
  ident="$("$PY" "$HERE/tools/runtime.py" identity "$site" "${files[@]}" | cut -c1-12)"
  series="$HERE/kiosk-runtime/series"
  last="$(grep -v '^#' "$series" | grep . | tail -n1 || true)"
  n="${last%% *}"; h="${last##* }"
  [ -n "$n" ] || { n=0; h=; }
  if [ "$h" = "$ident" ]; then
    echo "$n.$ident"
  elif [ "$RECORD" = 1 ]; then
    echo "$((n + 1)) $ident" >> "$series"
    log "recorded runtime series $((n + 1)) ($ident) in $series: commit it"
    echo "$((n + 1)).$ident"
  else
    log "runtime $ident is not recorded in $series: a development version (see --record-runtime)"
    echo "$((n + 1))~dev.$ident"
  fi
}

# The app: a venv of its own (no pip) holding the project, and a .pth that adds the runtime's
# site-packages (a relative path: it works unpacked anywhere with the runtime beside it).
stage_app() {
  local stage="$1" dest="$1/opt/xiangli" site
  "$PY" -m venv --without-pip "$dest"
  site="$dest/lib/$PYVER/site-packages"
  "$BUILD/tools/bin/pip" --python "$dest/bin/python" install -q --no-compile --no-deps \
    --no-warn-script-location "$WHEEL" >&2
  rm -f "$site"/xiangli-*.dist-info/direct_url.json
  echo "../../../../xiangli-runtime/lib/$PYVER/site-packages" > "$site/xiangli-runtime.pth"
  add_missing_package_data "$site"
  # kiosk/catalog.py and ui/i18n.py look for assets/ next to the packages (it is not package
  # data); ship the demo catalog and the compiled translations where those lookups find them.
  # The QML draws the kiosk's icons from ../../assets/icons (relative to ui/qml), so they go there.
  mkdir -p "$site/assets/catalog" "$site/assets/translations" "$site/assets/icons"
  cp "$ROOT/assets/catalog/demo-catalog.json" "$site/assets/catalog/"
  cp "$ROOT"/assets/translations/*.qm "$site/assets/translations/"
  cp "$ROOT"/assets/icons/*.svg "$site/assets/icons/"
  # The hub is a package of its own; a kiosk never imports it.
  rm -rf "$site/sync/hub" "$dest/bin/xiangli-hub"
  find "$dest" -name __pycache__ -prune -exec rm -rf {} +
  relocate "$dest" /opt/xiangli
  no_build_paths "$dest"
}

stage_hub() {
  local stage="$1" dest="$1/opt/xiangli-hub" site
  mkdir -p "$stage/opt"
  cp -a "$CACHED" "$dest"
  rm -f "$dest/.complete"
  "$dest/bin/python" -m pip install -q --no-compile --no-deps --force-reinstall "$WHEEL" >&2
  site="$dest/lib/$PYVER/site-packages"
  rm -f "$site"/xiangli-*.dist-info/direct_url.json
  add_missing_package_data "$site"
  # The hub never imports the kiosk UI or the drivers; keep their code out of the server. Nor
  # does it install Python packages: no pip, and of the venv's commands only its own.
  rm -rf "$site/ui" "$site/drivers" "$site"/pip "$site"/pip-*.dist-info "$site"/setuptools \
    "$site"/setuptools-*.dist-info "$site/pkg_resources" "$site/_distutils_hack" \
    "$site/distutils-precedence.pth"
  find "$dest/bin" -type f ! -name xiangli-hub -delete
  find "$dest" -name __pycache__ -prune -exec rm -rf {} +
  relocate "$dest" /opt/xiangli-hub "$CACHED"
  # `python3` in a shebang must be /usr/bin/python3 (lintian); the venv's is `python`.
  sed -i "1s#^\#!/opt/xiangli-hub/bin/python3\$#\#!/opt/xiangli-hub/bin/python#" "$dest/bin/xiangli-hub"
  no_build_paths "$dest"
}

# docs PKG VERSION STAGE: copyright and changelog, which every Debian package carries.
docs() {
  local pkg="$1" ver="$2" stage="$3" doc="$3/usr/share/doc/$1" commit
  mkdir -p "$doc"
  if [ "$pkg" = xiangli-kiosk-runtime ]; then
    "$PY" "$HERE/tools/runtime.py" copyright "$RUNTIME_SITE" "/opt/xiangli-runtime/lib/$PYVER/site-packages" > "$doc/copyright"
    "$PY" "$HERE/tools/runtime.py" freeze "$RUNTIME_SITE" > "$doc/pinned.txt"
  else
    cp "$HERE/copyright" "$doc/copyright"
    cp "$ROOT/docs/INSTALL.md" "$doc/INSTALL.md"
  fi
  commit="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  # The versions carry no Debian revision (native packages): Debian policy 12.7 names their
  # one changelog changelog.gz, not changelog.Debian.gz.
  {
    echo "$pkg ($ver) stable; urgency=medium"
    echo
    if [ "$pkg" = xiangli-kiosk-runtime ]; then
      echo "  * The pinned packages in /usr/share/doc/$pkg/pinned.txt."
    else
      echo "  * Xiangli $ver, built from commit $commit."
    fi
    echo
    echo " -- $MAINTAINER  $(LC_ALL=C date -u -d "@$EPOCH" '+%a, %d %b %Y %H:%M:%S +0000')"
  } | gzip -9n > "$doc/changelog.gz"
  mkdir -p "$stage/usr/share/lintian/overrides"
  cp "$HERE/lintian/$pkg" "$stage/usr/share/lintian/overrides/$pkg"
}

# pack DIR PKG VERSION STAGE: control files, then the .deb (see the top of this file).
pack() {
  local dir="$1" pkg="$2" ver="$3" stage="$4" size deb tmp level f
  mkdir -p "$stage/DEBIAN" "$OUT"
  # Permissions: folders 0755, files 0644; a file keeps its x bit only if it is a program (an
  # ELF executable or a script). Wheels ship shared libraries 0755; lintian objects.
  "$PY" - "$stage" <<'PY'
import stat, sys
from pathlib import Path
for path in Path(sys.argv[1]).rglob("*"):
    if path.is_symlink() or "DEBIAN" in path.relative_to(sys.argv[1]).parts:
        continue
    if path.is_dir():
        path.chmod(0o755)
        continue
    with path.open("rb") as handle:
        head = handle.read(18)
    program = head.startswith(b"#!") or (head[:4] == b"\x7fELF" and head[16:18] == b"\x02\x00")
    path.chmod(0o755 if program and path.stat().st_mode & stat.S_IXUSR else 0o644)
PY
  size="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
  sed -e "s/@VERSION@/$ver/g" -e "s/@INSTALLED_SIZE@/$size/g" \
    -e "s/@RUNTIME_VERSION@/${RUNTIME_VERSION:-}/g" -e "s/@MAINTAINER@/$MAINTAINER/g" \
    "$HERE/$dir/control" > "$stage/DEBIAN/control"
  for f in conffiles preinst postinst prerm postrm; do
    if [ -f "$HERE/$dir/$f" ]; then
      install -m 0755 "$HERE/$dir/$f" "$stage/DEBIAN/$f"
    fi
  done
  chmod 0644 "$stage/DEBIAN/control"
  [ -f "$stage/DEBIAN/conffiles" ] && chmod 0644 "$stage/DEBIAN/conffiles"
  # md5sums: what debsums and dpkg --verify check against.
  (cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' \
    | LC_ALL=C sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  chmod 0644 "$stage/DEBIAN/md5sums"
  find "$stage" -exec touch -h -d "@$EPOCH" {} +
  deb="$OUT/${pkg}_${ver}_amd64.deb"
  level="${XIANGLI_DEB_LEVEL:-9}"
  log "packing $deb ($((size / 1024)) MiB installed, gzip -$level --rsyncable)"
  tmp="$(mktemp -d "$BUILD/pack.XXXXXX")"
  SOURCE_DATE_EPOCH=$EPOCH dpkg-deb --root-owner-group -Znone --build "$stage" "$tmp/raw.deb" >/dev/null
  (
    cd "$tmp"
    ar x raw.deb
    gzip -9n -c control.tar > control.tar.gz
    gzip "-$level" -n --rsyncable -c data.tar > data.tar.gz
    ar rcD out.deb debian-binary control.tar.gz data.tar.gz
  )
  dpkg-deb --info "$tmp/out.deb" >/dev/null  # dpkg reads what was assembled
  mv "$tmp/out.deb" "$deb"
  rm -rf "$tmp"
  echo "$deb"
}

build_runtime() {
  local stage="$BUILD/stage-runtime"
  rm -rf "$stage"; mkdir -p "$stage"
  cached_venv kiosk
  log "staging the kiosk runtime"
  stage_runtime "$stage"
  RUNTIME_VERSION="$(runtime_version "$RUNTIME_SITE")"
  docs xiangli-kiosk-runtime "$RUNTIME_VERSION" "$stage"
  pack kiosk-runtime xiangli-kiosk-runtime "$RUNTIME_VERSION" "$stage"
}

# The app's Depends names the runtime by version; --app-only works it out from the cache.
runtime_for_app() {
  [ -n "${RUNTIME_VERSION:-}" ] && return 0
  local probe="$BUILD/stage-runtime-probe"
  rm -rf "$probe"; mkdir -p "$probe"
  cached_venv kiosk
  stage_runtime "$probe" >/dev/null 2>&1
  RUNTIME_VERSION="$(runtime_version "$RUNTIME_SITE")"
  rm -rf "$probe"
}

build_app() {
  local ver="$1" stage="$BUILD/stage-kiosk"
  runtime_for_app
  rm -rf "$stage"; mkdir -p "$stage"
  log "staging xiangli-kiosk $ver (runtime $RUNTIME_VERSION)"
  stage_app "$stage"
  (cd "$HERE/kiosk/files" && tar --exclude='*~' -cf - .) | (cd "$stage" && tar -xf -)
  docs xiangli-kiosk "$ver" "$stage"
  pack kiosk xiangli-kiosk "$ver" "$stage"
}

build_hub() {
  local ver="$1" stage="$BUILD/stage-hub"
  rm -rf "$stage"; mkdir -p "$stage"
  cached_venv hub
  log "staging xiangli-hub $ver"
  stage_hub "$stage"
  (cd "$HERE/hub/files" && tar --exclude='*~' -cf - .) | (cd "$stage" && tar -xf -)
  docs xiangli-hub "$ver" "$stage"
  pack hub xiangli-hub "$ver" "$stage"
}

main() {
  local ver t0 name
  t0=$(date +%s)
  ensure_build_deps
  ver="$(version)"
  mkdir -p "$BUILD"
  build_wheel
  for name in "${WHAT[@]}"; do
    case "$name" in
      runtime) build_runtime ;;
      kiosk) build_app "$ver" ;;
      hub) build_hub "$ver" ;;
    esac
  done
  log "done in $(( $(date +%s) - t0 )) s"
}

main
