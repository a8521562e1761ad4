r"""The data of the DCGAN notebook: scikit-learn's 8x8 digits, split, and a digits classifier that scores images.

The data (:func:`digits_split`): the 1,797 images of ``sklearn.datasets.load_digits`` (shipped inside
scikit-learn), 8x8 pixels of 0-16 scaled to [-1, 1], split by class into training (70%), validation
(10%) and test (20%) images with a fixed seed. The classifier (:class:`DigitsClassifier`) is scikit-learn's
multinomial ``LogisticRegression`` trained once on the training images; its probabilities and logits are what
:mod:`ganmath.experiments.image_metrics` scores a generator's images with.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import special

from ganmath._validation import check_positive_int

__all__ = ["scale_digits", "DigitsSplit", "digits_split", "DigitsClassifier", "digits_classifier"]


# --- the data -------------------------------------------------------------------------------------


def scale_digits(pixels) -> np.ndarray:
    """scikit-learn's digit pixels (integers 0-16) as floats in [-1, 1]: ``pixels / 8 - 1``."""
    return np.asarray(pixels, dtype=np.float64) / 8.0 - 1.0


@dataclass(frozen=True)
class DigitsSplit:
    """The digits split into training, validation and test images, each ``(n, 1, 8, 8)`` in [-1, 1]
    (read-only), with their labels 0-9."""

    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    train_labels: np.ndarray
    validation_labels: np.ndarray
    test_labels: np.ndarray

    def __repr__(self):
        return (f"DigitsSplit(train={len(self.train)}, validation={len(self.validation)}, "
                f"test={len(self.test)} images of 8x8)")


def _read_only(array) -> np.ndarray:
    array = np.ascontiguousarray(array)
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=4)
def digits_split(seed: int = 0, validation_fraction: float = 0.1, test_fraction: float = 0.2) -> DigitsSplit:
    """The 1,797 digits of ``sklearn.datasets.load_digits``, split by class with a seeded permutation.

    Within each class, ``round(fraction * count)`` images go to the test split and to the validation split,
    the rest to training; each split keeps the images' original order.

    Parameters
    ----------
    seed : int
        Seed of the permutations.
    validation_fraction, test_fraction : float
        Fractions of each class.

    Returns
    -------
    DigitsSplit
        With the defaults: 1,257 training, 180 validation and 360 test images.
    """
    from sklearn.datasets import load_digits

    seed = check_positive_int("seed", seed, allow_zero=True)
    if not (0 < validation_fraction and 0 < test_fraction and validation_fraction + test_fraction < 1):
        raise ValueError(f"the fractions must be positive with a sum below 1, got validation_fraction="
                         f"{validation_fraction!r}, test_fraction={test_fraction!r}")
    digits = load_digits()
    images = scale_digits(digits.images)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    rng = np.random.default_rng(seed)
    parts = {"train": [], "validation": [], "test": []}
    for label in range(10):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = round(test_fraction * members.size)
        n_validation = round(validation_fraction * members.size)
        parts["test"].append(members[:n_test])
        parts["validation"].append(members[n_test:n_test + n_validation])
        parts["train"].append(members[n_test + n_validation:])
    index = {name: np.sort(np.concatenate(chunks)) for name, chunks in parts.items()}
    return DigitsSplit(**{name: _read_only(images[i]) for name, i in index.items()},
                       **{f"{name}_labels": _read_only(labels[i]) for name, i in index.items()})


# --- the classifier -------------------------------------------------------------------------------


class DigitsClassifier:
    """A multinomial logistic regression of the digit from its 64 pixels (scikit-learn's
    ``LogisticRegression``, L2 penalty ``C = 1``, L-BFGS: deterministic), trained on ``images``.

    Its ten logits are the feature space of the Fréchet distance; its probabilities give the
    Inception-style score.
    """

    def __init__(self, images, labels):
        from sklearn.linear_model import LogisticRegression

        images, labels = np.asarray(images, dtype=np.float64), np.asarray(labels)
        self.model = LogisticRegression(C=1.0, max_iter=5000)
        self.model.fit(images.reshape(len(images), -1), labels)

    def __repr__(self):
        return f"DigitsClassifier(LogisticRegression on {self.model.coef_.shape[1]} pixels, 10 classes)"

    def logits(self, images) -> np.ndarray:
        r"""The ten logits :math:`W x + b` of every image, shape ``(n, 10)``."""
        images = np.asarray(images, dtype=np.float64)
        return images.reshape(len(images), -1) @ self.model.coef_.T + self.model.intercept_

    def probabilities(self, images) -> np.ndarray:
        """:math:`p(y \\mid x)`, the softmax of the logits, shape ``(n, 10)``."""
        return special.softmax(self.logits(images), axis=1)

    def accuracy(self, images, labels) -> float:
        return float(np.mean(np.argmax(self.logits(images), axis=1) == np.asarray(labels)))


@functools.lru_cache(maxsize=4)
def digits_classifier(seed: int = 0) -> DigitsClassifier:
    """The classifier trained once (per process) on the training images of ``digits_split(seed)``."""
    split = digits_split(seed)
    return DigitsClassifier(split.train, split.train_labels)
