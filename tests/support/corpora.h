#pragma once

#include <QString>

// Access to the real mail in ../shared/corpora for tests. The packed archives are unpacked at test
// time into a cache folder under the system temp dir (keyed by archive checksum), once per
// machine, never into the repository.
namespace emailrag::test {

// Folder holding the packed corpora ($EMAILRAG_CORPORA, set by CTest). Empty if missing.
QString corporaDir();

// Unpacks `archive` (e.g. "enron-inbox-subset.tar.zst" or "r-devel-1997-2026.mbox.zst") and
// returns the path of the result: the folder for a .tar.zst, the file for a .mbox.zst. Returns an
// empty string (and the caller should QSKIP or QFAIL) when the archive or zstd/tar is missing.
QString unpackCorpus(const QString &archive);

} // namespace emailrag::test
