"""Target profiles: a feature key that was renamed is read under its new name, with a note."""

from __future__ import annotations

from pathlib import Path

from graphcal.profiles import RENAMED_FEATURES, load_profile, read_profile


def test_a_profile_naming_the_old_proposals_key_is_read_as_scheduling(tmp_path: Path):
    # not checked against the catalog: it holds before and after the catalog's own rename
    path = tmp_path / "mock.toml"
    path.write_text('unsupported_features = ["proposals"]\n', encoding="utf-8")
    profile = read_profile(path)
    assert sorted(profile.unsupported_features) == ["scheduling"]
    assert profile.to_json()["unsupported_features"] == ["scheduling"]
    [note] = profile.notes
    assert "'proposals'" in note and "'scheduling'" in note and str(path) in note
    assert "\n" not in note


def test_old_and_new_key_together_are_one_feature_and_one_note(tmp_path: Path):
    (tmp_path / "mock.toml").write_text(
        'unsupported_features = ["proposals", "scheduling", "proposals", "events"]\n', encoding="utf-8")
    profile = load_profile("mock", tmp_path)
    assert profile.unsupported_features == {"scheduling", "events"}
    assert len(profile.notes) == 1


def test_a_profile_without_renamed_keys_has_no_notes(tmp_path: Path):
    (tmp_path / "mock.toml").write_text('unsupported_features = ["events"]\n', encoding="utf-8")
    assert load_profile("mock", tmp_path).notes == ()
    assert set(RENAMED_FEATURES) & set(RENAMED_FEATURES.values()) == set()  # no chains
