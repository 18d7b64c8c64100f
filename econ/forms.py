"""Functional forms shared by the models: adjustment ramps, CES production, annual sums.

Pure numpy; every function broadcasts over a leading batch axis. Each model imports these instead of
borrowing them from another model.
"""

from __future__ import annotations

import numpy as np


def ramp(t, months_to_adapt):
    """Share of an adjustment completed after t months: 1 - exp(-(t + 1) / tau).

    ``tau`` is the e-folding time; about 63% is done after tau months, 95% after 3 tau. Both arguments
    broadcast (a batch of taus against months).
    """
    return 1.0 - np.exp(-(np.asarray(t, dtype=float) + 1.0) / np.maximum(months_to_adapt, 1e-9))


def ces_output_loss(alpha, gap, sigma):
    """Output loss of a CES producer when an input with cost share ``alpha`` falls by ``gap`` (shares).

        loss = 1 - [alpha (1 - gap)^rho + (1 - alpha)]^(1/rho),  rho = (sigma - 1) / sigma

    The arguments broadcast; ``sigma`` near 1 gives the Cobb-Douglas limit 1 - (1 - gap)^alpha.
    """
    alpha = np.asarray(alpha, dtype=float)
    avail = np.clip(1.0 - np.asarray(gap, dtype=float), 0.0, 1.0)
    sigma = np.asarray(sigma, dtype=float)
    cobb_douglas = np.abs(sigma - 1.0) < 1e-6
    rho = np.where(cobb_douglas, 1.0, (sigma - 1.0) / np.where(cobb_douglas, 1.0, sigma))
    with np.errstate(divide="ignore", over="ignore"):
        powered = np.where(avail > 0, avail**rho, np.where(rho < 0, np.inf, 0.0))
        ces = 1.0 - (alpha * powered + (1.0 - alpha)) ** (1.0 / rho)
    return np.where(cobb_douglas, 1.0 - avail**alpha, ces)


def annualised(monthly: np.ndarray) -> np.ndarray:
    """Sum over the first 12 months (last axis), scaled up when the horizon is shorter."""
    first = np.asarray(monthly)[..., :12]
    return first.sum(axis=-1) * 12 / first.shape[-1]


def first_year_mean(monthly: np.ndarray) -> np.ndarray:
    """Mean over the first 12 months (last axis): how a dated path enters an annual equation."""
    return np.asarray(monthly)[..., :12].mean(axis=-1)
