#pragma once

#include <QString>

// Turns HTML into readable plain text with a real HTML parser (gumbo repairs broken markup and
// decodes entities). Thread-safe, stateless.
namespace emailrag::ingest {

// Block elements become line breaks, list items "- ", table cells are separated by spaces,
// script/style/head are dropped, whitespace is collapsed except in <pre>. Links keep their text;
// images keep their alt text.
QString htmlToText(const QString &html);

} // namespace emailrag::ingest
