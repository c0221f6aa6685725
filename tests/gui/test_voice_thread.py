"""The voice on its own thread (ui.models.access.VoiceThread): a speech server that does not
answer (speech-dispatcher without a sound card can hang its clients) leaves the kiosk's screen
working and silent; once the engine is made, the voice switch appears and prompts go to it."""

from __future__ import annotations

import threading

from ui.app import KioskApp
from ui.driving import exists, settle, tap, wait_until
from ui.models.access import Speaker

from .conftest import FakeSpeaker


class HeldEngine(FakeSpeaker):
    """An engine whose making blocks until the test lets it go, like a hung speech server."""

    def __init__(self, release: threading.Event, made_on: list[int]) -> None:
        made_on.append(threading.get_ident())
        release.wait(60)  # a safety net only: the test releases it
        super().__init__()
        self.voice_name = "Chinese (Mandarin)"


def test_a_speech_server_that_hangs_does_not_freeze_the_screen(kiosk: KioskApp) -> None:
    window = kiosk.window  # type: ignore[attr-defined]
    release = threading.Event()
    made_on: list[int] = []
    engines: list[HeldEngine] = []

    def make() -> Speaker:
        engine = HeldEngine(release, made_on)
        engines.append(engine)
        return engine

    try:
        voice = kiosk.access.start_voice(make)  # returns while the engine is still being made
        wait_until(window, lambda: bool(made_on))
        assert made_on[0] != threading.get_ident()  # made on the voice's own thread
        # The screen goes on: a tile opens its page; the voice switch is not offered yet.
        tap(window, "tileProgress")
        settle(window)
        assert kiosk.nav.page != "home"
        assert not kiosk.access.voiceAvailable
        assert not exists(window, "voiceToggle")
        kiosk.access.say("欢迎使用")  # nothing to say it with: dropped, not queued forever
    finally:
        release.set()
    wait_until(window, lambda: kiosk.access.voiceAvailable)
    assert voice.voice_name == "Chinese (Mandarin)"
    wait_until(window, lambda: exists(window, "voiceToggle"))
    kiosk.access.say("请点击您要办的事")
    wait_until(window, lambda: engines[0].said[-1:] == ["请点击您要办的事"])
    assert "欢迎使用" not in engines[0].said
