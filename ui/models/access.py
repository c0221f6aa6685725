"""大字 (large text) and 语音 (voice): two switches always in reach on every screen.

Voice goes through QtTextToSpeech (speech-dispatcher) in Mandarin when a Mandarin voice exists on
this machine; without one the kiosk stays silent and the voice switch is not shown, which is not
an error.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Property, QLocale, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)


def mandarin_rank(name: str, locale: QLocale) -> int | None:
    """How well a voice speaks Mandarin to a villager: 0 best, None not at all.

    A voice for Chinese in mainland China first; then espeak-ng's Mandarin (cmn) through
    speech-dispatcher, whose locale Qt does not know (it reads "cmn" as C), so it is found by
    its name, the plain voice before its variants (+Adam, …) and letters read as English (an ID
    number's X) before pinyin; never Cantonese or Hakka, which a villager elsewhere does not
    follow."""
    lowered = name.lower()
    if "cantonese" in lowered or "hakka" in lowered:
        return None
    variant = 1 if "+" in name else 0
    if locale.language() == QLocale.Language.Chinese:
        mainland = locale.territory() in (QLocale.Country.China, QLocale.Country.AnyTerritory)
        return (0 if mainland else 10) + variant
    if "mandarin" in lowered or lowered.split("+")[0].strip() in ("cmn", "zh"):
        return 20 + variant + (2 if "pinyin" in lowered else 0)
    return None


class Voice(Protocol):
    """What the screens need of a voice: `Speaker`, `VoiceThread` or a test's recorder."""

    available: bool

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...


class Speaker:
    """A thin port over QTextToSpeech, so tests can record what would be said.

    speech-dispatcher (`speechd`) is asked first: the kiosk package depends on it and on its
    espeak-ng module, whose Mandarin voice it picks (mandarin_rank)."""

    def __init__(self, engine: str | None = None) -> None:
        self.available = False
        self.voice_name = ""
        self._tts = None
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return
        if engine is None and "speechd" in QTextToSpeech.availableEngines():
            engine = "speechd"
        tts = QTextToSpeech(engine) if engine else QTextToSpeech()
        ranked = []
        for voice in tts.allVoices(None):  # every locale's
            rank = mandarin_rank(voice.name(), voice.locale())
            if rank is not None:
                ranked.append((rank, len(ranked), voice))
        if not ranked:
            log.info("no Mandarin voice on this machine: the kiosk stays silent")
            return
        best = min(ranked, key=lambda r: r[:2])[2]
        tts.setVoice(best)
        tts.setRate(-0.2)  # a little slower than default, for older ears
        self.voice_name = best.name()
        self._tts = tts
        self.available = True
        log.info("voice: %s (%s)", self.voice_name, tts.engine())

    @property
    def engine(self) -> object:
        """The QTextToSpeech in use (None when silent), for its state."""
        return self._tts

    def say(self, text: str) -> None:
        if self._tts is not None and text:
            self._tts.stop()
            self._tts.say(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()


class VoiceThread:
    """The voice on its own thread, like a device: the speech engine is made there and every
    `say` and `stop` runs there, so a speech server that does not answer (speech-dispatcher
    with no sound card can hang its clients) never freezes the screen; the kiosk then stays
    silent. `available` turns true once the engine is made with a Mandarin voice, and
    `on_ready` is called, on the voice's thread, at that moment."""

    def __init__(
        self,
        make: Callable[[], Speaker] = Speaker,
        on_ready: Callable[[], None] = lambda: None,
    ) -> None:
        self.available = False
        self.voice_name = ""
        self._make = make
        self._on_ready = on_ready
        self._jobs: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        # A daemon thread: a speech server that hangs must not keep the kiosk from exiting.
        self._thread = threading.Thread(target=self._run, name="voice", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            speaker = self._make()
        except Exception:
            log.exception("the voice could not start: the kiosk stays silent")
            return
        if not speaker.available:
            return
        self.voice_name = speaker.voice_name
        self.available = True
        self._on_ready()
        while True:
            job, text = self._jobs.get()
            if job == "quit":
                speaker.stop()
                return
            if job == "say":
                # Only the latest prompt matters: a villager who tapped on has moved on.
                while True:
                    try:
                        later = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if later[0] == "quit":
                        speaker.stop()
                        return
                    job, text = later
            if job == "say":
                speaker.say(text)
            else:
                speaker.stop()

    def say(self, text: str) -> None:
        if self.available and text:
            self._jobs.put(("say", text))

    def stop(self) -> None:
        if self.available:
            self._jobs.put(("stop", ""))

    def close(self) -> None:
        self._jobs.put(("quit", ""))


class AccessModel(QObject):
    changed = Signal()
    _voice_ready = Signal()  # from the voice's thread, delivered on the GUI thread

    def __init__(self, speaker: Voice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._large = False
        self._voice = speaker.available
        self.spoken: list[str] = []  # the last things said, for tests and the technician's log
        self._voice_ready.connect(self._voice_came, Qt.ConnectionType.QueuedConnection)

    @Property(bool, notify=changed)
    def largeText(self) -> bool:  # noqa: N802
        return self._large

    @Property(bool, notify=changed)
    def voiceOn(self) -> bool:  # noqa: N802
        return self._voice and self._speaker.available

    @Property(bool, notify=changed)
    def voiceAvailable(self) -> bool:  # noqa: N802
        return self._speaker.available

    def set_speaker(self, speaker: Voice) -> None:
        """The voice, made after the first frame (the composition root's start)."""
        self._speaker.stop()
        self._speaker = speaker
        self._voice = speaker.available
        self.changed.emit()

    def start_voice(self, make: Callable[[], Speaker] = Speaker) -> VoiceThread:
        """The real voice, made on its own thread (`VoiceThread`) after the first frame; the
        voice switch appears when it is ready."""
        voice = VoiceThread(make, self._voice_ready.emit)
        self.set_speaker(voice)
        voice.start()
        return voice

    def close(self) -> None:
        closing = getattr(self._speaker, "close", None)
        if closing is not None:
            closing()

    @Slot()
    def _voice_came(self) -> None:
        self._voice = self._speaker.available
        self.changed.emit()

    @Slot()
    def toggleLargeText(self) -> None:  # noqa: N802
        self._large = not self._large
        self.changed.emit()

    @Slot()
    def toggleVoice(self) -> None:  # noqa: N802
        if self._speaker.available:
            self._voice = not self._voice
            if not self._voice:
                self._speaker.stop()
            self.changed.emit()

    @Slot(str)
    def say(self, text: str) -> None:
        if self.voiceOn and text:
            self.spoken = [*self.spoken[-19:], text]
            self._speaker.say(text)

    @Slot()
    def reset(self) -> None:
        """The next villager starts with the defaults."""
        self._large = False
        self._voice = self._speaker.available
        self._speaker.stop()
        self.changed.emit()
