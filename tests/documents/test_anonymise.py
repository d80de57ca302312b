"""Anonymising learner text: e-mails, NHS numbers, phones, postcodes and listed names."""

from __future__ import annotations

import pytest

from partnership_lib.documents.anonymise import Anonymiser, anonymise, is_nhs_number

# Valid NHS numbers (their tenth digit is the modulus-11 check digit) and near misses.
VALID = ["943 476 5919", "9434765919", "401-023-2137", "4010232137"]
INVALID = ["943 476 5918", "1234567890", "0000000001", "943 476 591"]


@pytest.mark.parametrize("number", VALID)
def test_valid_nhs_numbers_pass_the_check(number):
    assert is_nhs_number(number)


@pytest.mark.parametrize("number", INVALID)
def test_other_numbers_fail_the_check(number):
    assert not is_nhs_number(number)


def test_a_check_digit_of_ten_is_never_valid():
    # 123456789x: the weighted sum is 210, 11 - 210 % 11 = 10, so no tenth digit works
    assert not any(is_nhs_number(f"123456789{d}") for d in range(10))


def test_nhs_numbers_are_replaced_and_other_ten_digit_numbers_are_kept():
    text, found = anonymise("Patient 943 476 5919, order 1234567890, again 9434765919.")
    assert text == "Patient [NHS number 1], order 1234567890, again [NHS number 1]."
    assert [r.kind for r in found] == ["NHS number", "NHS number"]


def test_every_kind_is_replaced_with_one_numbering_per_document():
    anonymiser = Anonymiser(["Jo Bloggs", "Jo"])
    first = anonymiser.text("Jo Bloggs (jo@example.org, 01632 960 001) lives in SW1A 1AA.")
    second = anonymiser.value({"note": ["Ask jo@example.org", "or Jo"]}, where="nb/ex/f")
    assert first == "[name 1] ([e-mail 1], [phone 1]) lives in [postcode 1]."
    assert second == {"note": ["Ask [e-mail 1]", "or [name 2]"]}
    assert {r.where for r in anonymiser.found} == {"", "nb/ex/f"}


def test_a_phone_number_is_not_mistaken_for_an_nhs_number():
    text, found = anonymise("Ring 0161 496 0000 today")
    assert text == "Ring [phone 1] today" and [r.kind for r in found] == ["phone"]
