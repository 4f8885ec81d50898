# Exercise 2 (cite-order): cite gutierrez2012 after the first sentence, smith2013 after the second.
opening = (
    "Dystrophic calcinosis cutis complicates connective tissue disease, and no treatment is standard [@gutierrez2012]. "
    "Sodium thiosulfate has cleared single deposits when injected into them [@smith2013]."
)
