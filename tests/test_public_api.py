"""What a student reaches from ``import ganmath as gm``: the theory kit, the GAN and its population, the exact
density of a generator, a rate over seeds, and the pictures, sliders and experiments, imported when first used."""

import subprocess
import sys

import pytest

import ganmath as gm


def test_the_objects_the_course_is_about_are_at_the_top():
    from ganmath.gan import GAN, Population, Settings
    from ganmath.gan.pushforward import GeneratorDensity
    from ganmath.stats import rate

    assert (gm.GAN, gm.Population, gm.Settings, gm.GeneratorDensity, gm.rate) == (
        GAN, Population, Settings, GeneratorDensity, rate)
    for name in ("GAN", "Population", "Settings", "GeneratorDensity", "rate", "js_divergence", "Normal"):
        assert name in gm.__all__


@pytest.mark.parametrize("name", ["core", "nn", "gan", "experiments", "viz", "ui"])
def test_the_layers_are_attributes(name):
    import importlib

    assert getattr(gm, name) is importlib.import_module(f"ganmath.{name}")
    assert name in dir(gm)


def test_an_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="nonsense"):
        gm.nonsense  # noqa: B018


def test_importing_ganmath_loads_no_pictures_and_no_widgets():
    code = ("import sys, ganmath as gm; gm.GAN; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules); gm.viz; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True"]


def test_every_module_is_reachable_from_the_package_as_an_attribute():
    import importlib
    import pkgutil

    import ganmath as gm

    for info in pkgutil.walk_packages(gm.__path__, prefix="ganmath."):
        parts = info.name.split(".")[1:]
        if parts[-1].startswith("_") or len(parts) < 2:
            continue
        target = gm
        for part in parts:
            target = getattr(target, part)
        assert target is importlib.import_module(info.name), info.name
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        gm.core.nothing
