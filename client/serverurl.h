#pragma once

#include <QString>
#include <QUrl>

// Server addresses as users type them ("host:8000", "http://host:8000", "ws://host:8000/api/v1/ws")
// turned into the WebSocket endpoint, the HTTP base and a stable key for the keychain.
// Pure functions; any thread.
namespace emailrag::client::serverurl {

// ws(s)://host:port/api/v1/ws (http -> ws, https -> wss; no scheme means ws). Invalid if unusable.
QUrl webSocketUrl(const QString &input);
QUrl webSocketUrl(const QUrl &url);
// http(s)://host:port (no path), for /api/v1/auth/... requests.
QUrl httpBase(const QUrl &url);
// "ws://host:port" lower-cased: the same server however it was typed.
QString key(const QUrl &url);

} // namespace emailrag::client::serverurl
