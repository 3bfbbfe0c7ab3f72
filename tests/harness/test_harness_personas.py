"""Personas: the cast of a target, persona config files, token endpoints; and the catalog
listing and SCHEMA-1, which every scenario leans on."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from graphcal.cli import main
from graphcal.errors import ConfigError, TargetError
from graphcal.invariants.registry import CATALOG, load_catalog
from graphcal.personas import Cast, User, fetch_token, load_persona_config, write_persona_config
from graphcal.targets import Target, parse_target

USERS = {k: User(k, f"{k}@contoso.com", k.title()) for k in ("alex", "adele", "christie", "megan")}


def test_default_roles_follow_the_walkthroughs_and_names_are_roles_too():
    cast = Cast.of(USERS)
    assert [cast.user_key(r) for r in ("organizer", "owner", "delegate", "attendee", "attendee2", "attendee3")] == \
        ["alex", "alex", "adele", "adele", "christie", "megan"]
    assert cast.user("christie").user_principal_name == "christie@contoso.com"
    assert Cast.from_json(json.loads(json.dumps(cast.to_json()))) == cast


def test_roles_can_be_remapped_but_not_to_strangers():
    assert Cast.of(USERS, {"delegate": "christie"}).user_key("delegate") == "christie"
    with pytest.raises(ConfigError, match="role 'delegate' names user 'dana'"):
        Cast.of(USERS, {"delegate": "dana"})


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "personas.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_persona_config_literal_env_and_endpoint_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ADELE_TOKEN", "tok-from-env")
    monkeypatch.setenv("MEGAN_PW", "megan-secret")
    config = load_persona_config(write(tmp_path, '''
profile = "mock"
[users.alex]
userPrincipalName = "AlexW@contoso.com"
displayName = "Alex Wilber"
token = "tok-literal"
[users.adele]
userPrincipalName = "AdeleV@contoso.com"
token = "env:ADELE_TOKEN"
[users.megan]
userPrincipalName = "MeganB@contoso.com"
[users.megan.token]
endpoint = "http://127.0.0.1:1/t/oauth2/v2.0/token"
username = "MeganB@contoso.com"
password = "env:MEGAN_PW"
[roles]
attendee = "megan"
'''))
    assert config.profile == "mock"
    assert config.tokens["alex"].token() == "tok-literal"
    assert config.tokens["adele"].token() == "tok-from-env"
    megan = config.tokens["megan"]
    assert megan.secrets() == {"megan-secret"} and dict(megan.form)["grant_type"] == "password"
    seen = {}

    def token_endpoint(req: httpx.Request) -> httpx.Response:
        seen["form"] = req.content.decode()
        return httpx.Response(200, json={"access_token": "tok-from-endpoint", "token_type": "Bearer"})

    assert megan.token(transport=httpx.MockTransport(token_endpoint)) == "tok-from-endpoint"
    assert "password=megan-secret" in seen["form"] and "grant_type=password" in seen["form"]
    assert config.cast.user_key("attendee") == "megan" and config.cast.user_key("organizer") == "alex"


@pytest.mark.parametrize("text, message", [
    ("[users.alex]\nuserPrincipalName = 'a@b'\ntoken = 'env:NOT_SET_ANYWHERE_42'\n",
     "reads the environment variable NOT_SET_ANYWHERE_42, which is not set"),
    ("title = 'x'\n", "has no [users.<name>] tables"),
    ("[users.alex]\ntoken = 'x'\n", "users.alex needs userPrincipalName"),
    ("[users.alex]\nuserPrincipalName = 'a@b'\n", "no user has a token, so nobody can sign in"),
    ("[users.alex]\nuserPrincipalName = 'a@b'\ntoken = 5\n", "users.alex.token must be a string"),
    ("[users.alex]\nuserPrincipalName = 'a@b'\n[users.alex.token]\nusername = 'a'\n", "has no 'endpoint'"),
    ("[users.alex\n", "is not valid TOML"),
])
def test_persona_config_mistakes_are_one_clear_error(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace(".", r"\.")):
        load_persona_config(write(tmp_path, text))


def test_persona_config_profile_is_a_name_or_a_file_beside_the_config(tmp_path: Path):
    users = "[users.alex]\nuserPrincipalName = 'a@b'\ntoken = 't'\n"
    assert (load_persona_config(write(tmp_path, "profile = 'mymock'\n" + users)).profile_file) is None
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "mock.toml").write_text("description = 'our mock'\n", encoding="utf-8")
    config = load_persona_config(write(tmp_path, "profile = 'ci/mock.toml'\n" + users))
    assert (config.profile, config.profile_file) == ("mock", (tmp_path / "ci" / "mock.toml").resolve())
    with pytest.raises(ConfigError, match=r"names the profile file 'ci/nope.toml', but .*ci/nope.toml does not "
                                          r"exist; the path is relative to the persona config's folder"):
        load_persona_config(write(tmp_path, "profile = 'ci/nope.toml'\n" + users))


def test_missing_persona_config_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist; pass --persona-config"):
        load_persona_config(tmp_path / "nope.toml")


def test_write_persona_config_reads_back_as_written(tmp_path: Path):
    people = [
        {"id": "u1", "userPrincipalName": "AlexW@contoso.com", "displayName": "Alex Wilber",
         "mail": "AlexW@contoso.com", "password": 'pw "quoted"'},
        {"id": "u2", "userPrincipalName": "AdeleV@contoso.com", "displayName": "Adele Vance",
         "mail": None, "password": "pw2"},
        {"id": "r1", "userPrincipalName": "Adams@contoso.com", "displayName": "Conf Room Adams",
         "mail": "Adams@contoso.com", "password": None, "role_hint": "room"},
    ]
    path = write_persona_config(tmp_path / "p.toml", people, "http://127.0.0.1:1/t/oauth2/v2.0/token",
                                tokens={"adele": "tok-adele"}, profile="mymock")
    config = load_persona_config(path)
    assert config.profile == "mymock"
    assert config.cast.user("organizer") == User("alex", "AlexW@contoso.com", "Alex Wilber", "u1", "AlexW@contoso.com")
    assert config.cast.user("attendee").mail is None
    alex = dict(config.tokens["alex"].form)
    assert config.tokens["alex"].endpoint == "http://127.0.0.1:1/t/oauth2/v2.0/token"
    assert (alex["grant_type"], alex["username"], alex["password"]) == ("password", "AlexW@contoso.com", 'pw "quoted"')
    assert config.tokens["adele"].token() == "tok-adele"
    assert config.cast.user("room").address == "Adams@contoso.com" and "conf" not in config.tokens


def test_a_user_without_a_token_is_an_address_that_cannot_act(tmp_path: Path):
    config = load_persona_config(write(tmp_path, '''
[users.alex]
userPrincipalName = "AlexW@contoso.com"
token = "tok-alex"
[users.adams]
userPrincipalName = "Adams@contoso.com"
displayName = "Conf Room Adams"
[roles]
room = "adams"
'''))
    assert set(config.tokens) == {"alex"}
    assert config.cast.user("room").email_address() == {"name": "Conf Room Adams", "address": "Adams@contoso.com"}
    target = Target(parse_target("url:http://127.0.0.1:1/v1.0"), "http://127.0.0.1:1/v1.0", config.cast,
                    {"alex": "tok-alex"})
    assert target.client("organizer").persona == "organizer"
    with pytest.raises(ConfigError, match=r"role 'room' is Conf Room Adams <Adams@contoso.com>, an address only: "
                                          r"users.adams in the persona config has no token; give it one "
                                          r"\(token = ...\), or map 'room' to a user who signs in"):
        target.client("room")


def test_token_endpoint_without_a_token_says_what_it_answered():
    transport = httpx.MockTransport(lambda req: httpx.Response(400, json={"error": "invalid_grant"}))
    with pytest.raises(TargetError, match="answered 400 without an access_token.*invalid_grant"):
        fetch_token("http://127.0.0.1:1/token", {"grant_type": "password"}, transport=transport)


def test_target_specs():
    assert parse_target(None).kind == "replay"
    assert parse_target("url:http://127.0.0.1:8080/v1.0/").base_url == "http://127.0.0.1:8080/v1.0"
    with pytest.raises(TargetError, match="needs an http\\(s\\) base URL"):
        parse_target("url:ftp://x")


def test_schema_1_on_a_valid_a_mutated_and_a_missing_payload():
    load_catalog()
    check = CATALOG["SCHEMA-1"]
    event = {"id": "AAMk", "subject": "Lunch", "isAllDay": False,
             "start": {"dateTime": "2026-12-01T10:00:00.0000000", "timeZone": "UTC"}}
    assert check(event, "event").passed
    broken = check(dict(event, isAllDay="no"), "event")
    assert not broken.passed and "isAllDay" in broken.message and "event schema" in broken.message
    assert "no JSON body" in check(None, "event").message


def test_invariants_command_lists_the_catalog(capsys: pytest.CaptureFixture[str]):
    assert main(["invariants", "--feature", "schema"]) == 0
    out = capsys.readouterr().out
    assert "SCHEMA-1" in out and "MUST" in out and out.rstrip().endswith("1 invariants (1 MUST) in feature(s) schema")
    assert main(["invariants", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"SCHEMA-1", "EVT-TZ-1"} <= {r["id"] for r in rows}
    assert main(["invariants", "--feature", "nonsense"]) == 2
    assert "no invariants have feature 'nonsense'; features:" in capsys.readouterr().err
    assert main(["invariants", "--feature", "proposals"]) == 2  # the key before the rename
    assert "it is now called 'scheduling'" in capsys.readouterr().err
