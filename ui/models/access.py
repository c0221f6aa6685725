"""大字 (large text) and 语音 (voice): two switches always in reach on every screen.

Voice goes through QtTextToSpeech (speech-dispatcher) in Mandarin when a Mandarin voice exists on
this machine; without one the kiosk stays silent and the voice switch is not shown, which is not
an error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Property, QLocale, QObject, Signal, Slot

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
    """What the screens need of a voice: `Speaker`, `VoiceProcess` or a test's recorder."""

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


class VoiceProcess:
    """The voice in its own process (`python -m ui.voice`), started after the first frame.

    QtTextToSpeech's binding holds Python's lock while speech-dispatcher's client waits for a
    reply, and a server without sound output can stop replying: in the kiosk's own process
    (even on another thread) that froze the screen. Here a hung engine only keeps the kiosk
    silent. Prompts are written to the child's stdin through QProcess (never blocking the
    GUI thread); `available` turns true and `on_ready` is called, on the GUI thread, when the
    child says its Mandarin voice is ready."""

    MAX_PENDING = 64 * 1024  # bytes not yet taken by the child: past this it is stuck, drop

    def __init__(
        self,
        argv: list[str] | None = None,
        on_ready: Callable[[], None] = lambda: None,
    ) -> None:
        self.available = False
        self.voice_name = ""
        self._argv = argv or [sys.executable, "-m", "ui.voice"]
        self._on_ready = on_ready
        self._proc: Any = None

    def start(self) -> None:
        from PySide6.QtCore import QProcess, QProcessEnvironment

        proc = QProcess()
        env = QProcessEnvironment.systemEnvironment()
        root = str(Path(__file__).resolve().parent.parent.parent)  # where `ui` is importable
        path = env.value("PYTHONPATH", "")
        env.insert("PYTHONPATH", f"{root}{os.pathsep}{path}" if path else root)
        proc.setProcessEnvironment(env)
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        proc.readyReadStandardOutput.connect(self._read)
        self._proc = proc
        proc.start(self._argv[0], self._argv[1:])

    def _read(self) -> None:
        proc = self._proc
        while proc is not None and proc.canReadLine():
            try:
                said = json.loads(bytes(proc.readLine().data()).decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(said, dict) and said.get("ready") is True and not self.available:
                self.voice_name = str(said.get("voice") or "")
                self.available = True
                log.info("voice ready: %s", self.voice_name)
                self._on_ready()

    def _send(self, job: dict[str, Any]) -> None:
        proc = self._proc
        if proc is None or not self.available:
            return
        if proc.bytesToWrite() > self.MAX_PENDING:
            return  # the voice is stuck: stay silent rather than pile prompts up
        proc.write((json.dumps(job, ensure_ascii=False) + "\n").encode("utf-8"))

    def say(self, text: str) -> None:
        if text:
            self._send({"say": text})

    def stop(self) -> None:
        self._send({"stop": True})

    def close(self) -> None:
        proc, self._proc = self._proc, None
        self.available = False
        if proc is not None:
            proc.kill()  # a hung engine would not read the end of its input
            proc.waitForFinished(2000)


class AccessModel(QObject):
    changed = Signal()

    def __init__(self, speaker: Voice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._large = False
        self._voice = speaker.available
        self.spoken: list[str] = []  # the last things said, for tests and the technician's log

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

    def start_voice(self, argv: list[str] | None = None) -> VoiceProcess:
        """The real voice, in its own process (`VoiceProcess`), started after the first frame;
        the voice switch appears when it is ready."""
        voice = VoiceProcess(argv, self._voice_came)  # QProcess's signal, on the GUI thread
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
