"""Packing a submission: the files a journal's submission system asks for, made from one case.

`caseletter pack CASE` writes ``build/<case>/submission/``: the manuscript in submission layout,
the title page, a cover letter, the CARE checklist, each figure as its own file to the
journal's specification, the article as JATS XML validated against the DTD shipped with the
kit, and a zip of it all with a manifest of SHA-256 sums.
"""
