"""The practice's e-mail settings for the evening digest (no password is ever stored).

Settings live in the workspace (key `smtp.practice.<id>`, JSON). A password, when the
server wants one, is typed at send time or read from an environment variable by the CLI:
it never reaches a file or the database.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from permanence.core.errors import ValidationError

if TYPE_CHECKING:
    from permanence.core.workspace import Workspace

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 587
    sender: str = ""
    recipients: tuple[str, ...] = ()
    starttls: bool = True
    username: str = ""

    def problems(self) -> list[str]:
        """French problems; empty when the settings can be used."""
        found = []
        if not self.host.strip():
            found.append("Indiquez le serveur SMTP (par exemple smtp.exemple.fr).")
        if not 0 < self.port < 65536:
            found.append("Le port SMTP doit être compris entre 1 et 65535.")
        if not _ADDRESS.match(self.sender.strip()):
            found.append("L'adresse de l'expéditeur n'est pas une adresse e-mail.")
        if not self.recipients:
            found.append("Indiquez au moins un destinataire.")
        found.extend(
            f"« {r} » n'est pas une adresse e-mail."
            for r in self.recipients
            if not _ADDRESS.match(r)
        )
        return found


def parse_recipients(text: str) -> tuple[str, ...]:
    """ "a@b.fr; c@d.fr" or one per line → a tuple of addresses."""
    return tuple(part.strip() for part in re.split(r"[;,\s]+", text) if part.strip())


def _key(practice_id: int) -> str:
    return f"smtp.practice.{practice_id}"


def load_smtp_settings(workspace: Workspace, practice_id: int) -> SmtpSettings | None:
    text = workspace.setting(_key(practice_id), "")
    if not text:
        return None
    try:
        data = json.loads(text)
        data["recipients"] = tuple(data.get("recipients", ()))
        return SmtpSettings(**data)
    except (ValueError, TypeError):
        return None  # damaged settings: she enters them again


def save_smtp_settings(workspace: Workspace, practice_id: int, settings: SmtpSettings) -> None:
    problems = settings.problems()
    if problems:
        raise ValidationError("\n".join(problems))
    data = asdict(settings)
    data["recipients"] = list(settings.recipients)
    workspace.set_setting(_key(practice_id), json.dumps(data, ensure_ascii=False))
