"""Hypothesis strategies for random Gaussians, uniforms and mixtures of them."""

from hypothesis import strategies as st

import ganmath as gm

locations = st.floats(-5.0, 5.0, allow_nan=False)
scales = st.floats(0.2, 3.0, allow_nan=False)

normals = st.builds(gm.Normal, locations, scales)
uniforms = st.builds(lambda low, width: gm.Uniform(low, low + width), locations, st.floats(0.2, 5.0))
components = st.one_of(normals, uniforms)


@st.composite
def mixtures(draw):
    parts = draw(st.lists(components, min_size=2, max_size=3))
    raw = draw(st.lists(st.floats(0.1, 1.0), min_size=len(parts), max_size=len(parts)))
    total = sum(raw)
    return gm.Mixture(parts, [w / total for w in raw])


densities = st.one_of(normals, uniforms, mixtures())
