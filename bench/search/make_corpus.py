#!/usr/bin/env python3
"""Builds the search benchmark corpus and its known-item query set.

Corpus: one Maildir tree (so that emailrag, notmuch, mu and recoll all index the very same
files) made from ../shared/corpora: the Enron inbox subset (all 43,603 messages), SpamAssassin ham
(easy_ham, easy_ham_2, hard_ham: 4,150) and R-devel from 2015 on (mbox split into Maildir files,
duplicate Message-IDs dropped).

Queries: for sampled target emails with a distinctive subject, a person who remembers the email
would type (a) a short keyword query: the two rarest subject words plus either the rarest body
word that occurs elsewhere too or the sender's surname, and (b) a plain-language request built
from a handful of templates around the sender's first name, topic words and sometimes the month.
Targets are chosen with a fixed seed; the query file is written as TSV:
id, corpus, kind (keyword|natural), query, message_id.

Usage: make_corpus.py CORPORA_DIR WORK_DIR [--queries OUT.tsv]
"""
import email
import email.policy
import email.utils
import mailbox
import math
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter

STOP = set("""a an the and or of to in on at by for with about from into is are was were be been
this that these those it its as if but not no so do does did have has had i you he she we they me
my your our their his her them us will would can could should may might must shall re fw fwd
fyi please thanks thank hi hello dear all any some more most other such only own same than too
very just also there here what which who whom when where why how up out over under again further
then once new get got one two use using used list lists mailing message email mail subject
question problem issue help r-devel devel package packages""".split())

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def words(text):
    return [w.lower() for w in WORD.findall(text or "")]


def content_words(text):
    return [w for w in words(text) if w not in STOP and not w.isdigit()]


def body_of(msg):
    try:
        if msg.is_multipart():
            for part in msg.walk():
                if part.get_content_type() == "text/plain":
                    payload = part.get_payload(decode=True)
                    if payload:
                        return payload.decode(part.get_content_charset() or "latin-1", "replace")
            return ""
        payload = msg.get_payload(decode=True)
        return payload.decode(msg.get_content_charset() or "latin-1", "replace") if payload else ""
    except Exception:
        return ""


def new_text(body):
    """The part of the body a person wrote (drop quoted lines and forwarded history)."""
    out = []
    for line in body.splitlines():
        if line.startswith(">"):
            continue
        if re.match(r"\s*-+\s*(Original Message|Forwarded by)", line):
            break
        out.append(line)
    return "\n".join(out)


def sender_names(msg):
    xfrom = msg.get("X-From") or ""
    raw = msg.get("From") or ""
    name, addr = email.utils.parseaddr(raw)
    if not name:
        m = re.search(r"\(([^)]+)\)", raw)  # pipermail: "user at host (Full Name)"
        if m:
            name = m.group(1)
    if xfrom and not name:
        name = re.sub(r"<.*?>", "", xfrom).strip().strip('"')
    if "," in name:  # "Dasovich, Jeff"
        last, first = [p.strip() for p in name.split(",", 1)]
        name = first + " " + last
    parts = [p for p in re.split(r"\s+", name) if re.fullmatch(r"[A-Z][a-z]+", p)]
    if len(parts) >= 2:
        return parts[0], parts[-1]
    if len(parts) == 1:
        return parts[0], None
    return None, None


def decode_header(value):
    try:
        return str(email.header.make_header(email.header.decode_header(value or "")))
    except Exception:
        return value or ""


def collect(root, corpus):
    """Yields (path, corpus, message) for every Maildir file below root."""
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) not in ("cur", "new"):
            continue
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            with open(path, "rb") as fh:
                msg = email.message_from_binary_file(fh, policy=email.policy.compat32)
            yield path, corpus, msg


def main():
    corpora, work = sys.argv[1], sys.argv[2]
    queries_out = sys.argv[sys.argv.index("--queries") + 1] if "--queries" in sys.argv else None
    src = os.path.join(work, "src")
    maildir = os.path.join(work, "maildir")
    os.makedirs(src, exist_ok=True)
    if not os.path.isdir(os.path.join(src, "enron-inbox-subset")):
        subprocess.check_call(["tar", "--zstd", "-xf", os.path.join(corpora, "enron-inbox-subset.tar.zst")], cwd=src)
    if not os.path.isdir(os.path.join(src, "spamassassin-public-corpus")):
        subprocess.check_call(["tar", "--zstd", "-xf", os.path.join(corpora, "spamassassin-public-corpus.tar.zst")], cwd=src)
    rdevel = os.path.join(src, "r-devel.mbox")
    if not os.path.exists(rdevel):
        with open(rdevel, "wb") as out:
            subprocess.check_call(["zstd", "-qdc", os.path.join(corpora, "r-devel-1997-2026.mbox.zst")], stdout=out)

    if not os.path.isdir(maildir):
        tmp = maildir + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(os.path.join(src, "enron-inbox-subset"), os.path.join(tmp, "enron"))
        for folder in ("easy_ham", "easy_ham_2", "hard_ham"):
            shutil.copytree(os.path.join(src, "spamassassin-public-corpus", folder),
                            os.path.join(tmp, "spamassassin", folder))
        rd = mailbox.Maildir(os.path.join(tmp, "rdevel"), create=True)
        seen = set()
        for msg in mailbox.mbox(rdevel):
            date = email.utils.parsedate_tz(msg.get("Date") or "")
            if not date or date[0] < 2015:
                continue
            mid = (msg.get("Message-ID") or "").strip()
            if not mid or mid in seen:
                continue
            seen.add(mid)
            # Maildir.add names a file by time, pid and a counter: the names, and so the sorted
            # order sample_corpus.py draws its seeded sample from, changed with every unpack (the
            # 12k sample of 2026-12-06 differed from session 4's: MRR@10 0.941 vs 0.951, with the
            # same queries). A sequence number keeps the Maildir the same on every machine.
            key = rd.add(msg)
            os.rename(os.path.join(tmp, "rdevel", "new", key),
                      os.path.join(tmp, "rdevel", "new", "%06d.rdevel" % len(seen)))
        os.rename(tmp, maildir)

    if not queries_out:
        return

    docs = []
    for sub, corpus in (("enron", "enron"), ("spamassassin", "spamassassin"), ("rdevel", "rdevel")):
        for path, corpus, msg in collect(os.path.join(maildir, sub), corpus):
            mid = (msg.get("Message-ID") or "").strip().strip("<>")
            subject = decode_header(msg.get("Subject"))
            body = new_text(body_of(msg))
            docs.append((corpus, mid, subject, body, msg))
    df = Counter()
    subject_count = Counter()
    for corpus, mid, subject, body, msg in docs:
        df.update(set(content_words(subject + " " + body)))
        subject_count[re.sub(r"^((re|fw|fwd|aw)\s*:\s*)+", "", subject.strip().lower())] += 1
    mid_count = Counter(d[1] for d in docs)

    rng = random.Random(20261126)
    quota = {"enron": 60, "spamassassin": 50, "rdevel": 50}
    order = list(range(len(docs)))
    rng.shuffle(order)
    rows = []
    taken = Counter()
    n = len(docs)
    for i in order:
        corpus, mid, subject, body, msg = docs[i]
        if taken[corpus] >= quota[corpus] or not mid or mid_count[mid] != 1:
            continue
        norm = re.sub(r"^((re|fw|fwd|aw)\s*:\s*)+", "", subject.strip().lower())
        first, last = sender_names(msg)
        names = {(first or "").lower(), (last or "").lower()}
        sw = [w for w in dict.fromkeys(content_words(subject)) if df[w] >= 2 and w.isalpha()]
        tf = Counter(w for w in content_words(body) if w.isalpha() and len(w) >= 4 and w not in names
                     and w not in sw and 3 <= df[w] <= n * 0.005)
        if len(sw) < 2 or subject_count[norm] > 2 or len(words(body)) < 30 or not tf:
            continue
        sw_rare = sorted(sw, key=lambda w: df[w])[:2]
        # The body word a person remembers: the most repeated of the fairly rare ones.
        bw_rare = sorted(tf, key=lambda w: (-tf[w], df[w]))[0]
        k = taken[corpus]
        kw = list(sw_rare)
        kw.append(last.lower() if (last and k % 3 == 0) else bw_rare)
        date = email.utils.parsedate_tz(msg.get("Date") or "")
        when = f"{MONTHS[date[1] - 1]} {date[0]}" if date else None
        topic = " ".join(sw_rare)
        templates = []
        if first:
            templates += [f"find the email from {first} about {topic}",
                          f"what did {first} say about {topic}",
                          f"{first}'s message about {sw_rare[0]} and {bw_rare}"]
            if when:
                templates.append(f"emails from {first} about {topic} in {when}")
        templates += [f"the email about {topic} with {bw_rare}", f"looking for the message on {topic}"]
        if when:
            templates.append(f"messages about {topic} from {when}")
        nl = templates[k % len(templates)]
        taken[corpus] += 1
        qid = f"{corpus}-{k:03d}"
        rows.append((qid + "-k", corpus, "keyword", " ".join(kw), mid))
        rows.append((qid + "-n", corpus, "natural", nl, mid))
    with open(queries_out, "w") as out:
        out.write("id\tcorpus\tkind\tquery\tmessage_id\n")
        for r in rows:
            out.write("\t".join(r) + "\n")
    print(f"{len(docs)} messages, {len(rows)} queries -> {queries_out}")


if __name__ == "__main__":
    main()
