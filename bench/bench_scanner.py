"""Benchmark the QR/barcode decoders (not a test: nothing here asserts a time).

1. Speed: milliseconds per 1280x720 and 1920x1080 camera frame (a receipt QR on a noisy
   background) for each backend, on the full frame and on the camera scanner's path (downscaled
   to 960 px wide first). Median of --reps runs. Target: <= 10 ms per 720p frame.
2. Robustness: the share decoded of generated hard images — perspective, blur, glare, low
   contrast, small codes, Chinese payloads — for each backend and for "auto". Target: auto at
   least as good as the best single backend.

    .venv/bin/python bench/bench_scanner.py [--per-kind 30] [--reps 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
from collections.abc import Callable

import cv2
import numpy as np
import qrcode

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from drivers.scanner.camera import downscale
from drivers.scanner.decode import decode_image
from kiosk.caseno import make_case_no, qr_payload

DECODERS: dict[str, Callable[[np.ndarray], list]] = {
    "zxing": lambda im: decode_image(im, "zxing"),
    "pyzbar": lambda im: decode_image(im, "pyzbar"),
    "auto": lambda im: decode_image(im, "auto"),  # the camera scanner's path
    "auto+thorough": lambda im: decode_image(im, "auto", thorough=True),  # files
}
BACKENDS = tuple(DECODERS)
W, H = 1280, 720


def qr_matrix(text: str, ec: int = qrcode.constants.ERROR_CORRECT_M) -> np.ndarray:
    q = qrcode.QRCode(error_correction=ec, border=4, box_size=1)
    q.add_data(text.encode("utf-8"))
    q.make(fit=True)
    return (np.array(q.get_matrix(), dtype=np.uint8) == 0).astype(np.uint8) * 255


def background(rng: np.random.Generator, w: int = W, h: int = H) -> np.ndarray:
    """A camera-like scene: a smooth gradient, some blobs and rectangles, sensor noise."""
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    img = 90 + 60 * x + 40 * y
    img = np.broadcast_to(img, (h, w)).copy()
    for _ in range(6):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        cv2.rectangle(
            img,
            (cx, cy),
            (cx + int(rng.integers(30, 200)), cy + int(rng.integers(30, 200))),
            float(rng.uniform(30, 220)),
            -1,
        )
    img += rng.normal(0, 4, (h, w))
    return img.clip(0, 255).astype(np.uint8)


def place(
    scene: np.ndarray,
    matrix: np.ndarray,
    module_px: float,
    rng: np.random.Generator,
    jitter: float = 0.0,
    angle: float | None = None,
) -> np.ndarray:
    """Draw `matrix` at `module_px` per module, rotated and with corner jitter (perspective)."""
    n = matrix.shape[0]
    size = n * module_px
    h, w = scene.shape
    cx = rng.uniform(size, max(size + 1, w - size))
    cy = rng.uniform(min(size, h / 2), max(min(size, h / 2) + 1, h - size))
    a = np.deg2rad(rng.uniform(-30, 30) if angle is None else angle)
    half = size / 2
    pts = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    pts += rng.uniform(-jitter, jitter, pts.shape) * size
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    dst = (pts @ rot.T + [cx, cy]).astype(np.float32)
    src = np.array([[0, 0], [n, 0], [n, n], [0, n]], np.float32)
    big = cv2.resize(matrix, (n * 8, n * 8), interpolation=cv2.INTER_NEAREST)
    m = cv2.getPerspectiveTransform(src * 8, dst)
    code = cv2.warpPerspective(big, m, (w, h), flags=cv2.INTER_AREA, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(big, 255), m, (w, h), flags=cv2.INTER_AREA)
    alpha = mask.astype(np.float32) / 255
    return (scene * (1 - alpha) + code * alpha).astype(np.uint8)


def _payload(rng: np.random.Generator) -> str:
    from datetime import date

    no = make_case_no(date(2025, 9, int(rng.integers(1, 29))), "K001", int(rng.integers(1, 9999)))
    return qr_payload(
        no, "01JD" + "".join(rng.choice(list("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), 22))
    )


CHINESE = (
    "姓名：王秀英；事项：城乡居民基本养老保险参保登记；村：石坑村；电话：0593-7621301",
    "溪口镇便民服务中心 预约 2025年10月9日上午 第3号",
    "投诉建议：村道路灯不亮，请尽快维修。联系人李大爷",
)


def hard_set(rng: np.random.Generator, per_kind: int) -> list[tuple[str, str, np.ndarray]]:
    """(kind, expected text, gray image) triples."""
    out: list[tuple[str, str, np.ndarray]] = []
    for i in range(per_kind):
        text = _payload(rng)
        m = qr_matrix(text)
        out.append(("perspective", text, place(background(rng), m, 4.5, rng, jitter=0.16)))

        img = place(background(rng), m, 5.0, rng)
        sigma = rng.uniform(1.6, 2.8)
        out.append(("blur", text, cv2.GaussianBlur(img, (0, 0), sigma)))

        img = place(background(rng), m, 5.0, rng, angle=0).astype(np.float32)
        ys, xs = np.mgrid[0:H, 0:W]
        gx, gy = rng.uniform(0.3, 0.7) * W, rng.uniform(0.3, 0.7) * H
        glare = 230 * np.exp(-(((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * rng.uniform(60, 110) ** 2)))
        out.append(("glare", text, (img + glare).clip(0, 255).astype(np.uint8)))

        img = place(background(rng), m, 5.0, rng).astype(np.float32)
        lo, span = rng.uniform(90, 130), rng.uniform(22, 35)
        low = lo + img / 255 * span + rng.normal(0, 2.5, img.shape)
        out.append(("low_contrast", text, low.clip(0, 255).astype(np.uint8)))

        out.append(("small", text, place(background(rng), m, rng.uniform(1.6, 2.1), rng)))

        zh = CHINESE[i % len(CHINESE)] + f" #{i}"
        out.append(("chinese", zh, place(background(rng), qr_matrix(zh), 4.0, rng)))
    return out


def speed(reps: int, rng: np.random.Generator) -> list[tuple[str, str, float, float]]:
    rows = []
    text = _payload(rng)
    for w, h in ((1280, 720), (1920, 1080)):
        frame = place(background(rng, w, h), qr_matrix(text), 6.0 * w / 1280, rng)
        bgr = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        for b in BACKENDS:
            dec = DECODERS[b]
            full = _median_ms(lambda d=dec, f=bgr: d(f), reps)
            cam = _median_ms(lambda d=dec, f=bgr: d(downscale(f)), reps)
            ok = [c.text for c in dec(bgr)] == [text]
            rows.append((f"{w}x{h}", b + ("" if ok else " (MISSED)"), full, cam))
    return rows


def _median_ms(fn: Callable[[], object], reps: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def robustness(images: list[tuple[str, str, np.ndarray]]) -> dict[str, dict[str, float]]:
    kinds = list(dict.fromkeys(k for k, _, _ in images))
    table: dict[str, dict[str, float]] = {b: {} for b in BACKENDS}
    for b in BACKENDS:
        for kind in [*kinds, "all"]:
            subset = [(t, im) for k, t, im in images if kind in ("all", k)]
            hits = sum(t in [c.text for c in DECODERS[b](im)] for t, im in subset)
            table[b][kind] = hits / len(subset)
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_scanner")
    ap.add_argument("--per-kind", type=int, default=30)
    ap.add_argument("--reps", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    print("ms per frame (median)                full frame   camera path (960 px)")
    for size, b, full, cam in speed(args.reps, rng):
        print(f"  {size:<10} {b:<22} {full:9.1f}   {cam:9.1f}")
    blank = cv2.cvtColor(background(rng), cv2.COLOR_GRAY2BGR)
    print(
        "  1280x720, no code in view: "
        + ", ".join(
            f"{b} {_median_ms(lambda d=DECODERS[b]: d(blank), args.reps):.1f}" for b in BACKENDS
        )
    )

    images = hard_set(rng, args.per_kind)
    table = robustness(images)
    kinds = list(table["auto"])
    print(f"\ndecode rate, {args.per_kind} images per kind")
    print("  " + f"{'backend':<14}" + "".join(f"{k:>13}" for k in kinds))
    for b in BACKENDS:
        print("  " + f"{b:<14}" + "".join(f"{table[b][k] * 100:12.0f}%" for k in kinds))
    best = max(table["zxing"]["all"], table["pyzbar"]["all"])
    verdict = "OK" if table["auto"]["all"] >= best else "WORSE than the best single backend"
    print(f"\nauto {table['auto']['all'] * 100:.1f}% vs best single {best * 100:.1f}%: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
