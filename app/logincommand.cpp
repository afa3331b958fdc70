// `emailrag login URL --user NAME`: asks for the password (no echo) or reads it from stdin, gets
// a token over HTTP (POST /api/v1/auth/login) and stores it in the system keychain for URL.
#include "clientsession.h"
#include "cliutil.h"

#include "authclient.h"
#include "futurewait.h"
#include "secretstore.h"
#include "storedlogin.h"
#include "serverurl.h"

#include <QTextStream>

#include <cstdio>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace emailrag::app {

namespace {

// Reads one line from the terminal with echo off. nullopt when there is no terminal.
std::optional<QString> promptPassword(const QString &prompt)
{
    const int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    const QByteArray p = prompt.toLocal8Bit();
    (void)!::write(fd, p.constData(), size_t(p.size()));
    termios old {};
    const bool haveTerm = ::tcgetattr(fd, &old) == 0;
    if (haveTerm) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= ECHONL;
        ::tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    QByteArray line;
    char c = 0;
    while (::read(fd, &c, 1) == 1 && c != '\n')
        line.append(c);
    if (haveTerm)
        ::tcsetattr(fd, TCSAFLUSH, &old);
    ::close(fd);
    const QString out = QString::fromLocal8Bit(line);
    line.fill('\0');
    return out;
}

QString readPasswordFromStdin()
{
    QByteArray all;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(STDIN_FILENO, buf, sizeof buf)) > 0)
        all.append(buf, n);
    while (all.endsWith('\n') || all.endsWith('\r'))
        all.chop(1);
    const QString out = QString::fromUtf8(all);
    all.fill('\0');
    return out;
}

} // namespace

int runLoginCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Log in to an EmailRAG server and keep the token in the system keychain, so that\n"
        "`emailrag upload|search|chat|watch --server URL` work without asking again."));
    parser.addPositionalArgument(QStringLiteral("URL"), QStringLiteral("The server, e.g. ws://host:8000 or http://host:8000."));
    parser.addOption({QStringLiteral("user"), QStringLiteral("User name."), QStringLiteral("NAME")});
    parser.addOption({QStringLiteral("password-stdin"), QStringLiteral("Read the password from standard input (for scripts).")});
    parser.addOption({QStringLiteral("logout"), QStringLiteral("Forget the stored token for URL instead.")});
    parser.addOption({QStringLiteral("secret-file"),
                      QStringLiteral("When no system keychain is available, keep the token in DATA/secrets.json "
                                     "(readable by you alone) instead of failing. Also $EMAILRAG_SECRET_FILE=1.")});
    addDataOption(parser);
    if (const int rc = parseOrExit(parser, args); rc >= 0)
        return rc;

    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1) {
        std::fprintf(stderr, "emailrag login: give exactly one server URL.\nTry 'emailrag login --help'.\n");
        return ExitUsage;
    }
    const QUrl url = client::serverurl::webSocketUrl(pos.first());
    if (!url.isValid()) {
        std::fprintf(stderr, "emailrag login: not a server address: %s\n", qPrintable(pos.first()));
        return ExitUsage;
    }
    auto secrets = ClientSession::secretStore(parser);
    const QString key = client::SecretStore::tokenKey(url);

    if (parser.isSet(QStringLiteral("logout"))) {
        const client::SecretResult r = client::waitForFuture(secrets->remove(key));
        if (!r.ok()) {
            std::fprintf(stderr, "emailrag login: %s\n", qPrintable(r.error));
            return ExitFailure;
        }
        std::printf("Forgot the token for %s.\n", qPrintable(url.toString()));
        return ExitOk;
    }

    const QString user = parser.value(QStringLiteral("user"));
    if (user.isEmpty()) {
        std::fprintf(stderr, "emailrag login: --user NAME is required.\nTry 'emailrag login --help'.\n");
        return ExitUsage;
    }
    QString password;
    if (parser.isSet(QStringLiteral("password-stdin"))) {
        password = readPasswordFromStdin();
    } else {
        const auto typed = promptPassword(QStringLiteral("Password for %1 at %2: ").arg(user, url.host()));
        if (!typed) {
            std::fprintf(stderr, "emailrag login: no terminal to ask for the password; use --password-stdin.\n");
            return ExitUsage;
        }
        password = *typed;
    }

    client::AuthClient auth;
    const client::AuthResult r = client::waitForFuture(auth.login(url, user, password));
    password.fill(QLatin1Char('\0'));
    switch (r.status) {
    case client::AuthResult::Ok:
        break;
    case client::AuthResult::Unauthorized:
        std::fprintf(stderr, "emailrag login: login refused: %s\n", qPrintable(r.error));
        return ExitUnauthorized;
    case client::AuthResult::Unavailable:
        std::fprintf(stderr, "emailrag login: %s\n", qPrintable(r.error));
        return ExitUnavailable;
    case client::AuthResult::Failed:
        std::fprintf(stderr, "emailrag login: %s\n", qPrintable(r.error));
        return ExitFailure;
    }

    const client::SecretResult w = client::waitForFuture(secrets->write(key, client::StoredLogin{user, r.token}.encode()));
    if (!w.ok()) {
        std::fprintf(stderr, "emailrag login: logged in, but the token could not be stored: %s\n", qPrintable(w.error));
        return ExitFailure;
    }
    std::printf("Logged in to %s as %s%s. The token is in %s.\n", qPrintable(url.toString()), qPrintable(user),
                r.expiresAt.isValid() ? qPrintable(QStringLiteral(" (valid until %1)").arg(r.expiresAt.toLocalTime().toString(Qt::ISODate)))
                                      : "",
                w.fromFile ? qPrintable(secrets->options().fallbackFile) : "the system keychain");
    return ExitOk;
}

} // namespace emailrag::app
