"""A pytest plugin that tells the tests that wait from those that compute: `pytest -p tests.cpu_time ...`.

For each test (setup, call and teardown together) it records the wall time, this process's CPU time (every thread:
the live server's too) and the CPU time of the child processes it waited for, and at the end lists the tests whose
wall time is furthest above their CPU time. Works with pytest-xdist (the figures travel in the reports). Not loaded
by default; it measures, it changes nothing a test does.
"""

import resource
import time

import pytest

SHOWN = 30
_rows = {}


def _clock():
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time(), children.ru_utime + children.ru_stime


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    start = getattr(item, "_cpu_time_start", None)
    if start is not None:
        end = _clock()
        report.user_properties.append(("cpu_time", tuple(b - a for a, b in zip(start, end))))
    item._cpu_time_start = _clock()
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    item._cpu_time_start = _clock()
    return (yield)


def pytest_runtest_logreport(report):
    for name, value in report.user_properties:
        if name == "cpu_time":
            row = _rows.setdefault(report.nodeid, [0.0, 0.0, 0.0])
            for i, figure in enumerate(value):
                row[i] += figure


def pytest_terminal_summary(terminalreporter):
    if not _rows:
        return
    write = terminalreporter.write_line
    total = [sum(row[i] for row in _rows.values()) for i in range(3)]
    terminalreporter.section("wall time against CPU time")
    write(f"{len(_rows)} tests: wall {total[0]:.1f} s, CPU {total[1]:.1f} s, children's CPU {total[2]:.1f} s")
    # On a loaded machine a test that computes waits for a core too: read the share of CPU in wall time beside it.
    write("waiting (wall − CPU − children's CPU), wall, CPU, children's CPU, (CPU + children's) ÷ wall, test:")
    ranked = sorted(_rows.items(), key=lambda item: item[1][0] - item[1][1] - item[1][2], reverse=True)
    for nodeid, (wall, cpu, children) in ranked[:SHOWN]:
        share = (cpu + children) / wall if wall else 1
        write(f"{wall - cpu - children:8.1f} {wall:8.1f} {cpu:8.1f} {children:8.1f} {share:6.0%}  {nodeid}")
