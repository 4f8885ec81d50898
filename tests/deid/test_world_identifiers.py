"""Identifiers as case reports from every country write them, and the words that only look like them.

The sentences here are new: none is taken from the labelled paragraphs the rules were measured on.
"""

from __future__ import annotations

import pytest

from caseletter.deid.gazetteer import gazetteer
from caseletter.deid.text import scan_text

FOUND = [
    # places the gazetteer knows, with and without accents, and where a run of capitals holds them
    pytest.param("She farms sugar cane outside Bundaberg with her brother.", "city", "Bundaberg", id="town_cued"),
    pytest.param("The rash began after a market trip to Tlaquepaque.", "city", "Tlaquepaque", id="town_uncued"),
    pytest.param("He returned to Nukuʻalofa and then to Hāmilton.", "city", "Hāmilton", id="town_with_macron"),
    pytest.param("Slides went to Postbus 9101, 6500 HB Nijmegen for review.", "city", "Nijmegen", id="town_after_code"),
    pytest.param("Her GP in Kalgoorlie WA 6430 faxed the notes.", "zip", "6430", id="postcode_after_region"),
    pytest.param("The clinic, 8 Harbour Street, Lyttelton 8082, rang.", "city", "Lyttelton", id="town_after_address"),
    pytest.param("The practice on Kingsway Road sent the photographs.", "address", "Kingsway Road", id="named_street"),
    # facilities written head first, fused, and as schools and works
    pytest.param("She was admitted to Hospital das Clínicas de Porto Alegre.", "facility", None, id="head_first"),
    pytest.param("Biopsy was read at Universitätsklinikum Freiburg.", "facility", None, id="fused_head"),
    pytest.param("A nurse at Riverside Primary School noticed the lesion.", "facility", None, id="school"),
    pytest.param("He had worked at the Cadbury factory since 1990.", "facility", "Cadbury", id="employer"),
    pytest.param("Referred by Aga Khan Medical College staff.", "facility", None, id="medical_college"),
    # numbers named by labels from many countries, in spaced groups
    pytest.param("Her NHS number 485 777 3456 was on the request.", "health_plan", "485 777 3456", id="nhs"),
    pytest.param("The OHIP number 1234-567-890-AB was legible.", "health_plan", "1234-567-890-AB", id="ohip"),
    pytest.param("His NRIC S1234567D was visible in the photo.", "ssn", "S1234567D", id="nric"),
    pytest.param("Her PESEL, 44051401458, was copied into the note.", "ssn", "44051401458", id="pesel"),
    pytest.param("Passport number X1234567 appeared on the form.", "ssn", "X1234567", id="passport"),
    pytest.param("GMC number 7012345 signed the prescription.", "licence", "7012345", id="gmc"),
    pytest.param("He parked the car, registration AB12 CDE, outside.", "vehicle", "AB12 CDE", id="car_registration"),
    pytest.param("The pump label read (01)09506000134352(17)281231.", "device", None, id="gs1_udi"),
    # ages over 89 written out
    pytest.param("A ninety-two-year-old widower came with his son.", "age", "ninety-two-year-old", id="age_in_words"),
    pytest.param("She celebrated her 103rd birthday on the ward.", "age", "103rd birthday", id="age_birthday"),
    pytest.param("A centenarian of 102 had the same nodules.", "age", "102", id="age_noun_of"),
    # names with particles and after labels
    pytest.param("Corresponding author: Johanna van den Heuvel, Utrecht.", "name", "Johanna van den Heuvel", id="van"),
    pytest.param("Her neighbour, Aisling Nic Giolla, found her.", "name", "Aisling Nic Giolla", id="irish_particle"),
    pytest.param("Interpreter: Mr. Yusuf bin Hamid translated.", "name", "Yusuf bin Hamid", id="arabic_particle"),
]


@pytest.mark.parametrize("text, kind, expected", FOUND)
def test_identifier_from_anywhere_is_found(text, kind, expected):
    findings = scan_text(text)
    matching = [f for f in findings if f.type == kind]
    assert matching, findings
    if expected is not None:
        assert expected in [f.text for f in matching], findings


SAFE = [
    pytest.param("Rocky Mountain spotted fever and Lyme disease were excluded.", id="place_named_diseases"),
    pytest.param("Murray Valley encephalitis and Ross River virus serology were negative.", id="place_viruses"),
    pytest.param("Lesions in West Africa and South Asia differ in their course.", id="regions"),
    pytest.param("Aleppo boil and Baghdad boil are older names for the same sore.", id="place_boils"),
    pytest.param("The Rotterdam criteria and the Sydney classification were applied.", id="place_criteria"),
    pytest.param("Salmonella Dublin grew from the blood culture.", id="serovar"),
    pytest.param("As noted in Arch Dermatol Res and in J Am Acad Dermatol, relapse is common.", id="journal_titles"),
    pytest.param("Dosing\nNone of the doses was missed. Date of the next visit was set.", id="everyday_words_as_towns"),
    pytest.param("Mercy, Hope and Grace are not towns here; Bath salts were not used.", id="common_word_towns"),
    pytest.param("The patient was advised to take 4000 IU daily for 12 weeks.", id="dose_numbers"),
    pytest.param("Hospital Anxiety and Depression Scale scores fell by hospital day 9.", id="hospital_scale"),
    pytest.param("She was aged 9 days when the rash appeared; the 95th percentile was exceeded.", id="not_ages"),
]


@pytest.mark.parametrize("text", SAFE)
def test_words_that_only_look_like_identifiers_are_left_alone(text):
    assert scan_text(text) == []


def test_gazetteer_keeps_towns_apart_from_larger_places_and_everyday_words():
    places = gazetteer()
    assert {"Rotterdam", "Thrissur", "Ballymena"} <= places.towns
    assert {"Ontario", "Kerala", "Texas", "France"} <= places.larger
    assert not places.towns & places.larger
    assert "Nice" in places.common_words and "Rotterdam" not in places.common_words
