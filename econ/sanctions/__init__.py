"""Sanctions instruments: each turns its parameters and the data into a Frictions contribution."""

from .frictions import Frictions, combine

__all__ = ["Frictions", "combine"]
