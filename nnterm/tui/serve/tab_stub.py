"""What textual-serve runs for each browser tab: `python -I -S tab_stub.py SOCKET`.

It imports nothing of nnterm, so it works from any folder (-I: no working folder on the path,
no PYTHON* variables; -S: not even site, since it needs the standard library alone). It hands
its stdin, stdout and stderr and its environment (the tab's size, Textual's web driver) to the
warm engine, which forks the tab's app with them, and waits for that app's end: it exits with
the app's status, and its ending (SIGTERM from the server, a closed tab) ends the app — the
engine watches this connection (docs/design.md, "Serving a class").
"""
import json
import os
import signal
import socket
import sys


def main(path: str) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # Ctrl+C is the server's: it ends the tabs itself
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as engine:
        try:
            engine.connect(path)
            socket.send_fds(engine, [json.dumps(dict(os.environ)).encode()], [0, 1, 2])
        except OSError as err:
            print(f"nnterm: the server's engine is not running ({err.strerror or err})", file=sys.stderr)
            return 1
        null = os.open(os.devnull, os.O_RDWR)             # the app holds stdin and stdout now: its end is their EOF
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.close(null)
        try:
            reply = engine.recv(64).decode()
        except OSError:
            reply = ""
    kind, _, number = reply.partition(" ")
    if kind == "exit" and number.isdigit():
        return int(number)
    if kind == "signal" and number.isdigit():
        name = signal.Signals(int(number)).name if int(number) in signal.valid_signals() else number
        why = " (past its memory budget, or stopped)" if int(number) == signal.SIGKILL else ""
        print(f"nnterm: this tab's app was ended by {name}{why}", file=sys.stderr)
        return 128 + int(number)
    print("nnterm: the server's engine stopped", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
