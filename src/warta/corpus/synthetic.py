"""Synthetic noisy scrapes with known duplicates and multi-article stories, for tests and benchmarks.

Articles are written as ``.txt`` files and ``.jsonl`` lines in the outlet styles the cleaner knows
(bylines, datelines, captions, prompts, related links, ads). A share of them are exact copies or
near copies (one sentence changed) of a recent article, and articles come in stories: several
articles on the same day that share a set of invented names (so they share story terms) but not
their text. Nothing is random at run time: the same ``n`` and ``seed`` give the same bytes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

WORDS = (
    "pemerintah akan segera menyiapkan anggaran tambahan untuk membantu warga yang terdampak bencana di wilayah "
    "tersebut sementara itu harga bahan pokok di pasar tradisional terus naik menjelang akhir tahun kata pedagang "
    "setempat rapat koordinasi digelar bersama kepala daerah dan aparat keamanan untuk membahas langkah berikutnya "
    "menurut data terbaru jumlah kasus menurun dibanding pekan lalu namun masyarakat diminta tetap waspada"
).split()
SYLLABLES = ["ba", "di", "ku", "sa", "ra", "man", "tor", "wi", "ja", "le", "mo", "nu", "ha", "pri", "go", "te"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
PLACES = ["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar"]
NOISE = ["Baca juga: berita lainnya hari ini", "ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "LEAVE A COMMENT", "(rdp/imk)"]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() + rng.choice(["wan", "to", "ni", "di", "sa"])


def _sentence(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 26))]
    for name in rng.sample(names, min(len(names), 3)):
        words.insert(rng.randrange(1, len(words)), name)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _article(rng: random.Random, names: list[str], day: tuple[int, int, int]) -> tuple[str, str]:
    d, m, y = day
    title = " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(5, 9)))
    place = rng.choice(PLACES)
    paragraphs = [" ".join(_sentence(rng, names) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(4, 9))]
    lines = [title, f"{rng.choice(names)} - detikNews", f"Senin, {d} {MONTHS[m][:3]} {y} 10:05 WIB", f"{place} - {paragraphs[0]}"]
    for n, p in enumerate(paragraphs[1:]):
        lines.append(p)
        if n == 1:
            lines.append(rng.choice(NOISE))
    lines.append(rng.choice(NOISE))
    return title, "\n".join(lines)


def generate(folder: Path, n: int, *, seed: int = 7, jsonl_share: float = 0.3, per_jsonl: int = 200) -> dict[str, int]:
    """Write about ``n`` articles under ``folder``; return how many of each kind were made."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    made = {"articles": 0, "exact": 0, "near": 0, "stories": 0}
    recent: list[str] = []
    lines: list[str] = []
    jsonl_index = 0
    txt_index = 0

    def flush() -> None:
        nonlocal lines, jsonl_index
        if lines:
            (folder / f"feed-{jsonl_index:05d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
            jsonl_index += 1
            lines = []

    while made["articles"] < n:
        day = (rng.randint(1, 28), rng.randrange(12), rng.randint(2019, 2024))
        names = [_name(rng) for _ in range(8)]
        made["stories"] += 1
        for _ in range(rng.choice([1, 1, 2, 3, 4])):
            roll = rng.random()
            if recent and roll < 0.06:
                text = rng.choice(recent)
                made["exact"] += 1
            elif recent and roll < 0.12:
                parts = rng.choice(recent).split("\n")
                parts[-2] = parts[-2] + " " + " ".join(rng.sample(WORDS, 2))
                text = "\n".join(parts)
                made["near"] += 1
            else:
                text = _article(rng, names, day)[1]
            recent = (recent + [text])[-40:]
            if rng.random() < jsonl_share:
                record = {"text": text, "source": rng.choice(["detik.com", "kompas.com", None]), "url": f"https://example.com/{made['articles']}"}
                if rng.random() < 0.5:
                    record["published"] = f"{day[2]}-{day[1] + 1:02d}-{day[0]:02d}T10:05:00+07:00"
                lines.append(json.dumps(record, ensure_ascii=False))
                if len(lines) >= per_jsonl:
                    flush()
            else:
                (folder / f"{txt_index:07d}_{rng.getrandbits(64):016x}.txt").write_text(text, encoding="utf-8")
                txt_index += 1
            made["articles"] += 1
    flush()
    return made
