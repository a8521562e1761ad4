r"""The constants the mathematics uses everywhere, defined once.

* :data:`LOG2` :math:`= \log 2`, the largest Jensen-Shannon divergence in nats (disjoint supports);
* :data:`LOG4` :math:`= \log 4`: :math:`C(G) = -\log 4 + 2\,\mathrm{JSD}` is smallest, :math:`-\log 4`, at
  :math:`p_g = p_\mathrm{data}` (Goodfellow et al. 2014, Theorem 1), and :math:`V(1/2, G) = -\log 4` for every G;
* :data:`LOG_SQRT_2PI` :math:`= \tfrac12\log 2\pi`, the normal log-density's constant.

A top-level module, as :mod:`ganmath.stats`: every layer may import it, the pictures included.
"""

import math

__all__ = ["LOG2", "LOG4", "LOG_SQRT_2PI"]

LOG2 = math.log(2.0)
LOG4 = math.log(4.0)
LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
