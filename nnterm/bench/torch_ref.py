"""The same training in PyTorch eager, one thread: the reference users would write by hand.

Idiomatic code with PyTorch's defaults — nn.Sequential of nn.Linear, the fused logit losses
(BCEWithLogitsLoss, CrossEntropyLoss on class indices), torch.optim.SGD / Adam, a randperm
shuffle each epoch and loss.item() per batch for the running mean, as ours computes it.
"""
import math

from nnterm.bench.workloads import Arrays, Workload


def available() -> str | None:
    """None when torch can be used, else why not (shown in its column)."""
    try:
        import torch  # noqa: F401
    except Exception as err:          # not installed, or a broken install: either way, no column
        return f"torch not installed ({type(err).__name__})"
    return None


def epoch_runner(workload: Workload, arrays: Arrays, seed: int = 0, device: str = "cpu"):
    import torch
    from torch import nn
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    hidden = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}
    modules = []
    for (fan_in, fan_out), act in zip(workload.layer_shapes[:-1], workload.activations[:-1]):
        modules += [nn.Linear(fan_in, fan_out), hidden[act]()]
    # the output layer's sigmoid / softmax lives inside the fused loss, as in our kernels
    modules.append(nn.Linear(*workload.layer_shapes[-1]))
    model = nn.Sequential(*modules).to(device)       # device "cuda": the GPU reference of nnterm bench --backend cuda
    x = torch.from_numpy(arrays.x).to(device)
    if workload.loss == "bce":
        loss_fn, y = nn.BCEWithLogitsLoss(), torch.from_numpy(arrays.y).to(device)
    else:
        loss_fn, y = nn.CrossEntropyLoss(), torch.from_numpy(arrays.labels.astype("int64")).to(device)
    if workload.optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=workload.learning_rate)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=workload.learning_rate)
    n, batch = x.shape[0], workload.batch_size

    def epoch() -> float:
        perm = torch.randperm(n, device=device)
        total = 0.0
        for start in range(0, n, batch):
            idx = perm[start:start + batch]
            opt.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * idx.shape[0]
        if not math.isfinite(total):
            raise RuntimeError(f"the PyTorch {workload.name} reference diverged")
        return total / n
    return epoch
