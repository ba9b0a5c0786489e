"""argparse's own words (its headings, "-h" help, and the sentences it refuses bad arguments with)
in nnterm's language.

argparse marks its messages for gettext, but looks them up through two names bound at its import,
`argparse._` and `argparse.ngettext` (`from gettext import gettext as _, ngettext`), which read the
stdlib's global domain. The documented way to translate them is to give those messages a catalog
(the argparse how-to, "How to translate the argparse output"); the way translation packages such
as i18nparse switch them is to rebind those two names. nnterm does both: the msgids are listed
below so that `.ci/catalogs` puts them in nnterm's own catalog, and `speak_nnterms_language()`
points argparse's two names at nnterm's `_` and `ngettext`, which read the language chosen now,
so a later switch reaches argparse too.

The msgids are argparse's, letter for letter, with its %-style placeholders (argparse fills them
with `%`, so a translation keeps each `%s` / `%(name)s` as it is). Only the messages a user can
meet are listed; those about a broken parser (a programming error) stay English.

argparse also measures text with len() and wraps it with textwrap, which break only at spaces:
a Chinese help line would run past the terminal's edge. CellHelpFormatter wraps and indents by
terminal cells (nnterm/runtime/cells.py) instead.
"""
import argparse

from nnterm.runtime.cells import width, wrap
from nnterm.runtime.language import N_, N_plural, _, ngettext

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)
PLURALS = (
    N_plural("expected %s argument", "expected %s arguments"),
)


def speak_nnterms_language() -> None:
    """From now on argparse looks its words up in nnterm's catalog, in the language in use."""
    argparse._ = _
    argparse.ngettext = ngettext


class CellHelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells (a Hanzi is two) and broken between Hanzi."""

    # argparse's own formatter runs a help text's whitespace together into one paragraph first
    def _split_lines(self, text, width):
        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(" ".join(text.split()), width))

    def _format_usage(self, usage, actions, groups, prefix):
        # argparse indents the usage's continuation lines by len(prefix): give it a blank prefix
        # of the translated prefix's cells, then put the words in its place.
        prefix = _("usage: ") if prefix is None else prefix
        blank = " " * width(prefix)
        return prefix + super()._format_usage(usage, actions, groups, blank)[len(blank):]
