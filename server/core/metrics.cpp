#include "metrics.h"

#include <algorithm>

namespace emailrag::server {

void LatencyHistogram::observe(double ms)
{
    for (size_t i = 0; i < kBucketsMs.size(); ++i) {
        if (ms <= kBucketsMs[i])
            ++m_counts[i];
    }
    ++m_count;
    m_sum += ms / 1000.0;
}

QByteArray LatencyHistogram::render(const char *name, const char *help) const
{
    QByteArray out;
    out += "# HELP " + QByteArray(name) + ' ' + help + '\n';
    out += "# TYPE " + QByteArray(name) + " histogram\n";
    for (size_t i = 0; i < kBucketsMs.size(); ++i)
        out += QByteArray(name) + "_bucket{le=\"" + QByteArray::number(kBucketsMs[i] / 1000.0) + "\"} "
            + QByteArray::number(m_counts[i]) + '\n';
    out += QByteArray(name) + "_bucket{le=\"+Inf\"} " + QByteArray::number(m_count) + '\n';
    out += QByteArray(name) + "_sum " + QByteArray::number(m_sum) + '\n';
    out += QByteArray(name) + "_count " + QByteArray::number(m_count) + '\n';
    return out;
}

namespace {

void counter(QByteArray &out, const char *name, const char *help, quint64 value)
{
    out += "# HELP " + QByteArray(name) + ' ' + help + '\n';
    out += "# TYPE " + QByteArray(name) + " counter\n";
    out += QByteArray(name) + ' ' + QByteArray::number(value) + '\n';
}

void gauge(QByteArray &out, const char *name, const char *help, qint64 value)
{
    out += "# HELP " + QByteArray(name) + ' ' + help + '\n';
    out += "# TYPE " + QByteArray(name) + " gauge\n";
    out += QByteArray(name) + ' ' + QByteArray::number(value) + '\n';
}

void byType(QByteArray &out, const char *name, const char *help, const QHash<QString, quint64> &values)
{
    out += "# HELP " + QByteArray(name) + ' ' + help + '\n';
    out += "# TYPE " + QByteArray(name) + " counter\n";
    QStringList keys = values.keys();
    std::sort(keys.begin(), keys.end());
    for (const QString &k : keys)
        out += QByteArray(name) + "{type=\"" + k.toUtf8() + "\"} " + QByteArray::number(values.value(k)) + '\n';
}

} // namespace

QByteArray Metrics::render(int connections, qint64 totalEmails, int uploadsRunning) const
{
    QByteArray out;
    gauge(out, "emailrag_connections", "Open WebSocket connections.", connections);
    counter(out, "emailrag_connections_total", "WebSocket connections accepted since start.", m_connectionsTotal);
    counter(out, "emailrag_auth_refused_total", "Connections and logins refused for a bad token or password.", m_authRefused);
    byType(out, "emailrag_messages_in_total", "Client messages received, by type.", m_in);
    byType(out, "emailrag_messages_out_total", "Server messages sent, by type.", m_out);
    counter(out, "emailrag_rate_limited_total", "Client messages refused with RATE_LIMITED.", m_rateLimited);
    counter(out, "emailrag_slow_clients_dropped_total", "Connections closed because their send queue overflowed.", m_slowDropped);
    counter(out, "emailrag_fanout_direct_total", "Pushes written straight to a receiver's socket by the fan-out.", m_fanoutDirect);
    counter(out, "emailrag_fanout_partial_total", "Direct pushes the kernel took only part of (the rest queued).", m_fanoutPartial);
    counter(out, "emailrag_fanout_queued_total", "Pushes to receivers written through QWebSocket (TLS, a backlog).", m_fanoutQueued);
    counter(out, "emailrag_uploads_started_total", "Uploads started.", m_uploadsStarted);
    counter(out, "emailrag_uploads_completed_total", "Uploads imported completely.", m_uploadsCompleted);
    counter(out, "emailrag_uploads_failed_total", "Uploads that failed.", m_uploadsFailed);
    gauge(out, "emailrag_uploads_running", "Uploads being received or imported.", uploadsRunning);
    counter(out, "emailrag_emails_indexed_total", "Emails indexed by imports since start.", quint64(m_emailsIndexed));
    gauge(out, "emailrag_emails", "Emails in the store (all users).", totalEmails);
    out += m_search.render("emailrag_search_latency_seconds", "stream_search time to search_complete.");
    out += m_chat.render("emailrag_chat_latency_seconds", "chat_message time to chat_response_complete.");
    return out;
}

} // namespace emailrag::server
