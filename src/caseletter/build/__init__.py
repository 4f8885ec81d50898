"""Building: the recipe from case file to published letter, its cache, kernels, and a class at once.

Names are re-exported lazily (see `caseletter.lazy`).
"""

from typing import TYPE_CHECKING

from caseletter.lazy import reexport

if TYPE_CHECKING:
    from caseletter.build.classbuild import CaseOutcome, build_class, expand_cases
    from caseletter.build.options import FORMATS, BuildOptions, BuildResult
    from caseletter.build.recipe import build_case, build_letter

__all__ = [
    "BuildOptions", "BuildResult", "CaseOutcome", "FORMATS", "build_case", "build_class", "build_letter",
    "expand_cases",
]
__getattr__ = reexport(__name__, {
    "classbuild": ["CaseOutcome", "build_class", "expand_cases"],
    "options": ["FORMATS", "BuildOptions", "BuildResult"],
    "recipe": ["build_case", "build_letter"],
})
