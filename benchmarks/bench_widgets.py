"""Slider benchmark of the notebooks' widgets (run by hand: `python benchmarks/bench_widgets.py`).

For each factory of ganmath.ui.theory_sliders it times, median over many repeats, setting one slider's value: the
whole update a student waits for in the kernel, that is recomputing the numbers, moving the artists,
rendering the figure to PNG and handing the image to the Output widget. Target: at most 100 ms for every
slider. For contrast, it also times what the inline backend would do with the same figure on every move:
a full draw and `IPython.core.pylabtools.print_figure(figure, "png", bbox_inches="tight")`.

The last line is one JSON object of all the numbers (milliseconds).
"""

from __future__ import annotations

import json
import statistics
import time

from IPython.core.pylabtools import print_figure

from ganmath.ui import game, theory_sliders

FACTORIES = {
    "01 likelihood_sliders": theory_sliders.likelihood_sliders,
    "02 game_sliders": game.game_sliders,
    "03 discriminator_sliders": theory_sliders.discriminator_sliders,
    "04 criterion_sliders": theory_sliders.criterion_sliders,
    "05 vanishing_sliders": theory_sliders.vanishing_sliders,
}
TARGET_MS = 100.0


def slider_positions(slider, count=12):
    """Values spread over the slider's range, on its steps, visited back and forth."""
    span = slider.max - slider.min
    values = [round((slider.min + span * (0.15 + 0.7 * k / (count - 1))) / slider.step) * slider.step
              for k in range(count)]
    return values + values[::-1]


def time_slider(slider, repeats=3):
    times = []
    for _ in range(repeats):
        for value in slider_positions(slider):
            start = time.perf_counter()
            slider.value = value
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, max(times) * 1e3, len(times)


def time_inline_redraw(panel, repeats=10):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        print_figure(panel.figure, "png", bbox_inches="tight")
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main():
    results = {}
    for name, factory in FACTORIES.items():
        start = time.perf_counter()
        panel = factory()
        build_ms = (time.perf_counter() - start) * 1e3
        entry = {"build_ms": build_ms}
        for slider_name, control in panel.controls.items():
            if control not in panel.sliders:
                continue
            median_ms, max_ms, count = time_slider(control)
            entry[f"{slider_name}_median_ms"] = median_ms
            entry[f"{slider_name}_max_ms"] = max_ms
        entry["full_draws"] = panel.renderer.full_draws
        entry["redraws"] = panel.redraws
        entry["png_kib"] = len(panel.png) / 1024
        entry["inline_full_redraw_png_ms"] = time_inline_redraw(panel)
        worst = max(v for k, v in entry.items() if k.endswith("_median_ms"))
        entry["worst_slider_median_ms"] = worst
        entry["within_target"] = worst <= TARGET_MS
        results[name] = entry
        print(f"{name}:")
        for key, value in entry.items():
            print(f"  {key:34s} {value:.4g}" if isinstance(value, float) else f"  {key:34s} {value}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
