"""Saving and loading networks and runs as ``.npz`` files, without pickles.

A network is stored as its sizes, its activation name (a string array), its leaky slope and its flat
parameter vector; a run (:func:`save_gan`) adds the settings as JSON, the optimizers' state, the
counters, the random generator's state and, when they are a Normal or a Uniform, the data and noise.
"""

from __future__ import annotations

import json

import numpy as np

from ganmath.core.densities import Normal, Uniform
from ganmath.nn.mlp import MLP

__all__ = ["save_pair", "load_pair", "save_gan", "load_gan_state", "save_snapshots", "load_snapshots",
           "FORMAT_VERSION"]

FORMAT_VERSION = 2


def save_pair(path, generator: MLP, discriminator: MLP, **extra_arrays):
    """Save a generator and a discriminator (and any further arrays) to an ``.npz`` file without pickles."""
    arrays = {"format_version": np.array(FORMAT_VERSION)}
    for name, network in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(network, MLP) or network.n_runs is not None:
            raise TypeError(f"{name} must be a single ganmath.nn.mlp.MLP, got {name}={network!r}")
        arrays[f"{name}_sizes"] = np.array(network.sizes)
        arrays[f"{name}_activation"] = np.array(network.activation)
        arrays[f"{name}_leaky_slope"] = np.array(float(network.leaky_slope))
        arrays[f"{name}_parameters"] = network.parameters.copy()
    clash = set(arrays) & set(extra_arrays)
    if clash:
        raise ValueError(f"extra array names clash with the stored networks: {sorted(clash)}")
    np.savez(path, **arrays, **extra_arrays)


def load_pair(path) -> dict:
    """Load what :func:`save_pair` saved, with ``allow_pickle=False``.

    Returns
    -------
    dict
        ``"generator"`` and ``"discriminator"`` (MLPs) and ``"arrays"`` (every stored array by name).
    """
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    version = int(arrays.get("format_version", -1))
    if version != FORMAT_VERSION:
        raise ValueError(f"{path!r} is not a ganmath GAN file of format version {FORMAT_VERSION} (found {version})")
    networks = {name: _network({"sizes": [int(s) for s in arrays[f"{name}_sizes"]],
                                "activation": str(arrays[f"{name}_activation"]),
                                "leaky_slope": float(arrays[f"{name}_leaky_slope"])}, arrays[f"{name}_parameters"])
                for name in ("generator", "discriminator")}
    return {**networks, "arrays": arrays}


def describe_density(density) -> str:
    """A JSON description of a Normal or Uniform (what a saved file can restore); '' otherwise."""
    if type(density) is Normal:
        return json.dumps({"kind": "normal", "mu": density.mu, "sigma": density.sigma})
    if type(density) is Uniform:
        return json.dumps({"kind": "uniform", "low": density.low, "high": density.high})
    return ""


def restore_density(description: str):
    """The density :func:`describe_density` described, or None for ''."""
    if not description:
        return None
    spec = json.loads(description)
    if spec["kind"] == "normal":
        return Normal(spec["mu"], spec["sigma"])
    return Uniform(spec["low"], spec["high"])


def save_gan(gan, path):
    """Save a :class:`ganmath.gan.GAN` so that :meth:`ganmath.gan.GAN.load` continues it bit for bit (the history
    is not saved)."""
    counters = {"iteration": gan.iteration, "discriminator_steps": gan.discriminator_steps,
                "generator_steps": gan.generator_steps}
    optimizer_state = {}
    for name, opt in (("generator", gan.optimizer_generator), ("discriminator", gan.optimizer_discriminator)):
        for key, value in opt.state().items():
            optimizer_state[f"optimizer_{name}_{key}"] = np.asarray(value)
    save_pair(
        path,
        gan.generator,
        gan.discriminator,
        settings=np.array(json.dumps(gan.settings.as_dict())),
        counters=np.array(json.dumps(counters)),
        rng_state=np.array(json.dumps(gan.rng.bit_generator.state)),
        rng_kind=np.array(type(gan.rng.bit_generator).__name__),
        data_description=np.array(describe_density(gan.data)),
        noise_description=np.array(describe_density(gan.noise)),
        grid=gan.grid,
        **optimizer_state,
    )


def load_gan_state(path, data=None, noise=None) -> dict:
    """What :func:`save_gan` saved, ready to rebuild the run: ``arguments`` for :class:`ganmath.gan.GAN` (the
    densities, the random generator in its saved state, the networks, the grid and the settings), the optimizers'
    ``optimizer_state`` (by network) and the ``counters``. :meth:`ganmath.gan.GAN.load` builds the run from it.
    ``data`` / ``noise`` are needed when they were not a Normal or a Uniform."""
    stored = load_pair(path)
    arrays = stored["arrays"]
    data = data if data is not None else restore_density(str(arrays["data_description"]))
    noise = noise if noise is not None else restore_density(str(arrays["noise_description"]))
    if data is None:
        raise ValueError(f"data must be given: the file {path!r} does not describe the data density")
    if noise is None:
        raise ValueError(f"noise must be given: the file {path!r} does not describe the noise density")
    bit_generator = getattr(np.random, str(arrays["rng_kind"]))()
    bit_generator.state = json.loads(str(arrays["rng_state"]))
    arguments = {"data": data, "noise": noise, "seed": np.random.Generator(bit_generator),
                 "generator": stored["generator"], "discriminator": stored["discriminator"], "grid": arrays["grid"],
                 **json.loads(str(arrays["settings"]))}
    optimizer_state = {name: {key[len(f"optimizer_{name}_"):]: arrays[key] for key in arrays
                              if key.startswith(f"optimizer_{name}_")} for name in ("generator", "discriminator")}
    return {"arguments": arguments, "optimizer_state": optimizer_state,
            "counters": json.loads(str(arrays["counters"]))}


def _network_spec(network: MLP) -> dict:
    return {"sizes": list(network.sizes), "activation": network.activation, "leaky_slope": float(network.leaky_slope)}


def _network(spec: dict, parameters) -> MLP:
    network = MLP(tuple(spec["sizes"]), np.random.default_rng(0), activation=spec["activation"],
                  leaky_slope=spec["leaky_slope"])
    network.set_parameters(parameters)
    return network


def save_snapshots(path, snapshots, **extra):
    """Save the networks and counters of a run's snapshots (:class:`ganmath.gan.Snapshot`) to an ``.npz`` file
    without pickles; :func:`load_snapshots` measures them again. ``extra`` adds JSON-ready values (the command
    that made the run, its numbers, ...), returned by the loader.

    Only what cannot be recomputed is stored: per snapshot the three counters and both networks' parameters
    (shape (S, P) each), once the networks' sizes and activations and the plotting grid.
    """
    snapshots = list(snapshots)
    if not snapshots:
        raise ValueError("snapshots must not be empty")
    first = snapshots[0]
    specs = {"generator": _network_spec(first.generator), "discriminator": _network_spec(first.discriminator_network)}
    for i, snapshot in enumerate(snapshots):
        if (_network_spec(snapshot.generator) != specs["generator"]
                or _network_spec(snapshot.discriminator_network) != specs["discriminator"]
                or not np.array_equal(snapshot.x, first.x)):
            raise ValueError(f"snapshots[{i}] has other networks or another grid than snapshots[0]")
    np.savez_compressed(
        path,
        format_version=np.array(FORMAT_VERSION),
        kind=np.array("snapshots"),
        networks=np.array(json.dumps(specs)),
        extra=np.array(json.dumps(extra, sort_keys=True)),
        grid=first.x,
        counters=np.array([[s.iteration, s.discriminator_steps, s.generator_steps] for s in snapshots], dtype=np.int64),
        generator_parameters=np.array([s.generator.parameters for s in snapshots]),
        discriminator_parameters=np.array([s.discriminator_network.parameters for s in snapshots]),
    )


def load_snapshots(path, data, noise) -> tuple[list, dict]:
    """The snapshots :func:`save_snapshots` stored, each measured again from its networks
    (:func:`ganmath.gan.snapshot.measure`: D, the exact p_g, D*, JS, sup|D - D*|), and the ``extra`` values.

    Parameters
    ----------
    path : str or Path
    data, noise : Density
        The run's data and noise densities (not stored).

    Returns
    -------
    (list of Snapshot, dict)
    """
    from ganmath.gan.snapshot import RunState, measure

    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    if int(arrays.get("format_version", -1)) != FORMAT_VERSION or str(arrays.get("kind", "")) != "snapshots":
        raise ValueError(f"{path!r} is not a ganmath snapshots file of format version {FORMAT_VERSION}")
    specs = json.loads(str(arrays["networks"]))
    snapshots = []
    for counters, generator, discriminator in zip(arrays["counters"], arrays["generator_parameters"],
                                                  arrays["discriminator_parameters"]):
        state = RunState(data, noise, _network(specs["generator"], generator),
                             _network(specs["discriminator"], discriminator), arrays["grid"], *map(int, counters))
        snapshots.append(measure(state, warn_point_mass=False))
    return snapshots, json.loads(str(arrays["extra"]))
