"""Benchmark of the interactive trainer (run by hand: `python benchmarks/bench_trainer.py`).

One update is what a student waits for after pressing "Iterate" (or what one played frame costs): one
Algorithm-1 iteration at the default sizes (1-32-32-1 networks, k = 2, m = 64), the exact p_g, the readouts
(JS and C(G) by the fixed rule, sup|D - D*|), the picture's data, and the full redraw of the figure to PNG
bytes handed to the Image widget. Median over repeats, per data preset; the parts are timed separately too.
Target: under 100 ms. The last line is one JSON object of the numbers (milliseconds).

The numbers depend on the machine's load; numpy's BLAS threads can slow the small matrix products when the
cores are busy: `OPENBLAS_NUM_THREADS=1 python benchmarks/bench_trainer.py` shows the single-thread figure.
"""

from __future__ import annotations

import json
import statistics
import time

from ganmath.experiments.trainer import DATA_PRESETS, fixed_rule_readouts
from ganmath.ui.trainer_app import gan_trainer

TARGET_MS = 100.0
WARM_UP = 20
REPEATS = 40


def median_ms(function, repeats=REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def main() -> dict:
    results = {}
    for preset in DATA_PRESETS:
        app = gan_trainer(data=preset)
        for _ in range(WARM_UP):
            app.iterate()
        trainer = app.trainer
        parts = {
            "update (button press)": median_ms(app.iterate),
            "  one Algorithm-1 iteration": median_ms(trainer.gan.iterate),
            "  exact p_g": median_ms(trainer.generator_density),
        }
        p_g = trainer.generator_density()
        parts["  JS and C(G), fixed rule"] = median_ms(lambda: fixed_rule_readouts(trainer.data, p_g))
        parts["  sup|D - D*|"] = median_ms(lambda: trainer.gan.sup_discriminator_gap(p_g))
        parts["  picture data"] = median_ms(trainer.picture)
        parts["  redraw to PNG"] = median_ms(app.redraw)
        results[preset] = parts
        print(f"{preset}:")
        for name, value in parts.items():
            print(f"  {name:30s} {value:7.1f} ms")
    worst = max(parts["update (button press)"] for parts in results.values())
    print(f"slowest preset: one update in {worst:.1f} ms (target {TARGET_MS:.0f} ms): "
          f"{'met' if worst <= TARGET_MS else 'NOT met'}")
    return results


if __name__ == "__main__":
    print(json.dumps(main()))
