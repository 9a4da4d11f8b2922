"""Read access: lazy, per thread, and moving to a new version of the file."""

import shutil
import threading

import duckdb

from queries.db import ReadOnlyDatabase, write_new_version


def test_nothing_is_opened_until_asked(tmp_path):
    db = ReadOnlyDatabase(tmp_path / "missing.duckdb")  # no error: nothing opened yet
    assert db.path.name == "missing.duckdb"


def test_each_thread_has_its_own_cursor_and_sees_new_versions(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copyfile(demo_db, path)
    db = ReadOnlyDatabase(path)
    cursors, counts = [], []

    def read():
        cursors.append(db.cursor())
        counts.append(db.query("SELECT count(*) AS n FROM reports")["n"][0])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in cursors}) == 4 and len(set(counts)) == 1
    before = counts[0]
    write_new_version(path, lambda con: con.execute("DELETE FROM reports WHERE county_code = '20'"))
    after = db.query("SELECT count(*) AS n FROM reports")["n"][0]
    with duckdb.connect(str(path), read_only=True) as con:
        assert after == con.execute("SELECT count(*) FROM reports").fetchone()[0] < before


def test_a_failed_write_leaves_the_file_untouched(demo_db, tmp_path):
    path = tmp_path / "db.duckdb"
    shutil.copyfile(demo_db, path)
    before = path.read_bytes()

    def work(con):
        con.execute("DELETE FROM reports")
        raise RuntimeError("half way")

    try:
        write_new_version(path, work)
    except RuntimeError:
        pass
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp"))
