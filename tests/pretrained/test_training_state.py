"""A run's compact training state (``saved_models/training_state/``) resumes it elsewhere."""

import h5py
import numpy as np
import pytest

from keras_stackgan.callbacks.resumable_backup import WEIGHTS_FILE
from keras_stackgan.pretrained.training_state import (
    export_training_state,
    from_bfloat16_bits,
    import_training_state,
    to_bfloat16_bits,
)
from tests.pretrained.test_resume import data_dir, history, losses, straight, train  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::keras_stackgan.data.DataWarning")


def arrays(path):
    out = {}
    with h5py.File(path, "r") as file:
        file.visititems(
            lambda n, o: out.setdefault(n, o[()]) if isinstance(o, h5py.Dataset) else None
        )
    return out


def test_bfloat16_bits_round_to_nearest_even_and_keep_range():
    values = np.array([1.0, -2.5, 3.0e-38, 1.0e-12, 65504.0, 1.00390625, np.nan], "float32")
    back = from_bfloat16_bits(to_bfloat16_bits(values))
    np.testing.assert_array_equal(back[:2], values[:2])  # exactly representable
    finite = np.isfinite(values)
    np.testing.assert_allclose(back[finite], values[finite], rtol=2.0**-8)
    assert back[3] > 0  # a second moment of 1e-12 survives (it would underflow in float16)
    assert back[5] == 1.0  # a tie rounds to the even neighbour
    assert np.isnan(back[6])
    rng = np.random.default_rng(0)
    noise = rng.normal(size=10_000).astype("float32")
    error = np.abs(from_bfloat16_bits(to_bfloat16_bits(noise)) - noise) / np.abs(noise)
    assert error.max() <= 2.0**-8  # half a unit in the 8th significant bit


def test_exported_state_resumes_a_run_in_a_fresh_directory(data_dir, straight, tmp_path):  # noqa: F811
    """2 epochs, export, a fresh run directory imports and trains epoch 3: its losses are close
    to 3 epochs straight (the state is bfloat16-rounded, not bit-identical), and every array of
    the rebuilt backup is the bfloat16 rounding of the original (integers exact)."""
    first = tmp_path / "first"
    train(data_dir, first, 2)
    state = tmp_path / "state"
    layout = export_training_state(first, state)
    assert layout["epoch"] == 2 and (state / "history.csv").is_file()
    assert layout["bytes"] < 0.7 * (first / "backup" / WEIGHTS_FILE).stat().st_size

    fresh = tmp_path / "elsewhere" / "run"
    assert import_training_state(state, fresh) == 2
    original, rebuilt = (
        arrays(first / "backup" / WEIGHTS_FILE),
        arrays(fresh / "backup" / WEIGHTS_FILE),
    )
    assert original.keys() == rebuilt.keys()
    for name, value in original.items():
        expected = (
            from_bfloat16_bits(to_bfloat16_bits(value)) if value.dtype == np.float32 else value
        )
        np.testing.assert_array_equal(rebuilt[name], expected, err_msg=name)
    assert import_training_state(state, fresh) == 2  # idempotent: the local state is as new

    assert train(data_dir, fresh, 3)["epochs_done"] == 3
    rows = history(fresh)
    assert [row["epoch"] for row in rows] == ["0", "1", "2"]
    np.testing.assert_allclose(losses(rows), losses(history(straight)), rtol=0.05, atol=0.02)


def test_export_needs_a_complete_state(tmp_path):
    with pytest.raises(FileNotFoundError, match="no complete training state"):
        export_training_state(tmp_path, tmp_path / "state")


def test_a_run_recorded_before_an_off_by_default_option_existed_resumes(tmp_path):
    from keras_stackgan.pretrained.training import write_run_json

    old = {"dataset": "cub", "config": {"batch_size": 32, "captions_per_example": 4}}
    write_run_json(tmp_path, old, resuming=False)
    off = {"dataset": "cub", "config": {**old["config"], "stage2_uncond_logits": False}}
    write_run_json(tmp_path, off, resuming=True)  # the new option is off: the same run
    write_run_json(tmp_path, old, resuming=False)
    on = {"dataset": "cub", "config": {**old["config"], "stage2_uncond_logits": True}}
    with pytest.raises(ValueError, match="config"):
        write_run_json(tmp_path, on, resuming=True)
    changed = {"dataset": "cub", "config": {**old["config"], "batch_size": 64}}
    with pytest.raises(ValueError, match="config"):
        write_run_json(tmp_path, changed, resuming=True)
