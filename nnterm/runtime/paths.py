"""Output paths, checked before any work starts, so a long run is never lost to a bad name.

The rule for what may be at the path (the README, "What nnterm promises", says it to users):

- nothing: a new regular file is created;
- a regular file: it is replaced, atomically (nnterm.runtime.fileio), keeping its mode;
- a symbolic link: it is followed — the regular file it points to is replaced, beside itself,
  and the link stays a link. A link that dangles, loops, or points at anything but a regular
  file is refused;
- a folder, a device, a FIFO or a socket: refused. Saving never turns one into a file (as root,
  `--save /dev/null` would otherwise replace the machine's /dev/null).

The folder must exist and take a new file: that is probed by creating (and removing) the very
kind of temporary file a save writes, which also catches read-only file systems and /proc.
"""
from nnterm.runtime.language import _
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path

from nnterm.errors import NntermError

NAME_MAX_BYTES = 255          # the longest file name Linux, macOS and Windows file systems take
PATH_MAX_BYTES = 4096
# Temporary files: `.NAME.nnterm-PID.RANDOM.tmp` beside the target; the PID says whose it is, so
# a later start can remove those whose process is gone (killed mid-save) and leave live ones.
TEMP_PATTERN = re.compile(r"^\..*\.nnterm-(\d+)\.[^./]+\.tmp$")


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def path_problem(text: str) -> str:
    """Why `text` cannot name a file nnterm reads or writes ("" when it can): a control character
    (a newline would split every sentence that names it; no one types one on purpose), a NUL, a
    file name or a path longer than file systems take (checked here, so the OS's ENAMETOOLONG
    never surfaces as a traceback)."""
    if "\0" in text:
        return _("a file name cannot contain a NUL character")
    if any(unicodedata.category(c) == "Cc" for c in text):
        return _("a file name cannot contain a newline, a tab or another control character")
    if len(os.fsencode(text)) > PATH_MAX_BYTES:
        return _("the path is {count} bytes long; the limit is {limit}").format(count=len(os.fsencode(text)), limit=PATH_MAX_BYTES)
    longest = max((len(os.fsencode(part)) for part in Path(text).parts), default=0)
    if longest > NAME_MAX_BYTES:
        return _("a file name in it is {count} bytes long; file systems take at most {limit}").format(count=longest, limit=NAME_MAX_BYTES)
    return ""


def write_target(path: str | os.PathLike, key: str = "") -> Path:
    """The regular file a write to `path` replaces or creates (a symlink followed), or a sentence
    saying why nothing may be written there. Cheap: the atomic writer calls it again right before
    it replaces anything, so what appeared at the path during a long run is still refused."""
    text = os.fspath(path)
    shown = f"{key} {text or repr('')}".strip()
    if not text.strip():
        sentence = _("{shown}: give a file name, e.g. {key} model.safetensors") if key else _("{shown}: give a file name, e.g. model.safetensors")
        raise NntermError(sentence.format(shown=shown, key=key))
    if "\0" in text:
        raise NntermError(_("{shown}: a file name cannot contain a NUL character").format(shown=shown))
    target = Path(text)
    if len(os.fsencode(text)) > PATH_MAX_BYTES:
        raise NntermError(_("{shown}…: the path is {count} bytes long; the limit is {PATH_MAX_BYTES}").format(shown=shown[:80], count=len(os.fsencode(text)), PATH_MAX_BYTES=PATH_MAX_BYTES))
    name_bytes = len(os.fsencode(target.name))
    if name_bytes > NAME_MAX_BYTES:
        raise NntermError(_("{name}…: the file name is {name_bytes} bytes long; file systems take at most {NAME_MAX_BYTES}").format(name=f"{key} {target.name[:40]}".strip(), name_bytes=name_bytes, NAME_MAX_BYTES=NAME_MAX_BYTES))
    if text.endswith(os.sep) or target.name in ("", ".", ".."):
        raise NntermError(_("{shown}: that names a folder; give a file name such as {example}").format(shown=shown, example=target / 'model.safetensors'))
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as err:
        raise NntermError(_("{shown}: cannot be checked ({strerror})").format(shown=shown, strerror=err.strerror)) from None
    if stat.S_ISLNK(info.st_mode):
        try:
            real = Path(os.path.realpath(target, strict=True))
        except FileNotFoundError:
            raise NntermError(_("{shown}: is a symbolic link to {target}, which does not exist; give the file itself, or remove the link").format(shown=shown, target=os.readlink(target))) from None
        except OSError as err:               # ELOOP: a link that leads back to itself
            raise NntermError(_("{shown}: is a symbolic link that cannot be followed ({strerror}); give a plain file name").format(shown=shown, strerror=err.strerror)) from None
        real_mode = os.stat(real).st_mode
        if not stat.S_ISREG(real_mode):
            raise NntermError(_("{shown}: is a symbolic link to {real}, which is {kind}, not a file").format(shown=shown, real=real, kind=kind_of(real_mode)))
        return real
    if not stat.S_ISREG(info.st_mode):
        if stat.S_ISDIR(info.st_mode):
            sentence = _("{shown}: is {kind}, not a file; give a file name such as {example}")
        else:
            sentence = _("{shown}: is {kind}, not a file")
        raise NntermError(sentence.format(shown=shown, kind=kind_of(info.st_mode), example=target / "model.safetensors"))
    return target


def check_output_path(path: str | os.PathLike, key: str = "") -> Path:
    """Before any work: `write_target`, then the folder must exist and accept a new file. Also
    removes temporary files earlier saves to that folder left when they were killed."""
    target = write_target(path, key)
    folder = target.parent
    shown = f"{key} {os.fspath(path)}".strip()
    if not folder.is_dir():
        what = "does not exist" if not folder.exists() else "is not a folder"
        raise NntermError(_("{shown}: the folder {folder} {what}").format(shown=shown, folder=folder, what=what))
    remove_stale_temps(folder)
    try:
        fd, probe = temp_file(target)
    except OSError as err:
        raise NntermError(_("{shown}: the folder {folder} does not take new files ({strerror})").format(shown=shown, folder=folder, strerror=err.strerror)) from None
    os.close(fd)
    os.unlink(probe)
    return target


def temp_file(target: Path) -> tuple[int, str]:
    """A new temporary file beside `target`, named so remove_stale_temps can tell whose it is.
    The name part is cut to 64 bytes: the temporary name must be legal whenever the target's is."""
    stem = os.fsencode(target.name)[:64].decode("utf-8", errors="ignore")
    folder = target.parent if str(target.parent) else Path(".")
    return tempfile.mkstemp(prefix=f".{stem}.nnterm-{os.getpid()}.", suffix=".tmp", dir=folder)


def remove_stale_temps(folder: str | os.PathLike) -> list[Path]:
    """Removes the temporary files of saves whose process no longer runs; returns them."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = TEMP_PATTERN.match(entry.name)
        if not match or int(match.group(1)) == os.getpid() or process_alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def process_alive(pid: int) -> bool:
    if pid <= 0:                     # kill(0) would signal our own process group
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True                  # someone else's process (or a PID we cannot ask about): leave it
    return True
