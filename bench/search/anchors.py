#!/usr/bin/env python3
"""Runs the known-item query set through notmuch, mu and recoll on the bench Maildir.

Each tool gets its own config/database under WORK/anchors/<tool> (nothing in $HOME), indexes the
Maildir (timed), then answers every query exactly as typed (keyword and natural-language alike,
as a person would type them into that tool). notmuch and mu sort newest first (they have no
relevance order); recollq ranks by relevance. Times are wall-clock per process (start-up
included: that is how these tools are used); they print when done, so first result = complete.

Usage: anchors.py [--limit N] [--repeat N] [--suffix=S] [--require-index] [--recoll-mbox MBOX]
                  MAILDIR WORK queries.tsv OUT.tsv [notmuch mu recoll]
  --limit N        results asked of each tool (notmuch --limit, mu --maxnum, recollq -n; default
                   10), so an anchor row compares with the emailrag row of the same limit; the
                   rank still counts the first 10.
  --repeat N       runs per query (default 2), the last one timed: the first warms the page cache,
                   as emailrag's bench_search reports the second of two runs.
  --suffix=S       appended to the system name in OUT (e.g. --suffix=-58k-50); default none.
  --require-index  never index: a tool whose index is not complete (no WORK/anchors/<tool>/complete,
                   written by this script or bench/search/index_anchors.sh when indexing finished)
                   is skipped with a line saying so (for the 1M indexes that take hours).
  --recoll-mbox M  recoll indexes the mbox M instead of MAILDIR (recoll reads mboxes itself; used
                   at 1M): each result is message N of M (recoll's ipath), mapped to its Message-ID
                   through WORK/anchors/recoll/mbox.ids (line N; bench/corpus/split_mbox.py --ids,
                   written by index_anchors.sh), and recollq prints url and ipath (-F) instead of -b.
Writes: id, corpus, kind, system, rank (0 = not in top 10), first_ms, total_ms
"""
import argparse
import base64
import binascii
import email
import email.policy
import os
import re
import subprocess
import sys
import time


def run(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    return p.stdout.decode("utf-8", "replace").splitlines(), (time.perf_counter() - t) * 1000


_mid_cache = {}


def mid_of(path):
    if path not in _mid_cache:
        try:
            with open(path, "rb") as fh:
                msg = email.message_from_binary_file(fh, policy=email.policy.compat32)
            _mid_cache[path] = (msg.get("Message-ID") or "").strip().strip("<>")
        except OSError:
            _mid_cache[path] = ""
    return _mid_cache[path]


LIMIT = 10
# a copy made by bench/corpus/make_mbox.py ("<id.cN@host>") counts as the target, as in bench_search
COPY = re.compile(r"\.c\d+(?=@|$)")


def mark_complete(home, what, seconds):
    with open(os.path.join(home, "complete"), "w") as f:
        f.write(f"{what} {seconds:.1f} s\n")


def setup_notmuch(maildir, home):
    cfg = os.path.join(home, "config")
    env = dict(os.environ, NOTMUCH_CONFIG=cfg, HOME=home)
    if not os.path.exists(os.path.join(home, "db")):
        os.makedirs(os.path.join(home, "db"), exist_ok=True)
        with open(cfg, "w") as f:
            f.write(f"[database]\npath={home}/db\nmail_root={maildir}\n[new]\ntags=inbox\nignore=\n"
                    "[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n"
                    "[user]\nname=Bench\nprimary_email=bench@example.com\n")
        _, ms = run(["notmuch", "new", "--quiet"], env)
        print(f"notmuch new: {ms / 1000:.1f} s", flush=True)
        mark_complete(home, "notmuch new", ms / 1000)

    def search(q):
        lines, ms = run(["notmuch", "search", "--output=messages", "--sort=newest-first", f"--limit={LIMIT}", q], env)
        return [l[3:] if l.startswith("id:") else l for l in lines], ms
    return search


def setup_mu(maildir, home):
    env = dict(os.environ, HOME=home, XDG_CACHE_HOME=home)
    muhome = os.path.join(home, "mu")
    if not os.path.exists(muhome):
        run(["mu", "init", f"--muhome={muhome}", f"--maildir={maildir}"], env)
        _, ms = run(["mu", "index", f"--muhome={muhome}", "--quiet"], env)
        print(f"mu index: {ms / 1000:.1f} s", flush=True)
        mark_complete(home, "mu index", ms / 1000)

    def search(q):
        lines, ms = run(["mu", "find", f"--muhome={muhome}", "--fields=i", "--sortfield=date", "--reverse",
                         f"--maxnum={LIMIT}", q], env)
        return lines, ms
    return search


RECOLL_MBOX = None


def setup_recoll(maildir, home):
    conf = os.path.join(home, "recoll")
    env = dict(os.environ, HOME=home)
    if RECOLL_MBOX:
        return setup_recoll_mbox(conf, env, home)
    if not os.path.exists(os.path.join(conf, "xapiandb")):
        os.makedirs(conf, exist_ok=True)
        with open(os.path.join(conf, "recoll.conf"), "w") as f:
            f.write(f"topdirs = {maildir}\nskippedNames = tmp\nloglevel = 1\n")
        _, ms = run(["recollindex", "-c", conf, "-z"], env)
        print(f"recollindex: {ms / 1000:.1f} s", flush=True)
        mark_complete(home, "recollindex", ms / 1000)

    def search(q):
        lines, ms = run(["recollq", "-c", conf, "-n", str(LIMIT), "-b", q], env)
        mids = []
        for l in lines:
            if l.startswith("file://"):
                path = l[7:].split("|")[0]
                mids.append(mid_of(path))
        return mids, ms
    return search


def setup_recoll_mbox(conf, env, home):
    if not os.path.exists(os.path.join(conf, "xapiandb")):
        sys.exit(f"anchors.py: no recoll index of {RECOLL_MBOX} under {conf}: bench/search/index_anchors.sh builds it")
    with open(os.path.join(home, "mbox.ids"), "rb") as f:
        ids = f.read().decode("utf-8", "replace").split("\n")

    def search(q):
        lines, ms = run(["recollq", "-c", conf, "-n", str(LIMIT), "-F", "url ipath", q], env)
        mids = []
        for l in lines:
            parts = l.split(" ")
            if len(parts) < 2 or not parts[1]:
                continue
            try:
                n = int(base64.b64decode(parts[1]))
            except (ValueError, binascii.Error):
                continue  # the query and count lines before the results
            mids.append(ids[n - 1] if 0 < n <= len(ids) else "")
        return mids, ms
    return search


def main():
    global LIMIT, RECOLL_MBOX
    ap = argparse.ArgumentParser(description="notmuch, mu and recoll on the known-item queries")
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--suffix", default="")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--require-index", action="store_true")
    ap.add_argument("--recoll-mbox")
    ap.add_argument("maildir")
    ap.add_argument("work")
    ap.add_argument("queries")
    ap.add_argument("out")
    ap.add_argument("systems", nargs="*")
    a = ap.parse_args()
    LIMIT = a.limit
    RECOLL_MBOX = a.recoll_mbox
    maildir, work, queries, out = a.maildir, a.work, a.queries, a.out
    systems = a.systems or ["notmuch", "mu", "recoll"]
    maildir = os.path.abspath(maildir)
    rows = []
    with open(queries) as f:
        next(f)
        for line in f:
            rows.append(line.rstrip("\n").split("\t"))
    setups = {"notmuch": setup_notmuch, "mu": setup_mu, "recoll": setup_recoll}
    with open(out, "a") as o:
        for name in systems:
            home = os.path.join(work, "anchors", name)
            if a.require_index and not os.path.exists(os.path.join(home, "complete")):
                print(f"{name}{a.suffix}: SKIPPED, index under {home} not complete "
                      f"(see {work}/anchors/{name}.log)", flush=True)
                continue
            os.makedirs(home, exist_ok=True)
            search = setups[name](maildir, home)
            for qid, corpus, kind, q, mid in rows:
                for _ in range(max(1, a.repeat)):
                    ids, ms = search(q)
                rank = next((i + 1 for i, x in enumerate(ids[:10]) if COPY.sub("", x) == mid), 0)
                o.write(f"{qid}\t{corpus}\t{kind}\t{name}{a.suffix}\t{rank}\t{ms:.2f}\t{ms:.2f}\n")
            o.flush()
            print(f"{name}{a.suffix} (limit {LIMIT}): {len(rows)} queries done", flush=True)


if __name__ == "__main__":
    main()
