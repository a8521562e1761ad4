r"""The paper's derivations in sympy: expressions a notebook can display and a test can check.

Every function returns sympy expressions (they render as LaTeX in Jupyter) and, where the derivation
claims an identity, the difference of its two sides, which :func:`is_zero` simplifies to 0.

- :func:`pointwise_argmax`: :math:`y \mapsto a\log y + b\log(1-y)` is maximized at :math:`y^* = a/(a+b)`
  (first derivative zero, second derivative negative): the heart of Proposition 1.
- :func:`optimal_discriminator`: :math:`D^* = p_\mathrm{data}/(p_\mathrm{data} + p_g)`, and with one-sided
  label smoothing (real targets :math:`\alpha`) :math:`\alpha\,p_\mathrm{data}/(p_\mathrm{data} + p_g)`.
- :func:`virtual_criterion`: the integrand of :math:`C(G) = V(D^*, G)` rewritten as
  :math:`-\log 4 + \mathrm{KL}(p_\mathrm{data}\|m) + \mathrm{KL}(p_g\|m) = -\log 4 + 2\,\mathrm{JSD}` (Eqs. 4-6).
- :func:`discriminator_cross_entropy`: D's objective is the Bernoulli log-likelihood (binary cross-entropy)
  of the label "data" against "generated", and in logits :math:`\mathrm{softplus}(s) - t s`.
- :func:`js_of_shifted_uniforms`: :math:`\mathrm{JS}(U[0,1], U[t, 1+t]) = t\log 2` for :math:`0 \le t \le 1`,
  by exact piecewise integration: the exactly linear, then exactly flat, JS of disjoint supports.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = [
    "is_zero",
    "PointwiseArgmax",
    "pointwise_argmax",
    "OptimalDiscriminator",
    "optimal_discriminator",
    "VirtualCriterion",
    "virtual_criterion",
    "DiscriminatorCrossEntropy",
    "discriminator_cross_entropy",
    "js_of_shifted_uniforms",
]


def is_zero(expression: sp.Expr) -> bool:
    """True when sympy proves ``expression`` is identically 0 (after expanding logarithms)."""
    return sp.simplify(sp.expand_log(expression, force=True)) == 0


@dataclass(frozen=True)
class PointwiseArgmax:
    """The maximization of ``objective`` over ``y`` in (0, 1), step by step."""

    y: sp.Symbol
    a: sp.Symbol
    b: sp.Symbol
    objective: sp.Expr
    first_derivative: sp.Expr
    argmax: sp.Expr
    second_derivative: sp.Expr
    second_derivative_at_argmax: sp.Expr
    maximum: sp.Expr


def pointwise_argmax() -> PointwiseArgmax:
    r"""Maximize :math:`f(y) = a\log y + b\log(1-y)` over :math:`y \in (0, 1)` for :math:`a, b > 0`.

    Returns
    -------
    PointwiseArgmax
        ``argmax`` is :math:`a/(a+b)`, the only zero of ``first_derivative``;
        ``second_derivative_at_argmax`` is :math:`-(a+b)^3/(ab) < 0`, so it is a maximum.
    """
    y = sp.Symbol("y", positive=True)
    a, b = sp.symbols("a b", positive=True)
    objective = a * sp.log(y) + b * sp.log(1 - y)
    first = sp.diff(objective, y)
    (argmax,) = sp.solve(sp.Eq(first, 0), y)
    second = sp.diff(objective, y, 2)
    second_at = sp.factor(sp.simplify(second.subs(y, argmax)))
    maximum = sp.expand_log(sp.simplify(objective.subs(y, argmax)), force=True)
    return PointwiseArgmax(y, a, b, objective, first, sp.simplify(argmax), second, second_at, maximum)


@dataclass(frozen=True)
class OptimalDiscriminator:
    """D* as an expression of the two density values at a point, plain and with one-sided label smoothing."""

    p_data: sp.Symbol
    p_g: sp.Symbol
    alpha: sp.Symbol
    expression: sp.Expr
    smoothed_objective: sp.Expr
    smoothed_expression: sp.Expr


def optimal_discriminator() -> OptimalDiscriminator:
    r"""Proposition 1 at a point: with :math:`a = p_\mathrm{data}(x)` and :math:`b = p_g(x)`, the integrand
    :math:`p_\mathrm{data}\log D + p_g\log(1-D)` is maximized at :math:`D^* = p_\mathrm{data}/(p_\mathrm{data}+p_g)`.

    One-sided label smoothing trains D towards the target :math:`\alpha < 1` on real data (and 0 on generated
    data); the pointwise objective :math:`p_\mathrm{data}[\alpha\log D + (1-\alpha)\log(1-D)] + p_g\log(1-D)`
    is maximized at :math:`\alpha\,p_\mathrm{data}/(p_\mathrm{data} + p_g)`.
    """
    step = pointwise_argmax()
    p_data, p_g = sp.symbols("p_data p_g", positive=True)
    alpha = sp.Symbol("alpha", positive=True)
    expression = step.argmax.subs({step.a: p_data, step.b: p_g})
    d = sp.Symbol("D", positive=True)
    smoothed = p_data * (alpha * sp.log(d) + (1 - alpha) * sp.log(1 - d)) + p_g * sp.log(1 - d)
    (smoothed_argmax,) = sp.solve(sp.Eq(sp.diff(smoothed, d), 0), d)
    return OptimalDiscriminator(p_data, p_g, alpha, expression, smoothed, sp.simplify(smoothed_argmax))


@dataclass(frozen=True)
class VirtualCriterion:
    r"""The pointwise integrand of :math:`C(G)` in three forms that integrate to the same number.

    Each ``*_integrand`` integrates over x (with :math:`\int p_\mathrm{data} = \int p_g = 1`) to C(G).
    ``log4_term`` is the part that integrates to :math:`-\log 4`.
    """

    p_data: sp.Symbol
    p_g: sp.Symbol
    mixture: sp.Expr
    value_integrand: sp.Expr
    kl_integrand: sp.Expr
    js_integrand: sp.Expr
    log4_term: sp.Expr
    kl_minus_value: sp.Expr
    js_minus_value: sp.Expr


def virtual_criterion() -> VirtualCriterion:
    r"""Theorem 1's rewriting of :math:`C(G) = V(D^*, G)`, pointwise in x.

    .. math::
        p\log\frac{p}{p+q} + q\log\frac{q}{p+q}
        = -(p+q)\log 2 + p\log\frac{p}{m} + q\log\frac{q}{m}
        = -(p+q)\log 2 + 2\cdot\tfrac12\Big[p\log\frac{p}{m} + q\log\frac{q}{m}\Big],
        \qquad m = \frac{p+q}{2}.

    Integrating, :math:`-(p+q)\log 2` gives :math:`-2\log 2 = -\log 4`, the middle terms give
    :math:`\mathrm{KL}(p_\mathrm{data}\|m) + \mathrm{KL}(p_g\|m)` (Eq. 5), which is :math:`2\,\mathrm{JSD}` (Eq. 6).
    ``kl_minus_value`` and ``js_minus_value`` are the differences of the forms; :func:`is_zero` proves them 0.
    """
    p, q = sp.symbols("p_data p_g", positive=True)
    d_star = optimal_discriminator().expression.subs({sp.Symbol("p_data", positive=True): p})
    mixture = (p + q) / 2
    value = p * sp.log(d_star) + q * sp.log(sp.simplify(1 - d_star))
    log4_term = -(p + q) * sp.log(2)
    kl = log4_term + p * sp.log(p / mixture) + q * sp.log(q / mixture)
    js = log4_term + 2 * (sp.Rational(1, 2) * p * sp.log(p / mixture) + sp.Rational(1, 2) * q * sp.log(q / mixture))
    return VirtualCriterion(p, q, mixture, value, kl, js, log4_term, kl - value, js - value)


@dataclass(frozen=True)
class DiscriminatorCrossEntropy:
    r"""D's objective as a Bernoulli likelihood.

    ``log_likelihood``: :math:`t\log D + (1-t)\log(1-D)` for label t (1 = data, 0 = generated).
    ``expected``: its expectation when x comes from data or the generator with probability 1/2 each,
    per unit of x; ``expected_minus_half_value`` shows it is :math:`\tfrac12` the integrand of V(D, G).
    ``logit_loss``: the cross-entropy in the logit s, :math:`\mathrm{softplus}(s) - t s`;
    ``logit_loss_minus_cross_entropy`` shows it equals :math:`-\text{log_likelihood}` at :math:`D = \sigma(s)`.
    ``logit_gradient``: :math:`\sigma(s) - t`, the residual that backpropagation starts from;
    ``logit_gradient_check`` is the derivative of ``logit_loss`` minus it.
    """

    t: sp.Symbol
    d: sp.Symbol
    s: sp.Symbol
    log_likelihood: sp.Expr
    expected: sp.Expr
    expected_minus_half_value: sp.Expr
    logit_loss: sp.Expr
    logit_loss_minus_cross_entropy: sp.Expr
    logit_gradient: sp.Expr
    logit_gradient_check: sp.Expr


def discriminator_cross_entropy() -> DiscriminatorCrossEntropy:
    r"""The Bernoulli (binary cross-entropy) view of the discriminator's objective."""
    t = sp.Symbol("t", nonnegative=True)
    d = sp.Symbol("D", positive=True)
    s = sp.Symbol("s", real=True)
    p, q = sp.symbols("p_data p_g", positive=True)
    log_likelihood = t * sp.log(d) + (1 - t) * sp.log(1 - d)
    expected = sp.Rational(1, 2) * p * log_likelihood.subs(t, 1) + sp.Rational(1, 2) * q * log_likelihood.subs(t, 0)
    half_value = sp.Rational(1, 2) * (p * sp.log(d) + q * sp.log(1 - d))
    sigmoid = 1 / (1 + sp.exp(-s))
    cross_entropy = -log_likelihood.subs(d, sigmoid)
    logit_loss = sp.log(1 + sp.exp(s)) - t * s
    return DiscriminatorCrossEntropy(
        t,
        d,
        s,
        log_likelihood,
        expected,
        expected - half_value,
        logit_loss,
        logit_loss - cross_entropy,
        sigmoid - t,
        sp.diff(logit_loss, s) - (sigmoid - t),
    )


def js_of_shifted_uniforms() -> tuple[sp.Symbol, sp.Expr]:
    r"""JS(U[0,1], U[t,1+t]) for :math:`0 \le t \le 1`, integrated exactly piece by piece.

    On [0, t] only the first density is 1, on [t, 1] both are, on [1, 1+t] only the second:

    .. math:: \mathrm{JS} = \tfrac12\Big[\int_0^t \log 2\,dx + \int_1^{1+t} \log 2\,dx\Big] + 0 = t\log 2.

    Returns
    -------
    t : sympy.Symbol
    js : sympy.Expr
        Simplifies to ``t*log(2)``; for :math:`t \ge 1` the supports are disjoint and JS stays at log 2.
    """
    t = sp.Symbol("t", positive=True)
    x = sp.Symbol("x", real=True)

    def half_kl_term(p_value, q_value):
        # 1/2 p log(p/m) with m = (p + q)/2; zero where p is zero.
        if p_value == 0:
            return sp.Integer(0)
        return sp.Rational(1, 2) * p_value * sp.log(p_value / ((p_value + q_value) / 2))

    one, zero = sp.Integer(1), sp.Integer(0)
    pieces = [((0, t), one, zero), ((t, 1), one, one), ((1, 1 + t), zero, one)]
    js = sum(
        sp.integrate(half_kl_term(p, q) + half_kl_term(q, p), (x, lo, hi)) for (lo, hi), p, q in pieces
    )
    return t, sp.simplify(js)
