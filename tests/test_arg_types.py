"""The shared argparse types: bounds and the wording of their errors."""

from __future__ import annotations

import argparse
import os

import pytest

from benchmark.arg_types import fraction, integer
from benchmark.commands.score import jobs
from benchmark.interval_options import count, level


def test_fraction_is_open_at_both_ends():
    alpha = fraction("a significance level", "0.05")
    assert alpha("0.05") == 0.05
    for bad, message in (("0", "a significance level in (0, 1) such as 0.05, got 0"), ("1", "got 1"), ("x", "not a number: 'x'")):
        with pytest.raises(argparse.ArgumentTypeError, match=message.replace("(", r"\(").replace(")", r"\)")):
            alpha(bad)
    assert level("0.95") == 0.95


def test_integer_minimum_is_inclusive():
    at_least_two = integer(2, "must be at least 2")
    assert at_least_two("2") == 2
    with pytest.raises(argparse.ArgumentTypeError, match="must be at least 2, got 1"):
        at_least_two("1")
    with pytest.raises(argparse.ArgumentTypeError, match="not an integer: '2.5'"):
        at_least_two("2.5")
    assert count("1") == 1
    with pytest.raises(argparse.ArgumentTypeError, match="must be at least 1, got 0"):
        count("0")


def test_jobs_zero_means_one_per_cpu():
    assert jobs("3") == 3
    assert jobs("0") == (os.cpu_count() or 1)
    with pytest.raises(argparse.ArgumentTypeError, match=r"must be 0 \(one per CPU\) or more, got -1"):
        jobs("-1")
