#!/usr/bin/env python3
"""Split the mboxrd file bench/corpus/make_mbox.py writes into a Maildir, one file per message.

Purpose: notmuch and mu index only Maildirs, so the search speed benchmark's anchors at 1,000,000
emails (bench/search/index_anchors.sh) need the 1M mbox as files. Each file holds exactly the
message emailrag imported from the mbox: make_mbox.py writes an envelope line
`From make-mbox@emailrag.invalid <date>`, the message with one more `>` before any line matching
`^>*From `, and one empty line after it; this tool drops the envelope and the trailing empty line
and removes that one `>` (emailrag's importer undoes the same quoting before parsing). Because every
`From ` line inside a message is quoted, every line starting `From ` is a boundary.

Use:
    python3 bench/corpus/split_mbox.py /tmp/emailrag-1m/1m.mbox /tmp/emailrag-1m/maildir
    python3 bench/corpus/split_mbox.py --count 2000 MBOX OUT      # the first 2,000 only (samples)
    python3 bench/corpus/split_mbox.py --ids MBOX.ids --no-files MBOX -   # Message-IDs only

--ids FILE writes the Message-ID of message N (first Message-ID field, angle brackets removed, empty
when none) on line N: bench/search/anchors.py maps recoll's mbox results (ipath = N) through it.
--recoll-boundaries (with --ids): count messages as recoll does. recoll takes a `From ` line as a
boundary only when it looks like a real envelope line (`From <who> Www Mmm dd hh:mm[:ss] [tz] yyyy`,
the year starting 1 or 2) after an empty line; any other `From ` line stays inside the message
before it, so recoll's ipath N is then the N-th such group, whose Message-ID is its first message's.
(Until make_mbox.py's fix of 2026-12-06, 0.3 % of its envelope lines carried a three-digit year and
were not boundaries to recoll: without this option every id after the first one was shifted.)

Writes OUT/{cur,new,tmp}; messages go to OUT/cur/<number>.split:2,S (the number is the message's
position in the mbox, from 1). Prints progress every 100,000 messages to stderr and the count at
the end; exits 1 if OUT/cur already holds files (no silent mixing) or the mbox does not start
with an envelope line. Streaming (16 MB reads), Python 3 standard library only.
"""
import argparse
import os
import re
import sys
import time

QUOTED_FROM = re.compile(rb"^>(>*From )", re.M)
RECOLL_FROM = re.compile(rb"From \S+ +[A-Za-z]{3} +[A-Za-z]{3} +[0-3 ]?[0-9] +[0-2][0-9]:[0-5][0-9](:[0-5][0-9])? +"
                         rb"([^ \n]+ +)?[12][0-9]{3}")
MESSAGE_ID = re.compile(rb"^message-id:[ \t]*((?:[^\n]*)(?:\n[ \t][^\n]*)*)", re.M | re.I)
CHUNK = 16 << 20


def messages(path):
    """Yields each message's bytes as stored in the mbox (envelope line included)."""
    with open(path, "rb") as f:
        buf = f.read(CHUNK)
        if not buf.startswith(b"From "):
            sys.exit(f"split_mbox: {path} does not start with an mbox envelope line")
        start = 0
        while True:
            hit = buf.find(b"\nFrom ", start + 1)
            if hit >= 0:
                yield buf[start:hit + 1]
                start = hit + 1
                continue
            more = f.read(CHUNK)
            if not more:
                if start < len(buf):
                    yield buf[start:]
                return
            buf = buf[start:] + more
            start = 0


def unwrap(stored):
    """The message emailrag parsed: no envelope, no separating empty line, one level of quoting undone."""
    nl = stored.find(b"\n")
    msg = stored[nl + 1:]
    if msg.endswith(b"\n\n"):
        msg = msg[:-1]
    if b"\n>" in msg or msg.startswith(b">"):
        msg = QUOTED_FROM.sub(rb"\1", msg)
    return msg


def message_id(msg):
    """The first Message-ID of the header block, as anchors.py reads it from a file."""
    m = re.search(rb"\r?\n\r?\n", msg)
    head = msg[: m.start()] if m else msg
    f = MESSAGE_ID.search(head)
    if not f:
        return b""
    return b" ".join(f.group(1).split()).strip(b"<>")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mbox")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=0, help="stop after N messages (default: all)")
    ap.add_argument("--ids", help="also write each message's Message-ID, one line per message")
    ap.add_argument("--no-files", action="store_true", help="write no Maildir (with --ids)")
    ap.add_argument("--recoll-boundaries", action="store_true",
                    help="with --ids --no-files: number messages as recoll splits the mbox")
    args = ap.parse_args()
    cur = os.path.join(args.out, "cur")
    if not args.no_files:
        for d in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(args.out, d), exist_ok=True)
        with os.scandir(cur) as it:
            if any(True for _ in it):
                sys.exit(f"split_mbox: {cur} is not empty")
    if args.recoll_boundaries and not (args.ids and args.no_files):
        sys.exit("split_mbox: --recoll-boundaries needs --ids and --no-files")
    ids = open(args.ids + ".part", "wb") if args.ids else None
    started = time.monotonic()
    n = 0
    merged = 0
    for stored in messages(args.mbox):
        # The previous message always ends with its empty line here (make_mbox.py writes one).
        if args.recoll_boundaries and n > 0 and not RECOLL_FROM.match(stored):
            merged += 1
            continue
        n += 1
        msg = unwrap(stored)
        if ids:
            ids.write(message_id(msg) + b"\n")
        if not args.no_files:
            fd = os.open(os.path.join(cur, f"{n:07d}.split:2,S"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                view = memoryview(msg)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        if n % 100_000 == 0:
            print(f"split_mbox: {n} messages, {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
        if args.count and n >= args.count:
            break
    if ids:
        ids.close()
        os.replace(args.ids + ".part", args.ids)
    where = "(no files)" if args.no_files else f"to {cur}"
    if args.recoll_boundaries:
        where += f", {merged} `From ` lines that recoll does not split at"
    print(f"split_mbox: {n} messages {where} in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
