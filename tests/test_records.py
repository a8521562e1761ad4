"""The records' arithmetic and fingerprints (ganmath.records): a fingerprint check sees a change far smaller than
any change to the code, tolerates another kernel's rounding only when asked to, and names what differs."""

import json

import numpy as np
import pytest

from ganmath import records

STORED = {"discriminator_loss": [[1.3, 1.2, 1.1], [1.4, 1.25, 1.0]], "js_after_100": [0.25, 0.5],
          "nested": {"masses": [[0.5, 0.5], [None, 0.1]]}}


def moved(fingerprint, factor=None, ulps=0):
    def move(value):
        if isinstance(value, dict):
            return {k: move(v) for k, v in value.items()}
        a = np.array(value, dtype=float)
        if factor is not None:
            a = a * factor
        for _ in range(ulps):
            a = np.nextafter(a, np.inf)
        return a.tolist()
    return {k: move(v) for k, v in fingerprint.items()}


def test_the_same_numbers_agree_bit_for_bit_and_nan_matches_nan():
    assert records.fingerprint_mismatches(STORED, json.loads(json.dumps(STORED)), exact=True) == []


def test_one_ulp_is_a_difference_only_bit_for_bit():
    nudged = moved(STORED, ulps=1)
    assert len(records.fingerprint_mismatches(STORED, nudged, exact=True)) == 3
    assert records.fingerprint_mismatches(STORED, nudged, exact=False) == []


def test_a_change_of_1e_7_is_seen_even_within_the_tolerance_of_another_kernel():
    changed = moved(STORED, factor=1 + 1e-7)
    lines = records.fingerprint_mismatches(STORED, changed, exact=False)
    assert len(lines) == 3
    assert lines[0].startswith("discriminator_loss: 6 of 6 values differ (rtol 1e-09)")
    assert "nested.masses: 3 of 4 values differ" in lines[2]


def test_shapes_keys_and_a_nan_against_a_number_are_mismatches():
    assert records.fingerprint_mismatches(STORED, {**STORED, "js_after_100": [0.25]}, exact=True)
    assert records.fingerprint_mismatches(STORED, {k: v for k, v in STORED.items() if k != "nested"}, exact=True)
    lost = {**STORED, "nested": {"masses": [[0.5, 0.5], [0.2, 0.1]]}}
    assert records.fingerprint_mismatches(STORED, lost, exact=False)
    with pytest.raises(TypeError, match="stored and fresh"):
        records.fingerprint_mismatches([1.0], STORED, exact=True)


def test_arithmetic_names_numpy_and_its_blas_kernel():
    here = records.arithmetic()
    assert here["numpy"] == np.__version__
    assert set(here) == {"numpy", "blas", "blas_version", "blas_kernel", "blas_threads", "machine"}
    assert records.same_arithmetic(here)
    assert records.same_arithmetic(dict(here), current=here)


@pytest.mark.parametrize("field", ["numpy", "blas", "blas_version", "blas_kernel", "blas_threads"])
def test_another_numpy_or_blas_or_kernel_or_thread_count_is_other_arithmetic(field):
    here = records.arithmetic()
    assert not records.same_arithmetic({**here, field: "other"}, current=here)
    assert not records.same_arithmetic({**here, field: "unknown"}, current={**here, field: "unknown"})


def test_a_record_without_arithmetic_is_never_the_same():
    assert not records.same_arithmetic(None)
    assert not records.same_arithmetic({"numpy": np.__version__, "processor": "AMD EPYC"})


def test_the_processor_name_is_not_the_arithmetic():
    here = records.arithmetic()
    assert records.same_arithmetic({**here, "machine": "elsewhere"}, current=here)
    assert "Haswell" in records.describe_arithmetic({**here, "blas_kernel": "Haswell"})


def test_records_refuse_nan(tmp_path):
    with pytest.raises(ValueError, match=r"record\['runs'\]\[1\]\['js'\] is nan"):
        records.write_json({"runs": [{"js": 0.1}, {"js": float("nan")}]}, tmp_path / "r.json")
    records.write_json({"runs": [{"js": None}]}, tmp_path / "r.json")
    assert records.read_json(tmp_path / "r.json") == {"runs": [{"js": None}]}


def test_the_thread_limit_is_part_of_the_arithmetic():
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        one = records.arithmetic()
    assert one["blas_threads"] == 1
    with threadpool_limits(limits=2, user_api="blas"):
        two = records.arithmetic()
    if two["blas_threads"] == 1:
        pytest.skip("this BLAS runs one thread only")
    assert two["blas_threads"] == 2 and not records.same_arithmetic(one, current=two)
