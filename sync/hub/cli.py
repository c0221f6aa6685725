"""`xiangli-hub`: run and manage the county hub from a shell.

    xiangli-hub serve [--host 127.0.0.1] [--port 8700] [--processes N]
                                                         migrate if needed, then serve (uvicorn)
    xiangli-hub migrate                                  create / update the database
    xiangli-hub createstaff USERNAME --password PW       a county administrator (demo, tests;
                                                         no password rules)
    xiangli-hub staff add USERNAME --role county|town|department [--town 溪口镇]
                          [--department NAME] [--password PW | --password -]
                                                         a hub staff account, its role and scope
    xiangli-hub staff list | staff disable USERNAME
    xiangli-hub case-action CASE_NO ACTION [--text T] [--lead-department D] [--departments A、B]
                            [--agent N] [--agent-deadline YYYY-MM-DD] [--department D]
                                                         what staff do in the admin, from a shell
    xiangli-hub new-epoch                                make every kiosk re-pull (after a restore)
    xiangli-hub enrol-code [--name N] [--url U] [--terminal ID]
                                                         a one-time kiosk enrolment code (+ QR);
                                                         --terminal: to re-key that (revoked) one
    xiangli-hub publish-catalog FILE.json                import and publish a catalog version
    xiangli-hub import-catalog FILE.xlsx [--dry-run] [--yes]
                                                         a county's 实施清单 workbook: report,
                                                         then (once confirmed) publish it
    xiangli-hub publish-calendar FILE.json               import and publish a year's calendar
    xiangli-hub revoke TERMINAL_ID [--restore]           stop (or restore) a kiosk
    xiangli-hub terminal revoke|restore TERMINAL_ID      the same (revoke before re-keying)
    xiangli-hub publish-notice --category C --title T --body B [--expires ISO]
    xiangli-hub publish-slot --centre C --service S --date D --start HH:MM --end HH:MM --capacity N
    xiangli-hub answer-feedback TRACKING_NO --text T     answer a complaint / suggestion
    xiangli-hub create-account --role agent|technician --name N [--id-number X] --pin P
                               [--terminal ID] [--stand-in-for ACCOUNT_ID]   (`--pin -`: stdin)
    xiangli-hub county seed-demo [--catalog FILE] [--terminal ID ...] [--village CODE]
                                                         the demo county: 溪口镇, its villages and
                                                         the catalog's departments
    xiangli-hub county town CODE NAME                    add / rename a town (镇/乡)
    xiangli-hub county village CODE NAME --town CODE [--station S]
    xiangli-hub county department NAME --level village|town|county [--town CODE]
    xiangli-hub county place TERMINAL_ID VILLAGE_CODE    the village a kiosk stands in
    xiangli-hub lifecycle-replay < sequences.json        replay case actions in a rolled-back
                                                         transaction (the kiosk/hub parity test)
    xiangli-hub export-ratings [--since YYYY-MM-DD] --format jsonl|csv --out FILE
                                                         ratings (好差评) in the national fields
    xiangli-hub push-ratings [--simulate]               ratings not yet acknowledged, to the
                                                         provincial platform (docs/haochaping.md)
    xiangli-hub department-code NAME CODE                a department's code for the platform
    xiangli-hub send-sms [--loop] [--interval 30]        send the SMS outbox (短信提醒) once, or
                                                         keep sending (a service)
    xiangli-hub show cases|evaluations|operations|changes|terminals|blobs|update-reports ...
                     [--terminal ID] [--case ID]         what the hub holds, read-only, as JSON
    xiangli-hub manage ...                               Django's manage.py, passed through

The data directory and database come from the environment (see `sync.hub.settings`).
`--port 0` picks a free port; the "listening" line tells which.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

log = logging.getLogger("sync.hub")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sync.hub.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _more_open_files() -> None:
    """Raise the soft limit on open files to the hard one: each waiting kiosk is a socket."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            log.warning("open files stay limited to %d", soft)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    _migrate()
    from django.conf import settings

    _more_open_files()
    config = uvicorn.Config(
        "sync.hub.asgi:application",
        host=args.host,
        port=args.port,
        lifespan="off",  # Django has no lifespan handler
        log_config=None,  # the hub's logging (settings.LOGGING), no access log: paths name cases
        access_log=False,
        server_header=False,
        # Behind the county's proxy: X-Forwarded-Proto / -For from that address only.
        proxy_headers=bool(settings.TRUSTED_PROXY),
        forwarded_allow_ips=settings.TRUSTED_PROXY or None,
        timeout_keep_alive=30,
        # A stop or restart waits this long for open requests (a long poll waits up to 20 s;
        # a kiosk asks again after the restart).
        timeout_graceful_shutdown=3,
        workers=args.processes,
    )
    sock = config.bind_socket()
    # Listening now: a kiosk that connects while the workers start waits in the backlog, and
    # whoever reads the line below may connect at once.
    sock.listen(config.backlog)
    port = sock.getsockname()[1]
    log.info("xiangli-hub listening on http://%s:%s", args.host, port)
    log.info("%d process(es), uvicorn %s", args.processes, uvicorn.__version__)
    for handler in logging.getLogger().handlers:
        handler.flush()
    os.environ["XIANGLI_HUB_DB_THREADS"] = str(args.threads)  # sync.hub.longpoll; workers too
    try:
        if args.processes == 1:
            uvicorn.Server(config).run(sockets=[sock])
        else:
            Multiprocess(config, sockets=[sock]).run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate()
    return 0


def cmd_createstaff(args: argparse.Namespace) -> int:
    from sync.hub import county_setup as setup

    _migrate()
    setup.save_staff(args.username, "county", args.password, validate=False)
    print(f"staff user {args.username} ready")
    return 0


def cmd_staff(args: argparse.Namespace) -> int:
    """Hub staff accounts: `add` (create, or change role / scope / password), `list`,
    `disable`. `--password -` reads it from stdin; no `--password` asks for it (a new
    account) or keeps it (an existing one)."""
    import getpass

    from sync.hub import county_setup as setup

    _migrate()
    try:
        if args.staff == "list":
            print("\n".join(setup.staff_rows()))
            return 0
        if args.staff == "disable":
            setup.disable_staff(args.username)
            print(f"{args.username} disabled")
            return 0
        password = args.password
        if password == "-":
            password = sys.stdin.readline().rstrip("\n")
        elif password is None and sys.stdin.isatty():
            from django.contrib.auth import get_user_model

            if not get_user_model().objects.filter(username=args.username).exists():
                password = getpass.getpass("password: ")
        user = setup.save_staff(args.username, args.role, password, args.town, args.department)
    except setup.SetupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{user.username} {args.role} ready")
    return 0


def cmd_case_action(args: argparse.Namespace) -> int:
    from sync.hub import staff
    from sync.hub.county.models import Case

    _migrate()
    params = {
        "lead_department": args.lead_department,
        "departments": args.departments,
        "agent": args.agent,
        "agent_deadline": args.agent_deadline,
        "department": args.department,
    }
    try:
        case = staff.apply_action(staff.find_case(args.case).pk, args.action, args.text, **params)
    except (staff.ActionError, Case.DoesNotExist) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{case.case_no} {case.status}")
    return 0


def cmd_lifecycle_replay(args: argparse.Namespace) -> int:
    import json

    from sync.hub import replay

    _migrate()
    data = json.loads(sys.stdin.read())
    print(json.dumps({"results": replay.replay(data["sequences"])}, ensure_ascii=False))
    return 0


def cmd_county(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sync.hub import county_setup as setup

    _migrate()
    try:
        if args.county == "seed-demo":
            from kiosk.catalog import demo_catalog_path

            path = Path(args.catalog) if args.catalog else demo_catalog_path()
            print(setup.seed_demo(path, tuple(args.terminal), args.village).summary())
        elif args.county == "town":
            print(setup.save_town(args.code, args.name).name)
        elif args.county == "village":
            print(setup.save_village(args.code, args.name, args.town, args.station).station)
        elif args.county == "department":
            print(setup.save_department(args.name, args.level, args.town).name)
        else:
            terminal = setup.place_terminal(args.terminal_id, args.village_code)
            print(f"{terminal.id} {terminal.village}")
    except (setup.SetupError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_new_epoch(args: argparse.Namespace) -> int:
    from sync.hub import feed

    _migrate()
    print(feed.start_new_epoch())
    return 0


def cmd_enrol_code(args: argparse.Namespace) -> int:
    from django.conf import settings

    from sync.hub import enrol

    _migrate()
    try:
        made = enrol.make_code(args.name, "cli", args.minutes, for_terminal=args.terminal)
    except enrol.EnrolError as err:
        print(f"error: {err.error}: {args.terminal}", file=sys.stderr)
        return 1
    url = args.url or settings.PUBLIC_URL or "http://127.0.0.1:8700"
    print(made.code)
    print(f"valid until {made.expires_at.isoformat(timespec='seconds')}", file=sys.stderr)
    if args.qr:
        import qrcode

        qr = qrcode.QRCode(border=1)
        qr.add_data(enrol.qr_text(url, made.code))
        qr.print_ascii(out=sys.stderr, invert=True)
    return 0


def _load_json(path: str) -> Any:
    import json
    from pathlib import Path

    return json.loads(Path(path).read_text(encoding="utf-8"))


def cmd_publish_catalog(args: argparse.Namespace) -> int:
    from sync.hub import publish
    from sync.hub.county.models import CatalogVersion

    _migrate()
    catalog = _load_json(args.file)
    version = str(catalog.get("version") or "")
    if not version:
        print("error: the catalog has no version", file=sys.stderr)
        return 1
    CatalogVersion.objects.update_or_create(version=version, defaults={"catalog": catalog})
    try:
        publish.publish_catalog(version)
    except publish.PublishError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"catalog {version} published")
    return 0


def cmd_import_catalog(args: argparse.Namespace) -> int:
    """The 实施清单 workbook as a new catalog version: print the report; with --dry-run write
    nothing, else publish once confirmed (asked, or --yes)."""
    from pathlib import Path

    from sync.hub import catalog_import, publish

    if not args.dry_run:
        _migrate()
    try:
        draft = catalog_import.prepare(Path(args.file).read_bytes())
    except (catalog_import.WorkbookError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(draft.report())
    if args.dry_run:
        print("试导入（--dry-run）：未写入任何内容")
        return 0
    if not args.yes:
        try:
            answer = input(f"确认发布目录版本 {draft.version} 到各终端？输入 y 确认：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未发布")
            return 0
    try:
        version = catalog_import.save_and_publish(draft.catalog)
    except publish.PublishError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"已发布目录版本 {version}（{draft.item_count} 个事项）")
    return 0


def cmd_publish_calendar(args: argparse.Namespace) -> int:
    from sync.hub import publish
    from sync.hub.county.models import CalendarYear

    _migrate()
    data = _load_json(args.file)
    CalendarYear.objects.update_or_create(
        year=int(data["year"]),
        defaults={
            "source": str(data.get("source", "")),
            "holidays": data.get("holidays", []),
            "workdays": data.get("workdays", []),
        },
    )
    try:
        publish.publish_calendar(int(data["year"]))
    except publish.PublishError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"calendar {data['year']} published")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from sync.hub.county.models import Terminal

    _migrate()
    restore = bool(getattr(args, "restore", False) or getattr(args, "action", "") == "restore")
    count = Terminal.objects.filter(pk=args.terminal).update(revoked=not restore)
    if not count:
        print(f"error: no terminal {args.terminal}", file=sys.stderr)
        return 1
    print(f"{args.terminal} {'restored' if restore else 'revoked'}")
    return 0


def _publishing(run: Any) -> int:
    """Run a publish function; a PublishError is a one-line error and exit status 1."""
    from sync.hub import publish

    try:
        print(run())
    except publish.PublishError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_publish_notice(args: argparse.Namespace) -> int:
    from sync import protocol
    from sync.hub import publish

    _migrate()
    try:
        expires = protocol.parse_iso(args.expires) if args.expires else None
    except ValueError:
        print(f"error: --expires {args.expires!r} is not an ISO-8601 time", file=sys.stderr)
        return 1

    def run() -> str:
        row = publish.new_notice(args.category, args.title, args.body, expires)
        return f"notice {row.id} published"

    return _publishing(run)


def cmd_publish_slot(args: argparse.Namespace) -> int:
    from datetime import date

    from sync.hub import publish

    _migrate()
    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        print(f"error: --date {args.date!r} is not YYYY-MM-DD", file=sys.stderr)
        return 1

    def run() -> str:
        row = publish.new_slot(args.centre, args.service, day, args.start, args.end, args.capacity)
        return f"slot {row.id} published"

    return _publishing(run)


def cmd_answer_feedback(args: argparse.Namespace) -> int:
    from sync.hub import publish

    _migrate()

    def run() -> str:
        row = publish.answer_feedback(publish.find_feedback(args.tracking_no).pk, args.text, "cli")
        return f"{row.tracking_no} answered"

    return _publishing(run)


def cmd_followups(args: argparse.Namespace) -> int:
    """差评回访 past their due date (sync.hub.county.followup), as JSON lines."""
    import json

    from sync.hub.county import followup

    _migrate()
    for row in followup.overdue_rows():
        print(json.dumps(row, ensure_ascii=False))
    return 0


def cmd_create_account(args: argparse.Namespace) -> int:
    from sync.hub import publish
    from sync.hub.county.models import StaffAccount, Terminal

    _migrate()
    pin = sys.stdin.readline().strip() if args.pin == "-" else args.pin
    if args.terminal and not Terminal.objects.filter(pk=args.terminal).exists():
        print(f"error: no terminal {args.terminal}", file=sys.stderr)
        return 1
    if args.stand_in_for and not StaffAccount.objects.filter(pk=args.stand_in_for).exists():
        print(f"error: no account {args.stand_in_for}", file=sys.stderr)
        return 1
    row = StaffAccount(
        role=args.role,
        name=args.name,
        terminal_id=args.terminal or None,
        stand_in_for_id=args.stand_in_for or None,
    )

    def run() -> str:
        if not pin:
            raise publish.PublishError("请设置 PIN（--pin）")
        saved = publish.save_account(row, id_number=args.id_number or None, pin=pin)
        return saved.id

    return _publishing(run)


def cmd_show(args: argparse.Namespace) -> int:
    from sync.hub import show

    _migrate()
    print(show.dumps(args.what, args.terminal, args.case))
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xiangli-hub manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    from domain.lifecycle import ACTION_ALIASES, TRANSITIONS
    from domain.vocabulary import LEVEL_LABELS
    from sync.protocol import ACCOUNT_ROLE_LABELS, NOTICE_CATEGORY_LABELS

    parser = argparse.ArgumentParser(prog="xiangli-hub", description="乡里办 county hub")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate if needed, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("XIANGLI_HUB_PROCESSES", "1")),
        help="hub processes on the one port (one database; default $XIANGLI_HUB_PROCESSES or 1)",
    )
    serve.add_argument(
        "--threads",
        type=int,
        default=8,
        help="threads per process for the database steps of waiting long polls",
    )
    serve.set_defaults(func=cmd_serve)
    sub.add_parser("migrate", help="create or update the database").set_defaults(func=cmd_migrate)
    create = sub.add_parser(
        "createstaff", help="create or reset a county administrator (demo; no password rules)"
    )
    create.add_argument("username")
    create.add_argument("--password", required=True)
    create.set_defaults(func=cmd_createstaff)
    staff = sub.add_parser("staff", help="hub staff accounts: role (county/town/department), scope")
    staff_sub = staff.add_subparsers(dest="staff", required=True)
    add = staff_sub.add_parser("add", help="create or update an account with its role and scope")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["county", "town", "department"])
    add.add_argument("--town", default="", help="town staff: the town's code or name")
    add.add_argument("--department", default="", help="department staff: the department's name")
    add.add_argument(
        "--password", default=None, help="`-` reads it from stdin (keeps it out of the history)"
    )
    staff_sub.add_parser("list", help="every staff account with its role and scope")
    disable = staff_sub.add_parser("disable", help="stop an account from signing in")
    disable.add_argument("username")
    staff.set_defaults(func=cmd_staff)
    action = sub.add_parser("case-action", help="accept / complete / ... a case")
    action.add_argument("case", metavar="CASE_NO")
    action.add_argument("action", choices=sorted([*TRANSITIONS, *ACTION_ALIASES]))
    action.add_argument(
        "--text", default="", help="退回理由 / 需补正材料 / 办理结果 / 取件人 / 代办人 / 协办部门"
    )
    action.add_argument("--lead-department", default="", help="accept, 联办件: 主办部门")
    action.add_argument("--departments", default="", help="accept, 联办件: 协办部门（顿号分隔）")
    action.add_argument("--agent", default="", help="accept / assign_agent, 代理件: 代办人")
    action.add_argument("--agent-deadline", default="", help="代理件: 代办期限 YYYY-MM-DD")
    action.add_argument("--department", default="", help="department_done: 办结的协办部门")
    action.set_defaults(func=cmd_case_action)
    replay = sub.add_parser(
        "lifecycle-replay", help="replay case actions (JSON on stdin) and roll them back"
    )
    replay.set_defaults(func=cmd_lifecycle_replay)
    county = sub.add_parser("county", help="towns, villages, departments, kiosks' villages")
    levels = county.add_subparsers(dest="county", required=True)
    seed = levels.add_parser("seed-demo", help="the demo county from the demo catalog")
    seed.add_argument("--catalog", default="", help="default: assets/catalog/demo-catalog.json")
    seed.add_argument("--terminal", action="append", default=[], help="a kiosk to place")
    seed.add_argument("--village", default="", help="its village code (default: the first)")
    town = levels.add_parser("town", help="add or rename a town")
    town.add_argument("code")
    town.add_argument("name")
    village = levels.add_parser("village", help="add or update a village")
    village.add_argument("code")
    village.add_argument("name")
    village.add_argument("--town", required=True, help="the town's code")
    village.add_argument("--station", default="", help="default: <town><village>便民服务站")
    dept = levels.add_parser("department", help="add or update a department")
    dept.add_argument("name")
    dept.add_argument("--level", required=True, choices=sorted(LEVEL_LABELS))
    dept.add_argument("--town", default="", help="the town's code (town departments)")
    place = levels.add_parser("place", help="the village a kiosk stands in")
    place.add_argument("terminal_id")
    place.add_argument("village_code")
    county.set_defaults(func=cmd_county)
    epoch = sub.add_parser("new-epoch", help="start a new epoch: every kiosk re-pulls")
    epoch.set_defaults(func=cmd_new_epoch)
    code = sub.add_parser("enrol-code", help="a one-time kiosk enrolment code (15 minutes)")
    code.add_argument("--name", default="", help="the kiosk's name, e.g. its village")
    code.add_argument("--url", default="", help="the hub address kiosks use (for the QR)")
    code.add_argument("--minutes", type=int, default=15)
    code.add_argument("--qr", action="store_true", help="also draw the QR code (stderr)")
    code.add_argument(
        "--terminal", default="", help="bind the code to this terminal (to re-key it once revoked)"
    )
    code.set_defaults(func=cmd_enrol_code)
    cat = sub.add_parser("publish-catalog", help="import and publish a catalog version")
    cat.add_argument("file")
    cat.set_defaults(func=cmd_publish_catalog)
    imp = sub.add_parser("import-catalog", help="a county's 实施清单 workbook (.xlsx) -> catalog")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="print the report, write nothing")
    imp.add_argument("--yes", action="store_true", help="publish without asking (scripts)")
    imp.set_defaults(func=cmd_import_catalog)
    cal = sub.add_parser("publish-calendar", help="import and publish a year's work calendar")
    cal.add_argument("file")
    cal.set_defaults(func=cmd_publish_calendar)
    rev = sub.add_parser("revoke", help="stop a kiosk (it keeps its data)")
    rev.add_argument("terminal")
    rev.add_argument("--restore", action="store_true")
    rev.set_defaults(func=cmd_revoke)
    term = sub.add_parser("terminal", help="a kiosk: revoke (before re-keying) or restore")
    term.add_argument("action", choices=["revoke", "restore"])
    term.add_argument("terminal")
    term.set_defaults(func=cmd_revoke)
    notice = sub.add_parser("publish-notice", help="publish a notice (三务公开) to every kiosk")
    notice.add_argument("--category", required=True, choices=sorted(NOTICE_CATEGORY_LABELS))
    notice.add_argument("--title", required=True)
    notice.add_argument("--body", required=True)
    notice.add_argument("--expires", default="", help="ISO-8601; no offset means UTC")
    notice.set_defaults(func=cmd_publish_notice)
    slot = sub.add_parser("publish-slot", help="publish an appointment slot to every kiosk")
    slot.add_argument("--centre", required=True, help="e.g. 某某镇便民服务中心")
    slot.add_argument("--service", required=True)
    slot.add_argument("--date", required=True, help="YYYY-MM-DD")
    slot.add_argument("--start", required=True, help="HH:MM (Asia/Shanghai)")
    slot.add_argument("--end", required=True, help="HH:MM (Asia/Shanghai)")
    slot.add_argument("--capacity", required=True, type=int)
    slot.set_defaults(func=cmd_publish_slot)
    answer = sub.add_parser("answer-feedback", help="answer a complaint / suggestion")
    answer.add_argument("tracking_no", metavar="TRACKING_NO")
    answer.add_argument("--text", required=True)
    answer.set_defaults(func=cmd_answer_feedback)
    account = sub.add_parser(
        "create-account", help="a village staff account (代办员 / 技术员), sent to the kiosks"
    )
    account.add_argument("--role", required=True, choices=sorted(ACCOUNT_ROLE_LABELS))
    account.add_argument("--name", required=True)
    account.add_argument(
        "--id-number", default="", help="required for agents; only its sha256 is kept"
    )
    account.add_argument(
        "--pin",
        required=True,
        help="6 digits; only its Argon2id hash is kept. `-` reads it from stdin "
        "(keeps it out of the shell history and the process list)",
    )
    account.add_argument("--terminal", default="", help="one kiosk only (default: all kiosks)")
    account.add_argument("--stand-in-for", default="", help="the account id this one stands in for")
    account.set_defaults(func=cmd_create_account)
    late = sub.add_parser("followups", help="overdue follow-ups of bad ratings (差评回访)")
    late.add_argument("--overdue", action="store_true", required=True, help="only overdue ones")
    late.set_defaults(func=cmd_followups)
    from sync.hub.exchange.commands import add_commands

    add_commands(sub, _migrate)  # export-ratings, push-ratings, department-code (好差评)
    from sync.hub.sms.commands import add_commands as add_sms_commands

    add_sms_commands(sub, _migrate)  # send-sms (短信提醒)
    shown = sub.add_parser("show", help="what the hub holds, read-only, as JSON")
    from sync.hub.show import WHAT

    shown.add_argument("what", choices=WHAT, nargs="+", help="several: one JSON object by name")
    shown.add_argument("--terminal", help="only this kiosk's")
    shown.add_argument("--case", help="only this case's (its id; for cases also its number)")
    shown.set_defaults(func=cmd_show)
    manage = sub.add_parser("manage", help="django manage.py passthrough")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    _setup()
    args = build_parser().parse_args(argv)
    if args.command != "serve":
        logging.getLogger().setLevel(logging.WARNING)  # keep command output clean
    else:
        logging.getLogger().setLevel(logging.INFO)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
