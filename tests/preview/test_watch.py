"""The preview's watcher on a real file system: what counts as a change, and a burst as one."""

from __future__ import annotations

import asyncio
import os
import time

from caseletter.preview.watch import watch_inputs


def watch_while(inputs, act, settle: float = 1.0) -> list[float]:
    """Run the watcher, do `act()` once it is listening, and return the save times it reported."""
    reported: list[float] = []

    async def main() -> None:
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_inputs(lambda: inputs, reported.append, stop))
        await asyncio.sleep(0.5)  # the watch is set up
        await asyncio.to_thread(act)
        await asyncio.sleep(settle)
        stop.set()
        await asyncio.wait_for(watcher, timeout=5)

    asyncio.run(main())
    return reported


def test_a_burst_of_saves_is_one_change(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("title: a\n")

    def burst() -> None:
        for n in range(6):
            case.write_text(f"title: {n}\n")
            time.sleep(0.005)

    assert len(watch_while([case], burst)) == 1


def test_save_by_rename_is_seen_and_other_files_are_not(tmp_path):
    case, other = tmp_path / "case.yaml", tmp_path / "notes.txt"
    case.write_text("title: a\n")

    def edit() -> None:
        other.write_text("not an input")
        swap = tmp_path / ".case.yaml.swp"
        swap.write_text("title: b\n")
        os.replace(swap, case)

    before = time.time()
    reported = watch_while([case], edit)
    assert len(reported) == 1 and reported[0] >= before - 1


def test_an_unrelated_file_alone_asks_for_nothing(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("title: a\n")
    assert watch_while([case], lambda: (tmp_path / "figure-draft.png").write_bytes(b"x")) == []


def test_inputs_in_several_folders_and_one_that_appears_later(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "journals" / "mine").mkdir(parents=True)
    case = tmp_path / "cases" / "case.yaml"
    style = tmp_path / "journals" / "mine" / "journal.yaml"
    bib = tmp_path / "cases" / "own.bib"  # named by the case, not there yet
    case.write_text("title: a\n")
    style.write_text("name: mine\n")

    def edit() -> None:
        style.write_text("name: mine, edited\n")
        time.sleep(0.6)
        bib.write_text("@article{a, title={A}}\n")

    assert len(watch_while([case, style, bib], edit, settle=1.2)) == 2
