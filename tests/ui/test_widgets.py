"""The sliders of ganmath.ui.theory_sliders, moved without a browser, and the blitting renderer of ganmath.viz.render.

Each test sets slider values as the browser would, then checks the recomputed numbers against references
computed another way (scipy.stats densities, QUADPACK on the definitions, JS values computed in mpmath, closed forms)
and that the figure changed: its lines' data and the PNG bytes shown in the Output widget.
"""

import base64
import io
import math

import numpy as np
import PIL.Image
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from scipy import integrate as sp_integrate
from scipy import special, stats

from ganmath.core.presets import data_presets
from ganmath.ui import theory_sliders
from ganmath.viz import drawing, palette, render, theory_figures

LOG4 = math.log(4.0)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB"))


def shown_png(panel) -> bytes:
    (output,) = panel.output.outputs
    assert output["output_type"] == "display_data"
    return base64.b64decode(output["data"]["image/png"])


def quad(f, low, high, points=()):
    return sp_integrate.quad(f, low, high, points=list(points) or None, limit=500, epsabs=1e-12, epsrel=1e-12)[0]


def quad_kl(p_pdf, q_pdf, low, high, points=()):
    return quad(lambda x: p_pdf(x) * math.log(p_pdf(x) / q_pdf(x)) if p_pdf(x) > 0 else 0.0, low, high, points)


def quad_criterion(p_pdf, q_pdf, low, high, points=()):
    def integrand(x):
        a, b = p_pdf(x), q_pdf(x)
        return (a * math.log(a / (a + b)) if a > 0 else 0.0) + (b * math.log(b / (a + b)) if b > 0 else 0.0)

    return quad(integrand, low, high, points)


def quad_js(p_pdf, q_pdf, low, high, points=()):
    def integrand(x):
        a, b = p_pdf(x), q_pdf(x)
        m = (a + b) / 2
        return 0.5 * ((a * math.log(a / m) if a > 0 else 0.0) + (b * math.log(b / m) if b > 0 else 0.0))

    return quad(integrand, low, high, points)


@pytest.fixture(scope="module")
def likelihood_panel():
    return theory_sliders.likelihood_sliders()


@pytest.fixture(scope="module")
def discriminator_panel():
    return theory_sliders.discriminator_sliders()


@pytest.fixture(scope="module")
def criterion_panel():
    return theory_sliders.criterion_sliders()


@pytest.fixture(scope="module")
def vanishing_panel():
    return theory_sliders.vanishing_sliders()


@pytest.fixture(scope="module")
def gradient_panel():
    return theory_sliders.generator_gradient_sliders()


ALL_PANELS = ["likelihood_panel", "discriminator_panel", "criterion_panel", "vanishing_panel", "gradient_panel"]


@pytest.mark.parametrize("name", ALL_PANELS)
def test_panel_shows_its_sliders_and_an_image(name, request):
    panel = request.getfixturevalue(name)
    assert panel.sliders, "a panel needs at least one slider"
    assert panel.widget.children[1] is panel.output
    png = shown_png(panel)
    assert png == panel.png and png.startswith(b"\x89PNG")
    width, height = panel.renderer.size
    assert pixels(png).shape == (height, width, 3)
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("name", ALL_PANELS)
def test_moving_the_first_slider_redraws_once_and_changes_the_image(name, request):
    panel = request.getfixturevalue(name)
    slider = panel.sliders[0]
    before_png, before_redraws = panel.png, panel.redraws
    before_data = [np.array(a.get_ydata(), copy=True) for a in panel.renderer.moving if hasattr(a, "get_ydata")]
    slider.value = slider.min + 0.37 * (slider.max - slider.min)
    assert panel.redraws == before_redraws + 1
    assert panel.png != before_png
    assert np.any(pixels(panel.png) != pixels(before_png))
    after_data = [np.asarray(a.get_ydata()) for a in panel.renderer.moving if hasattr(a, "get_ydata")]
    assert any(b.shape != a.shape or np.any(b != a) for b, a in zip(before_data, after_data))
    assert shown_png(panel) == panel.png


def test_likelihood_numbers(likelihood_panel):
    panel = likelihood_panel
    panel.controls["mu"].value = 0.5
    panel.controls["sigma"].value = 1.3
    p_data = data_presets()["skewed"]
    result = panel.result
    assert (result["mu"], result["sigma"]) == (0.5, 1.3)
    # The data density from scipy.stats, the KL by QUADPACK.
    def data_pdf(x):
        return 0.7 * stats.norm.pdf(x, -0.5, 0.7) + 0.3 * stats.norm.pdf(x, 1.5, 1.2)

    def model_pdf(x):
        return stats.norm.pdf(x, 0.5, 1.3)

    assert result["kl"] == pytest.approx(quad_kl(data_pdf, model_pdf, -15, 15, points=[-0.5, 1.5]), abs=1e-9)
    entropy = -quad(lambda x: data_pdf(x) * math.log(data_pdf(x)), -15, 15, points=[-0.5, 1.5])
    assert result["entropy"] == pytest.approx(entropy, abs=1e-9)
    assert result["expected_log_likelihood"] + result["kl"] == pytest.approx(-entropy, abs=1e-9)
    samples = p_data.sample(500, np.random.default_rng(0))
    assert result["mean_log_likelihood"] == pytest.approx(np.mean(stats.norm.logpdf(samples, 0.5, 1.3)), rel=1e-13)
    (model_line,) = [a for a in panel.renderer.moving if a.get_label() == "model $q$"]
    np.testing.assert_allclose(model_line.get_ydata(), stats.norm.pdf(model_line.get_xdata(), 0.5, 1.3), rtol=1e-12)


def test_likelihood_curves_follow_the_spread(likelihood_panel):
    panel = likelihood_panel
    kl_line = panel.renderer.moving[1]
    panel.controls["sigma"].value = 0.8
    first = np.array(kl_line.get_ydata(), copy=True)
    panel.controls["sigma"].value = 2.0
    second = np.asarray(kl_line.get_ydata())
    assert np.all(first != second)
    # The curve's minimum sits at the data's mean (moment matching), whatever the spread.
    grid = kl_line.get_xdata()
    assert grid[np.argmin(second)] == pytest.approx(data_presets()["skewed"].mean, abs=0.03)


def test_discriminator_numbers_and_lines(discriminator_panel):
    panel = discriminator_panel
    panel.controls["data"].value = "bimodal"
    panel.controls["mean"].value = -1.0
    panel.controls["spread"].value = 0.7
    panel.controls["second_weight"].value = 0.3
    panel.controls["second_offset"].value = 2.5
    panel.controls["alpha"].value = 0.8

    def data_pdf(x):
        return 0.5 * stats.norm.pdf(x, -2, 0.6) + 0.5 * stats.norm.pdf(x, 2, 0.6)

    def generator_pdf(x):
        return 0.7 * stats.norm.pdf(x, -1.0, 0.7) + 0.3 * stats.norm.pdf(x, 1.5, 0.7)

    points = [-2.0, -1.0, 1.5, 2.0]
    criterion = quad_criterion(data_pdf, generator_pdf, -14, 14, points)
    js = quad_js(data_pdf, generator_pdf, -14, 14, points)
    result = panel.result
    assert result["value"] == pytest.approx(criterion, abs=1e-9)
    assert result["criterion"] == pytest.approx(criterion, abs=1e-9)
    assert result["js"] == pytest.approx(js, abs=1e-9)
    assert result["criterion"] == pytest.approx(-LOG4 + 2 * js, abs=1e-9)

    lines = {a.get_label(): a for a in panel.renderer.moving if hasattr(a, "get_ydata")}
    x = lines[palette.DISCRIMINATOR_STYLE["label"]].get_xdata()
    d_star = data_pdf(x) / (data_pdf(x) + generator_pdf(x))
    np.testing.assert_allclose(lines[palette.DISCRIMINATOR_STYLE["label"]].get_ydata(), d_star, atol=1e-13)
    np.testing.assert_allclose(lines[palette.SMOOTHED_DISCRIMINATOR_STYLE["label"]].get_ydata(), 0.8 * d_star,
                               atol=1e-13)
    np.testing.assert_allclose(lines[palette.GENERATOR_STYLE["label"]].get_ydata(), generator_pdf(x), rtol=1e-12)
    np.testing.assert_allclose(lines[palette.DATA_STYLE["label"]].get_ydata(), data_pdf(x), rtol=1e-12)
    assert result["smoothed_max"] == pytest.approx(0.8 * np.max(d_star), abs=1e-13)


def test_discriminator_uniform_preset_has_d_star_zero_outside(discriminator_panel):
    panel = discriminator_panel
    panel.controls["data"].value = "uniform"
    panel.controls["alpha"].value = 1.0
    line = [a for a in panel.renderer.moving if a.get_label() == palette.DISCRIMINATOR_STYLE["label"]][0]
    x, d_star = line.get_xdata(), line.get_ydata()
    assert np.all(d_star[np.abs(x) > 1.5] == 0.0)
    assert np.all(d_star[np.abs(x) < 1.5] > 0.0)


def test_criterion_reaches_minus_log4_at_the_data(criterion_panel):
    panel = criterion_panel
    panel.controls["spread"].value = 0.8
    panel.controls["mean"].value = 1.0
    assert panel.result["criterion"] == pytest.approx(-LOG4, abs=1e-12)
    assert panel.result["js"] == pytest.approx(0.0, abs=1e-12)
    low, high = panel.result["d_star_range"]
    assert low == pytest.approx(0.5, abs=1e-12) and high == pytest.approx(0.5, abs=1e-12)


def test_criterion_away_from_the_data(criterion_panel):
    panel = criterion_panel
    panel.controls["mean"].value = 3.5
    panel.controls["spread"].value = 1.25

    def data_pdf(x):
        return stats.norm.pdf(x, 1.0, 0.8)

    def generator_pdf(x):
        return stats.norm.pdf(x, 3.5, 1.25)

    reference = quad_criterion(data_pdf, generator_pdf, -30, 40, [1.0, 3.5])
    assert panel.result["criterion"] == pytest.approx(reference, abs=1e-9)
    assert panel.result["criterion"] > -LOG4
    # The curve against the mean, at this spread, has its lowest point at the marker's C(G) or below.
    curve = panel.renderer.moving[2]
    assert np.min(curve.get_ydata()) <= panel.result["criterion"]
    assert curve.get_ydata()[np.argmin(np.abs(curve.get_xdata() - 3.5))] == pytest.approx(reference, abs=1e-9)


@pytest.mark.parametrize("d", [2.0, 5.0, 8.0])
def test_vanishing_numbers_against_mpmath_values(vanishing_panel, d):
    # (JS, dJS/dd) of N(0, 1) and N(d, 1), computed in mpmath at 30 digits from the definition.
    table = {2.0: (0.336830820, 0.224799755), 5.0: (0.675942577, 0.0236898086), 8.0: (0.693053645, 0.000196437368)}
    panel = vanishing_panel
    panel.controls["distance"].value = d
    result = panel.result
    js, slope = table[d]
    assert result["js"] == pytest.approx(js, abs=1e-9)
    assert result["js_slope"] == pytest.approx(slope, rel=1e-6)
    assert result["uniform_js"] == pytest.approx(math.log(2.0))  # unit uniforms a distance >= 1 apart
    assert result["wasserstein"] == pytest.approx(d, abs=1e-9)


@pytest.mark.parametrize("d", [2.0, 5.0, 8.0])
def test_generator_gradients_against_mpmath_values(gradient_panel, d):
    # (JS, dJS/dd) of N(0, 1) and N(d, 1), computed in mpmath at 30 digits from the definition.
    table = {2.0: (0.336830820, 0.224799755), 5.0: (0.675942577, 0.0236898086), 8.0: (0.693053645, 0.000196437368)}
    panel = gradient_panel
    panel.controls["distance"].value = d
    result = panel.result
    _, slope = table[d]
    # Closed forms for the shifted unit Gaussians: 2 dJS/dd, d - 2 dJS/dd, d.
    assert result["gradients"]["minimax"] == pytest.approx(2 * slope, rel=1e-6)
    assert result["gradients"]["non-saturating"] == pytest.approx(d - 2 * slope, rel=1e-6)
    assert result["gradients"]["maximum-likelihood"] == pytest.approx(d, rel=1e-12)
    assert result["d_at_median"] == pytest.approx(special.expit(-d * d / 2), rel=1e-12)
    assert result["cost_slopes"]["minimax"] == pytest.approx(-special.expit(-d * d / 2), rel=1e-12)
    assert result["cost_slopes"]["non-saturating"] == pytest.approx(-special.expit(d * d / 2), rel=1e-12)


@pytest.mark.parametrize("name", ["vanishing_panel", "gradient_panel"])
def test_vanishing_redraws_without_redrawing_the_still_parts(name, request):
    panel = request.getfixturevalue(name)
    full_draws = panel.renderer.full_draws
    for d in (1.0, 3.0, 6.5, 11.0):
        panel.controls["distance"].value = d
    assert panel.renderer.full_draws == full_draws


def test_a_failed_update_shows_the_error_and_raises():
    panel = theory_sliders.criterion_sliders()

    def broken(**values):
        raise ValueError("spread must be > 0, got spread=0.0")

    panel._update = broken
    with pytest.raises(ValueError, match="spread"):
        panel.controls["mean"].value = 0.0
    (output,) = panel.output.outputs
    assert output["output_type"] == "stream" and "spread" in output["text"]


def test_factories_validate_their_arguments():
    with pytest.raises(ValueError, match="preset"):
        theory_sliders.discriminator_sliders("cauchy")
    with pytest.raises(TypeError, match="p_data"):
        theory_sliders.criterion_sliders(p_data="normal")
    with pytest.raises(TypeError, match="p_data"):
        theory_sliders.likelihood_sliders(p_data=1.0)
    with pytest.raises(ValueError, match="max_distance"):
        theory_sliders.vanishing_sliders(max_distance=-1.0)
    with pytest.raises(ValueError, match="max_distance"):
        theory_sliders.generator_gradient_sliders(max_distance=-1.0)


# ---------------------------------------------------------------------------------------------------------
# What a reader sees: labelled axes, legends off the data, x-ranges that follow the densities
# ---------------------------------------------------------------------------------------------------------


def legends(figure):
    return [legend for legend in [*figure.legends, *(ax.get_legend() for ax in figure.axes)] if legend is not None]


def assert_readable(figure, needs_legend=True):
    """Every axis labelled; every legend drawn and clear of every axes' data area (titles name the curves of a
    figure with one curve per axes, which needs no legend)."""
    if not isinstance(figure.canvas, FigureCanvasAgg):   # a notebook figure, closed in pyplot
        FigureCanvasAgg(figure)
    renderer = figure.canvas.get_renderer()
    figure.draw_without_rendering()
    for ax in figure.axes:
        assert ax.get_xlabel().strip() and ax.get_ylabel().strip(), f"unlabelled axis in {ax.get_title()!r}"
    found = legends(figure)
    assert found or not needs_legend, "no legend"
    for legend in found:
        box = legend.get_window_extent(renderer)
        for ax in figure.axes:
            assert not box.overlaps(ax.get_window_extent(renderer)), f"a legend covers the axes {ax.get_title()!r}"
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1), "a legend is cut off"


@pytest.mark.parametrize("name", ALL_PANELS)
def test_panels_label_every_axis_and_keep_legends_off_the_data(name, request):
    assert_readable(request.getfixturevalue(name).figure, needs_legend=name != "gradient_panel")


def notebook_figures():
    x = np.linspace(-6, 7, 200)
    data, generator = stats.norm.pdf(x, -2, 0.6), stats.norm.pdf(x, 1, 0.8)
    d = np.linspace(0, 10, 41)
    d_star = data / (data + generator)
    axis = np.linspace(0.01, 0.99, 50)
    return {
        "fit": theory_figures.fit_figure(x, data, stats.norm.rvs(-2, 0.6, size=200, random_state=0),
                                {"fit": (generator, palette.GENERATOR_STYLE)}, title="t"),
        "discriminator": theory_figures.discriminator_figure(x, data, generator, d_star, -np.log(2) * (data + generator),
                                                    smoothed=0.9 * d_star),
        "curves": theory_figures.curves_figure(d, {"c": (np.tanh(d), palette.CURVE_STYLES["js"])}, xlabel="d", ylabel="y",
                                      levels={"one": 1.0}, points={"p": (d[::10], np.tanh(d[::10]), "black")}),
        "survey": theory_figures.survey_gaussians_figure(x, [(data, generator)] * 3, ["a", "b", "c"]),
        "js_distance": theory_figures.js_distance_figure(d, js=np.tanh(d) * np.log(2), js_slope=np.exp(-d),
                                                uniform_js=np.minimum(d, 1) * np.log(2),
                                                uniform_slope=np.where(d < 1, np.log(2), 0.0)),
        "generator_cost": theory_figures.generator_cost_figure(axis, {"minimax": np.log1p(-axis)}, {"minimax": -axis}),
        "generator_gradient": theory_figures.generator_gradient_figure(d, {"minimax": np.exp(-d), "non-saturating": d,
                                                                  "maximum-likelihood": d + 0.01}, ratio_at=8.0),
    }


def test_notebook_figures_label_every_axis_and_keep_legends_off_the_data():
    for figure in notebook_figures().values():
        assert_readable(figure)


def test_w1_has_axes_that_hold_it_and_the_gradients_share_one_log_axis():
    figures = notebook_figures()
    values, slopes, wasserstein = figures["js_distance"].axes
    assert wasserstein.get_ylim()[1] >= 10.0        # W1 = d up to d = 10 stays in view
    assert values.get_ylim()[1] < 1.0               # the JS keeps a scale where log 2 is seen
    (ax,) = figures["generator_gradient"].axes      # the ratio of the gradients is read on one axis
    assert ax.get_yscale() == "log"
    labels = {style["label"] for style in palette.LOSS_STYLES.values()}
    assert {line.get_label() for line in ax.get_lines()} >= labels
    low, high = ax.get_ylim()                       # exp(-10) and 10: both in view
    assert low <= np.exp(-10.0) and high >= 10.0
    (ratio,) = [text.get_text() for text in ax.texts if text.get_text()]
    assert ratio.strip() == f"ratio {8.0 / np.exp(-8.0):,.0f}"


def test_discriminator_figure_draws_the_half_level_at_the_crossings():
    x = np.linspace(-6, 6, 1201)
    data, generator = stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 2, 1)
    figure = theory_figures.discriminator_figure(x, data, generator, data / (data + generator), 0 * x)
    left = figure.axes[0]
    (markers,) = [line for line in left.get_lines() if line.get_label() == palette.CROSSING_STYLE["label"]]
    np.testing.assert_allclose(markers.get_xdata(), [1.0], atol=1e-12)   # N(0, 1) and N(2, 1) cross at x = 1
    np.testing.assert_allclose(markers.get_ydata(), [0.5])
    assert any(line.get_label() == "$D = 1/2$" and np.all(np.asarray(line.get_ydata()) == 0.5)
               for line in left.get_lines())


def test_crossings_of_two_normals_of_different_spread():
    # N(0, 1) and N(0, 2^2) cross where x^2 (1 - 1/4) / 2 = log 2, at x = +-sqrt(8 log 2 / 3).
    x = np.linspace(-8, 8, 1601)
    found = drawing.crossings(x, stats.norm.pdf(x, 0, 1), stats.norm.pdf(x, 0, 2))
    np.testing.assert_allclose(found, [-np.sqrt(8 * np.log(2) / 3), np.sqrt(8 * np.log(2) / 3)], atol=1e-4)
    assert drawing.crossings(x, stats.norm.pdf(x), stats.norm.pdf(x)).size == 0   # equal densities: no crossing


def test_discriminator_x_range_follows_the_second_mode(discriminator_panel):
    panel = discriminator_panel
    for name, value in {"data": "normal", "alpha": 1.0, "second_weight": 0.3, "spread": 0.2, "mean": 5.0,
                        "second_offset": 6.0}.items():
        panel.controls[name].value = value
    left, right = panel.figure.axes
    low, high = left.get_xlim()
    assert high >= 11.0 + 4 * 0.2 and low <= -4.0 and right.get_xlim() == (low, high)
    # The spike's peak, 0.7 N(5, 0.2^2) at its mean, is inside the y-range.
    assert left.get_ylim()[1] >= 0.7 * stats.norm.pdf(0, 0, 0.2)
    assert panel.result["x_range"] == (low, high)
    panel.controls["second_weight"].value = 0.0
    panel.controls["mean"].value = 0.0
    assert left.get_xlim() == (-6.0, 6.0)


def test_discriminator_crossings_are_where_d_star_is_one_half(discriminator_panel):
    panel = discriminator_panel
    for name, value in {"data": "normal", "second_weight": 0.0, "spread": 1.0, "mean": 2.0}.items():
        panel.controls[name].value = value
    np.testing.assert_allclose(panel.result["crossings"], [1.0], atol=1e-9)
    panel.controls["spread"].value = 2.0
    # N(0, 1) and N(2, 2^2) cross where log 2 - x^2/2 + (x - 2)^2/8 = 0.
    roots = np.roots([-3 / 8, -1 / 2, np.log(2) + 1 / 2])
    np.testing.assert_allclose(np.sort(panel.result["crossings"]), np.sort(roots), atol=1e-3)


def test_criterion_x_range_follows_p_g(criterion_panel):
    panel = criterion_panel
    panel.controls["mean"].value = 5.0
    panel.controls["spread"].value = 3.0
    left = panel.figure.axes[0]
    assert left.get_xlim()[1] >= 5.0 + 4 * 3.0
    panel.controls["spread"].value = 0.2
    assert left.get_ylim()[1] >= stats.norm.pdf(0, 0, 0.2)   # the spike's peak is in view
    assert left.get_xlim() == (-5.0, 6.0)


@pytest.mark.parametrize("mu, sigma", [(2.5, 0.4), (-4.0, 0.3), (4.0, 3.0), (0.0, 1.0)])
def test_likelihood_markers_and_model_stay_in_view(likelihood_panel, mu, sigma):
    panel = likelihood_panel
    panel.controls["mu"].value = mu
    panel.controls["sigma"].value = sigma
    left, right = panel.figure.axes
    low, high = right.get_ylim()
    for marker in panel.renderer.moving[3:5]:
        (y,) = marker.get_ydata()
        assert low <= y <= high
    assert left.get_xlim()[0] <= mu - 4 * sigma and left.get_xlim()[1] >= mu + 4 * sigma
    assert left.get_ylim()[1] >= stats.norm.pdf(0, 0, sigma)


def test_vanishing_width_stretches_the_js_and_not_w1(vanishing_panel):
    panel = vanishing_panel
    panel.controls["shape"].value = "Gaussian"
    panel.controls["width"].value = 2.0
    full_draws = panel.renderer.full_draws
    panel.controls["distance"].value = 4.0
    result = panel.result
    # JS depends on d / sigma only: the JS at d/sigma = 2 (0.336830820); its slope in d is halved.
    assert result["js"] == pytest.approx(0.336830820, abs=1e-9)
    assert result["js_slope"] == pytest.approx(0.224799755 / 2, rel=1e-6)
    assert result["wasserstein"] == pytest.approx(4.0, abs=1e-9)
    assert panel.renderer.full_draws == full_draws   # a distance move redraws no still part
    js_line = [a for a in panel.figure.axes[1].get_lines() if a.get_label() == palette.CURVE_STYLES["js"]["label"]][0]
    grid = js_line.get_xdata()
    # The curve drawn at width 2 is the unit-width curve read at d / 2 (to the tabulation's interpolation error).
    assert js_line.get_ydata()[np.argmin(np.abs(grid - 4.0))] == pytest.approx(0.336830820, abs=1e-4)
    before = panel.png
    panel.controls["width"].value = 1.0
    assert js_line.get_ydata()[np.argmin(np.abs(grid - 4.0))] == pytest.approx(0.632720194, abs=1e-4)
    assert js_line in panel.renderer.moving and panel.png != before   # the curve moved in the image too


@pytest.mark.parametrize("d, width", [(0.5, 1.0), (0.75, 1.5), (1.5, 1.0), (3.0, 0.5)])
def test_vanishing_uniforms(vanishing_panel, d, width):
    panel = vanishing_panel
    panel.controls["shape"].value = "uniform"
    panel.controls["width"].value = width
    panel.controls["distance"].value = d
    result = panel.result
    # U[-w/2, w/2] against the same shifted by d: JS = min(d/w, 1) log 2, slope log 2 / w while they overlap.
    assert result["js"] == pytest.approx(min(d / width, 1.0) * math.log(2.0), abs=1e-12)
    assert result["js_slope"] == (math.log(2.0) / width if d < width else 0.0)
    assert result["wasserstein"] == pytest.approx(d, abs=1e-9)
    lines = {a.get_label(): a for a in panel.renderer.moving if hasattr(a, "get_ydata")}
    x = lines[palette.GENERATOR_STYLE["label"]].get_xdata()
    inside = np.abs(x - d) < width / 2 - 1e-9
    np.testing.assert_allclose(lines[palette.GENERATOR_STYLE["label"]].get_ydata()[inside], 1.0 / width)
    panel.controls["shape"].value = "Gaussian"


def test_vanishing_rejects_an_unknown_shape(vanishing_panel):
    with pytest.raises(Exception):
        vanishing_panel.controls["shape"].value = "Cauchy"


def test_each_cost_has_its_own_axes(gradient_panel):
    losses = {style["label"] for style in palette.LOSS_STYLES.values()}
    for ax in gradient_panel.figure.axes:
        assert len([line for line in ax.get_lines() if line.get_label() in losses]) == 1


# ---------------------------------------------------------------------------------------------------------
# The renderer: a blitted image is the image of a full draw
# ---------------------------------------------------------------------------------------------------------


def test_blitted_png_equals_a_full_render():
    figure, (left, right) = render.widget_figure(1, 2, width=6.0, height=2.5)
    x = np.linspace(0, 1, 50)
    left.plot(x, x**2, color="black")
    moving_line, = right.plot(x, x, color="green")
    marker = drawing.draw_marker(right, 0.5, 0.5, "red")
    left.set_ylim(0, 1)
    right.set_ylim(-1, 1)
    right.set_title("start")
    renderer = render.FigureRenderer(figure, [moving_line, marker, right.title])
    renderer.png()
    moving_line.set_ydata(0.8 * np.sin(6 * x))
    drawing.move_marker(marker, 0.25, -0.5)
    right.set_title("moved")
    blitted = renderer.png()
    assert renderer.full_draws == 1

    # The same figure drawn from scratch with the moving artists as ordinary ones. (Moving artists are drawn
    # over every still one whatever the zorder, so the moved line keeps clear of the spines here.)
    reference = Figure(figsize=(6.0, 2.5), dpi=render.WIDGET_DPI)
    ref_left, ref_right = reference.subplots(1, 2)
    reference.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.84, wspace=0.25, hspace=0.45)
    ref_left.plot(x, x**2, color="black")
    ref_right.plot(x, 0.8 * np.sin(6 * x), color="green")
    drawing.draw_marker(ref_right, 0.25, -0.5, "red")
    ref_left.set_ylim(0, 1)
    ref_right.set_ylim(-1, 1)
    ref_right.set_title("moved")
    assert np.array_equal(pixels(blitted), pixels(render.png_bytes(reference)))


def test_renderer_redraws_the_still_parts_when_limits_change():
    figure, ax = render.widget_figure(width=3.0, height=2.0)
    line, = ax.plot([0, 1], [0, 1])
    renderer = render.FigureRenderer(figure, [line])
    first = renderer.png()
    renderer.png()
    assert renderer.full_draws == 1
    ax.set_ylim(0, 2)
    second = renderer.png()
    assert renderer.full_draws == 2
    assert first != second
    renderer.invalidate()
    renderer.png()
    assert renderer.full_draws == 3


def test_a_clipped_spike_of_p_g_says_how_high_it_goes():
    figure, ax = render.new_figure()
    ax.set_xlim(-3.0, 3.0)
    ax.set_ylim(0.0, 1.1)
    note = drawing.draw_peak_note(ax)
    x = np.linspace(-3.0, 3.0, 101)
    density = np.exp(-x**2)
    density[70] = 7.25  # a spike above the top, at x = 1.2
    drawing.note_clipped_peak(note, x, density)
    assert note.get_text() == "\u2191 p_g peaks at 7.25"
    assert note.get_position()[0] == pytest.approx(1.2)
    density[70] = 0.5  # now everything fits: no note
    drawing.note_clipped_peak(note, x, density)
    assert note.get_text() == ""
