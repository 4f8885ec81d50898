"""The dosing table's cells: a figure reference in a regimen's note prints as 'Figure N', with no backslash."""

from __future__ import annotations

from caseletter.letter.tables import escape_cell


def test_a_figure_reference_stays_live_and_the_rest_is_escaped():
    assert escape_cell("see @fig-after") == "see @fig-after"
    assert escape_cell("*bold* <b>x</b> | pipe") != "*bold* <b>x</b> | pipe"
    assert "\\@" in escape_cell("mail @someone")
