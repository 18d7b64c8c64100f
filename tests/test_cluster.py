"""The Dask backend: a local cluster of two worker processes gives exactly the serial results."""

from __future__ import annotations

import pandas as pd
import pytest

import econ
from econ.errors import EconError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as c:
            yield c


def test_monte_carlo_on_two_workers_equals_the_serial_run(client):
    # full_package varies LNG, storage and demand parameters: every draw solves its own LP, warm-started
    # within its chunk, so this checks that the chunks (not the process) fix the numbers.
    serial = econ.monte_carlo("full_package", n=12, seed=3, chunk_size=4)
    on_cluster = econ.monte_carlo("full_package", n=12, seed=3, chunk_size=4, backend="dask", scheduler=client)
    pd.testing.assert_frame_equal(serial.draws, on_cluster.draws, check_exact=True)
    pd.testing.assert_frame_equal(serial.outcomes, on_cluster.outcomes, check_exact=True)
    pd.testing.assert_frame_equal(serial.summary, on_cluster.summary, check_exact=True)
    assert serial.outcomes["eu_storage_min_pct"].nunique() > 1  # the gas side did vary


def test_scheduler_address_and_progress(client):
    ticks = []
    params = ["ruble.precautionary_sanctions_usd_bn", "ruble.import_fx_elasticity", "gas.demand.scale"]
    serial = econ.tornado("full_package", "rub_usd_peak", params=params, chunk_size=3)
    remote = econ.tornado(
        "full_package",
        "rub_usd_peak",
        params=params,
        chunk_size=3,
        backend="dask",
        scheduler=client.scheduler.address,
        progress=ticks.append,
    )
    pd.testing.assert_frame_equal(serial, remote, check_exact=True)
    assert sum(ticks) == 1 + 2 * len(params)  # the scenario itself, then each parameter's low and high


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(EconError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        econ.monte_carlo(
            "chip_controls", n=2, params=["chips.leakage_share"], backend="dask", scheduler="tcp://127.0.0.1:9"
        )


def test_cli_sweep_on_a_local_cluster(tmp_path):
    from typer.testing import CliRunner

    from econ.cli import app

    args = [
        "sweep",
        "full_package",
        "--method",
        "tornado",
        "--param",
        "ruble.precautionary_sanctions_usd_bn",
        "--param",
        "gas.demand.scale",
        "--metric",
        "rub_usd_peak",
        "--figures",
        "none",
        "--chunk-size",
        "2",
    ]
    local = CliRunner().invoke(app, args + ["--out", str(tmp_path / "serial")])
    on_dask = CliRunner().invoke(app, args + ["--out", str(tmp_path / "dask"), "--scheduler", "local"])
    assert local.exit_code == 0 and on_dask.exit_code == 0, on_dask.output
    name = "full_package__tornado__tornado_rub_usd_peak.csv"
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "serial" / name), pd.read_csv(tmp_path / "dask" / name))
