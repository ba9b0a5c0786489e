"""`nnterm data fetch`: an image set's four .gz files, from its mirrors in turn (docs/design.md,
"Data").

Each file is streamed into a hidden `.NAME.part` beside its place, never past the size the table
states; a cut connection leaves the part, and the next try — the next mirror, or the next run —
asks for the rest only (an HTTP Range request; a server that answers with the whole file starts
it over). A whole part whose SHA-256 is not the table's is deleted and the next mirror tried.
Only then is it renamed into place (os.replace: atomic), so a file under its real name is always
the right one.

A file already in place under that name whose SHA-256 is not the table's is kept when it reads as a
whole IDX file: the same images compressed anew (Debian's Fashion-MNIST package ships such copies)
have other bytes, and what the user put there is never replaced. Only one that does not read is
fetched again, and replaced only once the new copy is whole and checked.
"""
from nnterm.runtime.language import _
import hashlib
import os
import urllib.error
import urllib.request
from http.client import HTTPException
from pathlib import Path

from nnterm.data.image_sets import ImageSet, data_folder, file_name, find_part, where_to_put
from nnterm.errors import NntermError

CHUNK = 1 << 16
TIMEOUT_S = 30


def target_name(part: str) -> str:
    return file_name(part) + ".gz"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_set(image_set: ImageSet, folder: str = "", mirrors: tuple[str, ...] = (), progress=None) -> list[str]:
    """Fetches what is missing of the set into its folder; returns one line per file saying what
    was done. `progress(name, done, total)` is called as bytes arrive. Raises one sentence when a
    file cannot be had from any mirror."""
    where = data_folder(image_set, folder)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NntermError(_("{where}: cannot make the data folder ({reason})").format(where=where, reason=err.strerror or err)) from None
    said = []
    for download in image_set.downloads:
        name = target_name(download.part)
        target = where / name
        if target.is_file() and sha256_of(target) == download.sha256:
            said.append(_("{name}: already there").format(name=name))
            continue
        if target.is_file() and reads_whole(target, download.part):
            said.append(_("{name}: kept; not the published bytes but a whole IDX file (delete it to fetch the published one)").format(name=name))
            continue
        other = find_part(where, download.part)
        if other is not None and other != target:     # put there by hand, unpacked or renamed: it is used as is
            said.append(f"{name}: not fetched, {other.name} is there")
            continue
        said.append(fetch_file(download, target, mirrors or image_set.mirrors, image_set, where, progress))
    return said


def reads_whole(path: Path, part: str) -> bool:
    """Whether `path` reads as a whole IDX file of the part's rank (3 for images, 1 for labels)."""
    from nnterm.data.idx import read_idx             # numpy loads only when a file is judged
    try:
        read_idx(path, 3 if part.endswith("images") else 1, part)
    except NntermError:
        return False
    return True


def fetch_file(download, target: Path, mirrors, image_set: ImageSet, where: Path, progress) -> str:
    part = target.with_name(f".{target.name}.part")
    reasons = []
    for mirror in mirrors:
        try:
            fetch_from(mirror + target.name, part, download.size, target.name, progress)
        except (OSError, HTTPException, ValueError) as err:
            reasons.append(f"{mirror}: {reason(err)}")
            continue
        if part.stat().st_size == download.size and sha256_of(part) == download.sha256:
            os.replace(part, target)
            return _("{name}: downloaded from {mirror}").format(name=target.name, mirror=mirror)
        part.unlink()                            # the whole length, but not the file: start over elsewhere
        reasons.append(_("{mirror}: the file's SHA-256 is not the published one").format(mirror=mirror))
    kept = (_("; the {size:,} bytes downloaded so far are kept and the next try resumes them").format(size=part.stat().st_size)
            if part.exists() else "")
    raise NntermError(_("{name} could not be downloaded ({reasons}){kept}. Without a network, {advice}").format(name=target.name, reasons='; '.join(reasons) or _("no mirror given"), kept=kept, advice=where_to_put(where)))


def fetch_from(url: str, part: Path, size: int, name: str, progress) -> None:
    """Appends to `part` what it lacks of the file at `url`, never past `size` bytes."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(_("only http and https addresses are fetched"))
    have = part.stat().st_size if part.exists() else 0
    if have > size:
        part.unlink()
        have = 0
    if have == size:
        return
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        if have and response.status != 206:      # the whole file again: start the part over
            have = 0
        with open(part, "ab" if have else "wb") as out:
            done = have
            while done < size:
                block = response.read(min(CHUNK, size - done))
                if not block:
                    break
                out.write(block)
                done += len(block)
                if progress:
                    progress(name, done, size)
            out.flush()
            os.fsync(out.fileno())
        if done < size and response.length == 0:     # the server sent all it said it had: another file
            part.unlink()
            raise ValueError(_("the file there is {done:,} bytes long; the published one is {size:,}").format(done=done, size=size))
        if done < size:
            raise ConnectionError(_("the connection closed after {done:,} of {size:,} bytes").format(done=done, size=size))


def reason(err: Exception) -> str:
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        return str(err.reason)
    return str(err) or type(err).__name__
