"""The performance budgets of the issue, judged on a run's results.

The budgets are set for the full scale on a 2-core machine; a small run is judged against the
same numbers, which it should meet easily: a miss there is a regression worth a look.
"""

from typing import Any

from bench.report import table as render


def _endpoint(result: dict, prefix: str) -> dict | None:
    for name, figures in result.get("api", {}).get("endpoints", {}).items():
        if name.startswith(prefix):
            return figures
    return None


def judge(result: dict[str, Any], small: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per budget: what, the limit, the measurement, and pass / miss / not measured."""
    rows: list[dict[str, Any]] = []

    def add(what: str, limit: str, value: Any, ok: bool | None) -> None:
        verdict = "not measured" if ok is None else ("pass" if ok else "MISS")
        rows.append({"budget": what, "limit": limit, "measured": value, "verdict": verdict})

    claims = _endpoint(result, "list claims by term")
    add(
        "list claims by term, p95",
        "≤ 50 ms",
        claims and f"{claims['p95_ms']} ms",
        claims and claims["p95_ms"] <= 50,
    )
    add(
        "list claims by term, p95 / floor p95",
        "≤ 3×",
        claims and f"{claims['p95_over_floor']}×",
        claims and claims["p95_over_floor"] <= 3,
    )
    thread = _endpoint(result, "thread detail")
    add(
        "thread detail, p95",
        "≤ 150 ms",
        thread and f"{thread['p95_ms']} ms",
        thread and thread["p95_ms"] <= 150,
    )
    conflicts = _endpoint(result, "open conflicts")
    add(
        "open conflicts list, p95",
        "≤ 50 ms",
        conflicts and f"{conflicts['p95_ms']} ms",
        conflicts and conflicts["p95_ms"] <= 50,
    )
    for name in ("create reading", "vote"):
        figures = _endpoint(result, name)
        add(
            f"{name}, p95",
            "≤ 30 ms",
            figures and f"{figures['p95_ms']} ms",
            figures and figures["p95_ms"] <= 30,
        )

    incremental = result.get("detection")
    add(
        "incremental detection after one vote, median",
        "≤ 50 ms",
        incremental and f"{incremental['median_ms']} ms",
        incremental and incremental["median_ms"] <= 50,
    )
    if result.get("scale") == "full":
        before = small.get("detection")
        ratio = before and incremental and incremental["median_ms"] / before["median_ms"]
        add(
            "incremental detection, full / small median",
            "≤ 2×",
            ratio and f"{ratio:.2f}× ({before['median_ms']} ms at small)",
            None if ratio is None else ratio <= 2,
        )

    rescan = result.get("rescan")
    for run in ("first", "periodic"):
        per_million = rescan and rescan["seconds_per_million_readings"][run]
        add(
            f"full rescan ({run}), per million readings",
            "≤ 60 s",
            rescan and f"{per_million} s",
            rescan and per_million <= 60,
        )
    peak = rescan and max(rescan["first"]["peak_rss_mb"], rescan["periodic"]["peak_rss_mb"])
    add("full rescan, worker peak RSS", "≤ 500 MB", peak and f"{peak} MB", peak and peak <= 500)

    imports = result.get("import")
    add(
        "ForumMagnum import with suggestions",
        "≥ 2,000 comments/s",
        imports and f"{imports['comments_per_second']:,} comments/s",
        imports and imports["comments_per_second"] >= 2000,
    )

    matcher = result.get("matcher", {}).get("sizes", {}).get("50000")
    add(
        "term matcher at 50k aliases",
        "≥ 40 MB/s",
        matcher and f"{matcher['sensemap']['mb_per_s']} MB/s",
        matcher and matcher["sensemap"]["mb_per_s"] >= 40,
    )
    add(
        "term matcher at 50k aliases vs flashtext, same mentions",
        "≥ 5×",
        matcher and f"{matcher['speedup_over_flashtext']}×, same: {matcher['same_mentions']}",
        matcher and matcher["speedup_over_flashtext"] >= 5 and matcher["same_mentions"],
    )
    return rows


def table(rows: list[dict[str, Any]], scale: str) -> str:
    return render(
        f"Budgets (set for full scale; this run: {scale})",
        ["budget", "limit", "measured", "verdict"],
        [[r["budget"], r["limit"], r["measured"], r["verdict"]] for r in rows],
    )
