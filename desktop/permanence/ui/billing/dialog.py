"""The billing rules of one practice: what is not billed, repeats, price per call."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from permanence.core.calls.billing import BillingRules
from permanence.core.errors import PermanenceError

if TYPE_CHECKING:
    from permanence.core.practices import PracticeInfo
    from permanence.core.workspace import Workspace


class BillingRulesDialog(QDialog):
    def __init__(
        self, workspace: Workspace, practice: PracticeInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._practice = practice
        self.setWindowTitle(f"Facturation — {practice.name}")
        rules = workspace.calls.billing_rules(practice.id)
        self.sales = QCheckBox("Facturer les appels de &démarchage")
        self.wrong = QCheckBox("Facturer les &faux numéros")
        self.hangups = QCheckBox("Facturer les appels &raccrochés avant l'échange")
        self.repeat = QSpinBox()
        self.repeat.setRange(0, 120)
        self.repeat.setSuffix(" min")
        self.repeat.setSpecialValueText("jamais (chaque appel est facturé)")
        self.repeat.setAccessibleName("Délai d'un rappel non facturé")
        self.price = QDoubleSpinBox()
        self.price.setRange(0, 1000)
        self.price.setDecimals(2)
        self.price.setSuffix(" € HT")
        self.price.setSpecialValueText("non renseigné")
        self.price.setAccessibleName("Prix par appel facturé")
        self.error = QLabel()
        self.error.setObjectName("billingError")
        self.error.setStyleSheet("#billingError { color: #b3261e; }")
        self.error.setWordWrap(True)
        self.sales.setChecked(rules.bill_sales_calls)
        self.wrong.setChecked(rules.bill_wrong_numbers)
        self.hangups.setChecked(rules.bill_hangups)
        self.repeat.setValue(rules.repeat_window_minutes)
        self.price.setValue(float(rules.price_eur or 0))
        form = QFormLayout()
        form.addRow(self.sales)
        form.addRow(self.wrong)
        form.addRow(self.hangups)
        form.addRow("Rappel du même numéro non facturé s'il arrive dans les :", self.repeat)
        form.addRow("&Prix par appel facturé :", self.price)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{practice.name}</b> : ce qui est facturé au cabinet."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def rules(self) -> BillingRules:
        price = Decimal(str(round(self.price.value(), 2))) if self.price.value() > 0 else None
        return BillingRules(
            bill_sales_calls=self.sales.isChecked(),
            bill_wrong_numbers=self.wrong.isChecked(),
            bill_hangups=self.hangups.isChecked(),
            repeat_window_minutes=self.repeat.value(),
            price_eur=price,
        )

    def save(self) -> bool:
        try:
            self._ws.calls.set_billing_rules(self._practice.id, self.rules())
        except PermanenceError as exc:
            self.error.setText(exc.message)
            return False
        self.accept()
        return True
