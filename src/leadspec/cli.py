"""The `leadspec` command: argument parsing and exit codes only.

Exit codes: 0 clean, 1 findings at error level, 2 usage, configuration or
internal error; 141 (128 + SIGPIPE, as for other Unix tools) when the reader of the
output went away early (`leadspec rule --all | head -1`), quietly. Each subcommand
lives in `leadspec.commands`.
"""

from __future__ import annotations

import argparse
import codecs
import os
import signal
import sys
from collections.abc import Sequence

from leadspec import __version__
from leadspec.collector import collect_rarely, leave_to_the_os
from leadspec.commands import EXIT_USAGE, UserError, modules
from leadspec.extras import missing_extra, require
from leadspec.outputs import OutputError

# What a shell reports for a program stopped by SIGPIPE; Windows has no SIGPIPE, the number is 13.
EXIT_READER_GONE = 128 + getattr(signal, "SIGPIPE", 13)


def main(argv: Sequence[str] | None = None) -> int:
    program = argv is None  # run as the program, not called with arguments: the command is the process
    if program:
        collect_rarely()  # as a check does; here the imports on the way to it too
    _utf8_streams()
    try:
        try:
            return _main(argv)
        finally:
            # Output still buffered is written now, so a closed pipe shows up here and not as
            # "Exception ignored" at interpreter exit (also after argparse's SystemExit).
            sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    finally:
        if program:
            leave_to_the_os()  # a tenth of a quick `leadspec check` went to walking it all at exit


def _utf8_streams() -> None:
    """Standard output and error carry UTF-8 whatever the locale: the one place this is decided.

    Under `LC_ALL=C` with `PYTHONUTF8=0` (minimal containers, some CI scripts) Python
    writes ASCII, and a `→` in a diff or a `×` in `targets` stopped the command. JSON
    and SARIF are UTF-8 by their specifications and the files leadspec writes are
    UTF-8 already, so printing follows: output is the same bytes in every locale.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding is None or reconfigure is None:  # replaced by a caller (tests, embedding)
            continue
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            name = ""
        if name != "utf-8":
            reconfigure(encoding="utf-8", errors=_AS_GIVEN)


def _as_given(error: UnicodeError) -> tuple[str | bytes, int]:
    """A name the locale could not decode (`d\\udcc3\\udca9fs` for `défs` under LC_ALL=C) goes out
    as the bytes it came in as, like `surrogateescape`; any other lone surrogate as `\\udXXX`,
    like `backslashreplace`, never an exception."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    piece = error.object[error.start : error.end]
    if all(0xDC80 <= ord(char) <= 0xDCFF for char in piece):
        return bytes(ord(char) - 0xDC00 for char in piece), error.end
    return "".join(f"\\u{ord(char):04x}" for char in piece), error.end


_AS_GIVEN = "leadspec-as-given"
codecs.register_error(_AS_GIVEN, _as_given)


def _reader_gone() -> int:
    """Stop quietly when the reader closed the pipe: `| head` wants no more, it is not an error.

    The recipe from Python's `signal` docs: stdout is pointed at the null device, so the
    interpreter's last flush at exit has nowhere to fail.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout with no file (tests, embedding)
        pass
    return EXIT_READER_GONE


def _main(argv: Sequence[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        require(*getattr(args, "needs", ()))  # an optional part the command needs, e.g. the site
        return int(args.run(args))
    except KeyboardInterrupt:
        print("leadspec: interrupted", file=sys.stderr)
        return EXIT_USAGE
    except (UserError, OutputError) as error:
        print(f"leadspec: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        raise  # the reader went away: not a bug, see main
    except ImportError as error:  # a package of an optional part, or a bug
        missing = missing_extra(error)
        if missing is None:
            return _internal_error(error)
        print(f"leadspec: {missing}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    """Say that leadspec itself failed; called while handling `error`, for the traceback."""
    print(
        f"leadspec: internal error: {type(error).__name__}: {error}\n"
        "This is a bug in leadspec, not in your definitions. Please report it; "
        "set LEADSPEC_DEBUG=1 to see the details.",
        file=sys.stderr,
    )
    if os.environ.get("LEADSPEC_DEBUG"):
        import traceback

        traceback.print_exc()
    return EXIT_USAGE


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; given the command being run, only that command's part of it.

    Building every subcommand's parser imports every command module, a fifth of a quick
    `leadspec check`. Usage lines and errors read the same either way; `leadspec --help`,
    a mistyped command or no command at all get the whole parser.
    """
    parser = argparse.ArgumentParser(
        prog="leadspec",
        description="Lead lifecycle definitions as code: check them, publish them, load them into your CRM.",
    )
    parser.add_argument("--version", action="version", version=f"leadspec {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module in modules(command):
        module.register(commands)
    return parser


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
