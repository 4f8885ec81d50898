"""caseletter: a clinical case letter from one case file, through parameterized notebooks."""

__version__ = "0.1.0"
