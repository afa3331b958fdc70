<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>emailrag::ui::ConnectionStatus</name>
    <message numerus="yes">
        <source>Connection lost; reconnecting in %n s</source>
        <translation>
            <numerusform>Connection lost; reconnecting in %n s</numerusform>
            <numerusform>Connection lost; reconnecting in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>emailrag::ui::MainWindow</name>
    <message numerus="yes">
        <source>%n new email(s) can now be searched.</source>
        <translation>
            <numerusform>%n new email can now be searched.</numerusform>
            <numerusform>%n new emails can now be searched.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>emailrag::ui::ReadingPane</name>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>Attachments (%n)</numerusform>
            <numerusform>Attachments (%n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Thread (%n emails)</source>
        <translation>
            <numerusform>Thread (%n email)</numerusform>
            <numerusform>Thread (%n emails)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>emailrag::ui::SearchView</name>
    <message numerus="yes">
        <source>Searching… %n result(s) so far</source>
        <translation>
            <numerusform>Searching… %n result so far</numerusform>
            <numerusform>Searching… %n results so far</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) in %1 ms</source>
        <translation>
            <numerusform>%n result in %1 ms</numerusform>
            <numerusform>%n results in %1 ms</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>emailrag::ui::UploadRates</name>
    <message numerus="yes">
        <source>%n new</source>
        <translation>
            <numerusform>%n new</numerusform>
            <numerusform>%n new</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
</context>
</TS>
