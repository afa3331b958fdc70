#!/usr/bin/env python3
"""Generate a large, realistic mbox (default 1,000,000 distinct messages) for the speed benchmarks.

Purpose: the 1M-email data set used by bench/search, bench/chat and bench/import. It cycles through
the real messages of the project's corpora (Enron inbox subset, SpamAssassin public corpus,
R-devel archive; see /work/shared/corpora/README.md) and writes each pass as a new "copy":

  * copy 0 keeps every message as is (bytes unchanged apart from mboxrd quoting);
  * copy k > 0 rewrites every <msg-id> in Message-ID, In-Reply-To and References to
    <left.cK@right> (the same rule for all three, so threads stay threads inside each copy) and
    shifts Date back by k * 13 days (same time zone), so every message is distinct and the dates
    spread over a longer span;
  * a message without a Message-ID gets <make-mbox.cK.N@emailrag.invalid> (in copy k > 0 a
    malformed one, with spaces or no brackets, is replaced by that too);
  * a Message-ID repeated inside one pass (R-devel repeats 17,184 of them) is skipped, so every
    written message survives Message-ID deduplication and `--count N` gives N stored emails.

Sources are interleaved round-robin (one Enron, one SpamAssassin, one R-devel, ...), so a small
--count still gives a mix. Output is mboxrd: envelope line `From make-mbox@emailrag.invalid <date>`,
any line matching `^>*From ` inside a message gets one more `>`, and every message ends with an
empty line. Streaming: one message in memory at a time (plus one pass's set of seen Message-IDs,
bounded by the corpus size, not by --count). Python 3 standard library only; it calls `tar` and
`zstd` to unpack the archives into a temporary directory that is removed at the end.

Use:
    python3 bench/corpus/make_mbox.py                         # 1,000,000 -> /tmp/emailrag-1m/1m.mbox
    python3 bench/corpus/make_mbox.py --count 20000 --out /tmp/x.mbox
    emailrag import /tmp/emailrag-1m/1m.mbox --data /tmp/emailrag-1m/data   # build the 1M store

Takes a few minutes and about 3.5 GB of disk for 1M messages. Options: --count N, --out PATH,
--corpora DIR (default $EMAILRAG_CORPORA or /work/shared/corpora), --workdir DIR (unpack there).
Failure: exits non-zero with a message if an archive or tool is missing.
"""

import argparse
import datetime
import email.utils
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

DATE_SHIFT_DAYS = 13
MAILDIR_CORPORA = ["enron-inbox-subset.tar.zst", "spamassassin-public-corpus.tar.zst"]
MBOX_CORPORA = ["r-devel-1997-2026.mbox.zst"]

FROM_LINE = re.compile(rb"^(>*From )", re.M)
MSGID = re.compile(rb"<([^<>\s]+)>")
HEADER_NAME = re.compile(rb"^([!-9;-~]+)[ \t]*:")


def unpack(corpora, workdir):
    """Unpacks the Maildir archives into workdir; returns the directories to walk."""
    dirs = []
    for name in MAILDIR_CORPORA:
        archive = os.path.join(corpora, name)
        if not os.path.exists(archive):
            sys.exit(f"make_mbox: missing {archive}")
        subprocess.run(["tar", "--zstd", "-xf", archive, "-C", workdir], check=True)
        dirs.append(os.path.join(workdir, name[: -len(".tar.zst")]))
    return dirs


def maildir_messages(root):
    """Yields the raw bytes of every message under cur/ and new/ of root, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if os.path.basename(dirpath) not in ("cur", "new"):
            continue
        for f in sorted(filenames):
            with open(os.path.join(dirpath, f), "rb") as fh:
                data = fh.read()
            if data.startswith(b"From "):  # SpamAssassin keeps its envelope line
                nl = data.find(b"\n")
                data = data[nl + 1 :] if nl >= 0 else b""
            yield data


def mbox_messages(path):
    """Yields messages of a pipermail mbox: a boundary is a `From ` line followed by `From:`."""
    proc = subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE)
    lines = []
    pending = None  # a `From ` line waiting for its successor
    for line in proc.stdout:
        if pending is not None:
            if line.startswith(b"From:"):
                if lines:
                    yield b"".join(lines)
                lines = []
            else:
                lines.append(pending)
            pending = None
        if line.startswith(b"From "):
            pending = line
            continue
        lines.append(line)
    if pending is not None:
        lines.append(pending)
    if lines:
        yield b"".join(lines)
    proc.stdout.close()
    if proc.wait() != 0:
        sys.exit(f"make_mbox: zstd failed on {path}")


def round_robin(iterators):
    active = list(iterators)
    while active:
        for it in list(active):
            try:
                yield next(it)
            except StopIteration:
                active.remove(it)


def split_headers(data):
    """Returns (list of header fields as bytes incl. folded lines, separator+body)."""
    m = re.search(rb"\r?\n\r?\n", data)
    head, rest = (data[: m.start()], data[m.start():]) if m else (data, b"\n")
    fields = []
    for line in re.split(rb"(?<=\n)", head + b"\n"):
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += line
        else:
            fields.append(line)
    return fields, rest


def field_name(field):
    m = HEADER_NAME.match(field)
    return m.group(1).lower() if m else b""


def rewrite_ids(value, suffix):
    def repl(m):
        ident = m.group(1)
        at = ident.rfind(b"@")
        if at < 0:
            return b"<" + ident + suffix + b">"
        return b"<" + ident[:at] + suffix + ident[at:] + b">"

    return MSGID.sub(repl, value)


def shift_date(field, days):
    """Date field shifted back by days, keeping its zone; unchanged if unparseable."""
    colon = field.find(b":")
    raw = field[colon + 1 :].decode("latin-1").strip()
    parsed = email.utils.parsedate_tz(raw)
    if parsed is None:
        return field, None
    tz = parsed[9] or 0
    try:
        ts = email.utils.mktime_tz(parsed) - days * 86400
        zone = datetime.timezone(datetime.timedelta(seconds=tz))
        when = datetime.datetime.fromtimestamp(ts, zone)
    except (OverflowError, ValueError, OSError):
        return field, None
    return b"Date: " + email.utils.format_datetime(when).encode() + b"\n", when


def transform(data, copy, serial):
    """Returns (message bytes for copy `copy`, original Message-ID or None, datetime or None)."""
    fields, rest = split_headers(data)
    suffix = b".c%d" % copy
    original_id = None
    when = None
    out = []
    for f in fields:
        name = field_name(f)
        if name == b"message-id":
            m = MSGID.search(f)
            if original_id is None:  # the first one counts, as for the importer
                original_id = m.group(1) if m else f.split(b":", 1)[1].strip()
            if copy > 0:
                # a malformed id (spaces, no brackets: some spam) is replaced as a whole
                f = rewrite_ids(f, suffix) if m else (
                    b"Message-ID: <make-mbox.c%d.%d@emailrag.invalid>\n" % (copy, serial))
        elif name in (b"in-reply-to", b"references") and copy > 0:
            f = rewrite_ids(f, suffix)
        elif name == b"date":
            if copy > 0:
                f, when = shift_date(f, copy * DATE_SHIFT_DAYS)
            else:
                _, when = shift_date(f, 0)
        if not f.endswith(b"\n"):
            f += b"\n"
        out.append(f)
    if original_id is None:
        out.append(b"Message-ID: <make-mbox.c%d.%d@emailrag.invalid>\n" % (copy, serial))
    body = rest.lstrip(b"\r\n")
    msg = b"".join(out) + b"\n" + body
    return msg, original_id, when


def envelope(when):
    # A Date header with a two-digit year (about 0.3 % of the mix, "02" read as year 102) gave
    # envelope lines ending in a three-digit year, which recoll does not take as a message boundary
    # (it merged 62 of the first 20,000 messages into the one before); such dates get the epoch line.
    if when is None or when.year < 1970:
        return b"From make-mbox@emailrag.invalid Thu Jan  1 00:00:00 1970\n"
    utc = when.astimezone(datetime.timezone.utc)
    return b"From make-mbox@emailrag.invalid " + utc.strftime("%a %b %d %H:%M:%S %Y").encode() + b"\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=1_000_000, help="messages to write (default 1,000,000)")
    ap.add_argument("--out", default="/tmp/emailrag-1m/1m.mbox", help="output mbox path")
    ap.add_argument("--corpora", default=os.environ.get("EMAILRAG_CORPORA", "/work/shared/corpora"))
    ap.add_argument("--workdir", default=None, help="where to unpack (default: a temp dir, removed)")
    args = ap.parse_args()

    for tool in ("tar", "zstd"):
        if shutil.which(tool) is None:
            sys.exit(f"make_mbox: `{tool}` not found")
    for name in MBOX_CORPORA:
        if not os.path.exists(os.path.join(args.corpora, name)):
            sys.exit(f"make_mbox: missing {os.path.join(args.corpora, name)}")

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    workdir = args.workdir or tempfile.mkdtemp(prefix="emailrag-make-mbox-")
    own_workdir = args.workdir is None
    started = time.monotonic()
    written = 0
    copy = 0
    try:
        dirs = unpack(args.corpora, workdir)
        tmp_out = args.out + ".part"
        with open(tmp_out, "wb", buffering=4 << 20) as out:
            while written < args.count:
                seen = set()
                sources = [maildir_messages(d) for d in dirs]
                sources += [mbox_messages(os.path.join(args.corpora, n)) for n in MBOX_CORPORA]
                before = written
                for serial, data in enumerate(round_robin(sources)):
                    if written >= args.count:
                        break
                    msg, original_id, when = transform(data, copy, serial)
                    if original_id is not None:
                        if original_id in seen:
                            continue
                        seen.add(original_id)
                    out.write(envelope(when))
                    out.write(FROM_LINE.sub(rb">\1", msg))
                    if not msg.endswith(b"\n"):
                        out.write(b"\n")
                    out.write(b"\n")
                    written += 1
                    if written % 100_000 == 0:
                        print(f"make_mbox: {written} messages, {time.monotonic() - started:.0f} s",
                              file=sys.stderr, flush=True)
                for s in sources:
                    s.close()
                if written == before:
                    sys.exit("make_mbox: the corpora hold no messages")
                copy += 1
        os.replace(tmp_out, args.out)
    finally:
        if own_workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    size = os.path.getsize(args.out)
    print(f"make_mbox: wrote {written} messages ({copy} passes, {size / 1e9:.2f} GB) to {args.out} "
          f"in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
