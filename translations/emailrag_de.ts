<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>emailrag::ui::ChatView</name>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>EmailRAG</source>
        <translation>EmailRAG</translation>
    </message>
    <message>
        <source>Looking through your mail…</source>
        <translation>Ihre E-Mails werden durchsucht…</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Neues Gespräch</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Neues Gespräch</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Gespräche</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Gespräch</translation>
    </message>
    <message>
        <source>Ask a question about your mail (Enter sends, Shift+Enter adds a line)</source>
        <translation>Stellen Sie eine Frage zu Ihren E-Mails (Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Senden</translation>
    </message>
    <message>
        <source>Send question</source>
        <translation>Frage senden</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <source>Ask your mail</source>
        <translation>Fragen Sie Ihre E-Mails</translation>
    </message>
    <message>
        <source>Ask in plain words, e.g. &lt;i&gt;What did Anna say about the budget?&lt;/i&gt; The answer cites the emails it comes from: click a [1] to read the email with the passage marked.</source>
        <translation>Fragen Sie in eigenen Worten, z. B. &lt;i&gt;Was hat Anna zum Budget gesagt?&lt;/i&gt; Die Antwort nennt die E-Mails, aus denen sie stammt: Klicken Sie auf eine [1], um die E-Mail mit der markierten Stelle zu lesen.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::ConnectionStatus</name>
    <message>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Verbunden mit %1 als %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1…</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost; reconnecting in %n s</source>
        <translation>
            <numerusform>Verbindung verloren; neuer Versuch in %n s</numerusform>
            <numerusform>Verbindung verloren; neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Verbindung wird wiederhergestellt…</translation>
    </message>
    <message>
        <source>Not logged in to %1</source>
        <translation>Nicht bei %1 angemeldet</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::EmailFetcher</name>
    <message>
        <source>This email no longer exists.</source>
        <translation>Diese E-Mail gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>The email could not be loaded: %1</source>
        <translation>Die E-Mail konnte nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>The server did not answer. Try again when the connection is back.</source>
        <translation>Der Server hat nicht geantwortet. Versuchen Sie es erneut, sobald die Verbindung wieder steht.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::LoginDialog</name>
    <message>
        <source>Log in to EmailRAG</source>
        <translation>Bei EmailRAG anmelden</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Login error</source>
        <translation>Anmeldefehler</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>Log in once; the token is kept in the system keychain for the next start.</source>
        <translation>Melden Sie sich einmal an; das Token wird für den nächsten Start im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>Enter the server address and your user name.</source>
        <translation>Geben Sie die Serveradresse und Ihren Benutzernamen ein.</translation>
    </message>
    <message>
        <source>That is not a server address, e.g. ws://host:8000/api/v1/ws</source>
        <translation>Das ist keine Serveradresse, z. B. ws://host:8000/api/v1/ws</translation>
    </message>
    <message>
        <source>Login failed.</source>
        <translation>Anmeldung fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::MaildirPacker</name>
    <message>
        <source>The folder %1 holds no messages.</source>
        <translation>Der Ordner %1 enthält keine Nachrichten.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n new email(s) can now be searched.</source>
        <translation>
            <numerusform>%n neue E-Mail kann jetzt durchsucht werden.</numerusform>
            <numerusform>%n neue E-Mails können jetzt durchsucht werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 new emails from %2 can now be searched.</source>
        <translation>%1 neue E-Mails aus %2 können jetzt durchsucht werden.</translation>
    </message>
    <message>
        <source>The new server, data directory or model settings take effect at the next start.</source>
        <translation>Der neue Server, das Datenverzeichnis oder die Modelleinstellungen gelten ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>EmailRAG</source>
        <translation>EmailRAG</translation>
    </message>
    <message>
        <source>EmailRAG — %1</source>
        <translation>EmailRAG — %1</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Add mailboxes and watch them import (Ctrl+1)</source>
        <translation>Postfächer hinzufügen und den Import verfolgen (Strg+1)</translation>
    </message>
    <message>
        <source>Find emails (Ctrl+2, or Ctrl+K from anywhere)</source>
        <translation>E-Mails finden (Strg+2, oder überall Strg+K)</translation>
    </message>
    <message>
        <source>Ask questions answered from your mail (Ctrl+3)</source>
        <translation>Fragen stellen, die aus Ihren E-Mails beantwortet werden (Strg+3)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>%1 emails indexed</source>
        <translation>%1 E-Mails indiziert</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Chat</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Add mailbox…</source>
        <translation>Postfach &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add Maildir &amp;folder…</source>
        <translation>Maildir-&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Uploads</source>
        <translation>&amp;Importe</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suche</translation>
    </message>
    <message>
        <source>C&amp;hat</source>
        <translation>C&amp;hat</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Finden…</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Neues Gespräch</translation>
    </message>
    <message>
        <source>&amp;About EmailRAG</source>
        <translation>Ü&amp;ber EmailRAG</translation>
    </message>
    <message>
        <source>About EmailRAG</source>
        <translation>Über EmailRAG</translation>
    </message>
    <message>
        <source>&lt;h3&gt;EmailRAG %1&lt;/h3&gt;&lt;p&gt;Search your email archives and ask questions answered from your own mail, with the sources cited.&lt;/p&gt;&lt;p&gt;Connected to: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;EmailRAG %1&lt;/h3&gt;&lt;p&gt;Durchsuchen Sie Ihre E-Mail-Archive und stellen Sie Fragen, die aus Ihren eigenen E-Mails beantwortet werden – mit Quellenangaben.&lt;/p&gt;&lt;p&gt;Verbunden mit: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The server did not accept your login any more. Please log in again.</source>
        <translation>Der Server akzeptiert Ihre Anmeldung nicht mehr. Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>EmailRAG could not start.</source>
        <translation>EmailRAG konnte nicht starten.</translation>
    </message>
    <message>
        <source>built-in server (127.0.0.1:%1)</source>
        <translation>dem eingebauten Server (127.0.0.1:%1)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::NotificationBanner</name>
    <message>
        <source>Notification</source>
        <translation>Benachrichtigung</translation>
    </message>
    <message>
        <source>Close notification</source>
        <translation>Benachrichtigung schließen</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::ReadingPane</name>
    <message>
        <source>Reading pane</source>
        <translation>Lesebereich</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>An:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Datum:</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>Anhänge (%n)</numerusform>
            <numerusform>Anhänge (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Thread (%n emails)</source>
        <translation>
            <numerusform>Unterhaltung (%n E-Mail)</numerusform>
            <numerusform>Unterhaltung (%n E-Mails)</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Select an email to read it here.</source>
        <translation>Wählen Sie eine E-Mail aus, um sie hier zu lesen.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SearchHitDelegate</name>
    <message>
        <source>(no subject)</source>
        <translation>(kein Betreff)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SearchView</name>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message numerus="yes">
        <source>Searching… %n result(s) so far</source>
        <translation>
            <numerusform>Suche läuft… bisher %n Treffer</numerusform>
            <numerusform>Suche läuft… bisher %n Treffer</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) in %1 ms</source>
        <translation>
            <numerusform>%n Treffer in %1 ms</numerusform>
            <numerusform>%n Treffer in %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>No email matches</source>
        <translation>Keine passende E-Mail</translation>
    </message>
    <message>
        <source>Try fewer words, another spelling, or remove a filter such as &lt;i&gt;from:&lt;/i&gt; or &lt;i&gt;after:&lt;/i&gt;.</source>
        <translation>Versuchen Sie weniger Wörter, eine andere Schreibweise oder entfernen Sie einen Filter wie &lt;i&gt;from:&lt;/i&gt; oder &lt;i&gt;after:&lt;/i&gt;.</translation>
    </message>
    <message>
        <source>Search mail: words, &quot;phrases&quot;, from:anna, after:2001-01-01, has:attachment… (Ctrl+K)</source>
        <translation>E-Mails durchsuchen: Wörter, &quot;Phrasen&quot;, from:anna, after:2001-01-01, has:attachment… (Strg+K)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>Type words or a question and press Enter. Operators: from: to: subject: has:attachment filename: before: after: date: &quot;phrase&quot; -word OR</source>
        <translation>Geben Sie Wörter oder eine Frage ein und drücken Sie die Eingabetaste. Operatoren: from: to: subject: has:attachment filename: before: after: date: &quot;Phrase&quot; -Wort OR</translation>
    </message>
    <message>
        <source>Stop the search (Esc)</source>
        <translation>Suche anhalten (Esc)</translation>
    </message>
    <message>
        <source>Stop search</source>
        <translation>Suche anhalten</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
    <message>
        <source>Find an email</source>
        <translation>Eine E-Mail finden</translation>
    </message>
    <message>
        <source>Type what you remember — words, a sender, a date — or ask in plain words, e.g. &lt;i&gt;invoices from Anna last month&lt;/i&gt;. Press &lt;b&gt;Ctrl+K&lt;/b&gt; from anywhere to search.</source>
        <translation>Geben Sie ein, woran Sie sich erinnern – Wörter, einen Absender, ein Datum – oder fragen Sie in eigenen Worten, z. B. &lt;i&gt;invoices from Anna last month&lt;/i&gt;. Mit &lt;b&gt;Strg+K&lt;/b&gt; suchen Sie von überall.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>&amp;Built-in server on this computer</source>
        <translation>&amp;Eingebauter Server auf diesem Computer</translation>
    </message>
    <message>
        <source>&amp;Remote server:</source>
        <translation>Entfernter &amp;Server:</translation>
    </message>
    <message>
        <source>Remote server address</source>
        <translation>Adresse des entfernten Servers</translation>
    </message>
    <message>
        <source>User name on the remote server</source>
        <translation>Benutzername auf dem entfernten Server</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Empty: built-in extractive answers (no model needed)</source>
        <translation>Leer: eingebaute auszugsweise Antworten (kein Modell nötig)</translation>
    </message>
    <message>
        <source>Model provider address</source>
        <translation>Adresse des Modellanbieters</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>Modellname</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <source>&amp;Provider URL:</source>
        <translation>Anbieter-&amp;URL:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-&amp;Schlüssel:</translation>
    </message>
    <message>
        <source>The key is kept in the system keychain, never in a settings file.</source>
        <translation>Der Schlüssel liegt im Schlüsselbund des Systems, nie in einer Einstellungsdatei.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Heartbeat interval in seconds</source>
        <translation>Heartbeat-Intervall in Sekunden</translation>
    </message>
    <message>
        <source>Default location</source>
        <translation>Standardort</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the data directory</source>
        <translation>Datenverzeichnis wählen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source>System colours</source>
        <translation>Systemfarben</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>&amp;Heartbeat:</source>
        <translation>&amp;Heartbeat:</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>&amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation>&amp;Farben:</translation>
    </message>
    <message>
        <source>A new data directory or server takes effect at the next start.</source>
        <translation>Ein neues Datenverzeichnis oder ein neuer Server gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>Stored in the keychain (type to replace)</source>
        <translation>Im Schlüsselbund gespeichert (zum Ersetzen tippen)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::UploadRates</name>
    <message>
        <source>%1 of %2 sent</source>
        <translation>%1 von %2 gesendet</translation>
    </message>
    <message>
        <source>%1 of %2 emails</source>
        <translation>%1 von %2 E-Mails</translation>
    </message>
    <message>
        <source>%1 emails</source>
        <translation>%1 E-Mails</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n neu</numerusform>
            <numerusform>%n neu</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 emails/s</source>
        <translation>%1 E-Mails/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Wird hochgeladen</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Wird importiert</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Receiving the file</source>
        <translation>Datei wird empfangen</translation>
    </message>
    <message>
        <source>Reading messages</source>
        <translation>Nachrichten werden gelesen</translation>
    </message>
    <message>
        <source>Indexing emails</source>
        <translation>E-Mails werden indiziert</translation>
    </message>
    <message>
        <source>Learning what the emails are about</source>
        <translation>Inhalte der E-Mails werden erfasst</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Wird abgeschlossen</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::UploadsView</name>
    <message>
        <source>%1 is neither a file nor a folder.</source>
        <translation>%1 ist weder eine Datei noch ein Ordner.</translation>
    </message>
    <message>
        <source>Add mailboxes</source>
        <translation>Postfächer hinzufügen</translation>
    </message>
    <message>
        <source>Mailboxes (*.mbox *.mbx *.eml *.txt *);;mbox files (*.mbox *.mbx);;Single emails (*.eml)</source>
        <translation>Postfächer (*.mbox *.mbx *.eml *.txt *);;mbox-Dateien (*.mbox *.mbx);;Einzelne E-Mails (*.eml)</translation>
    </message>
    <message>
        <source>Add a Maildir folder</source>
        <translation>Einen Maildir-Ordner hinzufügen</translation>
    </message>
    <message>
        <source>Upload failed</source>
        <translation>Import fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 could not be imported.</source>
        <translation>%1 konnte nicht importiert werden.</translation>
    </message>
    <message>
        <source>Upload of %1 failed: %2</source>
        <translation>Hochladen von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Collecting the messages of %1…</source>
        <translation>Nachrichten aus %1 werden gesammelt…</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>&amp;Add mailbox…</source>
        <translation>Postfach &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Add mailbox files</source>
        <translation>Postfachdateien hinzufügen</translation>
    </message>
    <message>
        <source>mbox files (Thunderbird, Gmail Takeout) and .eml files</source>
        <translation>mbox-Dateien (Thunderbird, Gmail Takeout) und .eml-Dateien</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>&amp;Ordner hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Cancel upload</source>
        <translation>Import a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Cancel the selected upload</source>
        <translation>Den gewählten Import abbrechen</translation>
    </message>
    <message>
        <source>Error &amp;details</source>
        <translation>Fehler&amp;details</translation>
    </message>
    <message>
        <source>Show why the selected upload failed</source>
        <translation>Zeigen, warum der gewählte Import fehlschlug</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Importe</translation>
    </message>
    <message>
        <source>Bring in your mail</source>
        <translation>Holen Sie Ihre E-Mails herein</translation>
    </message>
    <message>
        <source>Drop an mbox file, .eml files or a Maildir folder anywhere on this window, or choose them with &lt;b&gt;Add mailbox…&lt;/b&gt;. Everything stays on this computer.</source>
        <translation>Ziehen Sie eine mbox-Datei, .eml-Dateien oder einen Maildir-Ordner irgendwo auf dieses Fenster oder wählen Sie sie mit &lt;b&gt;Postfach hinzufügen…&lt;/b&gt;. Alles bleibt auf diesem Computer.</translation>
    </message>
    <message>
        <source>Add mailbox…</source>
        <translation>Postfach hinzufügen…</translation>
    </message>
</context>
</TS>
