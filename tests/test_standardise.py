"""The inputs a network sees are (x − mean)/std of the training rows, whatever the data's size:
a file of many blocks of rows is scaled exactly as the formula says, row for row, in the order asked."""
import numpy as np

from nnterm.data.dataset import ROWS_AT_ONCE, fit_scaler, standardise


def pixels(rows: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    x = rng.integers(0, 256, (rows, 12)).astype(np.float32)
    x[:, 3] = 5.0                                    # a constant column: kept as it is, never divided by 0
    return x


def test_every_block_of_rows_is_scaled_by_the_formula_bit_for_bit():
    x = pixels(2 * ROWS_AT_ONCE + 37)
    rows = np.random.default_rng(1).permutation(len(x))[: ROWS_AT_ONCE + 500]
    mean, std = fit_scaler(x, rows, True, None, "test")
    scaled = standardise(x, mean, std, np.float32, rows, file_numbers=True)
    expected = ((x[rows].astype(np.float64) - mean) / std).astype(np.float32)
    assert scaled.dtype == np.float32 and np.array_equal(scaled, expected)
    assert np.array_equal(standardise(x, mean, std, np.float64), (x.astype(np.float64) - mean) / std)


def test_the_scaler_is_the_training_rows_mean_and_spread():
    x = pixels(2 * ROWS_AT_ONCE + 37)
    rows = np.arange(0, len(x), 3)
    mean, std = fit_scaler(x, rows, True, None, "test")
    assert np.allclose(mean, x[rows].astype(np.float64).mean(axis=0), rtol=1e-12)
    spread = x[rows].astype(np.float64).std(axis=0)
    assert np.allclose(std[spread > 0], spread[spread > 0], rtol=1e-12) and std[3] == 1.0
