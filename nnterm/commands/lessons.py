from nnterm.runtime.language import _, N_, ngettext
HELP = N_("list the lessons of the track with your progress, check a lesson file (--check FILE), or audit every "
        "claim the lessons make against the live network (--audit [FILE])")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true",
                        help=_('one JSON object {"lessons": [{"key", "title", "steps", "step", "finished", …}], '
                             '"problems": […]} instead of the list'))
    parser.add_argument("--check", metavar="FILE", default=None,
                        help=_("validate a lesson file: every setup applies and every question computes (exit 2 if not)"))
    parser.add_argument("--audit", metavar="FILE", nargs="?", const="", default=None,
                        help=_("play every step of the track's lessons (or of FILE), doing each task with show me, and "
                             "check every claim, live value, question and task against the live network; "
                             "exit 1 naming lesson, step and claim when one fails"))


def run(args) -> int:
    if args.check is not None:
        from nnterm.runtime.compile_notice import announce_compiles
        announce_compiles()
        from nnterm.lessons.validate import check_file
        print(check_file(args.check))           # a LessonError is cli.py's one sentence and exit 2
        return 0
    if args.audit is not None:
        return audit(args.audit)
    import json
    from nnterm.lessons.progress import load_progress
    from nnterm.lessons.track import load_track
    from nnterm.lessons.translation import in_language
    from nnterm.runtime.language import current
    track, progress = load_track(), load_progress()
    rows = []
    for number, lesson in enumerate(track.lessons, 1):
        lesson = in_language(lesson, current())           # its title in the language in use, where it has one
        mine = progress.lessons.get(lesson.key)
        step = min(mine.step, len(lesson.steps) - 1) if mine else 0
        done = len(mine.done & set(range(len(lesson.steps)))) if mine else 0
        rows.append({"number": number, "key": lesson.key, "title": lesson.title, "steps": len(lesson.steps),
                     "step": step + 1, "done": done, "finished": bool(mine and mine.finished),
                     "started": mine is not None, "source": lesson.origin, "language": lesson.language})
    if args.json:
        print(json.dumps({"lessons": rows, "problems": list(track.problems),
                          **({"notice": progress.notice} if progress.notice else {})}))
        return 0
    if progress.notice:
        print(progress.notice)
    from nnterm.runtime.cells import pad, width as cells
    width = max((cells(row["key"]) for row in rows), default=0)
    for row in rows:
        if row["finished"]:
            state = _("done")
        elif row["started"]:
            state = _("at step {step} of {steps}").format(step=row["step"], steps=row["steps"])
        else:
            state = ngettext("{count} step", "{count} steps", row["steps"]).format(count=row["steps"])
        title = _("{title} (yours)").format(title=row["title"]) if row["source"] == "yours" else row["title"]
        print(f"{row['number']:>2}  {pad(row['key'], width)}  {title} · {state}")
    for problem in track.problems:
        print(_("not loaded: {problem}").format(problem=problem))
    print(_("nnterm learn opens the track; nnterm lessons --check FILE checks a lesson of your own"))
    return 0


def audit(path: str) -> int:
    """The audit's verdict per lesson and in total; exit 1 with each failure named."""
    from nnterm.runtime.compile_notice import announce_compiles
    announce_compiles()
    from nnterm.lessons.audit import audit as audit_lessons
    from nnterm.lessons.track import load_track
    from nnterm.lessons.translation import file_language, in_language, load_with_translations
    from nnterm.runtime.language import current
    language = current()
    if path:
        # the file and the translations beside it (a LessonError is cli.py's one sentence and exit 2);
        # a translation named itself is audited in its own language
        lessons = [load_with_translations(path, label=path)]
        language = file_language(path) or language
    else:
        track = load_track()
        lessons = list(track.lessons)
        for problem in track.problems:
            print(_("not loaded: {problem}").format(problem=problem))
    # each lesson in the language asked for (--lang, NNTERM_LANG, the locale) where it has those words:
    # the same claims, values, questions and tasks, the texts rendered in that language
    results, total = audit_lessons([in_language(lesson, language) for lesson in lessons])
    width = max((len(r.lesson.key) for r in results), default=0)
    for result in results:
        print(result.line(width))
    failures = [failure for result in results for failure in result.failures]
    for failure in failures:
        print(_("failed: {failure}").format(failure=failure))
    print(total if not failures else _("{total} — {count} failed").format(total=total, count=len(failures)))
    return 1 if failures else 0
