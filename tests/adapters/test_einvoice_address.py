"""A party's one-string address split into EN 16931's postal address (BG-5/BG-8): street line
(BT-35), post code (BT-38), city (BT-37); the country (BT-40) is always the party's own."""

from __future__ import annotations

import pytest

from tenure.adapters.einvoice.address import PostalAddress, postal_address


@pytest.mark.parametrize(
    ("text", "country", "street", "code", "city"),
    [
        ("Musterstraße 1, 10115 Berlin", "DE", "Musterstraße 1", "10115", "Berlin"),
        ("Musterstraße 1\n10115 Berlin", "DE", "Musterstraße 1", "10115", "Berlin"),
        ("Musterstraße 1, 10115 Berlin, DE", "DE", "Musterstraße 1", "10115", "Berlin"),
        (
            "Musterstraße 1\r\n10115 Berlin\r\nDeutschland",
            "DE",
            "Musterstraße 1",
            "10115",
            "Berlin",
        ),
        ("Musterstraße 1, D-10115 Berlin", "DE", "Musterstraße 1", "10115", "Berlin"),
        ("Ringstraße 1, 1010 Wien, AT", "AT", "Ringstraße 1", "1010", "Wien"),
        ("Bahnhofstrasse 1, CH-8001 Zürich, Schweiz", "CH", "Bahnhofstrasse 1", "8001", "Zürich"),
        ("1 Rue de Rivoli, 75001 Paris, France", "FR", "1 Rue de Rivoli", "75001", "Paris"),
        ("Keizersgracht 1, 1015 CJ Amsterdam", "NL", "Keizersgracht 1", "1015 CJ", "Amsterdam"),
        ("ul. Marszałkowska 1, 00-950 Warszawa", "PL", "ul. Marszałkowska 1", "00-950", "Warszawa"),
        ("Drottninggatan 1, 111 51 Stockholm", "SE", "Drottninggatan 1", "111 51", "Stockholm"),
        ("10 Downing Street, London SW1A 2AA", "GB", "10 Downing Street", "SW1A 2AA", "London"),
        (
            "Frankfurter Allee 12, 10247 Berlin-Friedrichshain",
            "DE",
            "Frankfurter Allee 12",
            "10247",
            "Berlin-Friedrichshain",
        ),
    ],
)
def test_the_part_with_a_post_code_gives_post_code_and_city_and_the_rest_is_the_street(
    text: str, country: str, street: str, code: str, city: str
) -> None:
    assert postal_address(text, country) == PostalAddress(
        country=country, line_one=street, post_code=code, city=city
    )


def test_a_us_state_and_zip_take_the_city_from_the_part_before() -> None:
    assert postal_address("1 Main St, San Francisco, CA 94105, US", "US") == PostalAddress(
        country="US",
        line_one="1 Main St",
        post_code="94105",
        city="San Francisco",
        subdivision="CA",
    )


def test_a_second_street_part_becomes_the_second_line() -> None:
    address = postal_address("Muster AG, c/o Buchhaltung, Hauptstraße 5, 80331 München", "DE")
    assert (address.line_one, address.line_two) == ("Muster AG", "c/o Buchhaltung, Hauptstraße 5")
    assert (address.post_code, address.city) == ("80331", "München")


def test_the_country_is_the_partys_never_the_texts() -> None:
    # a trailing token names a country; the document's country is the party's own
    assert postal_address("Musterstraße 1, 10115 Berlin, AT", "DE").country == "DE"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, PostalAddress("DE")),
        ("", PostalAddress("DE")),
        ("  ,\n ", PostalAddress("DE")),
        ("DE", PostalAddress("DE")),
        ("Berlin", PostalAddress("DE", city="Berlin")),
        ("Musterstraße 1", PostalAddress("DE", line_one="Musterstraße 1")),
        ("Musterstraße 1, Berlin", PostalAddress("DE", line_one="Musterstraße 1", city="Berlin")),
    ],
)
def test_without_a_post_code_the_last_part_is_the_city(
    text: str | None, expected: PostalAddress
) -> None:
    assert postal_address(text, "DE") == expected


def test_a_house_number_alone_is_no_post_code() -> None:
    # "12" is too short for a post code: the part stays the street, the last part the city
    address = postal_address("Hauptstraße 12, Berlin", "DE")
    assert (address.line_one, address.post_code, address.city) == ("Hauptstraße 12", None, "Berlin")
