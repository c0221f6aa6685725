"""The voice's own process: `python -m ui.voice`.

The kiosk speaks through QtTextToSpeech and speech-dispatcher. Their Python binding holds the
interpreter's lock while libspeechd waits for the server's reply, and a speech-dispatcher
without a working sound output can stop replying: in the kiosk's process that froze every
thread, the screen included. So the engine lives here, in a child the kiosk starts after its
first frame (ui.models.access.VoiceProcess): a hung server silences the kiosk, nothing else.

Protocol, one JSON object per line: this process first writes `{"ready": bool, "voice": name}`
to stdout; then it reads `{"say": text}` and `{"stop": true}` from stdin, and exits at its end.
"""

from __future__ import annotations

import json
import sys
import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from ui.models.access import Speaker


class _Lines(QObject):
    line = Signal(str)
    ended = Signal()


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    speaker = Speaker()
    print(json.dumps({"ready": speaker.available, "voice": speaker.voice_name}), flush=True)
    if not speaker.available:
        return 0

    lines = _Lines()

    @Slot(str)
    def on_line(text: str) -> None:
        try:
            job = json.loads(text)
        except ValueError:
            return
        if not isinstance(job, dict):
            return
        if isinstance(job.get("say"), str):
            speaker.say(job["say"])
        elif job.get("stop"):
            speaker.stop()

    lines.line.connect(on_line, Qt.ConnectionType.QueuedConnection)
    lines.ended.connect(app.quit, Qt.ConnectionType.QueuedConnection)

    def read() -> None:  # stdin is read on its own thread; the engine stays on the main one
        for text in sys.stdin:
            lines.line.emit(text)
        lines.ended.emit()

    threading.Thread(target=read, name="voice-stdin", daemon=True).start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
