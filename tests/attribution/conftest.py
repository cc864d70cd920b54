import pytest

from repository.attribution.dictfiles import load_dictionary_files
from repository.attribution.engine import Attributor

from .dictionaries import dictionary_files


@pytest.fixture(scope="module")
def attributor(tmp_path_factory) -> Attributor:
    """An Attributor over the small test dictionaries, loaded from their files."""
    org, people = dictionary_files(tmp_path_factory.mktemp("dict"))
    files = load_dictionary_files(org, people)
    assert files.conflicts == []
    return Attributor(files.dictionary)


@pytest.fixture(scope="session")
def reference_institutions():
    """The reference list of Chinese institutions in ../shared/bench/affiliation; skips when it is absent."""
    from tests.conftest import SHARED

    path = SHARED / "bench" / "affiliation" / "institutions.jsonl"
    if not path.is_file():
        pytest.skip("../shared/bench/affiliation is absent")
    return path
