#pragma once

#include <QString>

class QUrl;

// Small text-to-HTML conversions the views share: highlighted search snippets, chat answers with
// [n] citations as links, and email bodies with a cited passage marked. Pure functions; any thread.
namespace emailrag::ui::richtext {

// Link scheme of citations in chat answers: "cite:2/3" opens source 3 of the answer in row 2.
inline constexpr auto kCiteScheme = "cite";
// Link scheme of emails (threads, sources): "email:email_42".
inline constexpr auto kEmailScheme = "email";

// A search snippet whose matched terms are wrapped in « and » (the server's markers), escaped,
// with the terms in bold.
QString snippetToHtml(const QString &snippet);
// The same snippet as plain text, markers removed (for accessible text and tooltips).
QString snippetToPlain(const QString &snippet);

// A chat answer, escaped, paragraphs kept, and each [n] with 1 <= n <= sourceCount turned into a
// link "cite:<row>/<n>". Citations beyond sourceCount stay plain text (not yet known while
// streaming).
QString answerToHtml(const QString &answer, int sourceCount, int row);
// The row and source number of a citation link; false when `url` is not one.
bool parseCitation(const QUrl &url, int *row, int *number);

// An email body, reflowed and escaped, with each line of `passage` (whitespace-insensitive; a
// line not found whole is tried sentence by sentence) wrapped in <span class="cited">, the first
// preceded by <a name="cited">. `found` tells whether any of it was found.
QString bodyToHtml(const QString &body, const QString &passage, bool *found = nullptr);

// Joins hard-wrapped lines of prose into paragraphs (lines of 40+ characters followed by more
// prose), so that a narrow reading pane does not show ragged 72-column text. Quoted lines,
// indented lines, list items and signatures keep their line breaks.
QString reflow(const QString &text);

// Human-readable byte size: "512 B", "12.3 KB", "4.0 MB" (locale-aware number).
QString formatSize(qint64 bytes);

} // namespace emailrag::ui::richtext
