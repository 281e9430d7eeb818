"""daphne under measurement, for bench/chat_load.py --profile: what the server does per message, counted.

    python bench/chat_server_profile.py OUT.json -- -b 127.0.0.1 -p 8001 rakuten_portal.asgi:application

Runs daphne in this process with cProfile enabled (on Python 3.12 cProfile sees every thread, the
thread pool of database_sync_to_async included: call counts are exact, times across threads are
mixed up, so read `ncalls`, not `cumtime`), and every SQL statement counted by its text (a Django
execute wrapper on every connection). On exit (SIGTERM stops daphne's reactor) it writes OUT.json
(the statements and the CPU time of the process) and OUT.prof (the cProfile stats, for pstats).
"""
import cProfile
import collections
import json
import re
import resource
import sys
import threading

OUT = sys.argv[1]
DAPHNE_ARGS = sys.argv[sys.argv.index("--") + 1:]

statements: collections.Counter = collections.Counter()
_lock = threading.Lock()
_NUMBERS = re.compile(r"\b\d+\b")


def _caller() -> str:
    """The innermost frame of the project's own code (helpdesk/, rakuten_portal/, channels' auth)."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if ("/site-packages/" not in name or "/channels/auth" in name or "/channels/sessions" in name) \
                and "chat_server_profile" not in name:
            return f"{name.rsplit('/', 2)[-2]}/{name.rsplit('/', 1)[-1]}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return "?"


def _count(execute, sql, params, many, context):
    key = _caller() + " | " + _NUMBERS.sub("N", " ".join(str(sql).split()))[:160]
    with _lock:
        statements[key] += 1
    return execute(sql, params, many, context)


def _on_connection(sender, connection, **kwargs):
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def _dump(profile: cProfile.Profile):
    profile.disable()
    profile.dump_stats(OUT.removesuffix(".json") + ".prof")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(OUT, "w") as out:
        json.dump({"cpu_seconds": usage.ru_utime + usage.ru_stime, "max_rss_kib": usage.ru_maxrss,
                   "statements": statements.most_common()}, out, indent=1)


def main():
    from django.db.backends.signals import connection_created

    connection_created.connect(_on_connection)
    from daphne.cli import CommandLineInterface

    profile = cProfile.Profile()
    profile.enable()
    try:
        CommandLineInterface().run(DAPHNE_ARGS)
    finally:
        _dump(profile)


if __name__ == "__main__":
    main()
