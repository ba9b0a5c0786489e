"""`nnterm serve`: one warm engine that forks each browser tab's playground, behind a web server
that lets in only the class (docs/design.md, "Serving a class").

    engine.py      the process that has imported nnterm and loaded the kernels; forks each tab
    tab_stub.py    what textual-serve runs per tab: hands its stdin/stdout/stderr to the engine
    web.py         the web server: class code, proxy headers, size clamp, tab cap, failing tabs
    room.py        what the teacher sees: tabs open and the memory they hold
"""

MAX_TABS = 40             # the default --max-tabs
TAB_MEMORY_MB = 1024      # the default --tab-memory: what a tab may allocate beyond the engine it is forked from
