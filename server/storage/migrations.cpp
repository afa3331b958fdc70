#include "migrations.h"

#include "database.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <map>

namespace emailrag::storage {

namespace {
std::map<int, QString> migrationFiles(const QString &prefix)
{
    std::map<int, QString> files;
    static const QRegularExpression re(QStringLiteral("^(\\d{3})_.*\\.sql$"));
    const QStringList names = QDir(prefix).entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &name : names) {
        const auto m = re.match(name);
        if (m.hasMatch())
            files[m.captured(1).toInt()] = prefix + QLatin1Char('/') + name;
    }
    return files;
}
} // namespace

QList<int> Migrations::available() const
{
    QList<int> out;
    for (const auto &[v, _] : migrationFiles(m_dialect.migrationPrefix()))
        out << v;
    return out;
}

int Migrations::currentVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(QStringLiteral("schema_version")))
        return 0;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_version")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

QStringList Migrations::splitStatements(const QString &sql)
{
    QStringList out;
    QString current;
    bool inTrigger = false;
    const QStringList lines = sql.split(QLatin1Char('\n'));
    for (const QString &rawLine : lines) {
        const QString line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1String("--")))
            continue;
        current += rawLine + QLatin1Char('\n');
        const QString upper = line.toUpper();
        if (upper.startsWith(QLatin1String("CREATE TRIGGER")) || upper.contains(QLatin1String(" TRIGGER ")))
            inTrigger = true;
        if (!line.endsWith(QLatin1Char(';')))
            continue;
        if (inTrigger && !(upper == QLatin1String("END;") || upper.endsWith(QLatin1String(" END;"))))
            continue;
        inTrigger = false;
        out << current.trimmed();
        current.clear();
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

std::optional<QString> Migrations::apply(QSqlDatabase &db, int upToVersion) const
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                               "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")))
        return QStringLiteral("cannot create schema_version: %1").arg(q.lastError().text());

    // Every version without its schema_version row is applied, in order: a migration numbered
    // below the newest one applied (added later in its own number range, e.g. 011 after 040)
    // still reaches stores created before it.
    QSet<int> applied;
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version")))
        return QStringLiteral("cannot read schema_version: %1").arg(q.lastError().text());
    while (q.next())
        applied.insert(q.value(0).toInt());
    q.finish();
    for (const auto &[version, path] : migrationFiles(m_dialect.migrationPrefix())) {
        if (applied.contains(version))
            continue;
        if (upToVersion >= 0 && version > upToVersion)
            break;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return QStringLiteral("cannot read migration %1").arg(path);
        const QStringList statements = splitStatements(QString::fromUtf8(f.readAll()));
        if (!db.transaction())
            return QStringLiteral("cannot begin migration %1: %2").arg(path, db.lastError().text());
        for (const QString &stmt : statements) {
            if (!q.exec(stmt)) {
                const QString err = QStringLiteral("migration %1 failed: %2\nSQL: %3").arg(path, q.lastError().text(), stmt);
                db.rollback();
                qCWarning(lcStorage).noquote() << err;
                return err;
            }
        }
        q.prepare(QStringLiteral("INSERT INTO schema_version(version, applied_at) VALUES (?, CURRENT_TIMESTAMP)"));
        q.addBindValue(version);
        const bool recorded = q.exec();
        if (!recorded || !db.commit()) {
            const QString why = recorded ? db.lastError().text() : q.lastError().text();
            const QString err = QStringLiteral("cannot record migration %1: %2").arg(path, why);
            db.rollback();
            return err;
        }
        qCInfo(lcStorage) << "applied migration" << version;
    }
    return std::nullopt;
}

} // namespace emailrag::storage
