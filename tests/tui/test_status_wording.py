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


async def test_the_loss_figure_says_it_is_the_epoch_mean_where_there_is_room():
    from nnterm.presets.kinds import loss_formula
    for width, label in ((120, "loss (epoch mean)"), (80, "loss ")):
        app = Host()
        async with app.run_test(size=(width, 6)) as pilot:
            status = app.query_one(StatusLine)
            status.describe_loss("bce")
            status.show(3, 300, None, None, "cpu", "binary")
            await pilot.pause()
            line = status.render().plain.splitlines()[0]
            assert label in line and len(line) <= width and line.rstrip().endswith("cpu")
            assert loss_formula("bce") in str(status.tooltip) and "minibatches" in str(status.tooltip)
