"""The far side of the lab's speaker: what the kiosk's voice played, measured.

/etc/asound.conf (lab/guest/units/asound.conf) makes ALSA's default device a WAV file under
/var/lib/lab/speaker. `speaker_side.py measure` prints {"bytes", "ms", "rms", "rate"}: the
audio's length and loudness (silence has an RMS of 0). ALSA writes the header's length only
when the device closes (speech-dispatcher may keep it open), so the samples are read as
everything after the data chunk's header. `speaker_side.py clear` empties the folder.
"""

from __future__ import annotations

import array
import json
import shutil
import struct
import sys
from pathlib import Path

FOLDER = Path("/var/lib/lab/speaker")
PLAYED = FOLDER / "played.wav"


def measure() -> dict[str, float]:
    try:
        raw = PLAYED.read_bytes()
    except OSError:
        return {"bytes": 0, "ms": 0, "rms": 0, "rate": 0}
    fmt = raw.find(b"fmt ")
    data = raw.find(b"data")
    if fmt < 0 or data < 0:
        return {"bytes": len(raw), "ms": 0, "rms": 0, "rate": 0}
    _tag, channels, rate, _bps, _align, bits = struct.unpack_from("<HHIIHH", raw, fmt + 8)
    if bits != 16:
        return {"bytes": len(raw), "ms": 0, "rms": 0, "rate": rate, "bits": bits}
    body = raw[data + 8 :]
    samples = array.array("h", body[: len(body) // 2 * 2])
    rms = (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5
    ms = 1000 * len(samples) / max(1, channels) / max(1, rate)
    return {"bytes": len(raw), "ms": round(ms), "rms": round(rms), "rate": rate}


def main(argv: list[str]) -> int:
    if argv[:1] == ["clear"]:
        shutil.rmtree(FOLDER, ignore_errors=True)
        FOLDER.mkdir(parents=True)
        FOLDER.chmod(0o1777)  # the kiosk's user's speech-dispatcher writes here
        return 0
    if argv[:1] == ["measure"]:
        print(json.dumps(measure()))
        return 0
    print("usage: speaker_side.py clear|measure", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
