"""The voice: the kiosk's Speaker picks speech-dispatcher's Mandarin voice (espeak-ng's cmn) and
a prompt comes out as audio; every villager page says its prompt on arrival; the apply page says
each step.

The real engine runs in a private speech-dispatcher whose ALSA output is a WAV file (ALSA's own
`file` plugin into `null`): no sound card is needed, and the WAV is what the speaker would play.
`./xiangli test` installs speech-dispatcher and its espeak-ng module (APT_TEST), so there the
test runs; elsewhere it is skipped and says which part is missing.
"""

from __future__ import annotations

import array
import os
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale

from ui.app import KioskApp
from ui.driving import settle, tap
from ui.models.access import mandarin_rank

ROOT = Path(__file__).resolve().parents[2]
MODULE = Path("/usr/lib/speech-dispatcher-modules/sd_espeak-ng")
PROMPT = "请把身份证放在读卡区，然后点击读取身份证"

# Run in a child process: libspeechd reads SPEECHD_ADDRESS when Qt's plugin connects.
SPEAK = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech
from ui.models.access import Speaker
app = QCoreApplication([])
speaker = Speaker()
print("VOICE", speaker.voice_name, flush=True)
if not speaker.available:
    sys.exit(3)
tts = speaker.engine
seen = []
def state(s):
    seen.append(s)
    if s == QTextToSpeech.State.Ready and QTextToSpeech.State.Speaking in seen:
        QTimer.singleShot(500, app.quit)  # the module finishes writing the last period
    if s == QTextToSpeech.State.Error:
        app.exit(4)
tts.stateChanged.connect(state)
speaker.say({PROMPT!r})
QTimer.singleShot(60000, lambda: app.exit(5))
sys.exit(app.exec())
"""


@pytest.fixture
def speechd_to_wav(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path]]:
    """A private speech-dispatcher with espeak-ng, its sound going to a WAV file."""
    server = shutil.which("speech-dispatcher")
    if server is None:
        pytest.skip("speech-dispatcher is not installed (Debian: speech-dispatcher)")
    if not MODULE.exists():
        pytest.skip(f"{MODULE} is missing (Debian: speech-dispatcher-espeak-ng)")
    conf = tmp_path / "speechd"
    (conf / "modules").mkdir(parents=True)
    (conf / "speechd.conf").write_text(
        'AudioOutputMethod "alsa"\n'
        'AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"\n'
        'DefaultModule espeak-ng\nDefaultLanguage "zh"\nLogLevel 1\n'
    )
    (conf / "modules" / "espeak-ng.conf").write_text("")
    wav = tmp_path / "spoken.wav"
    (tmp_path / "asound.conf").write_text(
        f'pcm.!default {{ type file; slave.pcm "null"; file "{wav}"; format "wav" }}\n'
        "pcm.null { type null }\n"
    )
    sock = tmp_path / "speechd.sock"
    env = {
        **os.environ,
        "ALSA_CONFIG_PATH": str(tmp_path / "asound.conf"),
        "SPEECHD_ADDRESS": f"unix_socket:{sock}",
        "QT_QPA_PLATFORM": "offscreen",
    }
    proc = subprocess.Popen(
        [server, "-s", "-t", "0", "-C", str(conf), "-c", "unix_socket", "-S", str(sock)]
        + ["-L", str(tmp_path), "-P", str(tmp_path / "speechd.pid"), "-l", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):  # the server makes its socket when it is ready
            if sock.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert sock.exists(), "speech-dispatcher did not start"
        yield env, wav
    finally:
        proc.terminate()
        proc.wait(10)


def loudness(wav: Path) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples) of a WAV file. ALSA fills in the header's length
    only when the device closes (the server keeps it open), so the samples are what follows
    the data chunk's header."""
    with wave.open(str(wav)) as w:
        assert w.getsampwidth() == 2
        rate, channels = w.getframerate(), w.getnchannels()
    raw = wav.read_bytes()
    data = raw[raw.index(b"data") + 8 :]
    samples = array.array("h", data[: len(data) // 2 * 2])
    rms = (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5
    return len(samples) / channels / rate, rms


def test_the_kiosk_speaks_a_prompt_in_mandarin_through_speech_dispatcher(
    speechd_to_wav: tuple[dict[str, str], Path],
) -> None:
    env, wav = speechd_to_wav
    run = subprocess.run(
        [sys.executable, "-c", SPEAK], env=env, capture_output=True, text=True, timeout=120
    )
    voice = next((ln[6:] for ln in run.stdout.splitlines() if ln.startswith("VOICE ")), "")
    assert run.returncode == 0, (run.returncode, voice, run.stderr[-2000:])
    assert "Mandarin" in voice, voice  # espeak-ng's cmn, not its Cantonese (yue) or Hakka
    seconds, rms = loudness(wav)
    assert seconds > 1.0, seconds  # a sentence, not a click
    assert rms > 500, rms  # speech, not silence (silence is 0)


def test_mandarin_is_chosen_over_cantonese_and_a_mainland_voice_first() -> None:
    c = QLocale(QLocale.Language.C)
    assert mandarin_rank("Chinese (Cantonese)", QLocale("yue_HK")) is None
    assert mandarin_rank("Hakka Chinese", c) is None
    assert mandarin_rank("Afrikaans", c) is None
    plain = mandarin_rank("Chinese (Mandarin, latin as English)", c)
    variant = mandarin_rank("Chinese (Mandarin, latin as English)+Adam", c)
    pinyin = mandarin_rank("Chinese (Mandarin, latin as Pinyin)", c)
    mainland = mandarin_rank("Xiaoxiao", QLocale("zh_CN"))
    assert None not in (plain, variant, pinyin, mainland)
    assert mainland < plain < variant and plain < pinyin  # type: ignore[operator]


VILLAGER_PAGES = ["categories", "search", "progress", "notices", "feedback", "appointments", "help"]


@pytest.mark.parametrize("page", VILLAGER_PAGES)
def test_each_villager_page_says_its_prompt_on_arrival(kiosk: KioskApp, page: str) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    said = kiosk.access._speaker.said  # type: ignore[attr-defined]
    kiosk.nav.go(page)
    settle(w)
    loaded = w.findChild(object, "pageLoader").property("item")
    prompt = loaded.property("spoken")
    assert prompt and said and said[-1] == prompt


def test_the_apply_page_says_each_step(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    said = kiosk.access._speaker.said  # type: ignore[attr-defined]
    item = next(i for i in kiosk.catalog.items if len(i.materials) >= 2)
    kiosk.apply.start(item.code)
    kiosk.nav.go("apply")
    settle(w)
    assert said[-1] == PROMPT
    tap(w, "readCardButton")
    assert "核对" in said[-1] and "拍照" in said[-1]  # the next step: check, photograph
    kiosk.devices.doccam.plugged = False
    tap(w, "capture_1")
    assert kiosk.apply.error and said[-1] == kiosk.apply.error  # an error is said too


def test_voice_off_says_nothing_and_the_toggle_says_what_a_tap_does(kiosk: KioskApp) -> None:
    w = kiosk.window  # type: ignore[attr-defined]
    said = kiosk.access._speaker.said  # type: ignore[attr-defined]
    toggle = w.findChild(object, "voiceToggle")
    assert toggle.property("text") == "关语音"
    tap(w, "voiceToggle")
    assert toggle.property("text") == "开语音"
    before = len(said)
    kiosk.nav.go("help")
    settle(w)
    assert len(said) == before
