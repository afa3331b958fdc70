#pragma once

#include <QDateTime>
#include <QFuture>
#include <QObject>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;

// HTTP side of authentication: POST /api/v1/auth/login (user name + password -> token) and
// POST /api/v1/auth/refresh (a still valid token -> a fresh one).
//
// Thread: the thread it lives on. Owner: its parent (the connection or a command). Failures:
// the future resolves with an AuthResult whose status says what went wrong; the password is
// never logged or kept.
namespace emailrag::client {

struct AuthResult
{
    enum Status { Ok, Unauthorized, Unavailable, Failed };
    Status status = Failed;
    QString token;
    QDateTime expiresAt;
    QString userName;
    QString error; // for the user; empty when ok
    bool ok() const { return status == Ok; }
};

class AuthClient : public QObject
{
    Q_OBJECT
public:
    explicit AuthClient(QObject *parent = nullptr);
    ~AuthClient() override;

    // `server` in any form serverurl::webSocketUrl accepts.
    QFuture<AuthResult> login(const QUrl &server, const QString &user, const QString &password);
    QFuture<AuthResult> refresh(const QUrl &server, const QString &token);

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // The "exp" claim of a JWT (not verified: the server does that), invalid if absent.
    static QDateTime tokenExpiry(const QString &token);

private:
    QFuture<AuthResult> post(const QUrl &url, const QByteArray &body, const QString &bearer, const QString &user);

    QNetworkAccessManager *m_nam;
    int m_timeoutMs = 15000;
};

} // namespace emailrag::client
