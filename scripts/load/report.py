"""The load run's figures as Markdown tables (scripts/load/run prints them)."""

import csv
import sys
from pathlib import Path


def rows(path: Path) -> list[dict]:
    with path.open() as f:
        return [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]


def main(folder: str, signups_in_database: str, signups_posted: str) -> None:
    out = Path(folder)
    pages = []
    for path in sorted(out.glob("page-*_stats.csv"), key=lambda p: int(p.name[5:].split("_")[0])):
        pages += rows(path)
    bare = next((float(r["Requests/s"]) for r in pages if r["Name"].startswith("bare")), None)
    if pages:
        print("| page | req/s | p50 ms | p95 ms | p99 ms | of bare view | size KB | errors |")
        print("|---|---|---|---|---|---|---|---|")
    for r in pages:
        rps = float(r["Requests/s"])
        ratio = f"{rps / bare:.0%}" if bare else "-"
        print(
            f"| {r['Name']} | {rps:.0f} | {r['50%']} | {r['95%']} | {r['99%']} | {ratio} "
            f"| {float(r['Average Content Size']) / 1024:.1f} | {r['Failure Count']} |"
        )
    # Each page as 20 users with pauses between their requests meet it, all roles at once.
    for name, title in (("mixed", "mixed run"), ("mixed-without-exports", "without exports")):
        mixed = out / f"{name}_stats.csv"
        if not mixed.exists():
            continue
        print()
        print(f"| page ({title}) | requests | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---|---|---|---|---|")
        for r in sorted(rows(mixed), key=lambda r: r["Name"]):
            print(
                f"| {r['Name']} | {r['Request Count']} | {r['50%']} | {r['95%']} | {r['99%']} "
                f"| {r['Failure Count']} |"
            )
        total = next(r for r in csv.DictReader(mixed.open()) if r["Name"] == "Aggregated")
        print()
        print(
            f"{title.capitalize()}: {total['Request Count']} requests, "
            f"{total['Failure Count']} errors, p95 {total['95%']} ms."
        )
    print()
    print(
        f"Sign-ups: {signups_posted} POSTs answered 302, {signups_in_database} new sign-ups "
        "in the database."
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
