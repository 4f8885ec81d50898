# Exercise 4 (timeline-gap): months without treatment between the two courses.
# The first bar ends at 8 months, the second begins at 9 months.
gap_months = 9 - 8
