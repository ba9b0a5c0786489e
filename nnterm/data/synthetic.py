"""Synthetic data sets, as TensorFlow Playground makes them (its dataset.ts), plus moons and teacher.

Each generator returns (inputs, targets): inputs (n, d) in the playground's coordinates
(roughly −6 … 6 for the 2-D sets), targets (n,) — class indices (0/1, or 0 … k−1) for classification,
real values in about −1 … 1 for regression (which kind is which task: nnterm/presets/kinds.py). `noise` is the playground's 0 … 0.5 knob.
"""
import numpy as np


def circle(n, noise, rng):
    # Half the points inside r < 2.5 (class 1), half in the ring 3.5 … 5 (class 0); the label
    # is read at a jittered position, so noise blurs the border rather than moving points.
    radius = 5.0
    inner = n // 2
    r = np.concatenate([rng.uniform(0, radius * 0.5, inner), rng.uniform(radius * 0.7, radius, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    pts = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-radius, radius, (n, 2)) * noise
    labels = (np.hypot(*(pts + jitter).T) < radius * 0.5).astype(np.int64)
    return pts, labels


def xor(n, noise, rng):
    # Uniform in ±5 pushed 0.3 off the axes; class 1 where x·y ≥ 0 (read at a jittered position).
    pts = rng.uniform(-5, 5, (n, 2))
    pts += np.where(pts > 0, 0.3, -0.3)
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    labels = ((pts[:, 0] + jitter[:, 0]) * (pts[:, 1] + jitter[:, 1]) >= 0).astype(np.int64)
    return pts, labels


def gauss(n, noise, rng):
    # Two blobs at (2, 2) (class 1) and (−2, −2) (class 0); variance grows from 0.5 to 4 with noise.
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)
    half = n // 2
    centres = np.vstack([np.tile([2.0, 2.0], (half, 1)), np.tile([-2.0, -2.0], (n - half, 1))])
    pts = centres + rng.normal(0.0, np.sqrt(variance), (n, 2))
    labels = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    return pts, labels


def spiral(n, noise, rng):
    # Two interleaved arms: r = 5i/m, θ = 1.75·2π·i/m (+π for the second arm).
    pts, labels = [], []
    for arm, (offset, label) in enumerate(((0.0, 1), (np.pi, 0))):
        m = n // 2 if arm == 0 else n - n // 2
        i = np.arange(m)
        r = i / m * 5.0
        t = 1.75 * i / m * 2 * np.pi + offset
        xy = np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (m, 2)) * noise
        pts.append(xy)
        labels.append(np.full(m, label, np.int64))
    return np.vstack(pts), np.concatenate(labels)


def spiral3(n, noise, rng, arms=3):
    # `arms` interleaved arms, one class each: arm k is the spiral above turned by 2πk/arms.
    pts, labels = [], []
    for arm in range(arms):
        m = n // arms + (1 if arm < n % arms else 0)
        i = np.arange(m)
        r = i / m * 5.0
        t = 1.75 * i / m * 2 * np.pi + 2 * np.pi * arm / arms
        pts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (m, 2)) * noise)
        labels.append(np.full(m, arm, np.int64))
    return np.vstack(pts), np.concatenate(labels)


def blobs(n, noise, rng, k=4):
    # k Gaussian blobs on a circle of radius 3.5, one class each; variance grows from 0.5 to 4 with noise.
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)
    labels = np.arange(n) % k
    angle = 2 * np.pi * labels / k + np.pi / 4
    centres = 3.5 * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + rng.normal(0.0, np.sqrt(variance), (n, 2)), labels.astype(np.int64)


def moons(n, noise, rng):
    # scikit-learn's two moons, centred and scaled ×3 to the playground's coordinates.
    half = n // 2
    t_out = rng.uniform(0, np.pi, half)
    t_in = rng.uniform(0, np.pi, n - half)
    outer = np.column_stack([np.cos(t_out), np.sin(t_out)])
    inner = np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5])
    pts = (np.vstack([outer, inner]) - [0.5, 0.25]) * 3.0 + rng.normal(0, 1, (n, 2)) * noise * 2
    labels = np.concatenate([np.zeros(half, np.int64), np.ones(n - half, np.int64)])
    return pts, labels


def plane(n, noise, rng):
    # Regression: target = (x + y)/10 read at a jittered position, so −1.2 … 1.2.
    pts = rng.uniform(-6, 6, (n, 2))
    jitter = rng.uniform(-6, 6, (n, 2)) * noise
    return pts, (pts + jitter).sum(axis=1) / 10.0


GAUSS_CENTRES = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gauss(n, noise, rng):
    # Regression: six signed bumps; the target is the strongest bump's sign·(1 − distance/2)⁺.
    pts = rng.uniform(-6, 6, (n, 2))
    probe = pts + rng.uniform(-6, 6, (n, 2)) * noise
    dist = np.hypot(probe[:, None, 0] - GAUSS_CENTRES[:, 0], probe[:, None, 1] - GAUSS_CENTRES[:, 1])
    bumps = GAUSS_CENTRES[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)
    strongest = np.abs(bumps).argmax(axis=1)
    return pts, bumps[np.arange(n), strongest]


def teacher(n, noise, rng, dims=10):
    # A fixed random tanh network labels standard-normal inputs (split at its median, so the
    # classes are balanced); noise flips that fraction of labels. Learnable, not linearly separable.
    x = rng.normal(size=(n, dims))
    w1 = rng.normal(size=(dims, 16)) / np.sqrt(dims)
    w2 = rng.normal(size=16)
    score = np.tanh(x @ w1 * 2.0) @ w2
    labels = (score > np.median(score)).astype(np.int64)
    flip = rng.random(n) < noise
    labels[flip] = 1 - labels[flip]
    return x, labels


GENERATORS = {"circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "moons": moons,
              "spiral3": spiral3, "blobs": blobs,
              "plane": plane, "multi_gauss": multi_gauss, "teacher": teacher}
