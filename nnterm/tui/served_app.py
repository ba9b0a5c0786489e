"""What a served tab needs of Textual, imported once in `nnterm serve`'s engine before it forks
the tabs (docs/design.md, "Serving a class"): the app with its screens, and the web driver."""


def import_for_serving() -> None:
    import textual.drivers.web_driver  # noqa: F401

    import nnterm.tui.app  # noqa: F401
