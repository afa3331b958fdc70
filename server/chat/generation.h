#pragma once

#include "chattypes.h"
#include "contextbuilder.h"

#include <QHash>
#include <QObject>

namespace emailrag::chat {

// What a generator gets: the question, the earlier turns and the numbered sources.
struct GenerationInput
{
    QString question;
    QStringList queryTerms;
    QList<Turn> history;        // earlier complete turns, oldest first
    QList<ContextDoc> docs;     // numbered [1..N]
};

// One answer being generated. textReady() pieces in order, then finished() or failed() once.
// Citations in the text are [n] with n a ContextDoc::index; ChatRun filters and renumbers them.
// Lives on the thread that created it; owned by its parent (the ChatRun).
class Generation : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    // Stops at once (aborts network I/O); no signal follows.
    virtual void cancel() = 0;
    // Verbatim passages the generator quoted, per doc index (extractive); empty for models.
    virtual QHash<int, QStringList> quotedPassages() const { return {}; }

Q_SIGNALS:
    void textReady(const QString &text);
    void finished();
    void failed(emailrag::chat::ChatError error, const QString &message);
};

// Starts generations. Implementations: ExtractiveProvider (default), OpenAiProvider.
class GenerationProvider
{
public:
    virtual ~GenerationProvider() = default;
    virtual QString name() const = 0;
    virtual Generation *start(const GenerationInput &input, QObject *parent) = 0;
};

} // namespace emailrag::chat
