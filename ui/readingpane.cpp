#include "readingpane.h"

#include "richtext.h"

#include <QLocale>
#include <QTextBrowser>
#include <QUrl>
#include <QVBoxLayout>

namespace emailrag::ui {

ReadingPane::ReadingPane(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("readingPane"));
    m_browser = new QTextBrowser(this);
    m_browser->setOpenLinks(false);
    m_browser->setAccessibleName(tr("Reading pane"));
    m_browser->setFrameShape(QFrame::NoFrame);
    connect(m_browser, &QTextBrowser::anchorClicked, this, &ReadingPane::onAnchorClicked);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_browser);
    clear();
}

void ReadingPane::showEmail(const EmailDocument &email, const QString &highlightPassage)
{
    m_emailId = email.emailId;
    const QLocale locale;
    auto row = [](const QString &label, const QString &value) {
        if (value.isEmpty())
            return QString();
        return QStringLiteral("<tr><td style=\"padding-right:8px;\"><b>%1</b></td><td>%2</td></tr>")
            .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<h2>%1</h2>")
                       .arg((email.subject.isEmpty() ? tr("(no subject)") : email.subject).toHtmlEscaped());
    html += QStringLiteral("<table>");
    html += row(tr("From:"), email.from);
    html += row(tr("To:"), email.to);
    html += row(tr("Cc:"), email.cc);
    if (email.date.isValid())
        html += row(tr("Date:"), locale.toString(email.date.toLocalTime(), QLocale::LongFormat));
    html += QStringLiteral("</table><hr>");

    html += QStringLiteral("<div>%1</div>").arg(richtext::bodyToHtml(email.body, highlightPassage, &m_highlighted));
    if (!m_highlighted && !highlightPassage.isEmpty() && !email.quoted.isEmpty()) {
        html += QStringLiteral("<div style=\"color:gray; margin-top:12px;\">%1</div>")
                    .arg(richtext::bodyToHtml(email.quoted, highlightPassage, &m_highlighted));
    } else if (!email.quoted.isEmpty()) {
        html += QStringLiteral("<div style=\"color:gray; margin-top:12px;\">%1</div>")
                    .arg(richtext::bodyToHtml(email.quoted, {}));
    }

    if (!email.attachments.isEmpty()) {
        html += QStringLiteral("<h3>%1</h3><ul>").arg(tr("Attachments (%n)", nullptr, int(email.attachments.size())));
        for (const auto &a : email.attachments) {
            html += QStringLiteral("<li>%1 <span style=\"color:gray;\">(%2, %3)</span></li>")
                        .arg(a.name.toHtmlEscaped(), a.mimeType.toHtmlEscaped(), richtext::formatSize(a.size));
        }
        html += QStringLiteral("</ul>");
    }
    if (email.thread.size() > 1) {
        html += QStringLiteral("<h3>%1</h3><ol>").arg(tr("Thread (%n emails)", nullptr, int(email.thread.size())));
        for (const auto &t : email.thread) {
            const QString line = QStringLiteral("%1 — %2%3")
                                     .arg((t.subject.isEmpty() ? tr("(no subject)") : t.subject).toHtmlEscaped(),
                                         t.from.toHtmlEscaped(),
                                         t.date.isValid() ? QStringLiteral(", ")
                                                 + locale.toString(t.date.toLocalTime(), QLocale::ShortFormat)
                                                          : QString());
            if (t.emailId == email.emailId)
                html += QStringLiteral("<li><b>%1</b></li>").arg(line);
            else
                html += QStringLiteral("<li><a href=\"%1:%2\">%3</a></li>")
                            .arg(QLatin1String(richtext::kEmailScheme), t.emailId.toHtmlEscaped(), line);
        }
        html += QStringLiteral("</ol>");
    }
    m_browser->setHtml(html);
    if (m_highlighted)
        m_browser->scrollToAnchor(QStringLiteral("cited"));
    m_browser->setAccessibleDescription(email.subject);
}

void ReadingPane::showLoading()
{
    m_browser->setHtml(QStringLiteral("<p style=\"color:gray;\">%1</p>").arg(tr("Loading…")));
}

void ReadingPane::showError(const QString &message)
{
    m_emailId.clear();
    m_highlighted = false;
    m_browser->setHtml(QStringLiteral("<p>%1</p>").arg(message.toHtmlEscaped()));
}

void ReadingPane::clear()
{
    m_emailId.clear();
    m_highlighted = false;
    m_browser->setHtml(QStringLiteral("<p style=\"color:gray;\">%1</p>").arg(tr("Select an email to read it here.")));
}

QString ReadingPane::html() const
{
    return m_browser->toHtml();
}

void ReadingPane::onAnchorClicked(const QUrl &url)
{
    if (url.scheme() == QLatin1String(richtext::kEmailScheme))
        Q_EMIT emailRequested(url.path());
}

} // namespace emailrag::ui
