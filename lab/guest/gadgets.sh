#!/bin/bash
# The kiosk's USB devices (and its document camera, see below), made by the kernel's USB gadget
# framework (configfs) on dummy_hcd:
# each gadget is a USB device that this same kernel enumerates through its real host drivers
# (usblp, cdc-acm, usbhid, usb-storage), exactly as a device on a cable would be.
#
#   gadgets.sh up      make every gadget and plug it in (one dummy UDC each)
#   gadgets.sh unplug NAME / plug NAME
set -euo pipefail
CFG=/sys/kernel/config/usb_gadget
NAMES=(printer idcard rating scanner stick)

# A boot keyboard's report descriptor (HID 1.11, appendix E.6): 8-byte reports.
KBD_DESC='\x05\x01\x09\x06\xa1\x01\x05\x07\x19\xe0\x29\xe7\x15\x00\x25\x01\x75\x01\x95\x08\x81\x02\x95\x01\x75\x08\x81\x03\x95\x05\x75\x01\x05\x08\x19\x01\x29\x05\x91\x02\x95\x01\x75\x03\x91\x03\x95\x06\x75\x08\x15\x00\x25\x65\x05\x07\x19\x00\x29\x65\x81\x00\xc0'

gadget() {  # gadget NAME VID PID MANUFACTURER PRODUCT SERIAL
  local g="$CFG/$1"
  mkdir -p "$g/strings/0x409" "$g/configs/c.1/strings/0x409"
  echo "$2" > "$g/idVendor"; echo "$3" > "$g/idProduct"
  echo 0x0200 > "$g/bcdUSB"; echo 0x0100 > "$g/bcdDevice"
  echo "$4" > "$g/strings/0x409/manufacturer"
  echo "$5" > "$g/strings/0x409/product"
  echo "$6" > "$g/strings/0x409/serialnumber"
  echo "config" > "$g/configs/c.1/strings/0x409/configuration"
  echo 100 > "$g/configs/c.1/MaxPower"
}

link() { ln -sf "$CFG/$1/functions/$2" "$CFG/$1/configs/c.1/"; }

udc_of() {  # the n-th dummy UDC
  ls /sys/class/udc | sort -V | sed -n "$(($1 + 1))p"
}

plug() {
  local i
  for i in "${!NAMES[@]}"; do
    if [ "${NAMES[$i]}" = "$1" ]; then echo "$(udc_of "$i")" > "$CFG/$1/UDC"; fi
  done
}

unplug() { echo "" > "$CFG/$1/UDC" 2>/dev/null || true; }

up() {
  modprobe libcomposite
  modprobe dummy_hcd num=${#NAMES[@]}
  mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
  # Receipt printer: the ids of a common 80 mm ESC/POS printer (Winbond 0416:5011, sold as
  # POS-80 and many other names), USB printer class, bidirectional (protocol 2).
  gadget printer 0x0416 0x5011 "Printer" "POS-80" "LAB0001"
  mkdir -p "$CFG/printer/functions/printer.lp"
  echo "MFG:POS;CMD:ESC/POS;MDL:POS-80;CLS:PRINTER;" > "$CFG/printer/functions/printer.lp/pnp_string"
  echo 10 > "$CFG/printer/functions/printer.lp/q_len"
  link printer printer.lp
  # ID-card reader: a CDC-ACM serial port (/dev/ttyACM0 to the kiosk) that speaks GA/T 467.
  gadget idcard 0x1d6b 0x0104 "Xiangli Lab" "Lab ID card reader" "LAB0002"
  mkdir -p "$CFG/idcard/functions/acm.reader"
  link idcard acm.reader
  # Rating buttons and QR scanner: USB HID boot keyboards.
  for name in rating scanner; do
    local product="Lab rating buttons"; [ "$name" = scanner ] && product="Lab QR scanner"
    gadget "$name" 0x1d6b 0x0104 "Xiangli Lab" "$product" "LAB-$name"
    local f="$CFG/$name/functions/hid.kbd"
    mkdir -p "$f"
    echo 1 > "$f/protocol"; echo 1 > "$f/subclass"; echo 8 > "$f/report_length"
    printf "$KBD_DESC" > "$f/report_desc"
    link "$name" hid.kbd
  done
  # USB stick: a mass-storage gadget backed by a FAT image file.
  gadget stick 0x1d6b 0x0104 "Xiangli Lab" "Lab USB stick" "LAB0005"
  local m="$CFG/stick/functions/mass_storage.usb"
  mkdir -p "$m"
  echo 1 > "$m/stall"
  echo 1 > "$m/lun.0/removable"
  echo 0 > "$m/lun.0/ro"
  link stick mass_storage.usb
  if [ ! -f /var/lib/lab/stick.img ]; then
    mkdir -p /var/lib/lab
    truncate -s 64M /var/lib/lab/stick.img
    mkfs.vfat -n LABSTICK /var/lib/lab/stick.img >/dev/null
  fi
  echo /var/lib/lab/stick.img > "$m/lun.0/file"
  for name in "${NAMES[@]}"; do plug "$name"; done
  # Document camera: not a gadget (dummy_hcd has no isochronous transfers, which Debian 12's
  # UVC function needs) but v4l2loopback, built into the image by DKMS: /dev/video0, a V4L2
  # capture device to the kiosk once its far side (camera_side.py) writes frames to it.
  modprobe v4l2loopback devices=1 video_nr=0 exclusive_caps=1 max_buffers=4 \
    card_label="Lab document camera"
  # Which /dev/hidgN is which (the far sides write their reports there).
  mkdir -p /run/lab
  for name in rating scanner; do
    local devnum
    devnum=$(cat "$CFG/$name/functions/hid.kbd/dev")
    echo "/dev/$(basename "$(readlink -f "/sys/dev/char/$devnum")")" > "/run/lab/hidg-$name"
  done
}

case "${1:-up}" in
  up) up ;;
  plug) plug "$2" ;;
  unplug) unplug "$2" ;;
  *) echo "usage: gadgets.sh up|plug NAME|unplug NAME" >&2; exit 2 ;;
esac
