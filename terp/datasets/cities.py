"""California cities with one of their ZIP codes and their telephone area code, so that a
seeded address and phone number agree with each other (a Petaluma address gets a 94952
ZIP and a 707 number).

Source: hand-written from public knowledge of California geography: each city's ZIP code
is one that serves its downtown, its area code the one that covers it (cities split
between codes get their main one). ZIP codes and area codes describe places, not people.

Why it is safe: places only; phone numbers built from these area codes use the fictional
555-0100..555-0199 range (terp/fakes.py)."""

from typing import NamedTuple


class City(NamedTuple):
    name: str
    zip_code: str
    area_code: str


CITIES: tuple[City, ...] = (
    City("Adelanto", "92301", "760"),
    City("Anaheim", "92805", "714"),
    City("Arcata", "95521", "707"),
    City("Bakersfield", "93301", "661"),
    City("Berkeley", "94704", "510"),
    City("Burbank", "91502", "818"),
    City("Chico", "95928", "530"),
    City("Concord", "94520", "925"),
    City("Eureka", "95501", "707"),
    City("Fremont", "94538", "510"),
    City("Fresno", "93721", "559"),
    City("Garberville", "95542", "707"),
    City("Glendale", "91203", "818"),
    City("Hayward", "94541", "510"),
    City("Huntington Beach", "92648", "714"),
    City("Irvine", "92618", "949"),
    City("Lancaster", "93534", "661"),
    City("Long Beach", "90802", "562"),
    City("Los Angeles", "90012", "213"),
    City("Merced", "95340", "209"),
    City("Modesto", "95354", "209"),
    City("Monterey", "93940", "831"),
    City("Oakland", "94607", "510"),
    City("Oceanside", "92054", "760"),
    City("Palm Springs", "92262", "760"),
    City("Palo Alto", "94301", "650"),
    City("Pasadena", "91101", "626"),
    City("Petaluma", "94952", "707"),
    City("Redding", "96001", "530"),
    City("Richmond", "94804", "510"),
    City("Riverside", "92501", "951"),
    City("Sacramento", "95814", "916"),
    City("Salinas", "93901", "831"),
    City("San Diego", "92101", "619"),
    City("San Francisco", "94103", "415"),
    City("San Jose", "95113", "408"),
    City("San Luis Obispo", "93401", "805"),
    City("San Mateo", "94401", "650"),
    City("Santa Ana", "92701", "714"),
    City("Santa Barbara", "93101", "805"),
    City("Santa Cruz", "95060", "831"),
    City("Santa Monica", "90401", "310"),
    City("Santa Rosa", "95404", "707"),
    City("Stockton", "95202", "209"),
    City("Torrance", "90503", "310"),
    City("Ukiah", "95482", "707"),
    City("Vallejo", "94590", "707"),
    City("Ventura", "93001", "805"),
    City("Visalia", "93291", "559"),
    City("Walnut Creek", "94596", "925"),
)
