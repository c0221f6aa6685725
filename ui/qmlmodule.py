"""The QML module `Xiangli` (ui/qml/qmldir): the view-models as QML singletons, one instance set
per engine.

Each view-model the composition root hands over is a singleton of the module, named as its
class is known to QML: `NavModel`, `StatusModel`, ..., `DevicesModel`, `TechModel`. A singleton
type is registered once per process (Qt's type registry is global), with a factory that each
engine calls once: it returns the instance held by *that* engine (`KioskEngine.singletons`).
So several kiosks, each with its own engine, live in one process (the GUI tests make many).

`ui/qml/xiangli.qmltypes` describes these types to the tools (pyside6-qmllint, qmlls); it is
generated from the classes' Qt meta-objects by `python -m ui.qmlmodule` and checked against
them by tests/gui/test_qml_module.py. GUI thread only.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QMetaMethod, QMetaObject, QObject
from PySide6.QtQml import QJSEngine, QQmlApplicationEngine, qmlRegisterSingletonType

from ui.devices import Devices
from ui.models.access import AccessModel
from ui.models.nav import NavModel
from ui.models.notices import NoticesModel
from ui.models.session import SessionModel
from ui.models.status import StatusModel

URI = "Xiangli"
MAJOR, MINOR = 1, 0
QML_DIR = Path(__file__).with_name("qml")
QMLTYPES = QML_DIR / "xiangli.qmltypes"

# Singleton name → the class whose meta-object QML compiles against. A view-model QML reads
# must be listed here (and the qmltypes regenerated), or `register` refuses it. The home
# screen's own (what its first frame reads) are classes. The others are named by "module:Class"
# and not imported here: the villager's other pages' view-models and the staff's are made when
# first asked for, and anyway after the home screen's first frame (ui.app), so their modules
# (slips, case views, the agent's desk, backups, maintenance) are not loaded before it. Those
# are registered as QObject (QML reads a singleton's properties, signals and slots from the
# instance it gets); the qmltypes describe their classes.
TYPES: dict[str, type[QObject] | str] = {
    "NavModel": NavModel,
    "StatusModel": StatusModel,
    "GuideModel": "ui.models.guide:GuideModel",
    "ApplyModel": "ui.models.apply:ApplyModel",
    "ProgressModel": "ui.models.progress:ProgressModel",
    "SessionModel": SessionModel,
    "AccessModel": AccessModel,
    "NoticesModel": NoticesModel,
    "FeedbackModel": "ui.models.village:FeedbackModel",
    "AppointmentsModel": "ui.models.appointments:AppointmentsModel",
    "SupplementModel": "ui.models.supplement:SupplementModel",
    "DevicesModel": Devices,
    "StaffModel": "ui.admin.staff:StaffModel",
    "AgentModel": "ui.admin.agent:AgentModel",
    "ProxyModel": "ui.admin.proxy:ProxyModel",
    "DayModel": "ui.admin.day:DayModel",
    "TechModel": "ui.admin.tech:TechModel",
    "TechConfigModel": "ui.admin.techconfig:TechConfigModel",
    "SimCardModel": "ui.admin.simcard:SimCardModel",
}

_registered: set[str] = set()


def type_of(name: str) -> type[QObject]:
    """The class of the singleton `name` (importing a staff view-model's module)."""
    cls = TYPES[name]
    if isinstance(cls, str):
        module, _, attr = cls.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        assert isinstance(cls, type) and issubclass(cls, QObject), name
    return cls


def qml_name(name: str) -> str:
    """`navModel` → `NavModel`: the singleton's name for a view-model's Python-side name."""
    return name[:1].upper() + name[1:]


class KioskEngine(QQmlApplicationEngine):
    """An engine that knows its own view-models; the singleton factories ask it for them.
    `later(name)` makes one not given yet (a page's, the staff's) when QML first asks for it,
    and returns what it made by singleton name (the staff's come all at once)."""

    def __init__(
        self,
        singletons: Mapping[str, QObject],
        later: Callable[[str], Mapping[str, QObject]] | None = None,
    ) -> None:
        register(singletons)  # before the engine exists: it caches the module's types
        super().__init__()
        self.singletons = dict(singletons)
        self.later = later

    def singleton(self, name: str) -> QObject | None:
        if name not in self.singletons and self.later is not None:
            made = self.later(name)
            register(made)
            self.singletons.update(made)
        return self.singletons.get(name)


def register(singletons: Mapping[str, QObject]) -> None:
    """Registers (once per process, all at once) the module's singleton types. Types registered
    while an engine exists confuse that engine's type loader (a `Text` in an `Item` was
    refused), so every type is registered before the first engine."""
    unknown = sorted(set(singletons) - set(TYPES))
    if unknown:
        raise ValueError(
            f"not in ui.qmlmodule.TYPES (add them, regenerate the qmltypes): {unknown}"
        )
    if not _registered:
        for name, cls in TYPES.items():
            registered_as = cls if isinstance(cls, type) else QObject
            qmlRegisterSingletonType(registered_as, URI, MAJOR, MINOR, name, _factory(name))
            _registered.add(name)


def _factory(name: str) -> Callable[[QJSEngine], QObject | None]:
    # A plain function (PySide6 refuses a functools.partial as the callback).
    def create(engine: QJSEngine) -> QObject | None:
        instance = engine.singleton(name) if isinstance(engine, KioskEngine) else None
        if instance is None:
            print(f"QML singleton {URI}.{name}: this engine has none", file=sys.stderr)
            return None
        # The kiosk owns its view-models; the engine must not delete them when it goes.
        QJSEngine.setObjectOwnership(instance, QJSEngine.ObjectOwnership.CppOwnership)
        return instance

    return create


# -- the qmltypes file ----------------------------------------------------------------------

_QML_TYPE = {"PyObject": "QVariant", "": "void"}


def _type(name: str | bytes) -> str:
    text = name.decode() if isinstance(name, bytes) else name
    return _QML_TYPE.get(text, text)


def _component(name: str, cls: type[QObject]) -> list[str]:
    mo: QMetaObject = cls.staticMetaObject  # type: ignore[attr-defined]
    out = [
        "    Component {",
        f'        file: "{cls.__module__.replace(".", "/")}.py"',
        f'        name: "{name}"',
        '        accessSemantics: "reference"',
        f'        prototype: "{mo.superClass().className()}"',
        f'        exports: ["{URI}/{name} {MAJOR}.{MINOR}"]',
        "        isCreatable: false",
        "        isSingleton: true",
        f"        exportMetaObjectRevisions: [{MAJOR * 256 + MINOR}]",
    ]
    for i in range(mo.propertyOffset(), mo.propertyCount()):
        prop = mo.property(i)
        fields = [f'name: "{prop.name()}"', f'type: "{_type(prop.typeName())}"']
        fields.append(f'read: "{prop.name()}"')
        if prop.hasNotifySignal():
            fields.append(f'notify: "{prop.notifySignal().name().data().decode()}"')
        fields.append(f"index: {i - mo.propertyOffset()}")
        if not prop.isWritable():
            fields.append("isReadonly: true")
        if prop.isConstant():
            fields.append("isPropertyConstant: true")
        out.append("        Property { " + "; ".join(fields) + " }")
    for i in range(mo.methodOffset(), mo.methodCount()):
        method = mo.method(i)
        kind = method.methodType()
        if kind not in (QMetaMethod.MethodType.Signal, QMetaMethod.MethodType.Slot):
            continue
        head = "Signal" if kind == QMetaMethod.MethodType.Signal else "Method"
        lines = [f'name: "{method.name().data().decode()}"']
        returns = _type(method.typeName())
        if returns != "void":
            lines.append(f'type: "{returns}"')
        names = [bytes(n.data()).decode() for n in method.parameterNames()]
        for j, ptype in enumerate(method.parameterTypes()):
            pname = names[j] if j < len(names) and names[j] else f"arg{j}"
            lines.append(f'Parameter {{ name: "{pname}"; type: "{_type(bytes(ptype.data()))}" }}')
        out.append(f"        {head} {{")
        out.extend(f"            {line}" for line in lines)
        out.append("        }")
    out.append("    }")
    return out


def qmltypes() -> str:
    """The module's type description, from the registered classes' Qt meta-objects."""
    lines = [
        "import QtQuick.tooling 1.2",
        "",
        "// The Python view-models of the QML module Xiangli, for the QML tools (qmllint, qmlls).",
        "// Generated by `python -m ui.qmlmodule` from ui/qmlmodule.py TYPES; do not edit.",
        "",
        "Module {",
    ]
    for name in sorted(TYPES):
        lines.extend(_component(name, type_of(name)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_bytecode_cache(cache_dir: Path, installed_at: Path | None = None) -> list[Path]:
    """Compiles every QML file ahead of time into a QML disk cache (`QML_DISK_CACHE_PATH`), so
    no start compiles QML, the first after an install included. Qt names a file's cache entry
    by the SHA-1 of the file's absolute path and accepts it while the file's modification time
    and the Qt build are the ones it was made with: run it where the kiosk is installed (the
    package's postinst), or give `installed_at`, the path ui/qml will have there."""
    import subprocess  # not on the kiosk's way to its first frame

    qmlcachegen = Path(sys.executable).with_name("pyside6-qmlcachegen")
    where = installed_at or QML_DIR
    cache_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(QML_DIR.rglob("*.qml")):
        path = where / source.relative_to(QML_DIR)
        out = cache_dir / (hashlib.sha1(str(path).encode()).hexdigest() + ".qmlc")
        subprocess.run(
            [str(qmlcachegen), "--only-bytecode", "-o", str(out), str(source)],
            check=True,
            capture_output=True,
        )
        out.with_name(out.name + ".aotstats").unlink(missing_ok=True)
        written.append(out)
    return written


def write_engine_cache(cache_dir: Path) -> list[Path]:
    """Compiles every QML file with the kiosk's own QML engine (its types registered as the
    kiosk registers them) into Qt's disk cache at `cache_dir`, and returns the entries written.
    The same entries as the kiosk's first start writes, made where pyside6-qmlcachegen is not
    shipped (the .deb's pruned runtime): the package's postinst runs it as root. Qt accepts an
    entry while its QML file's path, modification time and the Qt build are the ones it was
    made with. Raises RuntimeError naming the files that do not compile. Call it in a process
    of its own, before any QML engine exists (Qt reads QML_DISK_CACHE_PATH once)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlComponent, QQmlEngine

    cache_dir.mkdir(parents=True, exist_ok=True)
    os.environ["QML_DISK_CACHE_PATH"] = str(cache_dir)
    os.environ.pop("QML_DISABLE_DISK_CACHE", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([])
    register({})
    engine = QQmlEngine()
    failed = []
    for source in sorted(QML_DIR.rglob("*.qml")):
        component = QQmlComponent(
            engine,
            QUrl.fromLocalFile(str(source)),
            QQmlComponent.CompilationMode.PreferSynchronous,
        )
        if not component.isReady():
            failed.append(f"{source.name}: {component.errorString().strip()}")
    del engine, app
    if failed:
        raise RuntimeError("QML that does not compile: " + "; ".join(failed))
    return sorted(cache_dir.glob("*.qmlc"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui.qmlmodule", description=__doc__)
    parser.add_argument(
        "--bytecode-cache", type=Path, metavar="DIR", help="compile the QML into DIR"
    )
    parser.add_argument("--installed-at", type=Path, help="where ui/qml will be (default: here)")
    parser.add_argument(
        "--engine-cache",
        type=Path,
        metavar="DIR",
        help="compile the QML with the kiosk's own QML engine into DIR (the package's postinst)",
    )
    args = parser.parse_args(argv)
    if args.engine_cache:
        written = write_engine_cache(args.engine_cache)
        print(f"compiled {len(written)} QML files into {args.engine_cache}")
        return
    if args.bytecode_cache:
        written = write_bytecode_cache(args.bytecode_cache, args.installed_at)
        print(f"compiled {len(written)} QML files into {args.bytecode_cache}")
        return
    QMLTYPES.write_text(qmltypes(), encoding="utf-8")
    print(f"wrote {QMLTYPES}")


if __name__ == "__main__":
    main()
