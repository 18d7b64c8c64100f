"""Errors raised for bad input. Each message is one line a person can act on."""


class EconError(ValueError):
    """Base class (a ValueError: bad input): the CLI prints the message as one line and exits 2."""


class ParameterError(EconError):
    """An override or registry value is unknown, of the wrong type or out of range."""


class ScenarioFileError(EconError):
    """A scenario file is missing, malformed or has the wrong structure."""


class DataError(EconError):
    """A data file is missing or fails its schema check."""
