"""Getting the kernels ready: the kernel warm-up that compiles or loads them at launch (with its
helper process), and the stepping rule that lets the Python twins run while it does. Above
teach (it warms the teaching engines' kernels), below session (which starts it)."""
