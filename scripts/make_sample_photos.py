#!/usr/bin/env python3
"""Draw stand-in photos for the sample book's submissions.

These pictures are generated illustrations standing in for contributors' photos: the sample book is
fictional, so each ``photos:`` entry whose file is missing gets a stylised, photo-like scene (CT, MRI,
radiograph, ultrasound, team, workstation or corridor) chosen from keywords in its alt text. Output is
deterministic (seeded from the photo's path), small (about 25-60 KB baseline JPEG) and has no text.

Usage: make_sample_photos.py [ROOT] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import os
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml
from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Size = tuple[int, int]
SIZES: list[Size] = [(1200, 800), (1100, 800), (1000, 750), (800, 1100), (900, 1200)]
MAX_BYTES = 60_000
# Whole-word alt-text keywords (lower case, accents stripped; en fr es de pt it): scene -> (weight, regex).
KEYWORDS: dict[str, tuple[int, str]] = {
    "workstation": (
        2,
        r"workstations?|monitors?|screens?|pacs|reading|reports?|desk|ecrans?|bureau|console|pantallas?|"
        r"bildschirm\w*|telas?|schermi?|computers?|ordinat\w*|ordenador\w*|teleradiolog\w*|informes?|"
        r"befund\w*|refert\w*|laudos?|keyboard|clavier|postazione|arbeitsplatz",
    ),
    "ultrasound": (
        2,
        r"ultrasound\w*|ultrason\w*|echograph\w*|ecograf\w*|ultraschall\w*|sonogra\w*|ultrassom\w*|"
        r"doppler|echo|probe|sonde",
    ),
    "mri": (2, r"mri|irm|mrt|rm|magnet\w*|resonan\w*|risonanza|kernspin\w*|bore"),
    "ct": (2, r"ct|tdm|scanner\w*|tomodensit\w*|tac|tc|computed tomograph\w*|computertomogra\w*|tomograf\w*|gantry"),
    "xray": (
        2,
        r"x-?rays?|radiographs?|radiographie|radiografias?|chest|thorax|torax|torace|lungs?|lunge\w*|poumons?|"
        r"pulmon\w*|polmon\w*|rontgen\w*|roentgen\w*|rayos? x|raios?[- ]?x|raggi x|cliches?|lastra|pneumon\w*",
    ),
    "team": (
        1,
        r"teams?|radiographers?|radiolog(?:ist|ue)s?|nurses?|staff|colleagues?|equipe\w*|equipo\w*|kolleg\w*|"
        r"gowns?|ppe|epi|visors?|visier\w*|viser\w*|masks?|masques?|mascarillas?|maske\w*|mascherin\w*|"
        r"manipulat\w*|soignant\w*|infirmi\w*|enfermer\w*|pfleg\w*|infermier\w*|squadra|colleghi|people|"
        r"group|briefing|blouses?|batas?|kittel\w*|camic\w*|technicians?|techniciens?|tecnic\w*|personnel|"
        r"doctors?|medecins?|medicos?|arzt\w*|arzte",
    ),
    "corridor": (
        1,
        r"corridors?|hallways?|couloirs?|pasillos?|flur|gang|korridor|corredor\w*|corridoio|waiting|"
        r"attente|espera|warte\w*|attesa|entrance|entree|entrada|eingang|ingresso|empty|vide|vacio|"
        r"leer\w*|vazio|vuot\w*|ward",
    ),
}


def pick_scene(alt: str, digest: bytes) -> str:
    text = unicodedata.normalize("NFKD", alt).encode("ascii", "ignore").decode().lower()
    scores = {k: w * len(re.findall(rf"\b(?:{p})\b", text)) for k, (w, p) in KEYWORDS.items()}
    best = max(scores, key=lambda k: scores[k])  # ties go to the scene listed first
    return best if scores[best] else list(KEYWORDS)[digest[1] % len(KEYWORDS)]


# ------------------------------------------------------------------------------------------------ helpers
def box(cx: float, cy: float, rx: float, ry: float) -> list[float]:
    return [cx - rx, cy - ry, cx + rx, cy + ry]


def shade(c: RGB, k: float) -> RGB:
    return (min(255, int(c[0] * k)), min(255, int(c[1] * k)), min(255, int(c[2] * k)))


def vgradient(size: Size, top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def field(size: Size, rng: random.Random, cell: float, amp: float, stretch: float = 1) -> Image.Image:
    """Smooth random texture centred on 128: one random value per `cell` px, +-`amp` levels."""
    w, h = max(2, int(size[0] / (cell * stretch))), max(2, int(size[1] / cell))
    small = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    return small.resize(size, Image.Resampling.BICUBIC).point(lambda v: int(128 + (v - 128) * amp / 128))


def add(img: Image.Image, tex: Image.Image) -> Image.Image:
    return ImageChops.add(img, tex if img.mode == "L" else Image.merge("RGB", [tex] * 3), 1, -128)


def finish(img: Image.Image, rng: random.Random, blur: float = 1.4, grain: float = 2) -> Image.Image:
    """Soft focus, uneven light, fine grain and a vignette, so flat shapes read as a photograph."""
    img = img.filter(ImageFilter.GaussianBlur(blur))
    img = add(add(img, field(img.size, rng, max(img.size) / 5, 16)), field(img.size, rng, 2, grain))
    edge = Image.radial_gradient("L").resize(img.size).point(lambda v: max(0, v - 120))
    return Image.composite(Image.new(img.mode, img.size, 0), img, edge)


def room(size: Size, rng: random.Random, horizon: float = 0.66) -> Image.Image:
    (w, h), hy = size, int(size[1] * horizon)
    wall = rng.choice([(206, 216, 222), (214, 220, 206), (224, 218, 204), (200, 212, 226)])
    img = vgradient(size, shade(wall, 1.08), shade(wall, 0.8))
    img.paste(vgradient((w, h - hy), (150, 158, 165), (200, 203, 206)), (0, hy))
    d = ImageDraw.Draw(img)
    d.rectangle([0, hy - h * 0.02, w, hy], fill=shade(wall, 0.6))
    for x in range(rng.randrange(0, 200) - 100, w, 340):  # wall cabinets
        d.rectangle([x, hy * 0.2, x + 160, hy * 0.6], fill=shade(wall, 1.04), outline=shade(wall, 0.8), width=3)
    return img


def person(d: ImageDraw.ImageDraw, x: float, base: float, ht: float, rng: random.Random) -> None:
    """Figure (feet at x, base; `ht` px tall) in a gown over coloured scrubs, with gloves, cap, mask and visor."""
    gown = rng.choice([(236, 206, 96), (120, 170, 215), (228, 230, 236), (168, 200, 150)])
    scrubs = rng.choice([(46, 90, 140), (60, 130, 120), (120, 70, 130), (40, 60, 90)])
    skin = rng.choice([(236, 196, 170), (200, 150, 110), (140, 95, 70), (96, 64, 48)])
    u, glove = ht / 100, rng.choice([(90, 110, 200), (150, 120, 205)])

    def P(*pts: tuple[float, float]) -> list[tuple[float, float]]:  # figure units -> pixels
        return [(x + a * u, base - b * u) for a, b in pts]

    def E(a: float, b: float, rx: float, ry: float) -> list[float]:
        return box(x + a * u, base - b * u, rx * u, ry * u)

    d.ellipse(E(0, 0, 17, 2.5), fill=(0, 0, 0, 45))
    for s in (-1, 1):
        d.polygon(P((s, 42), (s * 8, 42), (s * 7.5, 2), (s * 1.5, 2)), fill=scrubs)
        d.ellipse(E(s * 5, 1.5, 5, 2.2), fill=(45, 45, 50))
    d.polygon(P((-12, 79), (-7, 84), (7, 84), (12, 79), (14, 34), (-14, 34)), fill=gown)
    d.polygon(P((4, 84), (7, 84), (12, 79), (14, 34), (6, 34)), fill=shade(gown, 0.92))
    for s in (-1, 1):  # sleeves and gloved hands
        d.polygon(P((s * 10, 82), (s * 13.5, 79), (s * 17, 48), (s * 12.5, 47), (s * 10.5, 70)), fill=shade(gown, 0.85))
        d.ellipse(E(s * 15, 44.5, 2.6, 3.6), fill=glove)
    d.polygon(P((-3, 89), (3, 89), (3, 82), (-3, 82)), fill=shade(skin, 0.85))
    d.ellipse(E(0, 93.5, 7, 8.5), fill=skin)
    for s in (-1, 1):
        d.ellipse(E(s * 3, 95.5, 1, 0.8), fill=(40, 30, 30))
    d.chord(E(0, 99, 8.5, 7), 170, 370, fill=shade(scrubs, 1.4))
    d.rounded_rectangle(E(0, 89.5, 6.5, 3.5), radius=2 * u, fill=(190, 215, 235))
    d.rounded_rectangle(
        E(0, 92.5, 9, 8.5),
        radius=3 * u,
        fill=(235, 245, 255, 60),
        outline=(250, 250, 255, 150),
        width=max(1, int(u * 0.8)),
    )
    d.line(P((-9, 100), (9, 100)), fill=(60, 60, 70), width=max(1, int(u * 1.5)))


# ------------------------------------------------------------------------------------------------ scenes
def draw_ct(size: Size, rng: random.Random) -> Image.Image:
    img, (w, h) = room(size, rng), size
    d = ImageDraw.Draw(img, "RGBA")
    r, cx, cy = min(w, h) * 0.34, w * rng.uniform(0.26, 0.34), h * 0.44
    d.rounded_rectangle([cx - r * 0.5, cy - r * 1.1, cx + r * 0.75, cy + r * 1.35], r * 0.3, fill=(186, 190, 196))
    d.ellipse(box(cx, cy, r * 0.6, r * 1.12), fill=(240, 241, 243))  # gantry face, bore and light ring
    d.ellipse(box(cx, cy, r * 0.3, r * 0.62), fill=(80, 88, 98))
    d.ellipse(box(cx + r * 0.05, cy + r * 0.05, r * 0.25, r * 0.55), fill=(45, 50, 58))
    d.ellipse(box(cx, cy, r * 0.42, r * 0.82), outline=(70, 150, 210), width=int(r * 0.03))
    ty = cy + r * 0.22
    d.polygon(
        [(cx, ty - r * 0.02), (w * 0.97, ty + r * 0.1), (w * 0.97, ty + r * 0.2), (cx, ty + r * 0.08)],
        fill=(226, 229, 233),
    )  # table
    d.rectangle([w * 0.62, ty + r * 0.18, w * 0.76, h * 0.76], fill=(170, 175, 182))
    d.chord([cx + r * 0.4, ty - r * 0.22, w * 0.9, ty + r * 0.16], 180, 360, fill=(150, 185, 210))  # covered patient
    d.ellipse([w * 0.84, ty - r * 0.17, w * 0.92, ty + r * 0.05], fill=(245, 245, 245))  # pillow
    if rng.random() < 0.6:
        person(d, w * rng.uniform(0.6, 0.8), h * 0.88, h * 0.6, rng)
    return finish(img, rng)


def draw_mri(size: Size, rng: random.Random) -> Image.Image:
    img, (w, h) = room(size, rng, 0.7), size
    d = ImageDraw.Draw(img, "RGBA")
    cx, cy, r = w / 2 + rng.uniform(-0.08, 0.08) * w, h * 0.46, min(w, h) * 0.36
    d.rounded_rectangle([cx - r * 1.35, cy - r * 1.2, cx + r * 1.35, h * 0.74], r * 0.25, fill=(232, 234, 238))
    d.rounded_rectangle([cx - r * 1.35, cy - r * 1.2, cx + r * 1.35, cy - r * 0.95], r * 0.1, fill=(120, 80, 150))
    for i in range(30):  # the tunnel: rings shrinking towards a dark far end
        k = 1 - i / 31
        c = int(205 * k**1.8 + 10)
        d.ellipse(box(cx, cy + i * 0.15, r * 0.7 * k, r * 0.7 * k), fill=(c, c + 2, c + 6))
    d.ellipse(box(cx, cy, r * 0.72, r * 0.72), outline=(150, 200, 235, 150), width=int(r * 0.04))
    top, end = cy + r * 0.28, h * 0.98  # the table slides into the bore
    d.polygon(
        [(cx - r * 0.22, top), (cx + r * 0.22, top), (cx + r * 0.75, end), (cx - r * 0.75, end)], fill=(218, 222, 226)
    )
    d.polygon([(cx - r * 0.75, end), (cx + r * 0.75, end), (cx + r * 0.7, h), (cx - r * 0.7, h)], fill=(120, 125, 132))
    return finish(img, rng)


def xray(size: Size, rng: random.Random) -> Image.Image:
    """Grayscale PA chest radiograph: dark lungs, bright mediastinum, ribs as arcs, hazy COVID opacities."""
    (w, h), img = size, Image.new("L", size, 6)
    s, cx, d = min(w, h * 0.95), w / 2, ImageDraw.Draw(img)
    d.polygon(
        [
            (cx - 0.1 * s, 0),
            (cx + 0.1 * s, 0),
            (cx + 0.45 * s, 0.12 * h),
            (cx + 0.5 * s, 0.3 * h),
            (cx + 0.44 * s, h),
            (cx - 0.44 * s, h),
            (cx - 0.5 * s, 0.3 * h),
            (cx - 0.45 * s, 0.12 * h),
        ],
        fill=95,
    )
    for sg in (-1, 1):  # lungs, darker at the apex, with vessels from the hilum
        d.ellipse(box(cx + sg * 0.21 * s, 0.52 * h, 0.16 * s, 0.36 * h), fill=40)
        d.ellipse(box(cx + sg * 0.11 * s, 0.29 * h, 0.12 * s, 0.11 * h), fill=30)
        for _ in range(7):
            a, ln = rng.uniform(-1.2, 1.2), rng.uniform(0.1, 0.22) * s
            d.line(
                [
                    (cx + sg * 0.09 * s, 0.48 * h),
                    (cx + sg * (0.09 * s + math.cos(a) * ln), 0.48 * h + math.sin(a) * ln),
                ],
                fill=70,
                width=max(2, int(s * 0.006)),
            )
    d.rectangle([cx - 0.06 * s, 0, cx + 0.06 * s, 0.7 * h], fill=118)  # mediastinum, heart, spine, diaphragm
    d.ellipse(box(cx + 0.06 * s, 0.635 * h, 0.17 * s, 0.185 * h), fill=125)
    d.rectangle([cx - 0.03 * s, 0, cx + 0.03 * s, h], fill=140)
    d.ellipse(box(cx, 1.11 * h, 0.6 * s, 0.29 * h), fill=130)
    for i in range(10):
        y, rx, wd = 0.1 * h + i * 0.064 * h, 0.3 * s + i * 0.01 * s, max(2, int(s * 0.009))
        d.arc([cx - rx, y, cx + rx, y + 0.36 * h], 196, 266, fill=150, width=wd)
        d.arc([cx - rx, y, cx + rx, y + 0.36 * h], 274, 344, fill=150, width=wd)
    for sg in (-1, 1):  # clavicles
        d.line([(cx + sg * 0.04 * s, 0.16 * h), (cx + sg * 0.36 * s, 0.11 * h)], fill=175, width=int(s * 0.016))
    haze = Image.new("L", size, 0)
    for _ in range(rng.randrange(3, 7)):  # ground-glass opacities, peripheral and basal
        rr, px = rng.uniform(0.05, 0.09) * s, cx + rng.choice((-1, 1)) * rng.uniform(0.18, 0.32) * s
        ImageDraw.Draw(haze).ellipse(box(px, rng.uniform(0.45, 0.8) * h, rr, rr), fill=rng.randrange(30, 50))
    img = ImageChops.add(img, haze.filter(ImageFilter.GaussianBlur(s * 0.03))).filter(
        ImageFilter.GaussianBlur(s * 0.005)
    )
    return add(add(img, field(size, rng, 4, 4)), field(size, rng, s / 10, 14))


def ct_slice(size: Size, rng: random.Random) -> Image.Image:
    """Grayscale axial chest CT slice with peripheral ground-glass opacities."""
    (w, h), img = size, Image.new("L", size, 4)
    d, cx, cy, s = ImageDraw.Draw(img), w / 2, h / 2, min(w, h) * 0.46
    d.ellipse(box(cx, cy, s, s * 0.7), fill=110)
    for sg in (-1, 1):
        d.ellipse(box(cx + sg * s * 0.5, cy - s * 0.03, s * 0.35, s * 0.48), fill=18)
        for _ in range(2):
            d.ellipse(
                box(cx + sg * s * rng.uniform(0.6, 0.72), cy + s * rng.uniform(-0.2, 0.3), s * 0.12, s * 0.1), fill=60
            )
    d.ellipse(box(cx, cy + s * 0.03, s * 0.19, s * 0.22), fill=120)
    d.ellipse(box(cx, cy + s * 0.48, s * 0.1, s * 0.1), fill=200)  # vertebra
    return img.filter(ImageFilter.GaussianBlur(s * 0.02))


def draw_xray(size: Size, rng: random.Random) -> Image.Image:
    return finish(xray(size, rng).convert("RGB"), rng, 0.8, grain=0)


def draw_ultrasound(size: Size, rng: random.Random) -> Image.Image:
    (w, h), img = size, Image.new("L", size, 22)
    ImageDraw.Draw(img).rectangle([w * 0.03, h * 0.03, w * 0.97, h * 0.97], fill=3)
    rad = min(h * 0.88, w * 0.8)
    ax, ay, pr = w / 2, max(h * 0.04, (h - rad) * 0.45), rad * rng.uniform(0.26, 0.34)
    sector = Image.new("L", size, 0)
    ImageDraw.Draw(sector).pieslice(box(ax, ay, rad, rad), 55, 125, fill=255)
    ImageDraw.Draw(sector).ellipse(box(ax, ay, rad * 0.12, rad * 0.12), fill=0)
    speckle = add(Image.linear_gradient("L").resize(size).point(lambda v: 120 - v // 3), field(size, rng, 3.5, 75, 2.2))
    echoes = Image.new("L", size, 0)
    e = ImageDraw.Draw(echoes)
    e.arc(box(ax, ay, pr, pr), 62, 118, fill=150, width=int(h * 0.012))  # pleural line
    for _ in range(rng.randrange(2, 5)):  # B-lines: bright comet tails below the pleura
        a = math.radians(rng.uniform(76, 104))
        e.line(
            [(ax + math.cos(a) * pr, ay + math.sin(a) * pr), (ax + math.cos(a) * rad, ay + math.sin(a) * rad)],
            fill=90,
            width=int(w * 0.02),
        )
    tissue = ImageChops.add(speckle.filter(ImageFilter.GaussianBlur(1.4)), echoes.filter(ImageFilter.GaussianBlur(5)))
    img.paste(tissue, (0, 0), sector.filter(ImageFilter.GaussianBlur(2)))
    d = ImageDraw.Draw(img)
    for i in range(1, 9):  # depth scale and focus marker
        d.ellipse(box(w * 0.88, ay + rad * i / 9, 3, 3), fill=170)
    d.polygon([(w * 0.855, ay + pr), (w * 0.87, ay + pr - 8), (w * 0.87, ay + pr + 8)], fill=210)
    return finish(img.convert("RGB"), rng, 0.6, grain=0)


def draw_team(size: Size, rng: random.Random) -> Image.Image:
    img, (w, h) = room(size, rng, 0.6), size
    d, n = ImageDraw.Draw(img, "RGBA"), rng.randrange(2, 5)
    for i in sorted(range(n), key=lambda i: (i % 2, i)):  # back row first
        front = i % 2 == 1 or n == 2
        x = w * (i + 0.5) / n + rng.uniform(-0.04, 0.04) * w
        person(d, x, h * (0.95 if front else 0.8), h * (0.74 if front else 0.6) * rng.uniform(0.93, 1.05), rng)
    return finish(img, rng)


def draw_workstation(size: Size, rng: random.Random) -> Image.Image:
    (w, h), img = size, vgradient(size, (46, 52, 64), (22, 25, 32))
    d, desk = ImageDraw.Draw(img, "RGBA"), h * 0.72
    d.rectangle([0, desk, w, h], fill=(88, 78, 70))
    d.rectangle([0, desk, w, desk + h * 0.015], fill=(120, 106, 92))
    n = 2 if h > w else rng.choice([2, 3])
    mw = w * 0.88 / n
    for i in range(n):  # portrait diagnostic monitors with their glow
        x0, mh = w * 0.06 + i * mw, min(mw * 1.25, desk * 0.8)
        y0 = desk - h * 0.07 - mh
        d.ellipse([x0 - mw * 0.2, y0 - mh * 0.15, x0 + mw * 1.1, y0 + mh * 1.2], fill=(150, 170, 200, 18))
        d.rectangle([x0 + mw * 0.4, y0 + mh, x0 + mw * 0.54, desk], fill=(30, 30, 34))
        d.rectangle([x0 + mw * 0.27, desk - h * 0.012, x0 + mw * 0.67, desk + h * 0.006], fill=(30, 30, 34))
        d.rectangle([x0, y0, x0 + mw * 0.94, y0 + mh], fill=(14, 14, 16))
        inner = (int(mw * 0.94 - 16), int(mh - 16))
        img.paste((ct_slice if rng.random() < 0.4 else xray)(inner, rng).convert("RGB"), (int(x0 + 8), int(y0 + 8)))
    d.polygon([(w * 0.3, h * 0.82), (w * 0.62, h * 0.82), (w * 0.65, h * 0.9), (w * 0.27, h * 0.9)], fill=(36, 36, 40))
    d.ellipse([w * 0.72, h * 0.84, w * 0.76, h * 0.9], fill=(40, 40, 44))  # mouse
    d.rounded_rectangle([w * 0.1, h * 0.8, w * 0.17, h * 0.9], radius=6, fill=(205, 90, 70))  # mug
    return finish(img, rng, 1.0)


def draw_corridor(size: Size, rng: random.Random) -> Image.Image:
    (w, h), img = size, vgradient(size, (226, 228, 230), (170, 175, 180))
    vx, vy, f, zf = w * rng.uniform(0.42, 0.58), h * 0.48, w * 0.5, 7.0
    wall, d = rng.choice([(214, 222, 206), (226, 220, 204), (208, 218, 228)]), ImageDraw.Draw(img, "RGBA")

    def p(x: float, y: float, z: float) -> tuple[float, float]:  # corridor space (x, y in [-1, 1]) -> screen
        return vx + x * f / z, vy - y * f * (h / w) * 1.2 / z

    def quad(x0: float, y0: float, x1: float, y1: float, za: float, zb: float, fill: tuple[int, ...]) -> None:
        d.polygon([p(x0, y0, za), p(x1, y1, za), p(x1, y1, zb), p(x0, y0, zb)], fill=fill)

    quad(-1, -1, 1, -1, 0.35, zf, (150, 160, 168))
    for sx in (-1, 1):
        quad(sx, -1, sx, 1.1, 0.35, zf, shade(wall, 1 - 0.08 * sx))
        d.line([p(sx, -0.1, 0.35), p(sx, -0.1, zf)], fill=shade(wall, 0.6), width=6)  # handrail
        for z in range(1, 7):  # doors
            z0 = z + rng.uniform(0, 0.4)
            quad(sx, -1, sx, 0.55, z0, z0 + 0.45, (120, 150, 170) if z % 2 else (150, 120, 100))
    d.polygon([p(-1, 1.1, zf), p(1, 1.1, zf), p(1, -1, zf), p(-1, -1, zf)], fill=shade(wall, 0.8))
    d.polygon([p(-0.4, 0.6, zf), p(0.4, 0.6, zf), p(0.4, -1, zf), p(-0.4, -1, zf)], fill=(110, 140, 160))
    for zl in [0.6, 1.1, 1.8, 2.7, 3.8, 5.2]:  # ceiling lights and their reflections on the floor
        quad(-0.3, 1.1, 0.3, 1.1, zl, zl + 0.35, (252, 252, 245))
        quad(-0.25, -1, 0.25, -1, zl, zl + 0.3, (255, 255, 255, 40))
    if rng.random() < 0.5:
        bx, by = p(rng.uniform(-0.4, 0.4), -1, 4)
        person(d, bx, by, by - p(0, 1.0, 4)[1], rng)
    return finish(img, rng, 1.6)


SCENES: dict[str, Callable[[Size, random.Random], Image.Image]] = {
    "workstation": draw_workstation,
    "ultrasound": draw_ultrasound,
    "mri": draw_mri,
    "ct": draw_ct,
    "xray": draw_xray,
    "team": draw_team,
    "corridor": draw_corridor,
}


# ------------------------------------------------------------------------------------------------ main
def render(key: str, alt: str) -> bytes:
    """Deterministic baseline JPEG for the photo whose path relative to the root is `key`."""
    digest = hashlib.sha256(key.encode()).digest()
    img = SCENES[pick_scene(alt, digest)](SIZES[digest[0] % len(SIZES)], random.Random(digest)).convert("RGB")
    for quality in (80, 75, 70, 65, 60):  # step down only if a busy picture would exceed MAX_BYTES
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality, optimize=True, progressive=False)
        if out.tell() <= MAX_BYTES:
            break
    return out.getvalue()


def photo_entries(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(root.rglob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        photos = data.get("photos") if isinstance(data, dict) else None
        for entry in photos if isinstance(photos, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                yield path.parent / entry["file"], str(entry.get("alt") or "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=Path(__file__).resolve().parent.parent / "submissions")
    parser.add_argument("--force", action="store_true", help="redraw photos that already exist")
    args = parser.parse_args()
    root, written = args.root.resolve(), 0
    if not root.is_dir():
        parser.error(f"no such folder: {root}")
    for target, alt in photo_entries(root):
        target = target.resolve()
        if root not in target.parents or target.suffix.lower() not in (".jpg", ".jpeg"):
            print(f"skipped {target}: outside {root} or not a .jpg")
        elif args.force or not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(render(target.relative_to(root).as_posix(), alt))
            os.replace(tmp, target)
            written += 1
    print(f"{written} photo(s) written under {root}")


if __name__ == "__main__":
    main()
