#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <array>

namespace emailrag::server {

// A Prometheus histogram with fixed buckets in milliseconds.
class LatencyHistogram
{
public:
    static constexpr std::array<double, 12> kBucketsMs = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10000};
    void observe(double ms);
    QByteArray render(const char *name, const char *help) const;

private:
    std::array<quint64, kBucketsMs.size()> m_counts {};
    quint64 m_count = 0;
    double m_sum = 0;
};

// The server's counters for GET /metrics (Prometheus text format 0.0.4). Lives on the server
// thread, owned by the Server; every update is a plain increment on that thread.
class Metrics
{
public:
    void messageIn(const QString &type) { ++m_in[type]; }
    void messageOut(const QString &type) { ++m_out[type]; }
    void rateLimited() { ++m_rateLimited; }
    void connectionOpened() { ++m_connectionsTotal; }
    void authRefused() { ++m_authRefused; }
    void uploadStarted() { ++m_uploadsStarted; }
    void uploadCompleted() { ++m_uploadsCompleted; }
    void uploadFailed() { ++m_uploadsFailed; }
    void emailsIndexed(qint64 n) { m_emailsIndexed += n; }
    void slowClientDropped() { ++m_slowDropped; }
    // A pushed message written straight to a receiver's descriptor by the fan-out; `partial`:
    // the kernel took only part of it and the rest went through Qt's buffer.
    void fanoutDirect(bool partial) { ++m_fanoutDirect; m_fanoutPartial += partial ? 1 : 0; }
    // A pushed message that went through QWebSocket instead (TLS, bytes already queued).
    void fanoutQueued() { ++m_fanoutQueued; }
    LatencyHistogram &searchLatency() { return m_search; }
    LatencyHistogram &chatLatency() { return m_chat; }

    // `connections` and `totalEmails` are gauges the caller reads at render time.
    QByteArray render(int connections, qint64 totalEmails, int uploadsRunning) const;

private:
    QHash<QString, quint64> m_in;
    QHash<QString, quint64> m_out;
    quint64 m_rateLimited = 0;
    quint64 m_connectionsTotal = 0;
    quint64 m_authRefused = 0;
    quint64 m_uploadsStarted = 0;
    quint64 m_uploadsCompleted = 0;
    quint64 m_uploadsFailed = 0;
    quint64 m_slowDropped = 0;
    quint64 m_fanoutDirect = 0;
    quint64 m_fanoutPartial = 0;
    quint64 m_fanoutQueued = 0;
    qint64 m_emailsIndexed = 0;
    LatencyHistogram m_search;
    LatencyHistogram m_chat;
};

} // namespace emailrag::server
