"""Write examples/history.csv: a made-up stage history for the bundled definitions (generated, not real data).

    python examples/make_history.py            # rewrites examples/history.csv
    python examples/make_history.py --check    # exit 1 when the committed file is not what this writes

400 leads enter Response between 1 July and 20 September 2026 (US office hours,
times written in UTC) and move on by the conversion rates of `targets:` in
definitions/, each hand-off after a random delay of the size its SLA expects;
reasons are picked from the exit's reason picklist, owners from a few names per
team. A fixed seed makes the file the same on every run. Some rows are wrong on
purpose, so `leadspec funnel` has something to report: a lead that goes from
MQL straight to Customer, a stage value the lifecycle does not know, a time
without a zone and a row without a lead id.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "examples" / "history.csv"
SEED = 2026
LEADS = 400
START = datetime(2026, 7, 1, tzinfo=UTC)
LAST_START = datetime(2026, 9, 20, tzinfo=UTC)
END = datetime(2026, 9, 30, 23, 0, tzinfo=UTC)  # nothing happens after this
CHICAGO = ZoneInfo("America/Chicago")
# Mean hours before a lead leaves each stage (the SLAs expect hours early on, weeks later).
MEAN_HOURS = {
    "response": 5,
    "valid_response": 30,
    "mql": 9,
    "sal": 80,
    "sql": 250,
    "nurture": 500,
    "closed_lost": 900,
}
OWNERS = {
    "marketing": ["mia.marketing", "omar.ops"],
    "sdr": ["sam.sdr", "sofia.sdr", "sid.sdr"],
    "sales": ["alex.ae", "ana.ae"],
    "customer_success": ["cora.csm"],
}


def _office_time(rng: random.Random) -> datetime:
    """A working moment (9:00-17:00 Chicago, Monday to Friday) between START and LAST_START."""
    while True:
        moment = START + timedelta(seconds=rng.randrange(int((LAST_START - START).total_seconds())))
        local = moment.astimezone(CHICAGO)
        if local.weekday() < 5 and 9 <= local.hour < 17:
            return moment.replace(microsecond=0)


def rows() -> list[list[str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from leadspec.api import load
    from leadspec.config import load_config
    from leadspec.targets import rates_out

    model = load([str(ROOT / "definitions")], load_config(ROOT / "pyproject.toml")).model
    rates = rates_out(model)
    reasons = {
        (stage.id, exit_.to): exit_.reason for stage in model.stages for exit_ in stage.exits if exit_.reason
    }
    rng = random.Random(SEED)
    found: list[list[str]] = []
    for number in range(1, LEADS + 1):
        lead = f"Q-{number:04d}"
        stage, at = "response", _office_time(rng)
        found.append([lead, "Response", _utc(at), "", rng.choice(OWNERS["marketing"])])
        for _ in range(12):
            pick, to = rng.random(), None
            for target, rate in rates.get(stage, []):
                pick -= float(rate)
                if pick < 0:
                    to = target
                    break
            if to is None:  # the share no rate names: mostly an exit the targets give no rate (disqualified)
                others = [e.to for e in model.stage(stage).exits if e.to not in dict(rates.get(stage, []))]
                if not others or rng.random() < 0.15:
                    break
                to = rng.choice(others)
            at = at + timedelta(hours=rng.expovariate(1 / MEAN_HOURS.get(stage, 24)))
            if at > END:
                break
            target_stage = model.stage(to)
            reason = ""
            picklist = model.picklists.get(reasons.get((stage, to), ""))
            if picklist is not None:
                values = [v for v in picklist.values if not v.deprecated and v.then in (None, to)]
                if values:
                    value = rng.choice(values)
                    reason = value.api_name or value.id
            owner = rng.choice(OWNERS.get(target_stage.owner or "marketing", OWNERS["marketing"]))
            found.append([lead, target_stage.api_name or to, _utc(at), reason, owner])
            stage = to
            if target_stage.terminal:
                break
    for stage_value, moment in (
        ("Response", "2026-08-03T14:00:00Z"),
        ("Valid Response", "2026-08-03T14:20:00Z"),
        ("MQL", "2026-08-04T15:00:00Z"),
        ("Customer", "2026-08-06T16:00:00Z"),
    ):
        found.append(["Q-0403", stage_value, moment, "", "alex.ae"])  # MQL straight to Customer: no hand-off
    found.append(["Q-0401", "Evangelist", "2026-08-03T15:00:00Z", "", "mia.marketing"])
    found.append(["Q-0402", "MQL", "2026-08-04 10:30", "", "sam.sdr"])
    found.append(["", "SAL", "2026-08-05T16:00:00Z", "", "sid.sdr"])
    return found


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def text() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lead_id", "stage", "entered_at", "reason", "owner"])
    writer.writerows(rows())
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when examples/history.csv is stale")
    args = parser.parse_args()
    written = text()
    if args.check:
        if TARGET.read_text(encoding="utf-8") != written:
            print(f"{TARGET} is not what examples/make_history.py writes: run it", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(written, encoding="utf-8")
    print(f"wrote {TARGET} ({written.count(chr(10)) - 1} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
