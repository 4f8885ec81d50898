# Exercise 5 (broken-regimen): fix each value the kit's message names.
phase = {"dose": "12.5 g", "frequency": "3 times weekly", "duration": "8 months"}
