"""Keys typed before the app's first frame: `nnterm`, then `l` at once, opens the neuron lab.

Until Textual takes the terminal, the terminal is in line mode: what a person types waits in
its line buffer (and is echoed), and on an empty cache or a busy machine that can be seconds.
Just before the app runs, the buffer is read (line mode off for a moment, so that the bytes
typed without Enter can be read) and handed to the app, which presses those keys once its
first frame is up. Only single characters are kept — letters, digits, space, punctuation — not
escape sequences (arrows, function keys), whose bytes could be cut anywhere.
"""
import os
import select
import sys

try:
    import termios
except ImportError:                  # not a POSIX terminal: nothing is read ahead
    termios = None


def read_typed_ahead(stream=None) -> str:
    """What was typed on the terminal and not read yet (printable characters only)."""
    stream = sys.stdin if stream is None else stream
    try:
        if termios is None or not stream.isatty():
            return ""
        fd = stream.fileno()
        before = termios.tcgetattr(fd)
    except (OSError, ValueError, termios.error):
        return ""
    quiet = list(before)
    quiet[3] &= ~(termios.ICANON | termios.ECHO)
    quiet[6] = list(before[6])
    quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 0, 0
    data = b""
    try:
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            data += chunk
    except (OSError, termios.error):
        pass
    finally:
        try:
            termios.tcsetattr(fd, termios.TCSANOW, before)
        except (OSError, termios.error):
            pass
    return printable_keys(data.decode("utf-8", errors="ignore"))


def printable_keys(text: str) -> str:
    """The characters of `text` a key press gives, without escape sequences (ESC and what follows)."""
    if "\x1b" in text:
        text = text[:text.index("\x1b")]         # the rest may be a cut sequence: dropped
    return "".join(ch for ch in text if ch.isprintable())
