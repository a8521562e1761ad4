"""The minimax-game slider without a browser: each control redraws the figure, and the numbers shown agree with
closed forms written out here."""

import math

import numpy as np
import pytest

from ganmath.ui.game import game_sliders

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def panel():
    return game_sliders()


def test_default_simultaneous_steps_spiral_out(panel):
    result = panel.result
    assert panel.png[:8] == PNG_SIGNATURE
    assert result["n_steps"] == 300  # 60 time units at h = 0.2
    np.testing.assert_allclose(result["modulus"], math.sqrt(1 + 0.2**2 / 4), rtol=1e-12)
    assert result["final_distance"] > 1.5 * result["start_distance"]
    np.testing.assert_allclose(result["start_distance"], math.sqrt(2.0), rtol=1e-15)


def test_each_control_redraws_and_changes_the_picture(panel):
    images = [panel.png]
    moves = [("scheme", "alternating"), ("penalty", 0.3), ("d_steps", 3), ("step", 0.5)]
    for name, value in moves:
        before = panel.redraws
        panel.controls[name].value = value
        assert panel.redraws == before + 1, name
        assert panel.png[:8] == PNG_SIGNATURE and panel.png not in images, name
        images.append(panel.png)
    trajectory = panel.result["trajectory"]
    assert (trajectory.scheme, trajectory.d_steps, trajectory.penalty, trajectory.step) == ("alternating", 3, 0.3, 0.5)
    assert panel.result["n_steps"] == 120


def test_alternating_steps_circle_and_the_penalty_converges(panel):
    panel.controls["scheme"].value = "alternating"
    np.testing.assert_allclose(panel.result["modulus"], 1.0, rtol=1e-12)
    distance = panel.result["trajectory"].distance
    assert 0.8 < distance.min() / distance[0] and distance.max() / distance[0] < 1.25
    panel.controls["penalty"].value = 0.3
    # one alternating step with the penalty: eigenvalues of modulus sqrt(1 - h gamma)
    np.testing.assert_allclose(panel.result["modulus"], math.sqrt(1 - 0.2 * 0.3), rtol=1e-12)
    assert panel.result["final_distance"] < 1e-3


def test_more_discriminator_steps_follow_the_matrix_product(panel):
    panel.controls["d_steps"].value = 3
    h, a = 0.2, 0.5
    discriminator = np.array([[1.0, 0.0], [h * a, 1.0]])
    simultaneous = np.array([[1.0, -h * a], [h * a, 1.0]])
    expected = np.max(np.abs(np.linalg.eigvals(simultaneous @ discriminator @ discriminator)))
    np.testing.assert_allclose(panel.result["modulus"], expected, rtol=1e-12)
    np.testing.assert_allclose(np.prod(np.abs(panel.result["eigenvalues"])), 1 + h * h * a * a, rtol=1e-12)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="duration=0.0"):
        game_sliders(duration=0.0)
    with pytest.raises(TypeError, match="start"):
        game_sliders(start=("a", 1.0))
