"""Backups that any database can restore: a .tar.gz of JSON lines, stored files and a manifest.

Layout of an archive (a directory with the same layout is accepted too):

    manifest.json   format, time, database vendor, migration state, row counts, file hashes
    data.jsonl      every record (Django's JSON-lines serialisation, natural keys for content
                    types and permissions, which each database numbers on its own)
    files/NAME      each file of the default storage (the originals of ingested documents)

A restore migrates the database to the migration state the backup was made with, loads the
records with the models of that state, and then migrates to the current head: a backup from an
older release is upgraded the way the release's own database would have been.
"""

import contextlib
import fcntl
import hashlib
import hmac
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps.registry import Apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger(__name__)
FORMAT = "zimao-backup"
EXACT = "zimao-jsonl"  # JSON Lines with times to the microsecond (zimao.ops.exact_jsonl)
VERSION = 1
# Not backed up: rebuilt by `migrate` (content types, permissions), rebuilt after a restore
# (the search index), or short-lived (sessions, login-throttling records).
EXCLUDED = {
    "contenttypes",
    "auth.permission",
    "sessions",
    "search.searchentry",
    "search.similarentry",
    "search.similarityweights",
    "search.similarpending",  # similar records waiting for the worker: the reindex redoes them
    "axes",
    "django_tasks_database",  # the queue: entries of runs, not records (jobs are kept)
    "audit.pendingchange",  # index work after a commit: the restore's reindex does it all
    "demands.registrationattempt",  # an hour's registration throttling, like axes
}
# Rows that migrations create in an otherwise empty database (the default evaluation rubric).
SEEDED_BY_MIGRATIONS = {"reforms.criterion"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive is damaged or does not fit this database; nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    records: int
    files: int
    indexed: int


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def is_backed_up(model: type[models.Model]) -> bool:
    meta = model._meta
    if meta.proxy or not meta.managed or meta.auto_created:
        return False
    return meta.app_label not in EXCLUDED and model_label(model) not in EXCLUDED


def backed_up_models(registry: Apps | None = None) -> list[type[models.Model]]:
    from django.apps import apps as global_apps

    return [m for m in (registry or global_apps).get_models() if is_backed_up(m)]


def sha256_of(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while block := handle.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, sorted."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_files(storage, f"{folder}/{directory}" if folder else directory)


def _executor(using: str) -> MigrationExecutor:
    return MigrationExecutor(connections[using])


def migration_heads(using: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    """The leaf migration of every app; refuses a database with unapplied migrations."""
    executor = _executor(using)
    heads = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(heads):
        raise BackupError("the database has unapplied migrations: run `zimao migrate` first")
    return [list(node) for node in sorted(heads)]


def _consistent_snapshot(using: str, outermost: bool) -> None:
    """Make every read of this transaction see one moment (PostgreSQL reads per statement)."""
    connection = connections[using]
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def backup_create(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, storage: Storage = default_storage
) -> dict[str, Any]:
    """Write a backup archive to PATH (atomically: a partial file is never left under PATH)."""
    heads = migration_heads(using)
    with tempfile.TemporaryDirectory(prefix="zimao-backup-") as work:
        data = Path(work) / "data.jsonl"
        outermost = not connections[using].in_atomic_block
        with transaction.atomic(using=using):
            _consistent_snapshot(using, outermost)
            counts = {
                model_label(m): m._default_manager.using(using).count() for m in backed_up_models()
            }
            serializers.register_serializer(EXACT, "zimao.ops.exact_jsonl")
            call_command(
                "dumpdata",
                format=EXACT,
                exclude=sorted(EXCLUDED),
                use_natural_foreign_keys=True,
                output=str(data),
                database=using,
                verbosity=0,
            )
        files: list[dict[str, Any]] = []
        for name in stored_files(storage):
            with storage.open(name, "rb") as handle:
                files.append(
                    {"name": name, "size": storage.size(name), "sha256": sha256_of(handle)}
                )
        with data.open("rb") as handle:
            data_sha = sha256_of(handle)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connections[using].vendor,
            "migrations": heads,
            "counts": counts,
            "data": {"name": "data.jsonl", "sha256": data_sha},
            "files": files,
        }
        (Path(work) / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (Path(work) / SIGNATURE).write_text(sign((Path(work) / "manifest.json").read_bytes()))
        partial = path.with_name(path.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(work) / "manifest.json", arcname="manifest.json")
            archive.add(Path(work) / SIGNATURE, arcname=SIGNATURE)
            archive.add(data, arcname="data.jsonl")
            for entry in files:
                with storage.open(entry["name"], "rb") as handle:
                    info = tarfile.TarInfo(f"files/{entry['name']}")
                    info.size = entry["size"]
                    info.mtime = int(datetime.now(UTC).timestamp())
                    archive.addfile(info, handle)
        partial.replace(path)
    return manifest


SIGNATURE = "manifest.sig"


def _key() -> bytes:
    """The signing key: ZIMAO_BACKUP_KEY, else one derived from SECRET_KEY; never in a backup."""
    secret = getattr(settings, "BACKUP_KEY", "") or f"zimao-backup:{settings.SECRET_KEY}"
    return hashlib.sha256(secret.encode("utf-8")).digest()


def sign(manifest: bytes) -> str:
    """HMAC-SHA256 of the manifest, which holds the SHA-256 of every other member."""
    return hmac.new(_key(), manifest, hashlib.sha256).hexdigest()


def verify_signature(folder: Path, *, unsigned: bool = False) -> None:
    """Refuse a backup whose manifest was not signed with this installation's key (an edited
    data file with a recomputed manifest, say) before anything is written."""
    signature = folder / SIGNATURE
    if not signature.is_file():
        if unsigned:
            return
        raise BackupError("the backup is not signed (manifest.sig missing); use --unsigned")
    try:
        manifest = (folder / "manifest.json").read_bytes()
        given = signature.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise BackupError(f"cannot read the signature: {exc}") from exc
    if not hmac.compare_digest(given, sign(manifest)):
        raise BackupError("the signature does not match: the backup was changed or made elsewhere")


def _safe_name(name: object) -> bool:
    """A relative path below its folder: no '..', no absolute path, no NUL."""
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name:
        return False
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and "." not in path.parts


def _safe_member(name: str) -> bool:
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        return False
    return name in {"manifest.json", "data.jsonl", SIGNATURE} or (
        parts[0] == "files" and len(parts) > 1
    )


def unpack(path: Path, into: Path) -> Path:
    """Return the folder holding manifest.json: PATH itself, or the archive unpacked INTO."""
    if path.is_dir():
        return path
    try:
        with tarfile.open(path, "r:*") as archive:
            members = archive.getmembers()
            bad = [
                m.name for m in members if not (m.isfile() or m.isdir()) or not _safe_member(m.name)
            ]
            if bad:
                raise BackupError(f"unexpected entries in the archive: {bad[:5]}")
            archive.extractall(into, filter="data")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"cannot read the archive: {exc}") from exc
    return into


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest.json: {exc}") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError("not a Zimao backup (format or version differs)")
    names = [manifest.get("data", {}).get("name")]
    names += [f.get("name") for f in manifest.get("files", []) if isinstance(f, dict)]
    bad = [str(n)[:80] for n in names if not _safe_name(n)]
    if bad or manifest["data"]["name"] != "data.jsonl":
        raise BackupError(f"unsafe member names in the manifest: {bad[:5]}")
    return dict(manifest)


def verify(folder: Path, manifest: dict[str, Any]) -> None:
    """Check the data file and every stored file against the manifest's SHA-256."""
    expected = [(manifest["data"]["name"], manifest["data"]["sha256"])]
    expected += [(f"files/{f['name']}", f["sha256"]) for f in manifest["files"]]
    for name, sha in expected:
        member = folder / name
        if not member.is_file():
            raise BackupError(f"{name} is missing from the backup")
        with member.open("rb") as handle:
            if sha256_of(handle) != sha:
                raise BackupError(f"{name} is damaged (SHA-256 differs from the manifest)")


def _state_apps(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> Apps:
    return executor.loader.project_state(targets, at_end=True).apps


def _migrate_to(targets: list[tuple[str, str]], using: str) -> Apps:
    executor = _executor(using)
    unknown = [t for t in targets if t not in executor.loader.graph.nodes]
    if unknown:
        raise BackupError(
            f"the backup was made by a newer release (unknown migrations: {unknown[:3]})"
        )
    executor.migrate(targets)
    registry = _state_apps(_executor(using), targets)
    # As `migrate` does: content types and permissions, which natural keys point at.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using, apps=registry, plan=[])
    return registry


# The stubs leave out the private hooks overridden below.
_Deserializer: Any = PythonDeserializer


class HistoricalDeserializer(_Deserializer):  # type: ignore[misc]
    """Django's deserializer, reading models from a migration state instead of the code.

    Historical models have no natural-key methods, so natural keys (content types,
    permissions, users) are resolved by the current models, which read the same tables.
    """

    def __init__(self, objects: Any, *, registry: Apps, **options: Any) -> None:
        self.registry = registry
        super().__init__(objects, **options)

    def _get_model_from_node(self, model_identifier: str) -> type[models.Model]:
        try:
            return self.registry.get_model(model_identifier)
        except (LookupError, TypeError) as exc:
            raise DeserializationError(f"unknown model {model_identifier}") from exc

    def _natural(self, field: Any, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        from django.apps import apps as global_apps

        model = global_apps.get_model(field.remote_field.model._meta.label)
        return model._default_manager.db_manager(self.using).get_by_natural_key(*value).pk

    def _handle_fk_field_node(self, field: Any, field_value: Any) -> Any:
        return super()._handle_fk_field_node(field, self._natural(field, field_value))

    def _handle_m2m_field_node(self, field: Any, field_value: Any) -> Any:
        values = [self._natural(field, v) for v in field_value]
        return super()._handle_m2m_field_node(field, values)


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _counts(registry: Apps, labels: list[str], using: str) -> dict[str, int]:
    return {
        label: registry.get_model(label)._default_manager.using(using).count() for label in labels
    }


def _flush(registry: Apps, using: str) -> None:
    connection = connections[using]
    keep = {"django_content_type", "auth_permission"}
    existing = set(connection.introspection.table_names())
    tables = sorted(
        m._meta.db_table
        for m in registry.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    )
    tables = [t for t in dict.fromkeys(tables) if t in existing and t not in keep]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with deferred checks pending from earlier in the transaction.
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(statements)


def _load(folder: Path, registry: Apps, using: str) -> int:
    connection = connections[using]
    loaded: set[type[models.Model]] = set()
    deferred = []
    count = 0
    with connection.constraint_checks_disabled():
        for obj in HistoricalDeserializer(
            _records(folder / "data.jsonl"),
            registry=registry,
            using=using,
            handle_forward_references=True,
        ):
            obj.save(using=using)
            loaded.add(type(obj.object))
            if obj.deferred_fields:
                deferred.append(obj)
            count += 1
        for obj in deferred:
            obj.save_deferred_fields(using=using)
    connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return count


def non_empty_models(registry: Apps, using: str) -> dict[str, int]:
    rows = _counts(registry, [model_label(m) for m in backed_up_models(registry)], using)
    return {k: n for k, n in rows.items() if n and k not in SEEDED_BY_MIGRATIONS}


def _restore_files(folder: Path, manifest: dict[str, Any], storage: Storage) -> int:
    for entry in manifest["files"]:
        name = entry["name"]
        if storage.exists(name):
            storage.delete(name)
        with (folder / "files" / name).open("rb") as handle:
            saved = storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"the storage renamed {name} to {saved}")
    return len(manifest["files"])


def backup_restore(
    path: Path,
    *,
    force: bool = False,
    unsigned: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage = default_storage,
) -> RestoreResult:
    """Restore PATH into this database and storage; refuse a database with records unless forced.

    The signature, the member names and every hash are checked before anything is written;
    `unsigned` accepts a backup without signature (one made before backups were signed). The
    verified copy is kept under var/ with a marker until the last step is done, so a restore
    stopped at any point is resumed (`resume_restore`) at the next start."""
    with restore_lock(wait=True):
        unfinished = restore_unfinished()
        folder, manifest = _take_in(path, unsigned)
        _write_marker(path, unsigned, "database")
        try:
            registry = _migrate_to(_targets(manifest), using)
            present = non_empty_models(registry, using)
            if present and not force and unfinished is None:
                listed = ", ".join(f"{k} ({n})" for k, n in sorted(present.items())[:5])
                raise BackupError(f"the database already holds records: {listed}; use --force")
        except BaseException:
            _undo_start(using, keep_marker=unfinished is not None)
            raise
        return _finish(folder, manifest, "database", using, storage, fresh=unfinished is None)


PHASES = ("database", "files", "index")


def _targets(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    return [(app, name) for app, name in manifest["migrations"]]


def _checked(folder: Path, unsigned: bool) -> dict[str, Any]:
    verify_signature(folder, unsigned=unsigned)
    manifest = read_manifest(folder)
    verify(folder, manifest)
    return manifest


def _take_in(path: Path, unsigned: bool) -> tuple[Path, dict[str, Any]]:
    """Unpack (or copy) the backup to var/, verify it, and only then put it in place of the
    copy an earlier, unfinished restore kept: a bad backup leaves that earlier one as it was."""
    folder = restore_folder()
    incoming = folder.with_name(folder.name + ".incoming")
    shutil.rmtree(incoming, ignore_errors=True)
    try:
        if path.is_dir():
            shutil.copytree(path, incoming)
        else:
            incoming.mkdir(parents=True)
            unpack(path, incoming)
        manifest = _checked(incoming, unsigned)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    shutil.rmtree(folder, ignore_errors=True)
    incoming.rename(folder)
    return folder, manifest


def _undo_start(using: str, *, keep_marker: bool) -> None:
    """A restore refused or failed before its records were committed: back to the current
    schema; the marker and the copy go unless an earlier restore is still unfinished."""
    try:
        call_command("migrate", database=using, verbosity=0)
    finally:
        if not keep_marker:
            restore_marker().unlink(missing_ok=True)
            shutil.rmtree(restore_folder(), ignore_errors=True)


def _finish(
    folder: Path,
    manifest: dict[str, Any],
    phase: str,
    using: str,
    storage: Storage,
    *,
    fresh: bool = False,
) -> RestoreResult:
    """The restore from `phase` on: records (one transaction), files, search index. Each step
    can be repeated, so a resumed restore redoes the step it was stopped in."""
    records = sum(int(n) for n in manifest["counts"].values())
    if phase == "database":
        try:
            registry = _migrate_to(_targets(manifest), using)
            with transaction.atomic(using=using):
                _flush(registry, using)
                records = _load(folder, registry, using)
                found = _counts(registry, list(manifest["counts"]), using)
                if found != manifest["counts"]:
                    wrong = {
                        k: (n, manifest["counts"][k])
                        for k, n in found.items()
                        if n != manifest["counts"][k]
                    }
                    raise BackupError(f"row counts differ after loading (found, expected): {wrong}")
        except BackupError:  # rolled back: the records are as they were
            _undo_start(using, keep_marker=not fresh)
            raise
        call_command("migrate", database=using, verbosity=0)
        _set_phase("files")
    files = len(manifest["files"])
    if phase in ("database", "files"):
        _restore_files(folder, manifest, storage)
        _set_phase("index")
    from zimao.search.services import reindex

    indexed = sum(reindex().values())
    restore_marker().unlink()
    shutil.rmtree(folder, ignore_errors=True)
    return RestoreResult(records=records, files=files, indexed=indexed)


def resume_restore(
    *, using: str = DEFAULT_DB_ALIAS, storage: Storage = default_storage
) -> RestoreResult | None:
    """Finish a restore that was stopped (killed, power cut, full disk), from the step it was
    in; None when there is none, or when one is running now in another process. A restore
    that cannot be finished (its copy and its backup both gone) raises BackupError: it is
    never left half done without saying so."""
    with restore_lock(wait=False) as taken:
        marker = restore_unfinished() if taken else None
        if marker is None:
            return None
        folder = restore_folder()
        if not (folder / "manifest.json").is_file():
            named = str(marker.get("backup") or "")
            source = Path(named)
            if not named or not source.exists():
                raise BackupError(
                    f"a restore of {named or 'a backup'} was interrupted and cannot be resumed: "
                    "its copy under var/ and the backup are gone; run `zimao restore BACKUP "
                    "--force` with a backup to finish"
                )
            folder, manifest = _take_in(source, bool(marker.get("unsigned")))
        else:
            manifest = _checked(folder, bool(marker.get("unsigned")))
        phase = str(marker.get("phase"))
        logger.warning("resuming the restore of %s from its %s step", marker.get("backup"), phase)
        return _finish(folder, manifest, phase if phase in PHASES else "database", using, storage)


def resume_at_start(say: Callable[[str], object] | None = None) -> None:
    """At the start of `zimao serve`, `zimao restore` and every web process: resume a restore
    that was stopped, so the site never serves half-restored records (see docs/deploy.md)."""
    result = resume_restore()
    if result is not None:
        message = (
            f"resumed an interrupted restore: {result.records} records, {result.files} files, "
            f"{result.indexed} search entries"
        )
        logger.warning(message)
        if say is not None:
            say(message)
    elif restore_running():
        logger.warning("a restore is running in another process; /healthz reports it")


def restore_marker() -> Path:
    return Path(settings.VAR_DIR) / "restore-in-progress.json"


def restore_folder() -> Path:
    """The verified copy of the backup being restored, kept until the restore is done."""
    return Path(settings.VAR_DIR) / "restore-in-progress"


@contextlib.contextmanager
def restore_lock(*, wait: bool) -> Iterator[bool]:
    """An exclusive lock on var/restore.lock for as long as a restore (or its resumption) runs;
    yields whether it was taken. The kernel drops it when the process dies, so a held lock
    means a live restore, and a marker without one means a stopped restore."""
    path = Path(settings.VAR_DIR) / "restore.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def restore_running() -> bool:
    """A restore is running now, in some process sharing this var/ folder."""
    try:
        with restore_lock(wait=False) as taken:
            return not taken
    except OSError:
        return False


def _write_marker(path: Path, unsigned: bool, phase: str) -> None:
    started = datetime.now(UTC).isoformat()
    _save_marker(
        {"backup": str(path.resolve()), "unsigned": unsigned, "phase": phase, "started": started}
    )


def _set_phase(phase: str) -> None:
    marker = restore_unfinished() or {}
    _save_marker({**marker, "phase": phase})


def _save_marker(content: dict[str, Any]) -> None:
    """Written to a temporary name and renamed: a marker is never half written."""
    marker = restore_marker()
    marker.parent.mkdir(parents=True, exist_ok=True)
    partial = marker.with_name(marker.name + ".part")
    partial.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, marker)


def restore_unfinished() -> dict[str, Any] | None:
    """The restore that started and did not finish (killed midway, or running now), if any:
    its records, files or search entries are incomplete until it is resumed."""
    try:
        return dict(json.loads(restore_marker().read_text(encoding="utf-8")))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError):
        return {"backup": "", "started": "", "phase": "database"}
