"""The one exception a user may see: a sentence saying what is wrong, where, and what is allowed."""


class NntermError(Exception):
    """Bad input. The CLI prints str(error) on one line and exits with status 2."""


class PresetError(NntermError):
    """A preset file or override that cannot be used."""
