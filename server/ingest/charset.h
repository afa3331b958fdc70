#pragma once

#include <QByteArray>
#include <QString>

// Decoding bytes in any declared charset to Unicode. Stateless and thread-safe (iconv
// descriptors come from GMime's per-call cache).
namespace emailrag::ingest {

struct DecodeResult
{
    QString text;
    bool fellBack = false; // the declared charset was unknown or the bytes were not valid in it
};

// `charset` is the label from the message (may be empty, bogus, or a common alias).
// Empty/us-ascii/unknown: UTF-8 when the bytes are valid UTF-8, else windows-1252. ISO-8859-1 is
// read as windows-1252 (as browsers do: real mail labels cp1252 text as latin1). Invalid
// sequences become U+FFFD rather than failing. NUL characters are dropped.
DecodeResult decodeToUnicode(const QByteArray &bytes, const QByteArray &charset);

bool isValidUtf8(const char *data, qsizetype size);

// True for data that is not text in any charset: NUL or other control bytes (besides tab, line
// breaks, form feed and the ESC of ISO-2022-JP) in more than 1% of the first 64 KiB.
bool looksBinary(const char *data, qsizetype size);

// The charset an HTML document declares in a <meta> tag within its first 4 KiB, or empty.
QByteArray htmlMetaCharset(const QByteArray &html);

} // namespace emailrag::ingest
