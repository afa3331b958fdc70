#pragma once

#include <QString>

// Turns a Maildir folder (or a folder of .eml files) into one mbox file, so that it can travel as
// a single upload. mboxrd quoting (">From " lines get one more ">") keeps every message byte for
// byte after the importer unquotes it; Maildir tmp/ and dot files are skipped as an indexer
// would. Runs on any thread (the uploads view runs it off the GUI thread; `emailrag upload DIR` on
// the main thread).
namespace emailrag::client {

struct PackResult
{
    bool ok = false;
    int messages = 0;
    bool noMessages = false; // the folder held no message files (the UI words this itself)
    QString error;           // English, for logs and the command line
};

PackResult packMaildir(const QString &folder, const QString &mboxPath);

// True when `path` is a folder that holds mail (a Maildir or loose message files).
bool isMailFolder(const QString &path);

} // namespace emailrag::client
