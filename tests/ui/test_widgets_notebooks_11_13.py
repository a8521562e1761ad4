"""The sliders of notebooks 11-13 without a browser: moving a control redraws, and the numbers shown agree with
independent computations (closed forms, the library's exact divergences)."""

import math

import numpy as np
import pytest

import ganmath as gm
from ganmath.experiments import parzen_evaluation
from ganmath.ui.parzen import parzen_sliders
from ganmath.ui.proposition2 import proposition2_sliders
from ganmath.ui.wasserstein import wasserstein_sliders


def test_proposition2_slider_follows_the_step_size():
    panel = proposition2_sliders(parametric_steps=40)
    assert panel.result["monotone"] and panel.result["functional_gap"][-1] < 1e-12
    before = panel.redraws
    panel.controls["step"].value = 1.5
    assert panel.redraws == before + 1 and not panel.result["monotone"]
    panel.controls["family"].value = "Gaussian"
    # No Gaussian is within 0.3 of -log 4 on two separated modes.
    assert panel.result["parametric_gap"][-1] > 0.3
    assert panel.png[:8] == b"\x89PNG\r\n\x1a\n"


def test_parzen_slider_shows_the_exact_value_and_a_close_estimate():
    generator = parzen_evaluation.trained_generator(n_iter=300)
    panel = parzen_sliders(generator, max_samples=3_000)
    assert panel.result["exact"] == generator.exact
    panel.controls["log_n"].value = math.log10(3_000)
    panel.controls["sigma"].value = 0.2
    assert panel.result["n"] == 3_000
    assert abs(panel.result["estimate"] - generator.exact) < 0.3
    # A window far too narrow for the samples scores far worse.
    panel.controls["sigma"].value = 10**-2.3
    assert panel.result["estimate"] < generator.exact - 0.02


@pytest.mark.parametrize("distance", [3.0, 0.0])
def test_wasserstein_slider_against_exact_w1_and_js(distance):
    panel = wasserstein_sliders(n_critic_steps=60)
    panel.controls["distance"].value = distance
    result = panel.result
    # The generator's median starts at distance + 0.5, the data's median is 0.5: W1 is about the distance.
    assert abs(result["w1"] - distance) < 0.3
    if distance >= 3.0:
        np.testing.assert_allclose(result["js"], math.log(2), rtol=0, atol=1e-12)
    assert result["scaled"] <= result["w1"] * (1 + 1e-3) + 1e-9
    panel.controls["clip"].value = 0.01
    assert panel.result["lipschitz"] < result["lipschitz"] or result["lipschitz"] < 1e-3


def test_bad_generator_is_refused():
    with pytest.raises(TypeError, match="generator"):
        parzen_sliders(gm.Normal(0, 1))
