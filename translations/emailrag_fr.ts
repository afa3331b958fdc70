<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>emailrag::ui::ChatView</name>
    <message>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <source>EmailRAG</source>
        <translation>EmailRAG</translation>
    </message>
    <message>
        <source>Looking through your mail…</source>
        <translation>Recherche dans vos e-mails…</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Nouvelle conversation</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Ask a question about your mail (Enter sends, Shift+Enter adds a line)</source>
        <translation>Posez une question sur vos e-mails (Entrée envoie, Maj+Entrée ajoute une ligne)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>Send question</source>
        <translation>Envoyer la question</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>&amp;Arrêter</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>Arrêter la réponse</translation>
    </message>
    <message>
        <source>Stop the answer (Esc)</source>
        <translation>Arrêter la réponse (Échap)</translation>
    </message>
    <message>
        <source>Ask your mail</source>
        <translation>Interrogez vos e-mails</translation>
    </message>
    <message>
        <source>Ask in plain words, e.g. &lt;i&gt;What did Anna say about the budget?&lt;/i&gt; The answer cites the emails it comes from: click a [1] to read the email with the passage marked.</source>
        <translation>Posez votre question simplement, par ex. &lt;i&gt;Qu’a dit Anna sur le budget ?&lt;/i&gt; La réponse cite les e-mails dont elle provient : cliquez sur un [1] pour lire l’e-mail avec le passage surligné.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::ConnectionStatus</name>
    <message>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
    <message>
        <source>Connected to %1 as %2</source>
        <translation>Connecté à %1 en tant que %2</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message numerus="yes">
        <source>Connection lost; reconnecting in %n s</source>
        <translation>
            <numerusform>Connexion perdue ; nouvelle tentative dans %n s</numerusform>
            <numerusform>Connexion perdue ; nouvelle tentative dans %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnexion…</translation>
    </message>
    <message>
        <source>Not logged in to %1</source>
        <translation>Non connecté à %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::EmailFetcher</name>
    <message>
        <source>This email no longer exists.</source>
        <translation>Cet e-mail n’existe plus.</translation>
    </message>
    <message>
        <source>The email could not be loaded: %1</source>
        <translation>Impossible de charger l’e-mail : %1</translation>
    </message>
    <message>
        <source>The server did not answer. Try again when the connection is back.</source>
        <translation>Le serveur n’a pas répondu. Réessayez quand la connexion sera rétablie.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::LoginDialog</name>
    <message>
        <source>Log in to EmailRAG</source>
        <translation>Se connecter à EmailRAG</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d’utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Login error</source>
        <translation>Erreur de connexion</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serveur :</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nom d’&amp;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe :</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <source>Log in once; the token is kept in the system keychain for the next start.</source>
        <translation>Connectez-vous une fois ; le jeton est conservé dans le trousseau du système pour le prochain démarrage.</translation>
    </message>
    <message>
        <source>Enter the server address and your user name.</source>
        <translation>Saisissez l’adresse du serveur et votre nom d’utilisateur.</translation>
    </message>
    <message>
        <source>That is not a server address, e.g. ws://host:8000/api/v1/ws</source>
        <translation>Ce n’est pas une adresse de serveur, par ex. ws://host:8000/api/v1/ws</translation>
    </message>
    <message>
        <source>Login failed.</source>
        <translation>Échec de la connexion.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::MaildirPacker</name>
    <message>
        <source>The folder %1 holds no messages.</source>
        <translation>Le dossier %1 ne contient aucun message.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n new email(s) can now be searched.</source>
        <translation>
            <numerusform>%n nouvel e-mail est maintenant consultable.</numerusform>
            <numerusform>%n nouveaux e-mails sont maintenant consultables.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 new emails from %2 can now be searched.</source>
        <translation>%1 nouveaux e-mails de %2 sont maintenant consultables.</translation>
    </message>
    <message>
        <source>The new server, data directory or model settings take effect at the next start.</source>
        <translation>Le nouveau serveur, le dossier de données ou les réglages du modèle s’appliquent au prochain démarrage.</translation>
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
        <translation>Imports</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Discussion</translation>
    </message>
    <message>
        <source>Add mailboxes and watch them import (Ctrl+1)</source>
        <translation>Ajouter des boîtes aux lettres et suivre leur import (Ctrl+1)</translation>
    </message>
    <message>
        <source>Find emails (Ctrl+2, or Ctrl+K from anywhere)</source>
        <translation>Trouver des e-mails (Ctrl+2, ou Ctrl+K partout)</translation>
    </message>
    <message>
        <source>Ask questions answered from your mail (Ctrl+3)</source>
        <translation>Poser des questions auxquelles vos e-mails répondent (Ctrl+3)</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>%1 emails indexed</source>
        <translation>%1 e-mails indexés</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Affic&amp;hage</translation>
    </message>
    <message>
        <source>&amp;Chat</source>
        <translation>&amp;Discussion</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;ide</translation>
    </message>
    <message>
        <source>&amp;Add mailbox…</source>
        <translation>&amp;Ajouter une boîte aux lettres…</translation>
    </message>
    <message>
        <source>Add Maildir &amp;folder…</source>
        <translation>Ajouter un &amp;dossier Maildir…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Paramètres…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Uploads</source>
        <translation>&amp;Imports</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Recherche</translation>
    </message>
    <message>
        <source>C&amp;hat</source>
        <translation>Dis&amp;cussion</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Rechercher…</translation>
    </message>
    <message>
        <source>&amp;New conversation</source>
        <translation>&amp;Nouvelle conversation</translation>
    </message>
    <message>
        <source>&amp;About EmailRAG</source>
        <translation>À &amp;propos d’EmailRAG</translation>
    </message>
    <message>
        <source>About EmailRAG</source>
        <translation>À propos d’EmailRAG</translation>
    </message>
    <message>
        <source>&lt;h3&gt;EmailRAG %1&lt;/h3&gt;&lt;p&gt;Search your email archives and ask questions answered from your own mail, with the sources cited.&lt;/p&gt;&lt;p&gt;Connected to: %2&lt;/p&gt;</source>
        <translation>&lt;h3&gt;EmailRAG %1&lt;/h3&gt;&lt;p&gt;Cherchez dans vos archives d’e-mails et posez des questions auxquelles vos propres e-mails répondent, sources à l’appui.&lt;/p&gt;&lt;p&gt;Connecté à : %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The server did not accept your login any more. Please log in again.</source>
        <translation>Le serveur n’accepte plus votre connexion. Veuillez vous reconnecter.</translation>
    </message>
    <message>
        <source>EmailRAG could not start.</source>
        <translation>EmailRAG n’a pas pu démarrer.</translation>
    </message>
    <message>
        <source>built-in server (127.0.0.1:%1)</source>
        <translation>serveur intégré (127.0.0.1:%1)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::NotificationBanner</name>
    <message>
        <source>Notification</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>Close notification</source>
        <translation>Fermer la notification</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::ReadingPane</name>
    <message>
        <source>Reading pane</source>
        <translation>Volet de lecture</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>De :</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>À :</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>Cc :</translation>
    </message>
    <message>
        <source>Date:</source>
        <translation>Date :</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>Pièces jointes (%n)</numerusform>
            <numerusform>Pièces jointes (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Thread (%n emails)</source>
        <translation>
            <numerusform>Fil (%n e-mail)</numerusform>
            <numerusform>Fil (%n e-mails)</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>Select an email to read it here.</source>
        <translation>Sélectionnez un e-mail pour le lire ici.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SearchHitDelegate</name>
    <message>
        <source>(no subject)</source>
        <translation>(sans objet)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SearchView</name>
    <message>
        <source>Searching…</source>
        <translation>Recherche en cours…</translation>
    </message>
    <message numerus="yes">
        <source>Searching… %n result(s) so far</source>
        <translation>
            <numerusform>Recherche en cours… %n résultat pour l’instant</numerusform>
            <numerusform>Recherche en cours… %n résultats pour l’instant</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) in %1 ms</source>
        <translation>
            <numerusform>%n résultat en %1 ms</numerusform>
            <numerusform>%n résultats en %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>No email matches</source>
        <translation>Aucun e-mail ne correspond</translation>
    </message>
    <message>
        <source>Try fewer words, another spelling, or remove a filter such as &lt;i&gt;from:&lt;/i&gt; or &lt;i&gt;after:&lt;/i&gt;.</source>
        <translation>Essayez moins de mots, une autre orthographe, ou retirez un filtre comme &lt;i&gt;from:&lt;/i&gt; ou &lt;i&gt;after:&lt;/i&gt;.</translation>
    </message>
    <message>
        <source>Search mail: words, &quot;phrases&quot;, from:anna, after:2001-01-01, has:attachment… (Ctrl+K)</source>
        <translation>Chercher : mots, &quot;expressions&quot;, from:anna, after:2001-01-01, has:attachment… (Ctrl+K)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <source>Type words or a question and press Enter. Operators: from: to: subject: has:attachment filename: before: after: date: &quot;phrase&quot; -word OR</source>
        <translation>Tapez des mots ou une question puis Entrée. Opérateurs : from: to: subject: has:attachment filename: before: after: date: &quot;expression&quot; -mot OR</translation>
    </message>
    <message>
        <source>Stop the search (Esc)</source>
        <translation>Arrêter la recherche (Échap)</translation>
    </message>
    <message>
        <source>Stop search</source>
        <translation>Arrêter la recherche</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Résultats de recherche</translation>
    </message>
    <message>
        <source>Find an email</source>
        <translation>Trouver un e-mail</translation>
    </message>
    <message>
        <source>Type what you remember — words, a sender, a date — or ask in plain words, e.g. &lt;i&gt;invoices from Anna last month&lt;/i&gt;. Press &lt;b&gt;Ctrl+K&lt;/b&gt; from anywhere to search.</source>
        <translation>Tapez ce dont vous vous souvenez — des mots, un expéditeur, une date — ou demandez simplement, par ex. &lt;i&gt;invoices from Anna last month&lt;/i&gt;. &lt;b&gt;Ctrl+K&lt;/b&gt; lance la recherche depuis n’importe où.</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>&amp;Built-in server on this computer</source>
        <translation>Serveur &amp;intégré sur cet ordinateur</translation>
    </message>
    <message>
        <source>&amp;Remote server:</source>
        <translation>Serveur &amp;distant :</translation>
    </message>
    <message>
        <source>Remote server address</source>
        <translation>Adresse du serveur distant</translation>
    </message>
    <message>
        <source>User name on the remote server</source>
        <translation>Nom d’utilisateur sur le serveur distant</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nom d’&amp;utilisateur :</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <source>Empty: built-in extractive answers (no model needed)</source>
        <translation>Vide : réponses extractives intégrées (aucun modèle requis)</translation>
    </message>
    <message>
        <source>Model provider address</source>
        <translation>Adresse du fournisseur de modèle</translation>
    </message>
    <message>
        <source>Model name</source>
        <translation>Nom du modèle</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé d’API</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>Non définie</translation>
    </message>
    <message>
        <source>&amp;Provider URL:</source>
        <translation>&amp;URL du fournisseur :</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>&amp;Clé d’API :</translation>
    </message>
    <message>
        <source>The key is kept in the system keychain, never in a settings file.</source>
        <translation>La clé est conservée dans le trousseau du système, jamais dans un fichier de réglages.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Heartbeat interval in seconds</source>
        <translation>Intervalle de battement en secondes</translation>
    </message>
    <message>
        <source>Default location</source>
        <translation>Emplacement par défaut</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Dossier de données</translation>
    </message>
    <message>
        <source>Bro&amp;wse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>Choose the data directory</source>
        <translation>Choisir le dossier de données</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Couleurs</translation>
    </message>
    <message>
        <source>System colours</source>
        <translation>Couleurs du système</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <source>&amp;Heartbeat:</source>
        <translation>&amp;Battement :</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>&amp;Dossier de données :</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <source>&amp;Colours:</source>
        <translation>&amp;Couleurs :</translation>
    </message>
    <message>
        <source>A new data directory or server takes effect at the next start.</source>
        <translation>Un nouveau dossier de données ou serveur s’applique au prochain démarrage.</translation>
    </message>
    <message>
        <source>Stored in the keychain (type to replace)</source>
        <translation>Enregistrée dans le trousseau (tapez pour la remplacer)</translation>
    </message>
</context>
<context>
    <name>emailrag::ui::UploadRates</name>
    <message>
        <source>%1 of %2 sent</source>
        <translation>%1 sur %2 envoyés</translation>
    </message>
    <message>
        <source>%1 of %2 emails</source>
        <translation>%1 e-mails sur %2</translation>
    </message>
    <message>
        <source>%1 emails</source>
        <translation>%1 e-mails</translation>
    </message>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n nouveau</numerusform>
            <numerusform>%n nouveaux</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 emails/s</source>
        <translation>%1 e-mails/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 restant</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>Envoi</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
    <message>
        <source>Receiving the file</source>
        <translation>Réception du fichier</translation>
    </message>
    <message>
        <source>Reading messages</source>
        <translation>Lecture des messages</translation>
    </message>
    <message>
        <source>Indexing emails</source>
        <translation>Indexation des e-mails</translation>
    </message>
    <message>
        <source>Learning what the emails are about</source>
        <translation>Analyse du sens des e-mails</translation>
    </message>
    <message>
        <source>Finishing</source>
        <translation>Finalisation</translation>
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
        <translation>%1 n’est ni un fichier ni un dossier.</translation>
    </message>
    <message>
        <source>Add mailboxes</source>
        <translation>Ajouter des boîtes aux lettres</translation>
    </message>
    <message>
        <source>Mailboxes (*.mbox *.mbx *.eml *.txt *);;mbox files (*.mbox *.mbx);;Single emails (*.eml)</source>
        <translation>Boîtes aux lettres (*.mbox *.mbx *.eml *.txt *);;Fichiers mbox (*.mbox *.mbx);;E-mails isolés (*.eml)</translation>
    </message>
    <message>
        <source>Add a Maildir folder</source>
        <translation>Ajouter un dossier Maildir</translation>
    </message>
    <message>
        <source>Upload failed</source>
        <translation>Échec de l’import</translation>
    </message>
    <message>
        <source>%1 could not be imported.</source>
        <translation>%1 n’a pas pu être importé.</translation>
    </message>
    <message>
        <source>Upload of %1 failed: %2</source>
        <translation>L’envoi de %1 a échoué : %2</translation>
    </message>
    <message>
        <source>Collecting the messages of %1…</source>
        <translation>Collecte des messages de %1…</translation>
    </message>
    <message>
        <source>%1 could not be read: %2</source>
        <translation>%1 n’a pas pu être lu : %2</translation>
    </message>
    <message>
        <source>&amp;Add mailbox…</source>
        <translation>&amp;Ajouter une boîte aux lettres…</translation>
    </message>
    <message>
        <source>Add mailbox files</source>
        <translation>Ajouter des fichiers de boîte aux lettres</translation>
    </message>
    <message>
        <source>mbox files (Thunderbird, Gmail Takeout) and .eml files</source>
        <translation>Fichiers mbox (Thunderbird, Gmail Takeout) et fichiers .eml</translation>
    </message>
    <message>
        <source>Add &amp;folder…</source>
        <translation>Ajouter un &amp;dossier…</translation>
    </message>
    <message>
        <source>&amp;Cancel upload</source>
        <translation>&amp;Annuler l’import</translation>
    </message>
    <message>
        <source>Cancel the selected upload</source>
        <translation>Annuler l’import sélectionné</translation>
    </message>
    <message>
        <source>Error &amp;details</source>
        <translation>&amp;Détails de l’erreur</translation>
    </message>
    <message>
        <source>Show why the selected upload failed</source>
        <translation>Montrer pourquoi l’import sélectionné a échoué</translation>
    </message>
    <message>
        <source>Uploads</source>
        <translation>Imports</translation>
    </message>
    <message>
        <source>Bring in your mail</source>
        <translation>Importez vos e-mails</translation>
    </message>
    <message>
        <source>Drop an mbox file, .eml files or a Maildir folder anywhere on this window, or choose them with &lt;b&gt;Add mailbox…&lt;/b&gt;. Everything stays on this computer.</source>
        <translation>Déposez un fichier mbox, des fichiers .eml ou un dossier Maildir n’importe où sur cette fenêtre, ou choisissez-les avec &lt;b&gt;Ajouter une boîte aux lettres…&lt;/b&gt;. Tout reste sur cet ordinateur.</translation>
    </message>
    <message>
        <source>Add mailbox…</source>
        <translation>Ajouter une boîte aux lettres…</translation>
    </message>
</context>
</TS>
