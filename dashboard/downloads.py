"""The export menu's files, built from the warehouse for the filters on screen."""

from __future__ import annotations

from dashboard import data, ids
from exports.deck import build_deck
from exports.images import ImagesUnavailable, images_zip
from exports.tables import to_csv, to_xlsx
from views.export import file_name, gather_for
from views.i18n import labelled, t
from warehouse.filters import Filters


class ExportUnavailable(RuntimeError):
    """An export that cannot be made here: the message says why, for the user."""


def exports_for(item: str, f: Filters, lang: str) -> tuple[str, bytes]:
    """(file name, bytes) of the export a menu item asks for."""
    with data.cursor() as con:
        if con is None:
            raise ExportUnavailable(t("empty_title", lang))
        kind = {ids.EXPORT_DECK: "deck", ids.EXPORT_CSV: "csv", ids.EXPORT_XLSX: "xlsx"}
        content = gather_for(kind.get(item, "images"), con, f, lang)
    if item == ids.EXPORT_DECK:
        return file_name(content, t("export_deck_name", lang), "pptx"), build_deck(content)
    if item == ids.EXPORT_CSV:
        return file_name(content, t("export_data_name", lang), "csv"), to_csv(content)
    if item == ids.EXPORT_XLSX:
        return file_name(content, t("export_data_name", lang), "xlsx"), to_xlsx(content)
    try:
        return file_name(content, t("export_images_name", lang), "zip"), images_zip(content)
    except ImagesUnavailable as exc:
        raise ExportUnavailable(labelled("export_images_failed", lang, exc)) from exc
