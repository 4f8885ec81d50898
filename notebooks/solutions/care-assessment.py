# Exercise 1 (care-assessment): say how the diagnosis was made, and what else was considered.
assessment = (
    "The diagnosis rested on examination: hard deposits in skin long affected by connective "
    "tissue disease. Calcinosis from raised serum calcium or phosphate was considered less "
    "likely in a patient whose underlying diseases were well controlled."
)
assessment
