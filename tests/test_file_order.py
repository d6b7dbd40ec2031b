"""The pytest plugin tests/plugins/file_order.py: test files run longest first."""

import json

pytest_plugins = ["pytester"]


def test_longest_files_first(pytester):
    """--file-durations runs the longest files first and keeps the order inside a file;
    --store-file-durations records this run's seconds."""
    pytester.makepyfile(
        test_a="def test_1(): pass\ndef test_2(): pass\n",
        test_b="def test_3(): pass\ndef test_4(): pass\n",
        test_c="def test_5(): pass\n",
    )
    (pytester.path / "d.json").write_text('{"test_a.py": 0.5, "test_b.py": 5.0}')
    result = pytester.runpytest(
        "-p",
        "file_order",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "-p",
        "no:xdist",
        "-v",
        "--file-durations",
        "d.json",
        "--store-file-durations",
    )
    result.assert_outcomes(passed=5)
    order = [line.split("::")[1].split()[0] for line in result.outlines if " PASSED" in line]
    assert order == ["test_3", "test_4", "test_5", "test_1", "test_2"]  # c unknown: 1 s, after b
    stored = json.loads((pytester.path / "d.json").read_text())
    assert set(stored) == {"test_a.py", "test_b.py", "test_c.py"} and stored["test_b.py"] < 5
