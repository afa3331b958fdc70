#!/usr/bin/env python3
"""Copies a fixed random sample of 12,000 messages of the bench Maildir, plus every query
target, into a smaller Maildir (cur/new/tmp kept), so that notmuch, mu and recoll can index it
within one benchmark run. Usage: sample_corpus.py MAILDIR OUT QUERIES.tsv [MORE.tsv ...]
(every file's targets are kept: run.sh and run_speed.sh pass queries.tsv and
queries-paraphrase.tsv, whose targets were otherwise in the sample only by chance)."""
import email
import email.policy
import os
import random
import shutil
import sys

root, out, query_files = sys.argv[1], sys.argv[2], sys.argv[3:]
targets = set()
for queries in query_files:
    with open(queries) as f:
        targets |= set(line.rstrip("\n").split("\t")[4] for line in list(f)[1:])
files = []
for d, _, fs in os.walk(root):
    if os.path.basename(d) in ("cur", "new"):
        files += [os.path.join(d, f) for f in fs]
files.sort()
pick = set(random.Random(7).sample(files, 12000))
for p in files:
    if p in pick:
        continue
    with open(p, "rb") as fh:
        head = fh.read(8192).split(b"\n\n", 1)[0] + b"\n\n"
    m = email.message_from_bytes(head, policy=email.policy.compat32)
    if (m.get("Message-ID") or "").strip().strip("<>") in targets:
        pick.add(p)
shutil.rmtree(out, ignore_errors=True)
for p in sorted(pick):
    dst = os.path.join(out, os.path.relpath(p, root))
    base = os.path.dirname(os.path.dirname(dst))
    for s in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(base, s), exist_ok=True)
    shutil.copy2(p, dst)
print(f"{len(pick)} messages -> {out}")
