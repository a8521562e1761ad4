"""Independent reference values in mpmath at 30 digits.

Nothing here imports ganmath: the densities are written again in mpmath arithmetic and the integrals
are taken by mpmath's tanh-sinh quadrature, split by hand at every support end, centre and crossing.
``tests/core/test_reference_values.py`` stores the numbers these functions give, next to the call that
produced them, and a slow test recomputes them all.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 30


def normal(mu, sigma):
    mu, sigma = mp.mpf(mu), mp.mpf(sigma)
    pdf = lambda x: mp.exp(-((x - mu) ** 2) / (2 * sigma**2)) / (sigma * mp.sqrt(2 * mp.pi))
    cdf = lambda x: mp.ncdf(x, mu, sigma)
    ladder = [0, 1, 2, 4, 8, 16, 40]
    points = sorted({mu + sign * k * sigma for k in ladder for sign in (-1, 1)})
    return {"pdf": pdf, "cdf": cdf, "points": points}


def uniform(low, high):
    low, high = mp.mpf(low), mp.mpf(high)
    pdf = lambda x: 1 / (high - low) if low <= x <= high else mp.mpf(0)
    cdf = lambda x: min(max((x - low) / (high - low), mp.mpf(0)), mp.mpf(1))
    return {"pdf": pdf, "cdf": cdf, "points": [low, high]}


def mixture(components, weights):
    weights = [mp.mpf(w) for w in weights]
    pdf = lambda x: mp.fsum(w * c["pdf"](x) for w, c in zip(weights, components))
    cdf = lambda x: mp.fsum(w * c["cdf"](x) for w, c in zip(weights, components))
    points = sorted(set(p for c in components for p in c["points"]))
    return {"pdf": pdf, "cdf": cdf, "points": points}


def _points(*densities, extra=()):
    points = sorted(set(p for d in densities for p in d["points"]) | {mp.mpf(e) for e in extra})
    return points


def crossings(f, low, high, n=2000):
    """Zeros of ``f`` in [low, high]: sign changes on a scan of n steps, refined by bisection in mpmath."""
    low, high = mp.mpf(low), mp.mpf(high)
    xs = [low + (high - low) * i / n for i in range(n + 1)]
    values = [f(x) for x in xs]
    roots = []
    for x0, x1, f0, f1 in zip(xs, xs[1:], values, values[1:]):
        if f0 == 0 or f1 == 0 or (f0 > 0) == (f1 > 0):
            continue
        roots.append(mp.findroot(f, (x0, x1), solver="bisect"))
    return roots


def _quad(f, points):
    return mp.quad(f, points, maxdegree=10)


def _xlogy_ratio(a, b):
    """a * log(a / b) with 0 log 0 = 0."""
    return mp.mpf(0) if a == 0 else a * mp.log(a / b)


def js(p, q, extra=()):
    """JS(p, q) in nats: 1/2 KL(p || m) + 1/2 KL(q || m)."""

    def integrand(x):
        a, b = p["pdf"](x), q["pdf"](x)
        m = (a + b) / 2
        return (_xlogy_ratio(a, m) + _xlogy_ratio(b, m)) / 2

    return _quad(integrand, _points(p, q, extra=extra))


def kl(p, q, extra=()):
    return _quad(lambda x: _xlogy_ratio(p["pdf"](x), q["pdf"](x)), _points(p, q, extra=extra))


def tv(p, q, extra=()):
    """1/2 int |p - q|; ``extra`` must hold the crossings of p and q."""
    return _quad(lambda x: abs(p["pdf"](x) - q["pdf"](x)), _points(p, q, extra=extra)) / 2


def w1(p, q, extra=()):
    """int |F_p - F_q|; ``extra`` must hold the crossings of the CDFs."""
    return _quad(lambda x: abs(p["cdf"](x) - q["cdf"](x)), _points(p, q, extra=extra))


def value(logit, p, q, extra=()):
    """V(D, G) for D = sigmoid(logit(x))."""

    def integrand(x):
        a = logit(x)
        log_d = -mp.log1p(mp.exp(-a))
        log_not_d = -mp.log1p(mp.exp(a))
        return p["pdf"](x) * log_d + q["pdf"](x) * log_not_d

    return _quad(integrand, _points(p, q, extra=extra))


def criterion(p, q, extra=()):
    """C(G) = V(D*, G) integrated directly from the densities."""

    def integrand(x):
        a, b = p["pdf"](x), q["pdf"](x)
        return _xlogy_ratio(a, a + b) + _xlogy_ratio(b, a + b)

    return _quad(integrand, _points(p, q, extra=extra))


def optimal_discriminator(p, q, x):
    a, b = p["pdf"](mp.mpf(x)), q["pdf"](mp.mpf(x))
    return a / (a + b)


# --- references for tests/core/test_hardening.py, at 40 digits (each function sets its own precision) ------


def custom(pdf, low, high):
    """A density given by an mpmath callable on [low, high], 0 outside (and at x = low, a limit point)."""
    low, high = mp.mpf(low), mp.mpf(high)
    return {"pdf": lambda x: pdf(x) if low < x <= high else mp.mpf(0), "points": [low, high]}


def js_at_40_digits(make_p, make_q, extra=()):
    """JS(p, q) with the densities built (by the callables) and integrated at 40 digits."""
    with mp.workdps(40):
        return +js(make_p(), make_q(), extra=[mp.mpf(e) for e in extra])


def value_at_40_digits(logit, make_p, make_q, extra=()):
    """V(D, G) for D = sigmoid(logit(x)), at 40 digits, split at ``extra`` too."""
    with mp.workdps(40):
        return +value(logit, make_p(), make_q(), extra=[mp.mpf(e) for e in extra])


def js_deficit_of_unit_normals(d):
    """log 2 - JS(N(0, 1), N(d, 1)) = E_{x ~ N(0, 1)}[softplus(d x - d^2 / 2)], at 40 digits.

    mpmath's quad stops on an absolute error estimate, so the integrand is scaled by exp(d^2 / 8), the
    size of the deficit (the overlap peaks at x = d / 2 with height exp(-d^2 / 8) / sqrt(2 pi)), and the
    line is split at d / 2 and on both sides of it.
    """
    with mp.workdps(40):
        d = mp.mpf(d)
        scale = mp.exp(d * d / 8)
        integrand = lambda x: scale * mp.npdf(x) * mp.log1p(mp.exp(d * x - d * d / 2))
        centre = d / 2
        points = sorted({mp.mpf(-60), d + 40} | {centre + k for k in (-12, -8, -4, -2, -1, 0, 1, 2, 4, 8, 12)})
        return +(mp.quad(integrand, points, maxdegree=12) / scale)


def moments_at_40_digits(pdf, points):
    """(E[x], std) of a density given by an mpmath callable, integrated over the sorted ``points``."""
    with mp.workdps(40):
        points = [mp.mpf(p) for p in points]
        mean = mp.quad(lambda x: x * pdf(x), points)
        variance = mp.quad(lambda x: (x - mean) ** 2 * pdf(x), points)
        return +mean, +mp.sqrt(variance)
