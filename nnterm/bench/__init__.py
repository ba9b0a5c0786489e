"""`nnterm bench`: our epochs per second against PyTorch eager and plain NumPy, in one run.

    workloads.py    the three standard trainings and their data
    ours.py         our epoch, through a Trainer's real path (kernels.train_epoch)
    torch_ref.py    the same training in PyTorch eager (optional)
    numpy_ref.py    the same training in plain NumPy
    timing.py       warm-up, then the median of several timed runs, round-robin
    compare.py      ties them together into one result per workload
    startup.py      --help time, kernel load time, the TUI's first frame and drawing cost

Nothing here imports numpy at module level except the files the command loads after
nnterm.runtime.blas_threads.single_thread() has run: one thread everywhere.
"""
