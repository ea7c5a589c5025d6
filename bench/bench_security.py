"""Cost of encryption at rest: opening a workspace of 100 000 messages encrypted (SQLCipher)
vs the same unencrypted, and the backup of the encrypted one.

Two workspaces are built once, with the demo practices and 100 000 messages of realistic
sizes (names, reason, a body of one to four sentences, the readback text) each with its
readback event, by bulk insert through SQLAlchemy Core, and cached under the XDG cache
folder (`~/.cache/permanence/bench/…`), so reruns only measure.

Figures, median of 5 (a new engine each time, warm disk cache):
- open: `Workspace.open` with the key (engine, `PRAGMA quick_check` over every page,
  schema check) vs the plain one: the ratio is the cost of SQLCipher itself;
- unlock: `Workspace.unlock` (the above plus Argon2id on the password and the login
  entry) vs the plain open: what she waits for at login;
- backup: `ws.backups.create` of the encrypted workspace (online copy, check, zip, fsync),
  its size.
DESIGN.md sets no budget for these; they are printed as information.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from platformdirs import user_cache_path
from sqlalchemy import insert

from permanence.core.db.engine import DB_FILENAME
from permanence.core.db.migrate import HEAD_REVISION
from permanence.core.db.models import Message, MessageEvent
from permanence.core.demo import load_demo, read_demo
from permanence.core.resources import resource_path
from permanence.core.security.keyslots import KeySlots
from permanence.core.workspace import Workspace

SEED = 20261123
MESSAGES = 100_000
RUNS = 5
BATCH = 5_000
USER, PASSWORD = "bench", "Banc-d-essai-2026"
TODAY = date(2026, 11, 23)
CACHE_VERSION = 1

_FIRST = "Marie Jean Nathalie Pierre Isabelle Michel Sylvie Philippe Camille Lucas Léa Hugo"
_LAST = "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent"
_REASONS = (
    "Renouvellement d'ordonnance",
    "Résultats de prise de sang",
    "Douleur abdominale depuis deux jours",
    "Fièvre chez l'enfant, 38,5 °C depuis ce matin",
    "Demande de certificat pour le sport",
    "Annulation du rendez-vous de jeudi",
    "Question sur un traitement anticoagulant",
    "Compte rendu d'hospitalisation à transmettre",
)
_SENTENCES = (
    "Souhaite être rappelée dans la matinée si possible.",
    "Le pharmacien demande une précision sur la posologie.",
    "A déjà appelé hier, n'a pas eu de réponse.",
    "Disponible après 17 h sur son portable.",
    "Demande si le docteur peut passer à domicile cette semaine.",
    "Signale une allergie à la pénicilline notée par le remplaçant.",
    "Son fils appelle pour elle, elle entend mal au téléphone.",
)


def cache_folder() -> Path:
    return (
        user_cache_path("permanence", appauthor=False)
        / "bench"
        / f"security-v{CACHE_VERSION}-{HEAD_REVISION}-{MESSAGES}"
    )


def _rows(
    practices: list[tuple[int, int]], start_id: int, count: int, rng: random.Random
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    firsts, lasts = _FIRST.split(), _LAST.split()
    messages, events = [], []
    base = datetime(2025, 11, 23, 7, 0, tzinfo=UTC)
    for offset in range(count):
        message_id = start_id + offset
        practice_id, practitioner_id = rng.choice(practices)
        first, last = rng.choice(firsts), f"{rng.choice(lasts)}{rng.choice(('', '-Lefèvre', ''))}"
        reason = rng.choice(_REASONS)
        body = " ".join(rng.sample(_SENTENCES, rng.randint(1, 4)))
        number = "06 " + " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
        created = base + timedelta(minutes=5 * message_id)
        readback = (
            f"Je vous relis : Madame {first} {last}, rappel au {number}, au sujet de : "
            f"{reason.lower()}. {body}"
        )
        messages.append(
            {
                "id": message_id,
                "practice_id": practice_id,
                "practitioner_id": practitioner_id,
                "caller_civility": "Madame",
                "caller_first_name": first,
                "caller_last_name": last,
                "callback_number": number.replace(" ", "").replace("06", "+336", 1),
                "reason": reason,
                "body": body,
                "status": rng.choice(("nouveau", "lu", "traité", "traité", "traité")),
                "created_at": created,
                "updated_at": created,
                "confirmed": True,
                "confirmed_at": created,
                "readback_text": readback,
                "taken_by": "marie",
            }
        )
        events.append(
            {
                "message_id": message_id,
                "at": created,
                "by": "marie",
                "kind": "relecture",
                "detail": "Confirmé par l'appelant.",
            }
        )
    return messages, events


def _fill(ws: Workspace) -> None:
    load_demo(ws, read_demo(resource_path("demo")), today=TODAY)
    practices = [(p.id, d.id) for p in ws.practices.list() for d in p.practitioners]
    rng = random.Random(SEED)
    for start in range(1, MESSAGES + 1, BATCH):
        messages, events = _rows(practices, 10_000 + start, min(BATCH, MESSAGES + 1 - start), rng)
        with ws.engine.begin() as connection:
            connection.execute(insert(Message), messages)
            connection.execute(insert(MessageEvent), events)
    with ws.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def build(folder: Path, *, encrypted: bool) -> Path:
    """The cached workspace, built (in a temporary folder, then renamed) when missing."""
    if (folder / DB_FILENAME).exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        if encrypted:
            ws = Workspace.create_encrypted(building, USER, PASSWORD)
        else:
            ws = Workspace.open(building)
        with ws:
            _fill(ws)
        for leftover in ("instances", "workspace.lock", "login-attempts.json"):
            path = building / leftover
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    kind = "chiffré" if encrypted else "non chiffré"
    size = (folder / DB_FILENAME).stat().st_size / 1e6
    took = time.perf_counter() - started
    print(f"construit : {kind}, {MESSAGES} messages, {size:.0f} Mo en {took:.0f} s")
    return folder


def _median(action: Callable[[], object], runs: int = RUNS) -> tuple[float, list[float]]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), timings


def _open_plain(folder: Path) -> None:
    Workspace.open(folder).close()


def _open_keyed(folder: Path, key: bytes) -> None:
    Workspace.open(folder, key=key).close()


def _unlock(folder: Path) -> None:
    Workspace.unlock(folder, USER, PASSWORD).close()


def _ms(values: list[float]) -> str:
    return ", ".join(f"{v * 1000:.0f}" for v in values)


def main() -> None:
    root = cache_folder()
    encrypted = build(root / "chiffre", encrypted=True)
    plain = build(root / "clair", encrypted=False)
    print(f"espaces en cache : {root}")
    with Workspace.unlock(encrypted, USER, PASSWORD) as ws:
        key = ws._key
        count = ws.engine.connect().exec_driver_sql("SELECT count(*) FROM messages").scalar()
    assert key is not None
    print(f"messages dans l'espace chiffré : {count}")
    _open_plain(plain)  # warm the disk cache and the imports for both
    _open_keyed(encrypted, key)

    plain_s, plain_all = _median(lambda: _open_plain(plain))
    keyed_s, keyed_all = _median(lambda: _open_keyed(encrypted, key))
    unlock_s, unlock_all = _median(lambda: _unlock(encrypted))
    slots = KeySlots.load(encrypted)
    argon_s, _ = _median(lambda: slots.unwrap(USER, PASSWORD))
    print(
        f"INFO  ouverture non chiffrée (open + quick_check) : médiane {plain_s * 1000:.0f} ms "
        f"[{_ms(plain_all)}]"
    )
    print(
        f"INFO  ouverture chiffrée avec la clé (SQLCipher) : médiane {keyed_s * 1000:.0f} ms "
        f"[{_ms(keyed_all)}]"
    )
    print(
        f"INFO  déverrouillage (Argon2id + ouverture chiffrée + connexion) : médiane "
        f"{unlock_s * 1000:.0f} ms [{_ms(unlock_all)}], dont Argon2id seul : "
        f"{argon_s * 1000:.0f} ms"
    )
    print(
        f"INFO  ratio chiffré / non chiffré, ouverture : {keyed_s / plain_s:.2f}× "
        "(pas de budget dans DESIGN.md)"
    )
    print(
        f"INFO  ratio déverrouillage / ouverture non chiffrée : {unlock_s / plain_s:.2f}× "
        "(pas de budget dans DESIGN.md)"
    )

    with tempfile.TemporaryDirectory(prefix="bench-security-") as scratch:
        target = Path(scratch)
        database_mb = (encrypted / DB_FILENAME).stat().st_size / 1e6
        with Workspace.unlock(encrypted, USER, PASSWORD) as ws:
            runs = iter(range(RUNS))
            backup_s, backup_all = _median(
                lambda: ws.backups.create(target / f"b{next(runs)}.pmbackup"), runs=3
            )
            size_mb = (target / "b0.pmbackup").stat().st_size / 1e6
        with Workspace.open(plain) as ws:
            plain_backup_s, _ = _median(
                lambda: ws.backups.create(target / f"clair-{time.time_ns()}.pmbackup"), runs=3
            )
    print(
        f"INFO  sauvegarde de l'espace chiffré : médiane {backup_s * 1000:.0f} ms "
        f"[{_ms(backup_all)}], fichier {size_mb:.1f} Mo (base {database_mb:.1f} Mo, "
        f"{database_mb / backup_s:.0f} Mo/s) (pas de budget dans DESIGN.md)"
    )
    print(
        f"INFO  sauvegarde de l'espace non chiffré : médiane {plain_backup_s * 1000:.0f} ms "
        f"(ratio {backup_s / plain_backup_s:.2f}×)"
    )
