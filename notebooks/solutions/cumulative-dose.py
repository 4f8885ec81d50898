# Exercise 3 (cumulative-dose): the total of the initial course, in grams.
days = 8 * 365.25 / 12            # 243.5 days in 8 months
infusions = int(days / 7 * 3)     # 104.4 weeks' worth of 3 a week: 104 whole infusions
cumulative_g = infusions * 12.5   # 1300 g
cumulative_g
