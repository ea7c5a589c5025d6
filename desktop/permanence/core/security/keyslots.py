"""Key slots: the workspace's random database key, wrapped once per account.

The database is encrypted with SQLCipher under a random 256-bit key. That key is never
stored as such: each account holds it wrapped (AES-256-GCM) with a key derived from the
account's password by Argon2id, like LUKS key slots. Any authorised user therefore opens
the same database, and changing a password rewraps 32 bytes without re-encrypting data.

The slots live in `keyslots.json` beside the database, because they must be read before
the database can be opened. The file holds no secret in clear: salts, Argon2 parameters,
nonces and ciphertexts. The workspace id and the user name are bound to each slot as
associated data, so a slot copied from another workspace or renamed does not open.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import unicodedata
import uuid
from base64 import b64decode, b64encode
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from permanence.core.errors import PermanenceError, WorkspaceError

KEYSLOTS_FILENAME = "keyslots.json"
FORMAT = "permanence-keyslots"
VERSION = 1
KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 8


class WrongPasswordError(PermanenceError):
    """The user name is unknown or the password does not unwrap its slot (same message)."""


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost; stored with each slot so stronger defaults never lock anyone out."""

    time_cost: int = 3
    memory_cost_kib: int = 64 * 1024
    parallelism: int = 4

    def derive(self, password: str, salt: bytes) -> bytes:
        # Imported here: a plain workspace (the demo) never pays for the crypto libraries.
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(
            secret=password.encode("utf-8"),
            salt=salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_cost_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )


#: RFC 9106's second recommended setting (64 MiB, 3 passes): about 0.2-0.4 s on a laptop.
DEFAULT_KDF = KdfParams()


@dataclass(frozen=True, slots=True)
class KeySlot:
    username: str
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes


def normalize_username(username: str) -> str:
    """User names compare without case or surrounding spaces ("Marie " is "marie")."""
    return unicodedata.normalize("NFC", username).strip().casefold()


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def check_password_strength(password: str) -> str | None:
    """A French reason why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Le mot de passe doit contenir au moins {MIN_PASSWORD_LENGTH} caractères."
    if password.strip() != password:
        return "Le mot de passe ne doit pas commencer ni finir par un espace."
    if len(set(password)) < 4:
        return "Ce mot de passe est trop simple : variez les caractères."
    return None


@dataclass(frozen=True, slots=True)
class KeySlots:
    """The content of keyslots.json (immutable; methods return an updated copy)."""

    workspace_id: str
    slots: tuple[KeySlot, ...] = field(default=())

    @classmethod
    def new(cls) -> KeySlots:
        return cls(workspace_id=uuid.uuid4().hex)

    # -- reading and writing the file ---------------------------------------------------
    @classmethod
    def path_in(cls, folder: Path) -> Path:
        return folder / KEYSLOTS_FILENAME

    @classmethod
    def exists_in(cls, folder: Path) -> bool:
        return cls.path_in(folder).exists()

    @classmethod
    def load(cls, folder: Path) -> KeySlots:
        path = cls.path_in(folder)
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise WorkspaceError(
                f"Le fichier des clés « {path} » ne peut pas être lu : {exc.strerror or exc}."
            ) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise WorkspaceError(
                f"Le fichier des clés « {path} » est endommagé : l'espace de travail ne peut "
                "pas être déverrouillé. Restaurez une sauvegarde (permanence restore FICHIER)."
            ) from exc

    @classmethod
    def from_json(cls, text: str) -> KeySlots:
        data = json.loads(text)
        if data.get("format") != FORMAT or data.get("version") != VERSION:
            raise ValueError("not a key slot file of a known version")
        slots = tuple(
            KeySlot(
                username=str(item["username"]),
                kdf=KdfParams(
                    time_cost=int(item["kdf"]["time_cost"]),
                    memory_cost_kib=int(item["kdf"]["memory_cost_kib"]),
                    parallelism=int(item["kdf"]["parallelism"]),
                ),
                salt=b64decode(item["salt"]),
                nonce=b64decode(item["nonce"]),
                wrapped=b64decode(item["wrapped"]),
            )
            for item in data["slots"]
        )
        return cls(workspace_id=str(data["workspace_id"]), slots=slots)

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "workspace_id": self.workspace_id,
            "slots": [
                {
                    "username": slot.username,
                    "kdf": {
                        "algorithm": "argon2id",
                        "time_cost": slot.kdf.time_cost,
                        "memory_cost_kib": slot.kdf.memory_cost_kib,
                        "parallelism": slot.kdf.parallelism,
                    },
                    "salt": b64encode(slot.salt).decode("ascii"),
                    "nonce": b64encode(slot.nonce).decode("ascii"),
                    "wrapped": b64encode(slot.wrapped).decode("ascii"),
                }
                for slot in self.slots
            ],
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def save(self, folder: Path) -> None:
        """Write atomically (temp file, fsync, rename): a crash leaves the old or the new."""
        write_atomically(self.path_in(folder), self.to_json().encode("utf-8"))

    # -- slots -----------------------------------------------------------------------------
    @property
    def usernames(self) -> list[str]:
        return [slot.username for slot in self.slots]

    def slot(self, username: str) -> KeySlot | None:
        wanted = normalize_username(username)
        return next((slot for slot in self.slots if slot.username == wanted), None)

    def unwrap(self, username: str, password: str) -> bytes:
        """The database key, or WrongPasswordError (unknown name or wrong password alike)."""
        slot = self.slot(username)
        if slot is None:
            # Spend the same time as a real attempt: the delay does not reveal the names.
            DEFAULT_KDF.derive(password, b"\0" * 16)
            raise WrongPasswordError("Identifiant ou mot de passe incorrect.")
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        kek = slot.kdf.derive(password, slot.salt)
        try:
            return AESGCM(kek).decrypt(slot.nonce, slot.wrapped, self._aad(slot.username))
        except InvalidTag:
            raise WrongPasswordError("Identifiant ou mot de passe incorrect.") from None

    def with_slot(
        self, username: str, password: str, database_key: bytes, kdf: KdfParams | None = None
    ) -> KeySlots:
        """Add (or replace) the slot of `username` wrapping `database_key` under `password`."""
        name = normalize_username(username)
        if not name:
            raise WrongPasswordError("L'identifiant ne peut pas être vide.")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        params = kdf or DEFAULT_KDF
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(12)
        kek = params.derive(password, salt)
        wrapped = AESGCM(kek).encrypt(nonce, database_key, self._aad(name))
        slot = KeySlot(name, params, salt, nonce, wrapped)
        others = tuple(s for s in self.slots if s.username != name)
        return replace(self, slots=(*others, slot))

    def without_slot(self, username: str) -> KeySlots:
        name = normalize_username(username)
        return replace(self, slots=tuple(s for s in self.slots if s.username != name))

    def _aad(self, username: str) -> bytes:
        return f"{FORMAT}:{VERSION}:{self.workspace_id}:{username}".encode()


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves one whole version."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)
