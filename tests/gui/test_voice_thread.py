"""The voice in its own process (ui.voice, fed by ui.models.access.VoiceProcess): a speech
engine that hangs (speech-dispatcher without sound output stopped answering here, and
QtTextToSpeech's binding holds Python's lock while it waits) leaves the kiosk's screen working
and silent; a voice that says it is ready gets the switch shown and each prompt."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ui.app import KioskApp
from ui.driving import exists, settle, tap, wait_until


def hung(path: Path) -> list[str]:
    """A voice process whose engine never gets ready (as with a speech server that does not
    answer); it writes down whatever it is sent all the same."""
    script = (
        "import sys\n"
        f"out = open({str(path)!r}, 'a', encoding='utf-8')\n"
        "for line in sys.stdin:\n"
        "    out.write(line); out.flush()\n"
    )
    return [sys.executable, "-c", script]


def recorder(path: Path) -> list[str]:
    """A voice process that is ready at once and writes down each line it is sent."""
    script = (
        "import json, sys\n"
        "print(json.dumps({'ready': True, 'voice': 'Chinese (Mandarin)'}), flush=True)\n"
        f"out = open({str(path)!r}, 'a', encoding='utf-8')\n"
        "for line in sys.stdin:\n"
        "    out.write(line); out.flush()\n"
    )
    return [sys.executable, "-c", script]


def test_a_speech_engine_that_hangs_does_not_freeze_the_screen(
    kiosk: KioskApp, tmp_path: Path
) -> None:
    window = kiosk.window  # type: ignore[attr-defined]
    sent = tmp_path / "sent.jsonl"
    voice = kiosk.access.start_voice(hung(sent))
    try:
        tap(window, "tileProgress")  # the screen goes on while the voice never answers
        settle(window)
        assert kiosk.nav.page != "home"
        assert not kiosk.access.voiceAvailable
        assert not exists(window, "voiceToggle")
        kiosk.access.say("欢迎使用")  # nothing to say it with: dropped, not sent
        kiosk.access._speaker.say("欢迎使用")
        tap(window, "homeButton")
        settle(window)
        assert kiosk.nav.page == "home"
        # The child reads to the end of its input and exits: whatever was sent is written down.
        voice._proc.closeWriteChannel()
        assert voice._proc.waitForFinished(20000)
    finally:
        kiosk.access.close()
    assert sent.read_text(encoding="utf-8") == ""


def test_a_ready_voice_gets_the_switch_and_every_prompt(kiosk: KioskApp, tmp_path: Path) -> None:
    window = kiosk.window  # type: ignore[attr-defined]
    heard = tmp_path / "heard.jsonl"
    heard.touch()
    voice = kiosk.access.start_voice(recorder(heard))
    try:
        wait_until(window, lambda: kiosk.access.voiceAvailable)
        assert voice.voice_name == "Chinese (Mandarin)"
        assert exists(window, "voiceToggle")
        kiosk.access.say("请点击您要办的事")
        wait_until(window, lambda: heard.read_text(encoding="utf-8").strip() != "")
        said = [json.loads(x) for x in heard.read_text(encoding="utf-8").splitlines()]
        assert said == [{"say": "请点击您要办的事"}]
    finally:
        kiosk.access.close()
