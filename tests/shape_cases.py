"""Real-looking values (with what the scanner must find in each) and harmless ones that
look alike: the corpus the shape tests and the scanner tests share."""

from seed_data.pii import shapes

E, P, C, S, IP = shapes.EMAIL, shapes.PHONE, shapes.CARD, shapes.SSN, shapes.IP_ADDRESS
# Real-looking values, each written the ways people write them: every one must be found.
TRUE_CASES: list[tuple[str, set[str]]] = [
    ("ana.ruiz@gmail.com", {E}),
    ("write to Bob <bob@acme.io> today", {E}),
    ("mailto:JANE.DOE@GMAIL.COM.", {E}),
    ("josé@gmail.com", {E}),  # non-ASCII local part
    ("jane.doe@bücher.de", {E}),
    ('{"contact": "jane.doe\\u0040gmail.com"}', {E}),  # JSON escape
    ('{"jane.doe\\u0040gmail.com": true}', {E}),  # in a key
    ("jane.doe\\u0040gmail.com", {E}),  # an escape in plain text
    ("jane.doe&#64;gmail.com and jane&#x40;gmail.com", {E}),  # XML/HTML references
    ("x" * 100 + "@gmail.com", {E}),  # a local part over 64 characters is still read
    ("415-555-1234", {P}),
    ("call (415) 867-5309 now", {P}),
    ("+1 415.867.5309", {P}),
    ("+44 20 7946 0958", {P}),
    ("+33 1 23 45 67 89", {P}),
    ("415/555-2671", {P}),
    ("415\u2013555\u20132671", {P}),  # en-dashes
    ("415\u2014555\u2014267", set()),  # one digit short
    ("14155552671", {P}),
    ("4155552671", {P}),
    ("+14155552671", {P}),
    ("1-415-555-2671", {P}),
    ("1 (415) 555-2671", {P}),
    ("(415)555-2671", {P}),
    ("(415) - 555 - 2671", {P}),
    ("415.555.2671", {P}),
    ("415 555 2671", {P}),
    ("415-555-2671x12", {P}),  # an extension is not a code
    ("call 4155552671 re: order", {P}),
    ('["vip", "415-555-2671"]', {P}),  # a JSON array (clients.tags)
    ('{"note": "call\\n4155552671"}', {P}),  # "\n" glued to the digits until decoded
    ("2024-01-15 415-555-2671", {P}),
    ("card 4111 1111 1111 1111", {C}),
    ("4111.1111.1111.1111", {C}),
    ("4111-1111-1111-1111", {C}),
    ("4111111111111111", {C}),
    ("amex 3782 822463 10005", {C}),
    ("paid 4111 1111 1111 1111 2024", {C}),  # a number after the card
    ("123-45-6789", {S}),
    ("523 45 6789", {S}),
    ("523456789", {S}),
    ("ssn: 523.45.6789", {S}),
    ("SSN #523-45-6789", {S}),  # "#" after a word for PII is not an identifier label
    ("Phone number #4155552671", {P}),
    ("In case 415-555-2671 is busy", {P}),
    ("from 8.8.8.8", {IP}),
    ("from 8.8.8.8.", {IP}),  # a full stop ends the sentence
    ("gw 008.008.008.008", {IP}),  # leading zeros read as decimal
    ("8.8.8.0/24", {IP}),
    ("ip=8.8.8.8:53", {IP}),
    ("2600:1700:abcd::42", {IP}),
    ("[2001:4860:4860::8888]:443", {IP}),
    ("2a0b:4d07::beef", {IP}),
    ("2a0b::beef", {IP}),  # no four digits together: the prefilter keeps it by its colons
    ("::ffff:8.8.8.8", {IP}),
    ("Jane <jane@farm.io>, 415-867-5309, 8.8.8.8", {E, P, IP}),
]
# Harmless values that look a little like the above: none may be reported.
FALSE_CASES: list[str] = [
    "ana@example.com",
    "ana@mail.example.org",
    "ana@shop.test",
    "ana@host.example",
    "root@localhost",
    "@gmail.com",
    "jane@gmail",
    "jane@gmail.c0m",
    "jane@-bad.com",
    "jane@" + "a" * 300 + ".com",
    "+999 1234 5678",  # no such country code
    "a" * 40 + "@",
    "(415) 555-0123",
    "+1 415 555 0199 ext 7",
    "1-800-555-0199",
    "tel 555-2671",  # 7 digits: a phone only in a phone column
    "4111111111111112",  # Luhn fails
    "000-12-3456",
    "666-12-3456",
    "923-45-6789",
    "123-00-4567",
    "192.0.2.10 and 10.1.2.3 and 127.0.0.1",
    "gw 010.001.002.003",  # 10.1.2.3: private
    "2001:db8::1 fe80::1 ::1",
    "12:30:45 and 2024-01-15T12:30:45Z",
    "00:1a:2b:3c:4d:5e",  # a MAC address
    "dead::beef",  # not global unicast
    "ORD-000001, LOT-00001, BATCH-000001, SKU-12-34",
    "2024-01-15 total 1234.56",
    "01/15/2024 $1,234,567.89",
    "ZIP 94607-1234",
    "timestamp 1700000000",
    "1234567890",
    "masked-3989d150-59f7-45af-9ee5-a7d2e578ff27",
    "seed-12345678-1234-4123-8123-123456789012",
    "",
    # a number labelled as an identifier, or glued to a code, is not PII
    "INV 123-45-6789",
    "INV#123456789",
    "Invoice No. 123-45-6789",
    "Version 4.17.21.3",
    "v4.17.21.3",
    "build 8.8.8.8",
    "1.2.3.4.5",
    "SKU 4000000000000002",
    "PO #4111111111111111",
    "Lot 415-555-2671-A",
    "415-555-2671-A",
    "ORD-4155552671",
    "Order No. 4155552671",
    "#4155552671",
    "ref: 4155552671",
]
