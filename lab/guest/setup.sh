#!/bin/bash
# Run once in a fresh VM (from the 9p share /lab): installs the lab's devices and far sides as
# services (so they come back at every boot, before the kiosk), and starts them.
set -euo pipefail
SRC=/lab/guest
DEST=/usr/local/lib/xiangli-lab
mkdir -p "$DEST/probe" /run/lab
cp "$SRC"/gadgets.sh "$SRC"/*_side.py "$DEST/"
cp "$SRC"/probe/sitecustomize.py "$DEST/probe/"
chmod 0755 "$DEST"/gadgets.sh
chmod -R a+rX "$DEST"
cp "$SRC"/units/lab-*.service /etc/systemd/system/
cp "$SRC"/units/60-xiangli-local.rules /etc/udev/rules.d/
# The speaker: ALSA's default device into a WAV file (no sound card in the VM).
install -m 0644 "$SRC"/units/asound.conf /etc/asound.conf
python3 "$DEST"/speaker_side.py clear
udevadm control --reload
systemctl daemon-reload
systemctl enable --now lab-devices.service lab-printer.service lab-idcard.service lab-camera.service lab-touch.service
udevadm settle -t 30
