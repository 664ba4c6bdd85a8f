"""One export run: the target's own checks on top of `check`, then the files to write."""

from __future__ import annotations

import importlib

from leadspec.api import Loaded
from leadspec.config import Config
from leadspec.diagnostics import Diagnostic, Report
from leadspec.exports import CRMS, crmrules
from leadspec.exports.formats import UnsafeText
from leadspec.exports.writer import MARKER, ExportError
from leadspec.model import Model


def target_findings(model: Model, target: str) -> list[Diagnostic]:
    """LS501-LS507 for `target`, whether or not the definitions mention it anywhere."""
    if target not in CRMS:
        return []
    crms = [target]
    return [
        *crmrules.unmapped(model, crms, exporting=target),
        *crmrules.names(model, crms),
        *crmrules.api_values(model, crms),
        *crmrules.duplicates(model, crms),
        *crmrules.limits(model, crms),
        *crmrules.settings(model, crms),
    ]


def checked_report(loaded: Loaded, target: str, config: Config) -> Report:
    """The check report plus the target's own findings, each reported once."""
    report = loaded.report
    seen = {(d.code, d.message, d.span) for d in report.diagnostics}
    extra: list[Diagnostic] = []
    for item in target_findings(loaded.model, target):
        key = (item.code, item.message, item.span)
        if key in seen or not config.enabled(item.code, item.span.file if item.span else None):
            continue
        seen.add(key)
        extra.append(item.with_severity(config.severity_of(item.code, item.severity)))
    return Report(
        diagnostics=sorted([*report.diagnostics, *extra], key=lambda d: d.sort_key),
        files=report.files,
        sources=report.sources,
    )


def render(model: Model, target: str) -> dict[str, bytes]:
    """Every file of the export, relative path -> bytes, marker included."""
    module = importlib.import_module(f"leadspec.exports.{target}")
    try:
        files: dict[str, bytes] = module.render(model)
    except UnsafeText as error:
        raise ExportError(f"cannot export: {error} (see LS505)") from None
    files[MARKER] = f"leadspec export {target}\n".encode()
    return files
