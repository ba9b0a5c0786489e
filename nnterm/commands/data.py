from nnterm.runtime.language import _, N_
HELP = N_("the data sets: `nnterm data` lists what is present, `nnterm data fetch mnist` downloads MNIST (or fashion-mnist)")

BAR = 30                 # the progress bar's width in cells


def add_arguments(parser) -> None:
    from nnterm.data.image_sets import BY_NAME
    parser.add_argument("action", nargs="?", choices=("list", "fetch"), default="list",
                        help=_("list (the default) or fetch"))
    parser.add_argument("name", nargs="?", choices=tuple(BY_NAME), help=_("the set to fetch: {sets}").format(sets=", ".join(BY_NAME)))
    parser.add_argument("--folder", default="", metavar="DIR",
                        help=_("where the files go (default $NNTERM_HOME/data/NAME, where the presets look)"))
    parser.add_argument("--mirror", action="append", default=[], metavar="URL",
                        help=_("fetch from this address instead of the known mirrors (a folder URL ending in /; repeatable)"))


def run(args) -> int:
    import sys
    from nnterm.errors import NntermError
    if args.action == "list":
        if args.name or args.mirror:
            raise NntermError(_("nnterm data: list takes no set name or --mirror; to download, say `nnterm data fetch NAME`"))
        print(listing(args.folder))
        return 0
    if not args.name:
        from nnterm.data.image_sets import BY_NAME
        raise NntermError(_("nnterm data fetch: name the set to fetch: {sets}").format(sets=', '.join(BY_NAME)))
    from nnterm.data.fetch import fetch_set
    from nnterm.data.image_sets import BY_NAME
    mirrors = tuple(m if m.endswith("/") else m + "/" for m in args.mirror)
    bar = ProgressBar(sys.stderr)
    try:
        lines = fetch_set(BY_NAME[args.name], args.folder, mirrors, bar)
    finally:
        bar.close()
    for line in lines:
        print(line)
    return 0


def listing(folder: str = "") -> str:
    """Each image set with its files, present (size) or missing, and the bundled digits."""
    from nnterm.data.image_sets import IMAGE_SETS, PARTS, data_folder, file_name, present
    lines = [f"{'digits':<14} " + _("bundled: 1,797 images of 8 × 8 pixels, 10 classes (preset digits)")]
    for image_set in IMAGE_SETS:
        found = present(image_set, folder)
        count = sum(path is not None for path in found.values())
        if count == 4:
            state = _("ready")
        else:
            state = _("{count} of 4 files; `nnterm data fetch {name}`").format(count=count, name=image_set.name)
        lines.append(f"{image_set.name:<14} " + _("{title}, in {folder}: {state}").format(
            title=_(image_set.title), folder=data_folder(image_set, folder), state=state))
        for part in PARTS:
            path = found[part]
            lines.append(f"    {path.name:<28} " + _("{size:>12,} bytes").format(size=path.stat().st_size) if path
                         else f"    {file_name(part):<28} " + _("missing"))
    return "\n".join(lines)


class ProgressBar:
    """name [██████░░░░] 43% 4.2 / 9.9 MB on stderr, redrawn in place — on a terminal only."""

    def __init__(self, stream) -> None:
        self.stream, self.drawn = stream, False
        self.live = stream.isatty()

    def __call__(self, name: str, done: int, total: int) -> None:
        if not self.live:
            return
        filled = int(BAR * done / total)
        self.stream.write(f"\r{name:<28} [{'█' * filled}{'░' * (BAR - filled)}] {100 * done / total:3.0f}% "
                          f"{done / 1e6:.1f} / {total / 1e6:.1f} MB")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
