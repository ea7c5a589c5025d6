"""French for Qt's own dialogs (buttons, file pickers…), as Picard does."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def install_french(app: QCoreApplication) -> list[QTranslator]:
    """Load qtbase_fr; returns the translators so the caller keeps them alive."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translators = []
    for name in ("qtbase_fr", "qt_fr"):
        translator = QTranslator(app)
        if translator.load(name, path):
            app.installTranslator(translator)
            translators.append(translator)
    return translators
