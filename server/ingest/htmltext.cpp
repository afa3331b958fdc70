#include "htmltext.h"

#include <gumbo.h>

#include <cstring>

namespace emailrag::ingest {

namespace {

bool isBlock(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_TR: case GUMBO_TAG_LI:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TABLE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE: case GUMBO_TAG_HR: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_CENTER: case GUMBO_TAG_FORM: case GUMBO_TAG_BODY:
        return true;
    default:
        return false;
    }
}

class Walker
{
public:
    QString out;

    void newline()
    {
        while (out.endsWith(QLatin1Char(' ')))
            out.chop(1);
        if (!out.isEmpty() && !out.endsWith(QLatin1Char('\n')))
            out += QLatin1Char('\n');
        m_space = false;
    }

    void text(const char *s, bool pre)
    {
        const QString t = QString::fromUtf8(s);
        if (pre) {
            out += t;
            return;
        }
        for (QChar c : t) {
            if (c.isSpace()) {
                m_space = true;
                continue;
            }
            if (m_space && !out.isEmpty() && !out.endsWith(QLatin1Char('\n')) && !out.endsWith(QLatin1Char(' ')))
                out += QLatin1Char(' ');
            m_space = false;
            out += c;
        }
    }

    void walk(const GumboNode *node, bool pre, int depth)
    {
        if (depth > 400)
            return; // gumbo itself caps the tree; this keeps our recursion bounded too
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA || node->type == GUMBO_NODE_WHITESPACE) {
            text(node->v.text.text, pre);
            return;
        }
        if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT && node->type != GUMBO_NODE_TEMPLATE)
            return;
        const GumboTag tag = node->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : node->v.element.tag;
        if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_TITLE
            || tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE)
            return;
        if (tag == GUMBO_TAG_IMG) {
            if (const GumboAttribute *alt = gumbo_get_attribute(&node->v.element.attributes, "alt")) {
                if (alt->value && *alt->value)
                    text(alt->value, false);
            }
            return;
        }
        const bool block = isBlock(tag);
        if (block)
            newline();
        if (tag == GUMBO_TAG_LI)
            out += QStringLiteral("- ");
        if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH)
            m_space = true;
        const GumboVector &children = node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children
                                                                        : node->v.element.children;
        for (unsigned i = 0; i < children.length; ++i)
            walk(static_cast<const GumboNode *>(children.data[i]), pre || tag == GUMBO_TAG_PRE, depth + 1);
        if (block || tag == GUMBO_TAG_BR)
            newline();
        if (tag == GUMBO_TAG_P || (tag >= GUMBO_TAG_H1 && tag <= GUMBO_TAG_H6))
            out += QLatin1Char('\n');
    }

private:
    bool m_space = false;
};

} // namespace

QString htmlToText(const QString &html)
{
    const QByteArray utf8 = html.toUtf8();
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 100;
    GumboOutput *output = gumbo_parse_with_options(&options, utf8.constData(), utf8.size());
    Walker w;
    w.walk(output->document, false, 0);
    gumbo_destroy_output(&options, output);
    // Collapse runs of blank lines.
    QString s = w.out;
    while (s.contains(QStringLiteral("\n\n\n")))
        s.replace(QStringLiteral("\n\n\n"), QStringLiteral("\n\n"));
    return s.trimmed();
}

} // namespace emailrag::ingest
