"""大字 (large text) and 语音 (voice): two switches always in reach on every screen.

Voice goes through QtTextToSpeech when a Chinese voice exists on this machine; without one the
kiosk stays silent and the switch says so (无语音), which is not an error.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Property, QLocale, QObject, Signal, Slot

log = logging.getLogger(__name__)


class Speaker:
    """A thin port over QTextToSpeech, so tests can record what would be said."""

    def __init__(self, engine: str | None = None) -> None:
        self.available = False
        self._tts = None
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return
        tts = QTextToSpeech(engine) if engine else QTextToSpeech()
        chinese = [
            v for v in tts.availableVoices() if v.locale().language() == QLocale.Language.Chinese
        ]
        if not chinese and tts.locale().language() != QLocale.Language.Chinese:
            for locale in tts.availableLocales():
                if locale.language() == QLocale.Language.Chinese:
                    tts.setLocale(locale)
                    chinese = list(tts.availableVoices())
                    break
        if chinese:
            tts.setVoice(chinese[0])
            tts.setRate(-0.2)  # a little slower than default, for older ears
            self._tts = tts
            self.available = True

    def say(self, text: str) -> None:
        if self._tts is not None and text:
            self._tts.stop()
            self._tts.say(text)

    def stop(self) -> None:
        if self._tts is not None:
            self._tts.stop()


class AccessModel(QObject):
    changed = Signal()

    def __init__(self, speaker: Speaker, parent: QObject | None = None) -> None:
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

    def set_speaker(self, speaker: Speaker) -> None:
        """The voice, made after the first frame (the composition root's start)."""
        self._speaker.stop()
        self._speaker = speaker
        self._voice = speaker.available
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
