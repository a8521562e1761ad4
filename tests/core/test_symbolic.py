"""The sympy derivations of ganmath.core.symbolic, proved symbolically and checked against the numeric functions."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate as sp_integrate
from scipy import optimize, special

import ganmath as gm
from ganmath.core import symbolic
from ganmath.nn.losses import discriminator_loss
from support.strategies import densities

ARGMAX = symbolic.pointwise_argmax()
DSTAR = symbolic.optimal_discriminator()
CRITERION = symbolic.virtual_criterion()
BCE = symbolic.discriminator_cross_entropy()
positive = st.floats(0.01, 100.0)


def test_argmax_is_a_over_a_plus_b_and_a_maximum():
    a, b, y = ARGMAX.a, ARGMAX.b, ARGMAX.y
    assert sp.simplify(ARGMAX.argmax - a / (a + b)) == 0
    assert sp.simplify(ARGMAX.first_derivative.subs(y, ARGMAX.argmax)) == 0
    assert sp.simplify(ARGMAX.second_derivative_at_argmax + (a + b) ** 3 / (a * b)) == 0
    # Negative for all positive a, b: sympy knows the sign from the symbols' assumptions.
    assert ARGMAX.second_derivative_at_argmax.is_negative


@settings(max_examples=200, deadline=None)
@given(positive, positive)
def test_argmax_matches_a_numeric_maximization(a, b):
    objective = sp.lambdify(ARGMAX.y, ARGMAX.objective.subs({ARGMAX.a: a, ARGMAX.b: b}), "numpy")
    found = optimize.minimize_scalar(lambda y: -objective(y), bounds=(1e-12, 1 - 1e-12), method="bounded",
                                     options={"xatol": 1e-12})
    argmax = float(ARGMAX.argmax.subs({ARGMAX.a: a, ARGMAX.b: b}))
    assert abs(found.x - argmax) <= 1e-6
    assert abs(-found.fun - float(ARGMAX.maximum.subs({ARGMAX.a: a, ARGMAX.b: b}))) <= 1e-9 * (a + b)


@settings(max_examples=200, deadline=None)
@given(densities, densities, st.floats(-6.0, 6.0))
def test_dstar_expression_matches_optimal_discriminator(p, q, x):
    if p.logpdf(x) < -700 or q.logpdf(x) < -700:
        return  # the plain quotient of densities underflows there; ganmath's log-space value does not
    expression = sp.lambdify((DSTAR.p_data, DSTAR.p_g), DSTAR.expression)
    assert abs(expression(float(p.pdf(x)), float(q.pdf(x))) - float(gm.optimal_discriminator(p, q, x))) <= 1e-12


@settings(max_examples=100, deadline=None)
@given(positive, positive, st.floats(0.5, 0.99))
def test_label_smoothing_moves_the_optimum_to_alpha_dstar(a, b, alpha):
    smoothed = DSTAR.smoothed_expression.subs({DSTAR.p_data: a, DSTAR.p_g: b, DSTAR.alpha: alpha})
    assert abs(float(smoothed) - alpha * a / (a + b)) <= 1e-12
    # The numeric loss agrees: D's smoothed cross-entropy in the logit is stationary at logit(alpha a/(a+b)).
    logit = special.logit(alpha * a / (a + b))
    _, grad_real, grad_fake = discriminator_loss(np.array([logit]), np.array([logit]), smoothing=1 - alpha)
    assert abs(a * grad_real[0] + b * grad_fake[0]) <= 1e-12 * (a + b)


def test_theorem1_rewritings_are_identities():
    assert symbolic.is_zero(CRITERION.kl_minus_value)
    assert symbolic.is_zero(CRITERION.js_minus_value)
    p, q = CRITERION.p_data, CRITERION.p_g
    assert sp.simplify(CRITERION.mixture - (p + q) / 2) == 0


@settings(max_examples=25, deadline=None)
@given(densities, densities)
def test_criterion_integrand_integrates_to_virtual_criterion(p, q):
    integrand = sp.lambdify((CRITERION.p_data, CRITERION.p_g), CRITERION.value_integrand)

    def f(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        if a == 0 and b == 0:
            return 0.0
        if a == 0 or b == 0:
            return 0.0  # 0 log 0 = 0; the other term is c log(c/c) = 0
        return integrand(a, b)

    low = min(p.integration_range[0], q.integration_range[0])
    high = max(p.integration_range[1], q.integration_range[1])
    points = np.unique(np.concatenate([p.breakpoints, q.breakpoints, [low, high]]))
    points = points[(points >= low) & (points <= high)]
    total = math.fsum(sp_integrate.quad(f, a, b, epsabs=1e-12, limit=200)[0] for a, b in zip(points[:-1], points[1:]))
    assert abs(total - gm.virtual_criterion(p, q)) <= 1e-8


def test_cross_entropy_view_is_exact():
    assert symbolic.is_zero(BCE.expected_minus_half_value)
    assert symbolic.is_zero(BCE.logit_loss_minus_cross_entropy)
    assert sp.simplify(BCE.logit_gradient_check) == 0


@settings(max_examples=200, deadline=None)
@given(st.floats(-30.0, 30.0), st.floats(-30.0, 30.0), st.floats(0.0, 0.3))
def test_cross_entropy_matches_the_numeric_discriminator_loss(real, fake, smoothing):
    loss = sp.lambdify((BCE.s, BCE.t), BCE.logit_loss, "mpmath")
    target = 1 - smoothing
    expected = float(loss(real, target)) + float(loss(fake, 0))
    value, grad_real, grad_fake = discriminator_loss(np.array([real]), np.array([fake]), smoothing=smoothing)
    assert abs(value - expected) <= 1e-12 * max(1.0, abs(expected))
    gradient = sp.lambdify((BCE.s, BCE.t), BCE.logit_gradient, "mpmath")
    assert abs(grad_real[0] - float(gradient(real, target))) <= 1e-14
    assert abs(grad_fake[0] - float(gradient(fake, 0))) <= 1e-14


@pytest.mark.parametrize("t", [0.05, 0.25, 0.5, 0.9, 1.0])
def test_js_of_shifted_uniforms_matches_the_numeric_js(t):
    symbol, expression = symbolic.js_of_shifted_uniforms()
    assert sp.simplify(expression - symbol * sp.log(2)) == 0
    assert abs(float(expression.subs(symbol, t)) - gm.js_divergence(gm.Uniform(0, 1), gm.Uniform(t, 1 + t))) <= 1e-12
