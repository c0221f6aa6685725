"""`xiangli-hub send-sms [--loop] [--interval S]`: send the SMS outbox (sync.hub.sms.outbox).

One pass by default (cron, tests): prints how many messages ended sent, waiting (queued for a
retry or a rate limit), failed and dropped, and how many delivery receipts came in (delivered,
undelivered), timed out or could not be fetched (receipt_errors), as JSON. `--loop` runs a pass every `--interval`
seconds for a service (a systemd unit of its own beside the hub's; packaging/hub ships none
yet)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any


def cmd_send_sms(args: argparse.Namespace, migrate: Callable[[], None]) -> int:
    import logging

    from sync.hub.sms import outbox

    migrate()
    logging.getLogger().setLevel(logging.INFO)  # a service's log: each message's id and state
    try:
        config = outbox.current_settings()
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    problems = config.problems()
    if problems:
        print("error: " + "；".join(problems), file=sys.stderr)
        return 2
    try:
        gateway = outbox.make_gateway(config)
    except RuntimeError as err:  # the SDK missing, no AccessKey
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.loop:
        try:
            outbox.loop(args.interval, config, gateway)
        except KeyboardInterrupt:
            return 0
    counts = outbox.send_pass(config, gateway)
    print(json.dumps({"provider": config.provider, **counts}, ensure_ascii=False))
    return 0


def add_commands(sub: Any, migrate: Callable[[], None]) -> None:
    send = sub.add_parser("send-sms", help="send the SMS outbox (短信提醒): one pass, or --loop")
    send.add_argument("--loop", action="store_true", help="keep sending, a pass per interval")
    send.add_argument("--interval", type=float, default=30.0, help="seconds between passes")
    send.set_defaults(func=lambda args: cmd_send_sms(args, migrate))
