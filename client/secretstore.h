#pragma once

#include <QFuture>
#include <QObject>
#include <QString>
#include <QUrl>

// Secrets (login tokens per server, model-provider API keys) in the system keychain through
// QtKeychain (Secret Service on Linux).
//
// Thread: the thread it lives on (QtKeychain jobs run there). Owner: whoever creates it (the
// connection setup of the UI or one command). Failure: every call resolves its future with a
// SecretResult, never throws. When no keychain is reachable the result says so (Unavailable)
// and, ONLY if the user consented (Options::allowFileFallback, set from a flag or setting), the
// secret goes to a JSON file readable by the user alone (mode 0600, in a 0700 folder). There is
// never a silent fallback to plain text (QtKeychain's own "insecure fallback" is not used).
namespace emailrag::client {

struct SecretResult
{
    enum Status { Ok, NotFound, Unavailable, Denied, Failed };
    Status status = Failed;
    QString value;         // the secret, for a successful read
    QString error;         // for the user, translated; empty when ok
    bool fromFile = false; // served by the consented file fallback, not by the keychain
    bool ok() const { return status == Ok; }
};

class SecretStore : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QString service = QStringLiteral("emailrag"); // keychain service / collection label
        QString fallbackFile;           // file used only with consent; default DATA/secrets.json
        bool allowFileFallback = false; // the user's explicit consent
        int timeoutMs = 15000;          // a keychain that never answers counts as unavailable
    };

    explicit SecretStore(Options options, QObject *parent = nullptr);
    explicit SecretStore(QObject *parent = nullptr);
    ~SecretStore() override;

    QFuture<SecretResult> read(const QString &key);
    QFuture<SecretResult> write(const QString &key, const QString &secret);
    QFuture<SecretResult> remove(const QString &key);

    // False once the keychain backend failed (then the file fallback, if consented, is used).
    bool keychainAvailable() const { return m_keychainAvailable; }
    const Options &options() const { return m_options; }

    // Key names: one token entry per server (normalised origin), one entry per API provider.
    static QString tokenKey(const QUrl &server);
    static QString apiKeyKey(const QString &provider);

Q_SIGNALS:
    // Emitted once, the first time the keychain turns out to be missing or locked.
    void keychainUnavailable(const QString &reason);

private:
    enum class Op { Read, Write, Remove };
    QFuture<SecretResult> start(Op op, const QString &key, const QString &secret);
    SecretResult fileOp(Op op, const QString &key, const QString &secret) const;
    SecretResult unavailable(const QString &reason) const;

    Options m_options;
    bool m_keychainAvailable = true;
    QString m_unavailableReason;
};

} // namespace emailrag::client
