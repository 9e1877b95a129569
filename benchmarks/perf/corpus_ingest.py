"""Throughput and memory of ingest + clean + dedup on N synthetic noisy Indonesian scrapes.

Usage::

    .venv/bin/python benchmarks/perf/corpus_ingest.py --n 10000 --n 100000

For each N, articles are written as .txt files into a temporary folder (Medcom, Kompas, detik, CNN
Indonesia and machine-translated styles with captions, bylines, datelines, NBSP lines, comment and
notification prompts, related links, ads, editor initials, spam footers; 5% exact and 5% near
duplicates). A fresh child process then streams them through ``iter_articles`` (read + clean) and
a :class:`~warta.corpus.dedup.Deduplicator`, so its peak RSS is the pipeline's own. Reported:
articles per CPU-second (per core) for read + clean, for dedup, for both, the wall-clock rate,
CPU microseconds per article (flat when time is linear in N) and peak RSS. ``--full`` also times ``ingest()`` (adds stories and splits and keeps
every article in memory, as a release build does). Goal: >= 2,000 articles/s per core for
read + clean, memory not growing with N beyond the dedup signatures.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from warta.corpus.synthetic import MONTHS, WORDS

PLACES = ["Jakarta", "Bandung", "Surabaya", "Medan", "Makassar", "Washington", "Brussel", "Jenewa", "Kuala Lumpur"]
PEOPLE = ["Joko Widodo", "Ganjar Pranowo", "Anies Baswedan", "Sri Mulyani", "Budi Gunadi Sadikin", "Jen Psaki",
          "Jens Stoltenberg", "Basuki Hadimuljono", "Retno Marsudi", "Mahfud MD", "Tri Adhianto"]  # fmt: skip
ORGS = ["DPR", "KPU", "Bawaslu", "NATO", "PBB", "BPBD", "Kementerian PUPR", "Bank Indonesia", "OJK", "KPK", "Polri"]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
NOISE = [
    "Bagaimana tanggapan anda mengenai artikel ini?", "LEAVE A COMMENT", "LOADING", "unblock notif",
    "Dapatkan berita terbaru dari kami Ikuti langkah ini untuk mendapatkan notifikasi", "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT", "(WIL)", "(rdp/imk)", "[Gambas:Video CNN]", "Posted By : keluaran hk hari ini",
]  # fmt: skip


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 30))]
    words.insert(rng.randrange(len(words)), rng.choice(PEOPLE))
    words.insert(rng.randrange(len(words)), rng.choice(ORGS))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def article(rng: random.Random) -> str:
    style = rng.randrange(4)
    day, month, year = rng.randint(1, 28), rng.randrange(12), rng.randint(2019, 2024)
    title = " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(5, 11)))
    caption = f"{rng.choice(PEOPLE)}, kanan, berbicara kepada wartawan di {rng.choice(PLACES)}. (AFP)"
    place = rng.choice(PLACES)
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(5, 12))]
    lines: list[str] = []
    if style == 0:  # Medcom: caption twice, title, byline, NBSP separators, prompts at the end
        lines += [caption, caption, "", title, "", f"{rng.choice(PEOPLE)} • {day} {MONTHS[month]} {year} 13:16"]
        body = [f"{place}: {paragraphs[0]}"] + paragraphs[1:]
        for p in body:
            lines += [p, "\xa0"]
        lines += ["Baca:\xa0 " + title, "\xa0", "(WIL)", "", "LEAVE A COMMENT", "LOADING", "", NOISE[4], "", "unblock notif"]
    elif style == 1:  # Kompas
        lines += [title, f"Kompas.com - {day:02d}/{month + 1:02d}/{year}, 13:16 WIB", f"Penulis: {rng.choice(PEOPLE)}",
                  f"Editor: {rng.choice(PEOPLE)}", "", f"{place.upper()}, KOMPAS.com - {paragraphs[0]}", ""]  # fmt: skip
        for n, p in enumerate(paragraphs[1:]):
            lines += [p, ""]
            if n == 1:
                lines += ["ADVERTISEMENT", "SCROLL TO CONTINUE WITH CONTENT", "", f"Baca juga: {title}", ""]
    elif style == 2:  # detik, dense lines
        lines += [title, f"{rng.choice(PEOPLE)} - detikNews", f"{rng.choice(DAYS)}, {day} {MONTHS[month][:3]} {year} 10:05 WIB",
                  f"Warga berkumpul di {place}. (Foto: Istimewa)", f"{place} - {paragraphs[0]}", *paragraphs[1:],
                  "Simak juga 'Video Terbaru':", "[Gambas:Video 20detik]", "(rdp/imk)"]  # fmt: skip
    else:  # machine-translated CNN: title twice, section, captions in body, related headline, spam footer
        lines += [title, "Europe", "", title, ""]
        for n, p in enumerate(paragraphs):
            lines += [p, ""]
            if n == 1:
                lines += [caption.replace(" (AFP)", ""), ""]
            if n == 3:
                lines += [" ".join(rng.sample(WORDS, 9)), paragraphs[0], ""]
        lines += ["Posted By : keluaran hk hari ini"]
    newline = "\r\n" if rng.random() < 0.2 else "\n"
    return ("\ufeff" if rng.random() < 0.1 else "") + newline.join(lines)


def generate(folder: Path, n: int, seed: int) -> int:
    rng = random.Random(seed)
    recent: list[str] = []
    total = 0
    for i in range(n):
        roll = rng.random()
        if recent and roll < 0.05:
            text = rng.choice(recent)  # exact duplicate (same text, different file)
        elif recent and roll < 0.10:
            base = rng.choice(recent).split("\n")
            base[-1] = base[-1] + " tambahan"
            text = "\n".join(base)  # near duplicate
        else:
            text = article(rng)
        recent = (recent + [text])[-50:]
        data = text.encode("utf-8")
        (folder / f"{i:07d}_{i:016x}.txt").write_bytes(data)
        total += len(data)
    return total


def run_child(folder: Path, full: bool) -> dict:
    """Runs in a fresh process: stream + clean, then dedup; report timings and peak RSS."""
    from warta.corpus.dedup import Deduplicator
    from warta.corpus.ingest import ingest, iter_articles

    dedup = Deduplicator()  # imports numpy and datasketch: outside the timed part
    start, start_cpu = time.perf_counter(), time.process_time()
    clean_cpu = dedup_cpu = 0.0
    count = 0
    tick = time.process_time()
    for article in iter_articles(folder):
        after_clean = time.process_time()
        clean_cpu += after_clean - tick
        dedup.add(article.id, article.text)
        tick = time.process_time()
        dedup_cpu += tick - after_clean
        count += 1
    duplicates = len(dedup.groups())
    dedup_cpu += time.process_time() - tick
    result = {
        "articles": count,
        "duplicates": duplicates,
        "clean_cpu_s": clean_cpu,
        "dedup_cpu_s": dedup_cpu,
        "total_cpu_s": time.process_time() - start_cpu,
        "total_s": time.perf_counter() - start,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if full:
        start = time.process_time()
        ingest(folder)
        result["full_ingest_cpu_s"] = time.process_time() - start
        result["full_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="number of articles (repeatable); default 10000 and 100000")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--full", action="store_true", help="also time ingest() with stories and splits")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_child(args.child, args.full)))
        return
    print("rates are articles per CPU-second of the one process (per core); wall = elapsed time")
    print(f"{'N':>8} {'read+clean/s':>12} {'dedup/s':>9} {'all/s':>7} {'wall all/s':>10} {'µs/art':>7} {'peak RSS MB':>11} {'dups':>6}"
          + ("  full ingest/s  full RSS MB" if args.full else ""))  # fmt: skip
    for n in args.n or [10_000, 100_000]:
        with tempfile.TemporaryDirectory(prefix="warta-bench-") as tmp:
            folder = Path(tmp)
            size = generate(folder, n, args.seed)
            command = [sys.executable, __file__, "--child", str(folder)] + (["--full"] if args.full else [])
            r = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        a = r["articles"]
        line = (
            f"{n:>8} {a / r['clean_cpu_s']:>12,.0f} {a / r['dedup_cpu_s']:>9,.0f} {a / r['total_cpu_s']:>7,.0f} "
            f"{a / r['total_s']:>10,.0f} {1e6 * r['total_cpu_s'] / a:>7.0f} {r['peak_rss_mb']:>11,.0f} {r['duplicates']:>6}"
        )
        if args.full:
            line += f"  {a / r['full_ingest_cpu_s']:>13,.0f}  {r['full_peak_rss_mb']:>11,.0f}"
        print(line + f"   ({size / 1e6:.0f} MB of raw text)", flush=True)


if __name__ == "__main__":
    main()
