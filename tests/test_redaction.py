"""One function hides every form of secret, and the command lines pass all their output
through it."""

import pytest
from sqlalchemy.engine import URL

from seed_data.redaction import known_secrets, redact
from tests.conftest import Cli, render, seed_data_command

SECRET = "s3cret-Pa55word"
KEY = "k" * 8 + "Zq9-masking-key-not-for-output-0123456789"


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://seed:{SECRET}@db.internal:5432/terp",
        f"postgres://seed:{SECRET}@db.internal/terp?sslmode=require",
        f"postgresql://seed@db.internal/terp?password={SECRET}&sslmode=require",
        f"postgresql://seed@db.internal/terp?sslpassword={SECRET}",
        f"host=db.internal user=seed password={SECRET} dbname=terp",
        f"host=db.internal password='{SECRET}' dbname=terp",
        f"postgresql://seed@/terp?host=%2Ftmp%3Fpassword%3D{SECRET}",
        f'connection failed: FATAL: password authentication failed ("{SECRET}")',
    ],
)
def test_every_form_of_password_is_hidden(text: str) -> None:
    env = {"DATABASE_URL": f"postgresql://seed:{SECRET}@db.internal/terp"}
    assert SECRET not in redact(text, env=env)
    assert "***" in redact(text, env=env)


def test_secret_variables_and_url_passwords_are_known() -> None:
    env = {
        "SEED_MASKING_KEY": KEY,
        "PGPASSWORD": "pg-" + SECRET,
        "TEST_DATABASE_URL": f"postgresql://u@h/db?password=q-{SECRET}",
        "DATABASE_URL": "postgresql://u:p%40ss%2Fword@h/db",
    }
    known = known_secrets(env)
    assert {KEY, "pg-" + SECRET, "q-" + SECRET, "p%40ss%2Fword", "p@ss/word"} <= set(known)
    text = f"key {KEY} and pg-{SECRET} and q-{SECRET} and p@ss/word"
    assert redact(text, env=env) == "key *** and *** and *** and ***"
    assert redact("nothing secret here", env=env) == "nothing secret here"


def test_a_password_in_the_query_string_never_reaches_the_output(database_url: URL) -> None:
    with_query = render(database_url.set(password=None).update_query_dict({"password": SECRET}))
    results = [
        Cli(None, {"DATABASE_URL": with_query})("current", "-v"),
        seed_data_command("stamp-environment", "staging", env={"DATABASE_URL": with_query}),
        seed_data_command("scan", "--database-url", with_query.replace("/seedtest", "/nodb")),
    ]
    for result in results:
        assert SECRET not in result.stdout + result.stderr, result.stdout + result.stderr
