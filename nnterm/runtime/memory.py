"""The machine's memory, for budgets stated as a share of it.

    machine_memory() → bytes of physical memory, or None where the system does not say
"""
import os


def machine_memory() -> int | None:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None
    return pages * size if pages > 0 and size > 0 else None
