"""The progress line: drawn on a terminal only, with count, rate and ETA."""

from __future__ import annotations

import io

from validators.progress import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    with ProgressBar(100, "measures", stream=stream, interval=0) as bar:
        bar(50)
        bar(50)
    assert stream.getvalue() == ""
    assert bar.done == 100


def test_draws_count_rate_and_eta_on_a_terminal() -> None:
    stream = _Terminal()
    with ProgressBar(1_000, "measures", stream=stream, interval=0) as bar:
        bar(250)
        assert "250/1,000" in bar.line() and "25%" in bar.line()
        assert "articles/s" in bar.line() and "ETA " in bar.line()
    assert stream.getvalue().startswith("\rmeasures 250/1,000")
    assert stream.getvalue().endswith("\n")


def test_empty_total_does_not_divide_by_zero() -> None:
    bar = ProgressBar(0, "measures", stream=io.StringIO())
    assert "0/0" in bar.line()
