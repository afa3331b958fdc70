#include "sseparser.h"

namespace emailrag::chat {

QList<SseParser::Event> SseParser::feed(const QByteArray &bytes)
{
    QList<Event> out;
    for (char c : bytes) {
        if (c == '\n' && m_lastWasCr) {
            m_lastWasCr = false; // second half of CRLF
            continue;
        }
        m_lastWasCr = (c == '\r');
        if (c == '\n' || c == '\r') {
            line(m_line, out);
            m_line.clear();
        } else {
            m_line += c;
        }
    }
    return out;
}

void SseParser::line(const QByteArray &l, QList<Event> &out)
{
    if (l.isEmpty()) {
        if (m_hasData)
            out << Event{m_name, m_data};
        m_name.clear();
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (l.startsWith(':'))
        return;
    const qsizetype colon = l.indexOf(':');
    const QByteArray field = colon < 0 ? l : l.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : l.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_data += '\n';
        m_data += value;
        m_hasData = true;
    } else if (field == "event") {
        m_name = value;
    }
}

} // namespace emailrag::chat
