"""`nnterm data fetch` against a local HTTP server on 127.0.0.1 serving small files the test
writes: checksums, a body cut short, resuming, a server that is gone. Nothing downloads."""
import gzip
import hashlib
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from idx_files import idx_bytes, tiny_set
from nnterm.cli import main
from nnterm.data.fetch import fetch_set
from nnterm.data.image_sets import BY_NAME, PARTS, Download, file_name, load_image_set
from nnterm.errors import NntermError


def set_files():
    (train_x, train_y), (test_x, test_y) = tiny_set(30, 10)
    arrays = dict(zip(PARTS, (train_x, train_y, test_x, test_y)))
    return {file_name(part) + ".gz": gzip.compress(idx_bytes(a), mtime=0) for part, a in arrays.items()}


class Server:
    """Serves `files` by name with Range support; `cut` stops a body after that many bytes,
    `wrong` serves other bytes of the right length. Records each request's Range header."""

    def __init__(self, files):
        self.files, self.cut, self.wrong, self.ranges = dict(files), None, False, []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                if name not in owner.files:
                    self.send_error(404)
                    return
                body = owner.files[name]
                if owner.wrong:
                    body = bytes(len(body))
                wanted = self.headers.get("Range")
                owner.ranges.append(wanted)
                start = int(wanted[6:-1]) if wanted else 0
                self.send_response(206 if wanted else 200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:][: owner.cut] if owner.cut else body[start:])

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/files/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served():
    files = set_files()
    server = Server(files)
    yield server, files
    server.close()


def tiny_mnist(files, mirrors):
    downloads = tuple(Download(part, len(files[file_name(part) + ".gz"]),
                               hashlib.sha256(files[file_name(part) + ".gz"]).hexdigest()) for part in PARTS)
    return replace(BY_NAME["mnist"], mirrors=tuple(mirrors), downloads=downloads)


def test_fetches_the_four_files_with_progress_and_they_load(served, tmp_path):
    server, files = served
    seen = []
    said = fetch_set(tiny_mnist(files, [server.url]), str(tmp_path), progress=lambda *a: seen.append(a))
    assert all("downloaded from" in line for line in said) and len(said) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)       # no part files left behind
    assert seen[-1][1] == seen[-1][2]
    assert load_image_set("mnist", str(tmp_path))[0].shape == (40, 784)
    assert all("already there" in line for line in fetch_set(tiny_mnist(files, [server.url]), str(tmp_path)))


def test_a_whole_file_in_place_with_other_bytes_is_kept_and_a_damaged_one_fetched_again(served, tmp_path):
    """The same images gzipped anew (as a distribution's package ships them) are not the published
    bytes but are the user's and read fine: kept, the server never asked. A damaged one is fetched."""
    server, files = served
    for name, data in files.items():
        (tmp_path / name).write_bytes(gzip.compress(gzip.decompress(data), compresslevel=1, mtime=1))
    mine = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert all(mine[name] != files[name] for name in files)
    said = fetch_set(tiny_mnist(files, [server.url]), str(tmp_path))
    assert all("kept; not the published bytes but a whole IDX file" in line for line in said)
    assert server.ranges == [] and {p.name: p.read_bytes() for p in tmp_path.iterdir()} == mine
    damaged = tmp_path / "t10k-labels-idx1-ubyte.gz"
    damaged.write_bytes(mine[damaged.name][:-9])
    said = fetch_set(tiny_mnist(files, [server.url]), str(tmp_path))
    assert sum("downloaded from" in line for line in said) == 1 and damaged.read_bytes() == files[damaged.name]
    assert load_image_set("mnist", str(tmp_path))[0].shape == (40, 784)


def test_a_checksum_mismatch_tries_the_next_mirror_and_leaves_nothing(served, tmp_path):
    server, files = served
    bad = Server(files)
    bad.wrong = True
    try:
        said = fetch_set(tiny_mnist(files, [bad.url, server.url]), str(tmp_path))
        assert all(server.url in line for line in said)
        with pytest.raises(NntermError, match="SHA-256 is not the published one") as err:
            fetch_set(tiny_mnist(files, [bad.url]), str(tmp_path / "only-bad"))
        assert "put the four files" in str(err.value) and "kept" not in str(err.value)
        assert list((tmp_path / "only-bad").iterdir()) == []                  # nothing under any name
    finally:
        bad.close()


def test_a_body_cut_short_is_kept_and_resumed_with_a_range(served, tmp_path):
    server, files = served
    server.cut = 1000
    with pytest.raises(NntermError, match="the connection closed after 1,000 of") as err:
        fetch_set(tiny_mnist(files, [server.url]), str(tmp_path))
    assert "1,000 bytes downloaded so far are kept and the next try resumes them" in str(err.value)
    assert not (tmp_path / "train-images-idx3-ubyte.gz").exists()             # never under its real name
    server.cut, server.ranges = None, []
    fetch_set(tiny_mnist(files, [server.url]), str(tmp_path))
    assert server.ranges[0] == "bytes=1000-"
    name = "train-images-idx3-ubyte.gz"
    assert (tmp_path / name).read_bytes() == files[name]


def test_a_server_that_is_gone_is_one_sentence_with_exit_2(served, tmp_path, capsys, monkeypatch):
    server, _files = served
    url = server.url
    server.close()
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    assert main(["data", "fetch", "mnist", "--mirror", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "train-images-idx3-ubyte.gz could not be downloaded" in err
    assert f"put the four files (train-images-idx3-ubyte, " in err and str(tmp_path / "data" / "mnist") in err


def test_the_real_table_is_checked_against_what_is_served(served, tmp_path, capsys):
    """The command with the real table: the test's files are not MNIST — shorter than the published
    ones, and of the published length but other bytes — so nothing lands."""
    server, files = served
    assert main(["data", "fetch", "mnist", "--mirror", server.url, "--folder", str(tmp_path)]) == 2
    assert f"the file there is {len(files['train-images-idx3-ubyte.gz']):,} bytes long; the published one is 9,912,422" \
        in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    server.files["train-images-idx3-ubyte.gz"] = bytes(9_912_422)
    assert main(["data", "fetch", "mnist", "--mirror", server.url, "--folder", str(tmp_path)]) == 2
    assert "SHA-256 is not the published one" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_data_lists_what_is_present(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    folder = tmp_path / "data" / "mnist"
    folder.mkdir(parents=True)
    (folder / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(10)))
    assert main(["data"]) == 0
    out = capsys.readouterr().out
    assert f"mnist          MNIST handwritten digits, in {folder}: 1 of 4 files; `nnterm data fetch mnist`" in out
    assert any(line.split() == ["t10k-labels-idx1-ubyte", "18", "bytes"] for line in out.splitlines())
    assert "train-images-idx3-ubyte      missing" in out
    assert "fashion-mnist" in out and "digits" in out
