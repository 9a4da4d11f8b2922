"""Sessions and the files they rest on: a logout that ends the session in
every worker, a session key nobody else can have planted, logins whose timing
does not tell who exists, a throttle that stops guessing but never the right
person, forwarded addresses believed only from the proxy, refused {SHA}."""

from __future__ import annotations

import json
import logging
import os
import select
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import bcrypt
import pytest

from .support import new_client
from .test_coordinator import login, token
from .test_security import PASSWORD, forged_cookie

ROOT = Path(__file__).resolve().parents[1]


def app_client(monkeypatch, **env):
    """A new app serving the database DASHBOARD_DB names now, with ``env`` (and no other login setting)."""
    return new_client(monkeypatch, Path(os.environ["DASHBOARD_DB"]), **env)


@pytest.fixture()
def client(db_copy, monkeypatch):
    return app_client(monkeypatch, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD)


def session_cookie(client) -> str:
    return client.get_cookie("session").value


# ---- logout ends the session everywhere ---------------------------------------------------------


OTHER_WORKER = textwrap.dedent(
    """
    import json, sys
    from dashboard.web.app_factory import create_app
    client = create_app().server.test_client()
    for line in sys.stdin:  # a line of cookies at a time, for as long as the test asks
        answers = []
        for cookie in json.loads(line):
            client.set_cookie("session", cookie)
            answers.append(client.get("/coordinator").status_code)
        print(json.dumps(answers), flush=True)
    """
)


class OtherWorker:
    """Another process with the same settings, kept running like a second gunicorn worker (or a
    second host): it answers for the cookies it is given, before and after a logout elsewhere."""

    def __init__(self, db_copy, **env):
        environment = {
            **os.environ,
            "DASHBOARD_DB": str(db_copy),
            "DASHBOARD_COORDINATOR_PASSWORD": PASSWORD,
            "PYTHONPATH": str(ROOT),
            **env,
        }
        environment.pop("DASHBOARD_SECRET_KEY", None)
        self.process = subprocess.Popen(
            [sys.executable, "-c", OTHER_WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
            cwd=ROOT,
        )

    def ask(self, cookies: list[str]) -> list[int]:
        self.process.stdin.write(json.dumps(cookies) + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 120)
        line = self.process.stdout.readline() if ready else ""
        if not line:
            self.close()
            raise AssertionError(f"the other worker did not answer: {self.process.stderr.read()[-2000:]}")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process.stdout.close()
        self.process.stderr.close()


def test_a_cookie_saved_before_logout_opens_nothing_in_any_worker(client, db_copy):
    login(client)
    saved = session_cookie(client)
    assert client.get("/coordinator").status_code == 200
    second = app_client_like(client)
    login(second)
    kept = session_cookie(second)  # the same user's other session (another browser)
    other = OtherWorker(db_copy)  # running before the logout and after it, as a gunicorn worker does
    try:
        assert other.ask([saved, kept]) == [200, 200]  # both open the other worker too
        response = client.post("/logout", data={"csrf_token": token(client, "/coordinator")})
        assert response.status_code == 302
        client.set_cookie("session", saved)  # the copy an attacker kept
        assert client.get("/coordinator").status_code == 302
        assert other.ask([saved, kept]) == [302, 200]  # ended there too; the other session lives on
    finally:
        other.close()
    assert second.get("/coordinator").status_code == 200
    record = (db_copy.parent / ".tilannekuva-logouts").read_text()
    assert saved not in record and len(record.splitlines()) == 1  # a digest of the id, never the cookie
    assert oct(os.stat(db_copy.parent / ".tilannekuva-logouts").st_mode & 0o777) == "0o600"


def app_client_like(client):
    return client.application.test_client()


def test_logouts_in_a_shared_store_are_seen_by_every_host():
    from limits.storage import MemoryStorage

    from dashboard.web.revocations import StorageRevocations

    shared = MemoryStorage()
    host_a, host_b = StorageRevocations(shared), StorageRevocations(shared)
    host_a.check_writable()
    assert not host_b.is_revoked("istunto-1")
    host_a.revoke("istunto-1", time.time() + 60)
    assert host_b.is_revoked("istunto-1") and not host_b.is_revoked("istunto-2")
    host_a.revoke("istunto-3", time.time() - 1)  # already expired: nothing to keep
    assert not host_b.is_revoked("istunto-3")


def test_a_session_without_an_id_or_with_another_ones_stamp_is_refused(client, db_copy):
    login(client)
    key = (db_copy.parent / ".tilannekuva-session-key").read_text().strip()
    good = dict(
        client.application.session_interface.get_signing_serializer(client.application).loads(session_cookie(client))
    )
    for changed in ({"sid": None}, {"sid": "toinen"}, {"stamp": "0" * 64}):
        data = {k: v for k, v in {**good, **changed}.items() if v is not None}
        client.set_cookie("session", forged_cookie(key, data))
        assert client.get("/coordinator").status_code == 302, changed
    client.set_cookie("session", forged_cookie(key, good))
    assert client.get("/coordinator").status_code == 200


# ---- the session key: only one this service made ------------------------------------------------


def test_a_planted_key_file_stops_the_app_at_start_up_and_opens_nothing(db_copy, monkeypatch, tmp_path):
    from dashboard.web.routes import auth

    path = db_copy.parent / auth.KEY_FILE
    htpasswd = tmp_path / "htpasswd"
    entry = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=4)).decode()
    htpasswd.write_text(f"ville:{entry}\n")
    planted = "a" * 64
    path.write_text(planted + "\n")
    for owner, mode, why in (
        (65534, 0o600, "belongs to user id 65534"),
        (os.geteuid(), 0o644, "mode 644"),
        (os.geteuid(), 0o620, "mode 620"),
    ):
        os.chown(path, owner, -1)
        os.chmod(path, mode)
        with pytest.raises(auth.StartupError, match=why):
            app_client(monkeypatch, DASHBOARD_HTPASSWD=str(htpasswd))
    os.chown(path, os.geteuid(), -1)
    # A link to a file of ours that others can read is not a key file either.
    path.unlink()
    path.symlink_to(htpasswd)
    with pytest.raises(auth.StartupError, match="cannot be used"):
        app_client(monkeypatch, DASHBOARD_HTPASSWD=str(htpasswd))
    path.unlink()
    # Without a login configured the app starts (nothing it signs matters), and the planted key
    # signs nothing it accepts: a cookie made with it (and the readable htpasswd line) opens nothing.
    path.write_text(planted + "\n")
    os.chmod(path, 0o644)
    client = app_client(monkeypatch)
    assert client.get("/").status_code == 200
    monkeypatch.setenv("DASHBOARD_HTPASSWD", str(htpasswd))
    forged = {"user": "ville", "via": "htpasswd", "since": int(time.time()), "sid": "x"}
    client.set_cookie("session", forged_cookie(planted, {**forged, "stamp": "0" * 64}))
    assert client.get("/coordinator").status_code == 302


def test_the_key_file_the_app_makes_is_its_own_and_private(db_copy, monkeypatch):
    from dashboard.web.routes import auth

    app_client(monkeypatch, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD)  # made at start-up when a login is configured
    st = os.stat(db_copy.parent / auth.KEY_FILE)
    assert st.st_uid == os.geteuid() and st.st_mode & 0o777 == 0o600


def test_an_unusable_database_folder_stops_the_app_at_start_up_with_the_reason(tmp_path, monkeypatch):
    from dashboard.web.routes import auth

    not_a_folder = tmp_path / "tiedosto"
    not_a_folder.write_text("")
    monkeypatch.setenv("DASHBOARD_DB", str(not_a_folder / "dashboard.duckdb"))
    with pytest.raises(auth.StartupError, match="DASHBOARD_SECRET_KEY"):
        app_client(monkeypatch, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD)
    # With the key from the environment, logouts still need somewhere to be recorded.
    with pytest.raises(auth.StartupError, match="Logouts cannot be recorded"):
        app_client(monkeypatch, DASHBOARD_COORDINATOR_PASSWORD=PASSWORD, DASHBOARD_SECRET_KEY="k" * 40)
    # With no login configured there is nothing to sign: the leadership views still open.
    assert app_client(monkeypatch).get("/download/template.csv").status_code == 200


# ---- htpasswd: bcrypt only, and no way to tell who exists ---------------------------------------


@pytest.fixture()
def htpasswd(db_copy, tmp_path, monkeypatch):
    path = tmp_path / "htpasswd"
    hashed = bcrypt.hashpw(b"kissa123", bcrypt.gensalt(rounds=8)).decode().replace("$2b$", "$2y$")
    path.write_text(f"ville:{hashed}\nsha:{{SHA}}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n")
    os.chmod(path, 0o640)
    return path


def test_sha_entries_are_refused_and_named_at_start_up(htpasswd, monkeypatch, caplog):
    with caplog.at_level(logging.WARNING):
        client = app_client(monkeypatch, DASHBOARD_HTPASSWD=str(htpasswd))
    assert "htpasswd user 'sha' has a {SHA} entry, which is refused" in caplog.text
    assert f"htpasswd -B {htpasswd} sha" in caplog.text
    assert login(client, "password", user="sha").status_code == 401  # the right SHA-1 password
    assert login(client, "kissa123", user="ville").status_code == 302


def test_every_wrong_login_costs_the_same_one_bcrypt_check(htpasswd, monkeypatch):
    """Structurally: an unknown user, a refused entry and a known user with a
    wrong password each run exactly one bcrypt check, at the file's cost."""
    from dashboard.web.routes import auth

    client = app_client(monkeypatch, DASHBOARD_HTPASSWD=str(htpasswd))
    checks: list[bytes] = []
    original = bcrypt.checkpw
    monkeypatch.setattr(
        auth.bcrypt, "checkpw", lambda password, hashed: checks.append(hashed) or original(password, hashed)
    )
    for user in ("ville", "ei-ole-olemassa", "sha", ""):
        checks.clear()
        assert login(client, "väärä", user=user).status_code == 401
        assert len(checks) == 1 and checks[0][:7] in (b"$2b$08$", b"$2y$08$"), (user, checks)


def test_login_timing_does_not_tell_which_users_exist(htpasswd, monkeypatch):
    """The two paths' cost compared over many tries, interleaved (a generous
    ratio, not a time limit): before, an unknown user answered ~20x faster."""
    from dashboard.web.routes import auth

    monkeypatch.setenv("DASHBOARD_HTPASSWD", str(htpasswd))
    auth.check("lämmittely", "x")  # the dummy hash is made once, on first use
    known, unknown = [], []
    for _ in range(15):
        for user, times in (("ville", known), ("ei-ole-olemassa", unknown)):
            began = time.perf_counter()
            assert auth.check(user, "väärä") is None
            times.append(time.perf_counter() - began)
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (statistics.median(known), statistics.median(unknown))


# ---- the throttle -------------------------------------------------------------------------------


def post_login(client, user: str, password: str, address: str = "127.0.0.1", **headers):
    return client.post(
        "/login",
        data={"user": user, "password": password, "csrf_token": token(client)},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_failures_lock_only_their_own_user_name_and_address(htpasswd, monkeypatch):
    import bcrypt as _bcrypt

    second = _bcrypt.hashpw(b"koira456", _bcrypt.gensalt(rounds=4)).decode()
    htpasswd.write_text(htpasswd.read_text() + f"anna:{second}\n")
    client = app_client(monkeypatch, DASHBOARD_HTPASSWD=str(htpasswd))
    for attempt in range(10):
        assert post_login(client, "ville", f"arvaus-{attempt}", "10.0.0.9").status_code == 401
    refused = post_login(client, "ville", "kissa123", "10.0.0.9")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 900
    assert "tällä käyttäjätunnuksella tästä osoitteesta" in refused.get_data(as_text=True)
    # Someone else's failures: the same user from another address, another user from the same one.
    assert post_login(app_client_like(client), "ville", "kissa123", "10.0.0.10").status_code == 302
    assert post_login(app_client_like(client), "anna", "koira456", "10.0.0.9").status_code == 302


def test_a_browser_that_logged_in_before_is_never_locked_out_by_others(client):
    owner = app_client_like(client)
    assert post_login(owner, "anna", PASSWORD, "10.0.0.7").status_code == 302  # gets its device cookie
    owner.post("/logout", data={"csrf_token": token(owner, "/coordinator")})
    attacker = app_client_like(client)
    for attempt in range(12):  # the same office network: the same address
        assert post_login(attacker, "anna", f"arvaus-{attempt}", "10.0.0.7").status_code in (401, 429)
    assert post_login(attacker, "anna", PASSWORD, "10.0.0.7").status_code == 429  # a stranger there is held ...
    assert post_login(owner, "anna", PASSWORD, "10.0.0.7").status_code == 302  # ... the known browser is not
    # A device cookie counts its own failures: it is no way around the throttle.
    for attempt in range(10):
        assert post_login(owner, "anna", f"väärin-{attempt}", "10.0.0.7").status_code == 401
    assert post_login(owner, "anna", PASSWORD, "10.0.0.7").status_code == 429


def test_forwarded_addresses_are_believed_only_from_the_proxy(db_copy, monkeypatch):
    client = app_client(
        monkeypatch,
        DASHBOARD_COORDINATOR_PASSWORD=PASSWORD,
        DASHBOARD_TRUSTED_PROXIES="1",
        DASHBOARD_PROXY_ADDRESSES="127.0.0.1, 10.1.0.0/16",
    )
    # The port reached directly: a new X-Forwarded-For on every try does not make a new address.
    for attempt in range(10):
        response = post_login(
            client, "x", f"arvaus-{attempt}", "192.0.2.50", **{"X-Forwarded-For": f"198.51.100.{attempt}"}
        )
        assert response.status_code == 401
    assert post_login(client, "x", "arvaus", "192.0.2.50", **{"X-Forwarded-For": "198.51.100.99"}).status_code == 429
    # Through the proxy, each client behind it is its own address.
    for attempt in range(10):
        assert (
            post_login(client, "x", f"arvaus-{attempt}", "10.1.2.3", **{"X-Forwarded-For": "198.51.100.1"}).status_code
            == 401
        )
    assert post_login(client, "x", "arvaus", "10.1.2.3", **{"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    assert post_login(client, "x", PASSWORD, "10.1.2.3", **{"X-Forwarded-For": "198.51.100.2"}).status_code == 302


def test_a_bad_proxy_address_stops_the_app_at_start_up(db_copy, monkeypatch):
    from dashboard.web.routes import auth

    with pytest.raises(auth.StartupError, match="DASHBOARD_PROXY_ADDRESSES"):
        app_client(monkeypatch, DASHBOARD_TRUSTED_PROXIES="1", DASHBOARD_PROXY_ADDRESSES="proxy.example")
