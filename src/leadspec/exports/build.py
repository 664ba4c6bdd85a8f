"""One export run: the target's own checks on top of `check`, then the files to write."""

from __future__ import annotations

import importlib

from leadspec import structs
from leadspec.api import Loaded
from leadspec.config import Config
from leadspec.diagnostics import Diagnostic, Report
from leadspec.exports import CRMS, crmrules
from leadspec.exports.formats import UnsafeText
from leadspec.exports.writer import MARKER, ExportError
from leadspec.model import Model


def target_findings(model: Model, target: str, config: Config | None = None) -> list[Diagnostic]:
    """LS501-LS507 for `target`, whether or not the definitions mention it anywhere."""
    if target not in CRMS:
        return []
    crms = [target]
    return [
        *crmrules.unmapped(model, crms, exporting=target, config=config),
        *crmrules.names(model, crms),
        *crmrules.api_values(model, crms),
        *crmrules.duplicates(model, crms),
        *crmrules.limits(model, crms),
        *crmrules.settings(model, crms),
    ]


def checked_report(loaded: Loaded, target: str, config: Config) -> Report:
    """The check report plus the target's own findings, each reported once.

    A finding `check` already made for the target stays, at the export's severity when that
    is higher: LS501 is a warning in `check` for a CRM only `exports` names, and stops the
    export of that CRM.
    """
    report = loaded.report
    found = list(report.diagnostics)
    where = {(d.code, d.message, d.span): index for index, d in enumerate(found)}
    for item in target_findings(loaded.model, target, config):
        if not config.enabled(item.code, item.span.file if item.span else None):
            continue
        item = item.with_severity(config.severity_of(item.code, item.severity))
        key = (item.code, item.message, item.span)
        if key not in where:
            where[key] = len(found)
            found.append(item)
        elif item.severity.rank > found[where[key]].severity.rank:
            found[where[key]] = item
    return structs.replace(report, diagnostics=sorted(found, key=lambda d: d.sort_key))


def render(model: Model, target: str) -> dict[str, bytes]:
    """Every file of the export, relative path -> bytes, marker included."""
    module = importlib.import_module(f"leadspec.exports.{target}")
    try:
        files: dict[str, bytes] = module.render(model)
    except UnsafeText as error:
        raise ExportError(f"cannot export: {error} (see LS505)") from None
    files[MARKER] = f"leadspec export {target}\n".encode()
    return files
