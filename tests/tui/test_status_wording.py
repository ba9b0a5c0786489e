"""The status line says each thing once, and names what its figures are."""
from textual.app import App

from nnterm.tui.playground.screen import COMPILING
from nnterm.tui.playground.status_line import StatusLine


class Host(App):
    def compose(self):
        yield StatusLine()


async def test_compiling_is_said_once_while_the_kernels_compile():
    app = Host()
    async with app.run_test(size=(120, 6)) as pilot:
        status = app.query_one(StatusLine)
        status.state = "compiling"
        status.say(COMPILING)
        await pilot.pause()
        line = status.render().plain.splitlines()[1]
        assert line.count("compiling") == 1 and "kernels" in line
