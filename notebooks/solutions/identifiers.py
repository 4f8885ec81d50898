# Exercise 6 (identifiers): the same finding, with no identifier left.
sentence = "At presentation she had hard plaques on both arms."
