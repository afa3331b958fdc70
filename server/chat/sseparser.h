#pragma once

#include <QByteArray>
#include <QList>

namespace emailrag::chat {

// Incremental parser for text/event-stream (the WHATWG Server-Sent Events format): bytes in any
// split, events out. Lines end in LF, CRLF or CR; "data:" lines of one event are joined with LF;
// a blank line ends the event; comment lines (":") and unknown fields are ignored. Value type.
class SseParser
{
public:
    struct Event
    {
        QByteArray name;   // "event:" field, empty for the default "message"
        QByteArray data;
    };

    QList<Event> feed(const QByteArray &bytes);
    // Bytes held back waiting for an end of line or the blank line closing an event.
    bool hasPartialEvent() const { return !m_line.isEmpty() || m_hasData; }

private:
    void line(const QByteArray &l, QList<Event> &out);

    QByteArray m_line;
    bool m_lastWasCr = false;
    QByteArray m_name;
    QByteArray m_data;
    bool m_hasData = false;
};

} // namespace emailrag::chat
