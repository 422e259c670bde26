"""Read and extract one file without touching the database, so worker processes can run it."""

import hashlib
import multiprocessing
import os
import resource
import signal
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path, PurePath
from typing import Any

from zimao.text.extract import extract_text
from zimao.text.read import DocumentError, read_bytes

from .subject import document_subject

READ_SECONDS = 8.0  # wall clock and CPU per file; a request answers within 10 s
READ_MEMORY_MB = 1024  # address space a parse may add to the process it starts from


@dataclass
class Analysis:
    name: str
    sha256: str
    size: int
    format: str = ""
    encoding: str = ""
    text: str = ""
    facts: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    subject_zones: list[str] = field(default_factory=list)
    subject_evidence: list[dict[str, Any]] = field(default_factory=list)


def analyse_bytes(name: str, data: bytes) -> Analysis:
    """Return the text and facts of a file, or the reason it cannot be read."""
    analysis = Analysis(name, hashlib.sha256(data).hexdigest(), len(data))
    try:
        document = read_bytes(data, name)
        facts = extract_text(document.text)
    except DocumentError as exc:  # unreadable, hostile, or past an extraction limit
        analysis.error = str(exc)
        return analysis
    except Exception as exc:  # one file's failure must never stop the files after it
        analysis.error = f"无法处理该文件（{type(exc).__name__}: {exc}）"
        return analysis
    analysis.format, analysis.encoding, analysis.text = (
        document.format,
        document.encoding,
        document.text,
    )
    analysis.facts = [
        {
            "type": f.type,
            "start": f.start,
            "end": f.end,
            "text": f.text,
            "confidence": f.confidence,
            "payload": f.fields,
        }
        for f in facts
    ]
    spans = [(f.start, f.end, str(f.fields["zone"])) for f in facts if f.fields.get("zone")]
    subject = document_subject(PurePath(name).stem, document.text, spans)
    analysis.subject_zones, analysis.subject_evidence = subject.zones, subject.evidence_dicts()
    return analysis


def _limit_and_analyse(
    conn: Connection, name: str, data: bytes, seconds: float, memory_mb: int
) -> None:
    """Child process: cap its own memory and CPU time, analyse, send the result back."""
    pages = int(Path("/proc/self/statm").read_text().split()[0])
    base = pages * os.sysconf("SC_PAGE_SIZE")
    memory = base + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        result = analyse_bytes(name, data)
        if "MemoryError" in result.error or "内存" in result.error:
            result = _failed(name, data, _memory_error(memory_mb))
        conn.send(result)
    except MemoryError:
        conn.send(_failed(name, data, _memory_error(memory_mb)))
    conn.close()


def _memory_error(memory_mb: int) -> str:
    return f"超出读取上限：读取该文件所需内存超过 {memory_mb} MB"


_START = threading.Lock()


def _context() -> Any:
    """A forkserver that has imported the readers once: each file then costs a fork, not a
    fresh interpreter, and never a fork of the (threaded) web process itself."""
    with _START:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["zimao.documents.analysis"])
        return context


def analyse_bounded(
    name: str, data: bytes, *, seconds: float | None = None, memory_mb: int | None = None
) -> Analysis:
    """analyse_bytes in a child process capped in memory, CPU time and wall-clock time, so a
    hostile file costs the caller at most `seconds` and never its own memory. A file past a
    cap comes back as a failed analysis whose reason names the cap."""
    seconds = READ_SECONDS if seconds is None else seconds
    memory_mb = READ_MEMORY_MB if memory_mb is None else memory_mb
    context = _context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_limit_and_analyse,
        args=(send, name, data, seconds, memory_mb),
        daemon=True,
    )
    child.start()
    send.close()
    try:
        if receive.poll(seconds):
            try:
                result: Analysis = receive.recv()
            except EOFError:  # the child died: killed by its CPU or memory cap
                result = _died(name, data, child, seconds, memory_mb)
        else:
            result = _failed(name, data, f"超出读取上限：读取时间超过 {seconds:g} 秒")
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
        child.close()
    return result


def _failed(name: str, data: bytes, reason: str) -> Analysis:
    return Analysis(name, hashlib.sha256(data).hexdigest(), len(data), error=reason)


def _died(name: str, data: bytes, child: Any, seconds: float, memory_mb: int) -> Analysis:
    child.join(5)
    if child.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
        return _failed(name, data, f"超出读取上限：读取时间超过 {seconds:g} 秒")
    return _failed(
        name, data, f"超出读取上限：读取进程异常退出（内存上限 {memory_mb} MB，可能已用尽）"
    )


def analyse_path(path: Path) -> Analysis:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Analysis(path.name, "", 0, error=f"cannot read the file: {exc.strerror}")
    return analyse_bytes(path.name, data)


def failed_analysis(path: Path, reason: str) -> Analysis:
    """The record of a file whose analysis did not return (a worker died, say)."""
    try:
        data = path.read_bytes()
    except OSError:
        return Analysis(path.name, "", 0, error=reason)
    return Analysis(path.name, hashlib.sha256(data).hexdigest(), len(data), error=reason)
