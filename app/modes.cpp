#include "modes.h"

#include "cliutil.h"

#include <QCommandLineParser>

namespace emailrag::app {

namespace {

QCommandLineOption dataOption()
{
    return {QStringLiteral("data"), QStringLiteral("Data directory. Default: $EMAILRAG_DATA, else %1.").arg(defaultDataDir()),
            QStringLiteral("DIR")};
}

// Options QApplication itself understands; they are left for it and not reported as unknown.
const QStringList kQtValueOptions = {QStringLiteral("-platform"), QStringLiteral("-style"), QStringLiteral("-stylesheet"),
                                     QStringLiteral("-qwindowtitle"), QStringLiteral("-qwindowgeometry"),
                                     QStringLiteral("-display"), QStringLiteral("-session")};
const QStringList kQtFlagOptions = {QStringLiteral("-reverse"), QStringLiteral("-widgetcount")};

QStringList withoutQtOptions(const QStringList &args)
{
    QStringList out;
    for (int i = 0; i < args.size(); ++i) {
        if (kQtValueOptions.contains(args[i])) {
            ++i;
            continue;
        }
        if (kQtFlagOptions.contains(args[i]))
            continue;
        out << args[i];
    }
    return out;
}

// Options of any mode that take a value, so that their values are not taken for a command name.
bool takesValue(const QString &arg)
{
    const QList<QList<QCommandLineOption>> sets = {desktopOptions(), serverOptions(), connectOptions()};
    QString name = arg;
    while (name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    if (name.contains(QLatin1Char('=')))
        return false;
    for (const auto &set : sets) {
        for (const QCommandLineOption &o : set) {
            if (o.names().contains(name) && !o.valueName().isEmpty())
                return true;
        }
    }
    return kQtValueOptions.contains(arg);
}

std::optional<QString> validate(const QStringList &args, const QList<QCommandLineOption> &options)
{
    QCommandLineParser p;
    p.addOptions(options);
    p.addHelpOption();
    p.addVersionOption();
    QStringList withProgram = withoutQtOptions(args);
    withProgram.prepend(QStringLiteral("emailrag"));
    if (!p.parse(withProgram))
        return p.errorText();
    if (!p.positionalArguments().isEmpty())
        return QStringLiteral("unknown command '%1'").arg(p.positionalArguments().first());
    return std::nullopt;
}

} // namespace

QList<QCommandLineOption> desktopOptions()
{
    return {dataOption(),
            {QStringLiteral("port"), QStringLiteral("Port of the built-in server on 127.0.0.1 (default 8000, another when busy)."),
             QStringLiteral("PORT")},
            {QStringLiteral("lang"), QStringLiteral("User interface language: en, de or fr (default: the system's)."),
             QStringLiteral("CODE")}};
}

QList<QCommandLineOption> serverOptions()
{
    return {dataOption(),
            {QStringLiteral("server"), QStringLiteral("Run headless: the server alone, no window.")},
            {QStringLiteral("listen"), QStringLiteral("Address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 serves other machines)."),
             QStringLiteral("HOST:PORT")},
            {QStringLiteral("config"), QStringLiteral("Configuration file (default: DIR/emailrag.conf, then /etc/emailrag/emailrag.conf)."),
             QStringLiteral("FILE")},
            {QStringLiteral("tls-cert"), QStringLiteral("PEM certificate: serve wss:// and https://."), QStringLiteral("FILE")},
            {QStringLiteral("tls-key"), QStringLiteral("PEM private key for --tls-cert."), QStringLiteral("FILE")}};
}

QList<QCommandLineOption> connectOptions()
{
    return {dataOption(),
            {QStringLiteral("connect"), QStringLiteral("Client only: use the server at URL (ws://host:8000/api/v1/ws)."),
             QStringLiteral("URL")},
            {QStringLiteral("user"), QStringLiteral("User name to log in with."), QStringLiteral("NAME")},
            {QStringLiteral("lang"), QStringLiteral("User interface language: en, de or fr."), QStringLiteral("CODE")}};
}

Invocation classify(const QStringList &args)
{
    Invocation inv;
    const QStringList rest = args.mid(1);

    // A subcommand is the first word that is neither an option nor an option's value.
    for (int i = 0; i < rest.size(); ++i) {
        const QString &a = rest[i];
        if (a == QLatin1String("--"))
            break;
        if (a.startsWith(QLatin1Char('-'))) {
            if (takesValue(a))
                ++i;
            continue;
        }
        if (const Command *c = findCommand(a)) {
            inv.kind = Invocation::Subcommand;
            inv.command = c;
            inv.rest = rest.mid(0, i) + rest.mid(i + 1);
            return inv;
        }
        inv.kind = Invocation::UsageError;
        inv.error = QStringLiteral("unknown command '%1'").arg(a);
        return inv;
    }

    if (rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"))
        || rest.contains(QStringLiteral("--help-all"))) {
        inv.kind = Invocation::Help;
        return inv;
    }
    if (rest.contains(QStringLiteral("--version")) || rest.contains(QStringLiteral("-v"))) {
        inv.kind = Invocation::Version;
        return inv;
    }

    const bool server = rest.contains(QStringLiteral("--server"));
    const bool connect = std::any_of(rest.begin(), rest.end(), [](const QString &a) {
        return a == QLatin1String("--connect") || a.startsWith(QLatin1String("--connect="));
    });
    if (server && connect) {
        inv.kind = Invocation::UsageError;
        inv.error = QStringLiteral("--server and --connect exclude each other");
        return inv;
    }
    inv.kind = server ? Invocation::Server : connect ? Invocation::Connect : Invocation::Desktop;
    const auto options = server ? serverOptions() : connect ? connectOptions() : desktopOptions();
    if (const auto err = validate(rest, options)) {
        inv.kind = Invocation::UsageError;
        inv.error = *err;
        if (!server && !connect && rest.contains(QStringLiteral("--listen")))
            inv.error += QStringLiteral(" (--listen goes with --server)");
        return inv;
    }
    inv.rest = rest;
    return inv;
}

QString globalHelp()
{
    QString commandsText;
    // Usage and summary in two aligned columns; a usage too long for the first column puts its
    // summary on the next line.
    constexpr int kUsageWidth = 36;
    for (const Command &c : commands()) {
        const QString usage = QLatin1String(c.usage);
        if (usage.size() < kUsageWidth)
            commandsText += QStringLiteral("  %1%2\n").arg(usage.leftJustified(kUsageWidth), QLatin1String(c.summary));
        else
            commandsText += QStringLiteral("  %1\n  %2%3\n").arg(usage, QString(kUsageWidth, QLatin1Char(' ')), QLatin1String(c.summary));
    }
    if (commandsText.isEmpty())
        commandsText = QStringLiteral("  (none in this build)\n");

    auto optionLines = [](const QList<QCommandLineOption> &opts, const QStringList &skip) {
        QString out;
        for (const QCommandLineOption &o : opts) {
            if (skip.contains(o.names().first()))
                continue;
            QString left = QStringLiteral("--") + o.names().first();
            if (!o.valueName().isEmpty())
                left += QLatin1Char(' ') + o.valueName();
            out += QStringLiteral("  %1 %2\n").arg(left, -22).arg(o.description());
        }
        return out;
    };

    return QStringLiteral(
               "Usage: emailrag [OPTIONS]                  desktop app with its built-in server (default)\n"
               "       emailrag --server [OPTIONS]         headless server, no window\n"
               "       emailrag --connect URL [OPTIONS]    desktop app against a remote server\n"
               "       emailrag COMMAND [ARGS] [--help]    one task from the command line\n"
               "\n"
               "Import mail archives (mbox, Maildir, .eml), search them with ranked, streamed results and ask\n"
               "questions answered from your own mail with cited sources.\n"
               "\n"
               "Modes\n"
               "  (no mode option)    Opens the main window and runs the server on a thread, on 127.0.0.1\n"
               "                      (port 8000 when free). The window talks to it like any other client.\n"
               "  --server            Runs only the server: the WebSocket API at ws://HOST:PORT/api/v1/ws\n"
               "                      and a small HTTP API on the same port. Stops cleanly on SIGTERM/SIGINT.\n"
               "  --connect URL       Opens the main window against the server at URL, e.g.\n"
               "                      ws://mail.example.org:8000/api/v1/ws (asks to log in once).\n"
               "\n"
               "Desktop options\n%1"
               "\n"
               "Server options (with --server)\n%2"
               "\n"
               "Client options (with --connect)\n%3"
               "\n"
               "Commands (emailrag COMMAND --help for each)\n%4"
               "\n"
               "General\n"
               "  -h, --help           This text.\n"
               "  -v, --version        Print the version.\n"
               "\n"
               "Environment\n"
               "  EMAILRAG_DATA        Data directory when --data is not given.\n"
               "  QT_LOGGING_RULES     Log categories, e.g. 'emailrag.*.info=true' (commands show\n"
               "                       only warnings by default) or 'emailrag.*.debug=true'.\n"
               "\n"
               "Exit codes\n"
               "  0 success, 1 the work failed, 2 bad command line, 3 unauthorized, 4 server unreachable.\n")
        .arg(optionLines(desktopOptions(), {}), optionLines(serverOptions(), {QStringLiteral("server")}),
             optionLines(connectOptions(), {QStringLiteral("connect")}), commandsText);
}

} // namespace emailrag::app
