"""Django settings of the county hub.

Everything comes from the environment so the same code runs a village demo and a county server:
- `XIANGLI_HUB_DATA` (default `./var/hub`): data directory (SQLite file, secret key, static files).
- `DATABASE_URL`: a dj-database-url URL (e.g. `postgresql://...`); default SQLite in the data dir.
- `XIANGLI_HUB_SECRET_KEY`: else a key is generated once into the data directory.
- `XIANGLI_HUB_DEBUG` (`1` to enable), `XIANGLI_HUB_ALLOWED_HOSTS` (comma separated, default `*`).
- `XIANGLI_HUB_ALLOW_UNSIGNED` (default `0`): `1` accepts header-only requests from unenrolled
  kiosks: for tests and the demo only, never on a county's hub.
- `XIANGLI_HUB_PROCESSES` (default 1): `serve`'s processes; `XIANGLI_HUB_DB_POOL` (default 24):
  PostgreSQL connections per process (psycopg_pool); `XIANGLI_HUB_POLL_INTERVAL` (default
  0.05 s): how often a process reads the feed's head while kiosks wait (sync.hub.longpoll).
- `XIANGLI_HUB_BEHIND_PROXY` (`1`: trust `X-Forwarded-Proto: https` from the county web server),
  `XIANGLI_HUB_TRUSTED_PROXY` (default `127.0.0.1`: the proxy's address, for uvicorn),
  `XIANGLI_HUB_ORIGINS` (comma separated, e.g. `https://hub.example.cn`: CSRF trusted origins).
- `XIANGLI_HUB_BLOB_DIR` (default `DATA/blobs`), `XIANGLI_HUB_PUBLIC_URL` (for the enrolment QR).
- `XIANGLI_HUB_LOGIN_FAILURES` (default 5), `XIANGLI_HUB_LOCKOUT_HOURS` (default 0.5): staff
  sign-in lockout (django-axes), per username and address.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from sync import protocol

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("XIANGLI_HUB_DATA", "./var/hub")).resolve()
# The data folder holds ID-card photos, the database and the secret key: the hub's user and
# group only. Whatever the hub writes is not world-readable (umask 027, as the systemd unit's
# UMask=0027), whoever starts it; the folder is made 0750.
os.umask(0o027)
DATA_DIR.mkdir(mode=0o750, parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("XIANGLI_HUB_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("XIANGLI_HUB_DEBUG", "") == "1"


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = _env_list("XIANGLI_HUB_ALLOWED_HOSTS", "*")
# Behind the county's web server (nginx / Caddy terminating HTTPS): it must set
# `X-Forwarded-Proto` (and overwrite any the client sent); then Django knows the request was
# HTTPS (secure CSRF checks, https:// absolute URLs such as the enrolment QR's).
BEHIND_PROXY = os.environ.get("XIANGLI_HUB_BEHIND_PROXY", "") == "1"
# uvicorn ignores X-Forwarded-* from peers it does not trust: `serve` trusts this address (the
# proxy's, as the hub sees it; `*` for any) for X-Forwarded-Proto and X-Forwarded-For.
TRUSTED_PROXY = os.environ.get("XIANGLI_HUB_TRUSTED_PROXY", "127.0.0.1") if BEHIND_PROXY else ""
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The public origins staff open the admin at, e.g. `https://zwfw.example.gov.cn` (scheme
# required): Django's CSRF check accepts form posts from them.
CSRF_TRUSTED_ORIGINS = _env_list("XIANGLI_HUB_ORIGINS")
# Staff sign in through the proxy over HTTPS only: the session and CSRF cookies are Secure
# there (a browser never sends them over plain http), HttpOnly for the session, and the
# session ends with the browser and after 8 idle hours. The demo (no proxy, plain http on the
# village LAN) keeps non-Secure cookies, or no one could sign in.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_PROXY
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True
MIN_APP_VERSION = os.environ.get("XIANGLI_MIN_APP_VERSION", protocol.MIN_APP_VERSION)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sync.hub.county",
    "sync.hub.workdesk",
    "sync.hub.sms",  # 短信提醒: SMS_* settings from the environment, see sync.hub.sms.port
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # whitenoise, async-capable (sync.hub.middleware): every middleware here must be.
    "sync.hub.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Staff sign-in throttling (django-axes): 5 failed passwords for one username from one address
# lock that pair out for 30 minutes (each further try during the lockout restarts it); a
# success resets the count. The address is REMOTE_ADDR, which uvicorn sets from
# X-Forwarded-For only for the trusted proxy (`XIANGLI_HUB_TRUSTED_PROXY`). County
# administrators see and clear lockouts in the admin (访问尝试), or
# `xiangli-hub manage axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Staff passwords (the admin's forms, `xiangli-hub staff add`): 10 characters or more, not a
# common one, not only digits, not like the username.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("XIANGLI_HUB_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("XIANGLI_HUB_LOCKOUT_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sync.hub.county.access.client_ip"
AXES_LOCKOUT_TEMPLATE = "county/locked_out.html"
AXES_VERBOSE = False

ROOT_URLCONF = "sync.hub.urls"
WSGI_APPLICATION = "sync.hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_SQLITE_OPTIONS = {
    # Writers take the lock at BEGIN, so two pushes never deadlock upgrading a read lock.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
}

if os.environ.get("DATABASE_URL"):
    # Served under ASGI (sync.hub.asgi) a request's thread lives as long as the request, so a
    # connection kept by a thread would be lost with it: no persistent connections (Django's
    # advice for ASGI); PostgreSQL connections come from a pool instead (psycopg_pool, at most
    # `XIANGLI_HUB_DB_POOL` per hub process, of which the long poll's `--threads` keep one each;
    # 0: no pool, a connection per request).
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
    _POOL = int(os.environ.get("XIANGLI_HUB_DB_POOL", "24"))
    if _POOL > 0 and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": _POOL,
            "timeout": 20,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "hub.sqlite3"),
            "OPTIONS": _SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing one
# Serve admin assets straight from the installed apps: no collectstatic needed for a demo.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A push carries whole cases (material lists included); keep a sane upper bound.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Header-only (v1, unsigned) requests from terminals that have no key: OFF unless
# `XIANGLI_HUB_ALLOW_UNSIGNED=1` (tests and the demo turn it on explicitly). With it on, anyone on
# the network can register a terminal and pull county-wide changes. An enrolled terminal must
# sign whatever this says.
ALLOW_UNSIGNED = os.environ.get("XIANGLI_HUB_ALLOW_UNSIGNED", "0") == "1"
# Caps on what one request may carry (413 beyond them), checked after the signature: the body as
# sent, the body inflated, and the ops of one push (a kiosk then sends smaller batches).
MAX_WIRE_BYTES = int(os.environ.get("XIANGLI_HUB_MAX_BODY", str(4 * 1024 * 1024)))
# The largest request body at all (a release package uploaded in the admin is the largest):
# refused before it is read (sync.hub.asgi), where Django would spool it to disk.
MAX_REQUEST_BYTES = int(os.environ.get("XIANGLI_HUB_MAX_REQUEST", str(320 * 1024 * 1024)))
MAX_INFLATED_BYTES = int(os.environ.get("XIANGLI_HUB_MAX_INFLATED", str(10 * 1024 * 1024)))
MAX_PUSH_OPS = int(os.environ.get("XIANGLI_HUB_MAX_PUSH_OPS", "500"))
# The oldest kiosk time a pushed record may carry, in days before the hub's clock (0: no limit):
# a kiosk offline for a week or two still delivers everything; see sync.hub.ops._moment.
MAX_PAST_DAYS = int(os.environ.get("XIANGLI_HUB_MAX_PAST_DAYS", "31"))
# Material photos: complete files named by sha256, partial uploads per terminal.
BLOB_DIR = Path(os.environ.get("XIANGLI_HUB_BLOB_DIR", str(DATA_DIR / "blobs"))).resolve()
BLOB_MAX_BYTES = 20 * 1024 * 1024
# The public address kiosks use (printed in the enrolment QR); default: the request's host.
PUBLIC_URL = os.environ.get("XIANGLI_HUB_PUBLIC_URL", "")

# Kiosk software updates (sync.hub.updates): staff upload signed .debs; they are kept under
# MEDIA_ROOT (`XIANGLI_HUB_MEDIA`, default DATA/media) and served only through
# /api/v1/updates/files/. With `XIANGLI_HUB_UPDATE_KEYS` (a folder of the county's public .pem
# keys) an upload whose signature none of them verifies is refused.
INSTALLED_APPS += ["sync.hub.updates"]
MIDDLEWARE += ["sync.hub.updates.middleware.UpdateReportMiddleware"]
MEDIA_ROOT = Path(os.environ.get("XIANGLI_HUB_MEDIA", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "media/"
UPDATE_KEYS_DIR = os.environ.get("XIANGLI_HUB_UPDATE_KEYS", "")
FILE_UPLOAD_PERMISSIONS = 0o640

# Exchange with the provincial platform (sync.hub.exchange, docs/haochaping.md): ratings (好差评)
# pushed to `XIANGLI_HUB_HCP_URL` (`simulator`: recorded in DATA/haochaping-simulator.jsonl) with
# `XIANGLI_HUB_HCP_TOKEN` as a bearer token; `XIANGLI_HUB_HCP_ATTEMPTS` requests per rating and
# run, `XIANGLI_HUB_HCP_BACKOFF` seconds before the second (doubling), `XIANGLI_HUB_HCP_TIMEOUT`;
# `XIANGLI_HUB_HCP_CHANNELS` maps our rating channels to the national 评价渠道 codes (5:
# 政务大厅其他终端); `XIANGLI_HUB_REGION_CODE` the county's division code (default: the catalog's).
INSTALLED_APPS += ["sync.hub.exchange"]
HCP_URL = os.environ.get("XIANGLI_HUB_HCP_URL", "")
HCP_TOKEN = os.environ.get("XIANGLI_HUB_HCP_TOKEN", "")
HCP_ATTEMPTS = int(os.environ.get("XIANGLI_HUB_HCP_ATTEMPTS", "3"))
HCP_BACKOFF = float(os.environ.get("XIANGLI_HUB_HCP_BACKOFF", "2"))
HCP_TIMEOUT = float(os.environ.get("XIANGLI_HUB_HCP_TIMEOUT", "10"))
HCP_CHANNELS = os.environ.get("XIANGLI_HUB_HCP_CHANNELS", "screen=5,device=5,default=5")
HCP_REGION_CODE = os.environ.get("XIANGLI_HUB_REGION_CODE", "")
# The county's figures (dashboard at /admin/figures/) and the kiosks' health reports in pushes.
INSTALLED_APPS += ["sync.hub.figures"]
MIDDLEWARE += ["sync.hub.figures.health.HealthReportMiddleware"]
