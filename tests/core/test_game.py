"""The minimax game: the Dirac GAN's value, field and Jacobian against central differences and mpmath; the
linearized steps' eigenvalues against closed forms written out here and against central differences of the
trajectory code's own step; the bilinear game; the best response to a frozen D* against a brute-force grid."""

import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

import ganmath as gm
from ganmath.core import game
from ganmath.experiments import game as game_experiments
from ganmath.experiments.proposition2 import TARGET

A = 0.5  # f'(0) = sigma(0) for f = log sigma
RNG_POINTS = np.random.default_rng(20180104).uniform(-3.0, 3.0, size=(25, 2))


def _one_step(start, **play):
    return game.dirac_trajectory(start, n_steps=1, **play).points[1]


def _step_jacobian(play, eps=1e-6):
    """Central differences, at the equilibrium, of the map that one generator step of the trajectory code is."""
    columns = []
    for direction in np.eye(2):
        columns.append((_one_step(eps * direction, **play) - _one_step(-eps * direction, **play)) / (2 * eps))
    return np.column_stack(columns)


# ---------------------------------------------------------------------------------------------------------
# Value, field, Jacobian
# ---------------------------------------------------------------------------------------------------------


def test_value_is_eq1_for_point_masses_in_high_precision():
    for theta, psi in [(1.0, 1.0), (-2.5, 0.7), (3.0, -4.0), (40.0, 2.0), (-40.0, 2.0)]:
        with mp.workdps(80):  # 1 - D(theta) is e^{-80} at psi theta = -80: it needs the digits
            # log D(0) + log(1 - D(theta)) with D(x) = 1 / (1 + e^{psi x}), the probability that x is data.
            reference = mp.log(1 / (1 + mp.exp(0))) + mp.log(1 - 1 / (1 + mp.exp(mp.mpf(psi) * theta)))
            d_at_theta = 1 / (1 + mp.exp(mp.mpf(psi) * theta))
        np.testing.assert_allclose(game.dirac_value(theta, psi), float(reference), rtol=1e-14)
        np.testing.assert_allclose(game.dirac_discriminator(psi, theta), float(d_at_theta), rtol=1e-14)
    assert game.dirac_value(0.0, 0.0) == pytest.approx(-math.log(4.0), rel=1e-15)
    assert game.dirac_discriminator(7.0, 0.0) == 0.5


@pytest.mark.parametrize("penalty", [0.0, 0.8])
def test_vector_field_is_minus_descent_for_g_and_ascent_for_d(penalty):
    h = 1e-5
    theta, psi = RNG_POINTS[:, 0], RNG_POINTS[:, 1]

    def objective_of_d(t, p):  # D ascends V minus its penalty (gamma / 2) psi^2
        return game.dirac_value(t, p) - 0.5 * penalty * p**2

    v_theta, v_psi = game.dirac_vector_field(theta, psi, penalty=penalty)
    d_theta = (game.dirac_value(theta + h, psi) - game.dirac_value(theta - h, psi)) / (2 * h)
    d_psi = (objective_of_d(theta, psi + h) - objective_of_d(theta, psi - h)) / (2 * h)
    np.testing.assert_allclose(v_theta, -d_theta, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(v_psi, d_psi, rtol=1e-8, atol=1e-10)
    assert np.max(np.abs(v_theta)) > 0.1 and np.max(np.abs(v_psi)) > 0.1


@pytest.mark.parametrize("penalty", [0.0, 0.3])
def test_jacobian_against_central_differences_of_the_field(penalty):
    h = 1e-6
    for theta, psi in RNG_POINTS[:8]:
        columns = []
        for dt, dp in ((h, 0.0), (0.0, h)):
            up = np.array(game.dirac_vector_field(theta + dt, psi + dp, penalty))
            down = np.array(game.dirac_vector_field(theta - dt, psi - dp, penalty))
            columns.append((up - down) / (2 * h))
        np.testing.assert_allclose(game.dirac_jacobian(theta, psi, penalty), np.column_stack(columns),
                                   rtol=1e-7, atol=1e-9)


def test_equilibrium_eigenvalues_against_the_closed_form():
    np.testing.assert_allclose(np.sort_complex(game.equilibrium_eigenvalues()), [-0.5j, 0.5j], atol=1e-16)
    for gamma in (0.0, 0.3, 1.0, 2.5):
        # the roots of lambda^2 + gamma lambda + 1/4, written out
        disc = complex(gamma**2 / 4 - 0.25)
        expected = np.array([-gamma / 2 + disc**0.5, -gamma / 2 - disc**0.5])
        np.testing.assert_allclose(np.sort_complex(game.equilibrium_eigenvalues(gamma)), np.sort_complex(expected),
                                   atol=1e-15)
        # and against the eigenvalues of the analytic Jacobian at (0, 0)
        numeric = np.linalg.eigvals(game.dirac_jacobian(0.0, 0.0, gamma))
        np.testing.assert_allclose(np.sort_complex(numeric), np.sort_complex(expected), atol=1e-12)
    assert np.all(game.equilibrium_eigenvalues(0.3).real < 0)


def test_equilibrium_jacobian_is_the_jacobian_at_zero():
    np.testing.assert_array_equal(game.equilibrium_jacobian(0.4), game.dirac_jacobian(0.0, 0.0, 0.4))
    np.testing.assert_array_equal(game.equilibrium_jacobian(), [[0.0, -A], [A, 0.0]])


# ---------------------------------------------------------------------------------------------------------
# Discrete play
# ---------------------------------------------------------------------------------------------------------


def test_the_schemes_take_the_steps_they_describe():
    theta, psi, h = 0.8, -1.3, 0.3

    def slope(t, p):
        return 1.0 / (1.0 + math.exp(p * t))

    # simultaneous: both from the same point
    expected = (theta - h * psi * slope(theta, psi), psi + h * theta * slope(theta, psi))
    np.testing.assert_allclose(_one_step((theta, psi), step=h), expected, rtol=1e-15)
    # alternating with k = 3: D three times, then G from D's new value
    p = psi
    for _ in range(3):
        p = p + h * theta * slope(theta, p)
    expected = (theta - h * p * slope(theta, p), p)
    np.testing.assert_allclose(_one_step((theta, psi), step=h, scheme="alternating", d_steps=3), expected, rtol=1e-15)
    # simultaneous with k = 2: D alone once, then both from that point
    p = psi + h * theta * slope(theta, psi)
    expected = (theta - h * p * slope(theta, p), p + h * theta * slope(theta, p))
    np.testing.assert_allclose(_one_step((theta, psi), step=h, d_steps=2), expected, rtol=1e-15)


@pytest.mark.parametrize("scheme", game.SCHEMES)
@pytest.mark.parametrize("d_steps", [1, 3])
@pytest.mark.parametrize("penalty", [0.0, 0.4])
def test_update_matrix_is_the_jacobian_of_one_step(scheme, d_steps, penalty):
    play = {"step": 0.37, "scheme": scheme, "d_steps": d_steps, "penalty": penalty}
    np.testing.assert_allclose(game.update_matrix(**play), _step_jacobian(play), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("h", [0.05, 0.2, 0.7, 1.5])
def test_one_simultaneous_step_grows_the_distance_by_the_closed_form(h):
    expected = math.sqrt(1 + h * h / 4)
    assert game.simultaneous_growth_factor(h) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(np.abs(game.simultaneous_eigenvalues(h)), [expected, expected], rtol=1e-15)
    # Near the equilibrium, in every direction, for one step and for 50 (at most 1e-5 from it: linear to 1e-10).
    for angle in np.linspace(0.0, 2 * np.pi, 7):
        start = 1e-10 * np.array([math.cos(angle), math.sin(angle)])
        path = game.dirac_trajectory(start, step=h, n_steps=50)
        np.testing.assert_allclose(path.distance[1] / path.distance[0], expected, rtol=1e-12)
        np.testing.assert_allclose(path.distance[50] / path.distance[0], expected**50, rtol=1e-9)
    assert expected > 1


def test_simultaneous_steps_grow_by_the_exact_factor_far_from_the_equilibrium():
    h = 0.45
    path = game.dirac_trajectory((1.5, -0.5), step=h, n_steps=400)
    theta, psi = path.points[:-1, 0], path.points[:-1, 1]
    # |z + h v|^2 = |z|^2 (1 + h^2 f'(psi theta)^2) because v is perpendicular to z
    expected = np.sqrt(1 + (h / (1 + np.exp(psi * theta))) ** 2)
    np.testing.assert_allclose(path.distance[1:] / path.distance[:-1], expected, rtol=1e-13)
    np.testing.assert_allclose(game.simultaneous_step_growth(theta, psi, h), expected, rtol=1e-15)
    assert path.distance[-1] > 1.5 * path.distance[0]


@pytest.mark.parametrize("h", [0.05, 0.5, 1.9, 3.5])
def test_alternating_steps_have_eigenvalues_of_modulus_one(h):
    closed = game.alternating_eigenvalues(h)
    np.testing.assert_allclose(np.abs(closed), [1.0, 1.0], rtol=1e-14)
    # trace 2 - h^2/4 and determinant 1, written out
    np.testing.assert_allclose([closed.sum().real, (closed[0] * closed[1]).real], [2 - h * h / 4, 1.0], atol=1e-14)
    numeric = np.linalg.eigvals(_step_jacobian({"step": h, "scheme": "alternating"}))
    np.testing.assert_allclose(np.sort_complex(numeric), np.sort_complex(closed), atol=1e-8)


def test_alternating_steps_circle_near_the_equilibrium():
    h = 0.4
    path = game.dirac_trajectory((1e-4, 0.0), step=h, n_steps=3000, scheme="alternating")
    theta, psi = path.points[:, 0], path.points[:, 1]
    # theta^2 + psi^2 + h f'(0) theta psi is invariant under the linearized alternating step (M^T Q M = Q)
    invariant = theta**2 + psi**2 + h * A * theta * psi
    np.testing.assert_allclose(invariant / invariant[0], 1.0, atol=1e-6)
    # ... and the path goes round: psi changes sign many times
    assert np.sum(np.diff(np.sign(psi)) != 0) > 100


def test_larger_alternating_step_outside_the_circle_diverges():
    # Beyond h f'(0) = 2 the eigenvalues are real and one exceeds 1 in modulus.
    assert np.max(np.abs(game.alternating_eigenvalues(4.5))) > 1
    assert game.update_modulus(4.5, "alternating") > 1


@pytest.mark.parametrize("gamma", [0.2, 0.6])
def test_the_penalty_makes_both_schemes_converge(gamma):
    h = 0.25
    # closed forms written out: |1 + h lambda| = sqrt(1 - h gamma + h^2 / 4), sqrt(1 - h gamma) for alternating
    simultaneous = math.sqrt(1 - h * gamma + h * h / 4)
    alternating = math.sqrt(1 - h * gamma)
    np.testing.assert_allclose(np.abs(game.simultaneous_eigenvalues(h, gamma)), [simultaneous] * 2, rtol=1e-14)
    np.testing.assert_allclose(np.abs(game.alternating_eigenvalues(h, gamma)), [alternating] * 2, rtol=1e-14)
    for scheme, modulus in (("simultaneous", simultaneous), ("alternating", alternating)):
        assert game.update_modulus(h, scheme, 1, gamma) == pytest.approx(modulus, rel=1e-12)
        path = game.dirac_trajectory((1.0, 1.0), step=h, n_steps=1500, scheme=scheme, penalty=gamma)
        assert path.distance[-1] < 1e-8 * path.distance[0]
        # the tail contracts at the closed-form rate
        rate = (path.distance[1500] / path.distance[1000]) ** (1 / 500)
        assert rate == pytest.approx(modulus, rel=2e-3)


def test_more_discriminator_steps_keep_the_determinant():
    # With k D steps the linearized generator step has determinant 1 + h^2/4 (simultaneous) or 1 (alternating).
    h = 0.3
    for k in (1, 2, 5):
        assert np.linalg.det(game.update_matrix(h, "simultaneous", k)) == pytest.approx(1 + h * h / 4, rel=1e-13)
        assert np.linalg.det(game.update_matrix(h, "alternating", k)) == pytest.approx(1.0, rel=1e-13)


# ---------------------------------------------------------------------------------------------------------
# The bilinear game
# ---------------------------------------------------------------------------------------------------------


def test_bilinear_field_against_central_differences():
    h = 1e-6
    x, y = RNG_POINTS[:, 0], RNG_POINTS[:, 1]
    v_x, v_y = game.bilinear_vector_field(x, y)
    np.testing.assert_allclose(v_x, -(game.bilinear_value(x + h, y) - game.bilinear_value(x - h, y)) / (2 * h),
                               rtol=1e-8)
    np.testing.assert_allclose(v_y, (game.bilinear_value(x, y + h) - game.bilinear_value(x, y - h)) / (2 * h),
                               rtol=1e-8)


@pytest.mark.parametrize("h", [0.1, 0.5, 1.0])
def test_bilinear_simultaneous_steps_spiral_out_at_sqrt_one_plus_h_squared(h):
    path = game.bilinear_trajectory((0.7, -0.2), step=h, n_steps=40)
    expected = math.sqrt(1 + h * h)
    assert game.bilinear_growth_factor(h) == pytest.approx(expected, rel=1e-15)
    np.testing.assert_allclose(path.distance[1:] / path.distance[:-1], expected, rtol=1e-13)
    np.testing.assert_allclose(path.distance[-1], path.distance[0] * expected**40, rtol=1e-12)


def test_bilinear_alternating_steps_keep_their_invariant():
    h = 0.5
    path = game.bilinear_trajectory((1.0, 0.0), step=h, n_steps=500, scheme="alternating")
    x, y = path.points[:, 0], path.points[:, 1]
    np.testing.assert_allclose(x**2 + y**2 + h * x * y, 1.0, rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# min-max against max-min: the best response to a frozen D*
# ---------------------------------------------------------------------------------------------------------


def _brute_force(p_data, p_g, low, high, n=400_001):
    x = np.linspace(low, high, n)
    d_star = p_data.pdf(x) / (p_data.pdf(x) + p_g.pdf(x))
    best = int(np.argmax(d_star))
    return x[best], d_star[best], x[1] - x[0]


@pytest.mark.parametrize("p_g", [gm.Normal(1.5, 1.0), gm.Normal(-1.0, 0.7), gm.Mixture([gm.Normal(-2.2, 0.6),
                                                                                     gm.Normal(1.0, 0.8)], [0.3, 0.7])])
def test_best_response_against_a_brute_force_grid(p_g):
    within = (-4.0, 7.0)  # wide enough for D* to peak inside: for N(-1, 0.7) at about x = 5.1
    response = game_experiments.best_response(TARGET, p_g, within=within)
    x, d_star, spacing = _brute_force(TARGET, p_g, *within)
    assert abs(response.x - x) <= 2 * spacing
    np.testing.assert_allclose(response.discriminator, d_star, rtol=1e-9)
    np.testing.assert_allclose(response.point_mass_cost, math.log1p(-d_star), rtol=1e-6)

    def quad(f):
        return integrate.quad(f, -12.0, 12.0, points=[-2.0, 0.0, 2.0], limit=400, epsabs=1e-13)[0]

    def log_d(t):
        return math.log(TARGET.pdf(t) / (TARGET.pdf(t) + p_g.pdf(t)))

    def log_not_d(t):
        return math.log(p_g.pdf(t) / (TARGET.pdf(t) + p_g.pdf(t)))

    generator_cost = quad(lambda t: p_g.pdf(t) * log_not_d(t))
    data_term = quad(lambda t: TARGET.pdf(t) * log_d(t))
    np.testing.assert_allclose(response.generator_cost, generator_cost, atol=1e-9)
    np.testing.assert_allclose(response.value, data_term + generator_cost, atol=1e-9)
    np.testing.assert_allclose(response.point_mass_value, data_term + math.log1p(-d_star), atol=1e-6)
    assert response.point_mass_cost < response.generator_cost - 0.5
    assert not response.on_boundary


def test_best_response_when_p_g_is_the_data():
    response = game_experiments.best_response(TARGET, TARGET)
    np.testing.assert_allclose([response.discriminator, response.point_mass_cost, response.generator_cost],
                               [0.5, -math.log(2.0), -math.log(2.0)], rtol=1e-12)
    np.testing.assert_allclose(response.value, -math.log(4.0), rtol=1e-12)


def test_best_response_runs_into_the_tail_of_two_gaussians():
    # D* = sigma(mu^2/2 - mu x) for N(0, 1) against N(mu, 1): largest at the left end of any range.
    response = game_experiments.best_response(gm.Normal(0.0, 1.0), gm.Normal(1.5, 1.0), within=(-3.0, 3.0))
    assert response.on_boundary and response.x == -3.0
    np.testing.assert_allclose(response.discriminator, 1 / (1 + math.exp(-(1.125 + 4.5))), rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, error, words", [
    (lambda: game.dirac_trajectory((1, 1), step=0.0, n_steps=3), ValueError, "step=0.0"),
    (lambda: game.dirac_trajectory((1, 1), step="big", n_steps=3), TypeError, "step='big'"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=-1), ValueError, "n_steps=-1"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=2.5), TypeError, "n_steps=2.5"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=3, scheme="both"), ValueError, "scheme='both'"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=3, scheme=1), TypeError, "scheme=1"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=3, d_steps=0), ValueError, "d_steps=0"),
    (lambda: game.dirac_trajectory((1, 1), step=0.1, n_steps=3, penalty=-0.5), ValueError, "penalty=-0.5"),
    (lambda: game.dirac_trajectory((1, 1, 1), step=0.1, n_steps=3), ValueError, "start="),
    (lambda: game.dirac_trajectory((1, np.nan), step=0.1, n_steps=3), ValueError, "start"),
    (lambda: game.dirac_vector_field(np.nan, 1.0), ValueError, "theta"),
    (lambda: game.dirac_value(1.0, "psi"), TypeError, "psi"),
    (lambda: game.dirac_vector_field([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "broadcastable"),
    (lambda: game.equilibrium_eigenvalues(penalty=np.inf), ValueError, "penalty=inf"),
    (lambda: game.update_matrix(0.1, "alternating", d_steps=True), TypeError, "d_steps=True"),
    (lambda: game.simultaneous_growth_factor(-1.0), ValueError, "step=-1.0"),
    (lambda: game.bilinear_trajectory((0.0, 1.0), step=0.1, n_steps=3, scheme="sequential"), ValueError,
     "scheme='sequential'"),
    (lambda: game_experiments.best_response("data", TARGET), TypeError, "p_data='data'"),
    (lambda: game_experiments.best_response(TARGET, gm.Normal(0, 1), within=(2.0, -2.0)), ValueError, "within="),
    (lambda: game_experiments.best_response(TARGET, gm.Normal(0, 1), n_grid=2), ValueError, "n_grid=2"),
])
def test_bad_input_names_the_parameter_and_the_value(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace("[", r"\[")):
        call()


def test_trajectory_records_every_generator_step():
    path = game.dirac_trajectory((1.0, 1.0), step=0.2, n_steps=5, scheme="alternating", d_steps=2, penalty=0.1)
    assert path.points.shape == (6, 2) and path.distance.shape == (6,)
    np.testing.assert_array_equal(path.points[0], [1.0, 1.0])
    np.testing.assert_array_equal(path.minimizer, path.points[:, 0])
    assert "alternating" in repr(path) and "2 D steps" in repr(path)
    assert game.dirac_trajectory((1.0, 1.0), step=0.2, n_steps=0).points.shape == (1, 2)
