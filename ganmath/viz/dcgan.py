r"""Pictures of the DCGAN on 8x8 digits (notebook 14): samples beside their nearest training digits, the samples
of several configurations side by side, a walk between two points of z, the training curves, the ablations over seeds (their metrics, and every run's course in small multiples),
and the image grid a slider redraws.

Images come in as arrays ``(n, 1, 8, 8)`` (or ``(n, 8, 8)``) with values in [-1, 1]; they are drawn with ink
dark on white (-1 white, +1 black), as scikit-learn shows its digits. Matplotlib only here.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np

from ganmath.viz import render

__all__ = [
    "IMAGE_STYLE",
    "ImageGridArtists",
    "ablation_curves_figure",
    "ablation_figure",
    "ablation_runs_figure",
    "draw_image_grid",
    "image_mosaic",
    "interpolation_figure",
    "nearest_neighbour_figure",
    "sample_grids_figure",
    "training_curves_figure",
    "update_image_grid",
]

#: How an image in [-1, 1] is drawn: ink dark on white, the gaps between images light gray.
IMAGE_STYLE = {"vmin": -1.0, "vmax": 1.0, "interpolation": "nearest"}
_GAP_COLOR = "0.85"


def _colormap():
    return matplotlib.colormaps["gray_r"].with_extremes(bad=_GAP_COLOR)


def _as_images(images) -> np.ndarray:
    array = np.asarray(images, dtype=np.float64)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 3:
        raise ValueError(f"images must have shape (n, 1, H, W) or (n, H, W), got shape {np.shape(images)}")
    return array


def image_mosaic(images, columns: int, gap: int = 1) -> np.ndarray:
    """The images tiled row by row into one array, ``columns`` per row, separated by ``gap`` pixels of NaN
    (drawn in the gap color); empty tiles are NaN too."""
    if isinstance(columns, bool) or not isinstance(columns, (int, np.integer)) or columns < 1:
        raise ValueError(f"columns must be a positive integer, got columns={columns!r}")
    if isinstance(gap, bool) or not isinstance(gap, (int, np.integer)) or gap < 0:
        raise ValueError(f"gap must be a non-negative integer, got gap={gap!r}")
    array = _as_images(images)
    n, height, width = array.shape
    rows = -(-n // columns)
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for index, image in enumerate(array):
        row, column = divmod(index, columns)
        top, left = row * (height + gap), column * (width + gap)
        mosaic[top:top + height, left:left + width] = image
    return mosaic


@dataclass
class ImageGridArtists:
    """The moving parts of an image grid: the mosaic's image and the title."""

    image: object
    title: object
    columns: int

    def moving(self) -> list:
        return [self.image, self.title]


def draw_image_grid(ax, images, columns: int, *, title: str = "") -> ImageGridArtists:
    """Draw ``images`` as a mosaic (:func:`image_mosaic`) into ``ax``; returns the artists a slider moves."""
    image = ax.imshow(image_mosaic(images, columns), cmap=_colormap(), **IMAGE_STYLE)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(False)  # a frame would cut the mosaic's edge digits (the image is drawn on top)
    return ImageGridArtists(image, ax.set_title(title, fontsize=10), columns)


def update_image_grid(artists: ImageGridArtists, images, title: str = "") -> None:
    """Show other images (as many, of the same size) in a grid of :func:`draw_image_grid`."""
    artists.image.set_data(image_mosaic(images, artists.columns))
    artists.title.set_text(title)


def nearest_neighbour_figure(samples, neighbours, distances, *, columns: int = 6, title: str = ""):
    """Each generated digit (left) beside its nearest training digit (right), as in Figure 2 of Goodfellow
    et al. (2014), the distance between them written under the pair.

    Parameters
    ----------
    samples, neighbours : arrays (n, 1, 8, 8)
    distances : array (n,)
        Euclidean distances, pixel values in [-1, 1].
    columns : int
        Pairs per row.
    """
    samples, neighbours = _as_images(samples), _as_images(neighbours)
    distances = np.asarray(distances, dtype=np.float64)
    if samples.shape != neighbours.shape or distances.shape != samples.shape[:1]:
        raise ValueError(f"samples {samples.shape}, neighbours {neighbours.shape} and distances {distances.shape} "
                         "must describe the same pairs")
    n = len(samples)
    rows = -(-n // columns)
    figure, axes = render.new_figure(rows, columns, width=1.45 * columns, height=1.05 * rows + 0.4)
    axes = np.atleast_1d(axes).reshape(rows, columns)
    colormap = _colormap()
    for index, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if index >= n:
            ax.set_axis_off()
            continue
        pair = np.full((samples.shape[1], 2 * samples.shape[2] + 1), np.nan)
        pair[:, :samples.shape[2]] = samples[index]
        pair[:, samples.shape[2] + 1:] = neighbours[index]
        ax.imshow(pair, cmap=colormap, **IMAGE_STYLE)
        ax.set_xlabel(f"{distances[index]:.2f}", fontsize=8, labelpad=1)
        for side in ax.spines.values():
            side.set_visible(False)
    if title:
        figure.suptitle(title, fontsize=10)
    return figure


def sample_grids_figure(grids: dict, *, columns: int = 4, row_labels=None, title: str = ""):
    """Small multiples of samples: one column of panels per configuration, one row per stage of training,
    each panel a mosaic of the same noise vectors' images (:func:`image_mosaic`).

    Parameters
    ----------
    grids : dict
        Column title -> a sequence (one per row) of image arrays ``(n, 1, 8, 8)``; every column has as many rows.
    columns : int
        Images per row of a mosaic.
    row_labels : sequence of str, optional
        One per row, written at the left of the first column.
    title : str
    """
    titles = list(grids)
    if not titles:
        raise ValueError("grids must hold at least one configuration")
    stages = [[_as_images(images) for images in grids[name]] for name in titles]
    n_rows = len(stages[0])
    if n_rows == 0 or any(len(column) != n_rows for column in stages):
        raise ValueError(f"every column of grids must have the same number of rows, got "
                         f"{[len(column) for column in stages]}")
    if row_labels is not None and len(row_labels) != n_rows:
        raise ValueError(f"row_labels must have one label per row ({n_rows}), got {len(row_labels)}")
    n_images = len(stages[0][0])
    aspect = (-(-n_images // columns)) / columns
    figure, axes = render.new_figure(n_rows, len(titles), width=1.75 * len(titles) + 0.6,
                                    height=(1.75 * aspect + 0.25) * n_rows + 0.7)
    axes = np.atleast_1d(axes).reshape(n_rows, len(titles))
    for column, (name, images_by_row) in enumerate(zip(titles, stages)):
        for row, images in enumerate(images_by_row):
            ax = axes[row, column]
            draw_image_grid(ax, images, columns, title=name if row == 0 else "")
            if column == 0 and row_labels is not None:
                ax.set_ylabel(row_labels[row], fontsize=9)
    if title:
        figure.suptitle(title, fontsize=10)
    return figure


def interpolation_figure(rows, *, labels=None, title: str = ""):
    """Rows of images, each a straight walk in z between two noise vectors, as in Figure 3 of Goodfellow
    et al. (2014).

    Parameters
    ----------
    rows : sequence of arrays (steps, 1, 8, 8)
    labels : sequence of str, optional
        One per row, written at its left.
    """
    rows = [_as_images(row) for row in rows]
    steps = len(rows[0])
    mosaic = np.vstack([np.vstack([image_mosaic(row, steps), np.full((1, steps * 9 - 1), np.nan)])
                        for row in rows])[:-1]
    figure, ax = render.new_figure(1, 1, width=0.75 * steps + 0.8, height=0.75 * len(rows) + 0.5)
    ax.imshow(mosaic, cmap=_colormap(), **IMAGE_STYLE)
    ax.set_xticks([4 + 9 * i for i in (0, steps - 1)], ["z$_0$", "z$_1$"])
    ax.set_yticks([4 + 9 * i for i in range(len(rows))], labels if labels is not None else [""] * len(rows))
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title, fontsize=10)
    return figure


def _moving_average(values, window: int) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    window = max(1, min(window, values.size))
    return np.convolve(values, np.ones(window) / window, mode="valid")


def training_curves_figure(curves: dict, *, window: int = 25):
    """The losses (left) and the batch means of D (right) against the iteration, each step faint and its
    moving average over ``window`` steps solid.

    Parameters
    ----------
    curves : dict
        ``discriminator_loss``, ``generator_loss``, ``discriminator_real`` (mean D(x)),
        ``discriminator_fake`` (mean D(G(z)) in D's steps): arrays, one value per step, and ``iteration``, the
        iteration of each step.
    """
    figure, (losses, means) = render.new_figure(1, 2, width=11.0, height=3.6)
    iteration = np.asarray(curves["iteration"])
    panels = ((losses, (("discriminator_loss", "D's loss", "tab:blue"), ("generator_loss", "G's loss", "tab:green"))),
              (means, (("discriminator_real", "mean D(x)", "black"), ("discriminator_fake", "mean D(G(z))", "tab:green"))))
    for ax, lines in panels:
        for key, label, color in lines:
            values = np.asarray(curves[key])
            ax.plot(iteration, values, color=color, alpha=0.2, linewidth=0.6)
            smooth = _moving_average(values, window)
            ax.plot(iteration[window - 1:][:smooth.size], smooth, color=color, linewidth=1.6, label=label)
        ax.set_xlabel("iteration")
        ax.legend(fontsize=8, loc="upper right")
    losses.axhline(np.log(4.0), color="0.5", linestyle=":", linewidth=1.0)
    losses.text(iteration[-1], np.log(4.0), " log 4", va="bottom", ha="right", fontsize=8, color="0.4")
    means.axhline(0.5, color="0.5", linestyle=":", linewidth=1.0)
    means.set_ylim(0.0, 1.0)
    losses.set_ylabel("loss (nats)")
    means.set_ylabel("batch mean of D")
    losses.set_title("the losses (D: cross-entropy; G: $-\\log D(G(z))$)", fontsize=10)
    means.set_title("what D says of the data and of the samples", fontsize=10)
    return figure


def ablation_figure(names, values: dict, *, intervals=None, references=None, titles=None, better=None, log=()):
    """Each metric over seeds for each configuration: one dot per seed, the median as a bar and an interval
    (the quartiles unless ``intervals`` gives others) as a vertical line; a dashed line at the value of real
    digits.

    Parameters
    ----------
    names : sequence of str
        The configurations, in order along x.
    values : dict
        metric -> sequence (one per configuration) of arrays of per-seed values (NaN for a diverged run,
        not drawn).
    intervals : dict, optional
        metric -> sequence (one per configuration) of ``(low, high)``, for instance a confidence interval of
        the median; the quartiles of the finite values by default.
    references : dict, optional
        metric -> the value of real digits.
    titles : dict, optional
        metric -> the label of the panel's y axis.
    better : dict, optional
        metric -> "higher" or "lower", written as the panel's title.
    log : collection of str
        Metrics drawn on a logarithmic y axis (positive values spanning orders of magnitude).
    """
    metrics = list(values)
    figure, axes = render.new_figure(1, len(metrics), width=3.7 * len(metrics), height=3.6)
    axes = np.atleast_1d(axes)
    x = np.arange(len(names))
    jitter = np.random.default_rng(0).uniform(-0.12, 0.12, size=64)  # fixed: the same picture every time
    for ax, metric in zip(axes, metrics):
        for index, (position, seeds) in enumerate(zip(x, values[metric])):
            seeds = np.asarray(seeds, dtype=np.float64)
            finite = seeds[np.isfinite(seeds)]
            color = "tab:blue" if position == 0 else "tab:orange"
            ax.scatter(position + jitter[:finite.size], finite, s=12, color=color, alpha=0.6, zorder=3)
            if finite.size:
                low, median, high = np.percentile(finite, [25, 50, 75])
                if intervals is not None and metric in intervals:
                    low, high = intervals[metric][index]
                ax.plot([position - 0.28, position + 0.28], [median, median], color="black", linewidth=2.0, zorder=4)
                ax.plot([position, position], [low, high], color="black", linewidth=1.2, zorder=4)
        title = f"{better[metric]} is better" if better and metric in better else ""
        if references and metric in references:
            ax.axhline(references[metric], color="0.4", linestyle="--", linewidth=1.0)
            title += ("; " if title else "") + "dashed: real digits"
        if metric in log:
            ax.set_yscale("log")
        ax.set_xticks(x, names, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel((titles or {}).get(metric, metric), fontsize=9)
        ax.set_title(title, fontsize=9)
        ax.set_xlim(-0.6, len(names) - 0.4)
        ax.set_xlabel("configuration", fontsize=8)
    return figure


def ablation_curves_figure(iteration, curves: dict, records: dict):
    """Per-step records over training for several configurations: for each, the median over seeds as a line and
    the quartiles as a band; one panel per record, the legend outside the panels.

    Parameters
    ----------
    iteration : array (n_points,)
        The iteration of each point (for instance the end of each block of iterations averaged).
    curves : dict
        configuration -> record -> array ``(n_seeds, n_points)``; NaN where a run had stopped.
    records : dict
        record -> the label of its panel's y axis, in the order of the panels.
    """
    iteration = np.asarray(iteration, dtype=np.float64)
    figure, axes = render.new_figure(1, len(records), width=4.4 * len(records) + 1.8, height=3.4)
    axes = np.atleast_1d(axes)
    colors = matplotlib.colormaps["tab10"]
    for ax, (record, label) in zip(axes, records.items()):
        for index, (configuration, by_record) in enumerate(curves.items()):
            values = np.asarray(by_record[record], dtype=np.float64)
            if values.ndim != 2 or values.shape[1] != iteration.size:
                raise ValueError(f"curves[{configuration!r}][{record!r}] must have shape (n_seeds, {iteration.size}), "
                                 f"got {values.shape}")
            finite = np.isfinite(values).any(axis=0)
            low, median, high = np.full((3, iteration.size), np.nan)
            low[finite], median[finite], high[finite] = np.nanpercentile(values[:, finite], [25, 50, 75], axis=0)
            color = colors(index)
            ax.fill_between(iteration, low, high, color=color, alpha=0.15, linewidth=0)
            ax.plot(iteration, median, color=color, linewidth=1.6, label=configuration)
        ax.set_xlabel("iteration")
        ax.set_ylabel(label)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside right upper", fontsize=8, frameon=False)
    return figure


def ablation_runs_figure(iteration, fake: dict, collapsed: dict, *, real=None, columns: int = 4):
    """Small multiples of runs: one panel per configuration, every seed's mean D(G(z)) over training as a thin line,
    red for a run that collapsed and blue for one that trained, on shared axes; optionally the median over seeds of
    the mean D(x) as a dashed black line. The last free panel holds the legend.

    Parameters
    ----------
    iteration : array (n_points,)
    fake : dict
        Panel title -> array ``(n_seeds, n_points)`` of the mean D(G(z)) of each seed (NaN where a run had stopped).
    collapsed : dict
        Panel title -> boolean array ``(n_seeds,)``.
    real : dict, optional
        Panel title -> array ``(n_seeds, n_points)`` of the mean D(x).
    columns : int
        Panels per row.
    """
    iteration = np.asarray(iteration, dtype=np.float64)
    titles = list(fake)
    if not titles:
        raise ValueError("fake must hold at least one configuration")
    for title in titles:
        values, flags = np.asarray(fake[title]), np.asarray(collapsed[title])
        if values.ndim != 2 or values.shape[1] != iteration.size or flags.shape != values.shape[:1]:
            raise ValueError(f"fake[{title!r}] must have shape (n_seeds, {iteration.size}) and collapsed[{title!r}] "
                             f"one flag per seed, got {values.shape} and {flags.shape}")
    rows = -(-(len(titles) + 1) // columns)
    figure, axes = render.new_figure(rows, columns, width=3.0 * columns, height=2.4 * rows + 0.3)
    axes = np.atleast_1d(axes).reshape(rows, columns)
    styles = {False: ("tab:blue", "a run that trained"), True: ("tab:red", "a run that collapsed")}
    handles = {}
    for index, title in enumerate(titles):
        ax = axes.flat[index]
        flags = np.asarray(collapsed[title], dtype=bool)
        for values, flag in zip(np.asarray(fake[title], dtype=np.float64), flags):
            color, label = styles[bool(flag)]
            (handles[label],) = ax.plot(iteration, values, color=color, linewidth=0.9, alpha=0.7)
        if real is not None:
            (handles["median over seeds of mean D(x)"],) = ax.plot(iteration, np.nanmedian(np.asarray(real[title], dtype=np.float64),
                                                                              axis=0),
                                                     color="black", linestyle="--", linewidth=1.2)
        ax.axhline(0.5, color="0.6", linestyle=":", linewidth=0.8)
        ax.set_title(f"{title}: {int(flags.sum())} of {flags.size} collapsed", fontsize=9)
        ax.set_ylim(0.0, 1.0)
        ax.set_xlim(0.0, iteration[-1])
        if index % columns == 0:
            ax.set_ylabel("mean D(G(z))" if real is None else "batch mean of D", fontsize=9)
        if index >= len(titles) - columns:
            ax.set_xlabel("iteration", fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in axes.flat[len(titles):]:
        ax.set_axis_off()
    legend_labels = [label for label in ("a run that trained", "a run that collapsed", "median over seeds of mean D(x)")
                     if label in handles]
    axes.flat[len(titles)].legend([handles[label] for label in legend_labels],
                                  [label.replace("a run", "D(G(z)) of a run") if label.startswith("a run") else label
                                   for label in legend_labels], loc="center", fontsize=9, frameon=False)
    return figure
