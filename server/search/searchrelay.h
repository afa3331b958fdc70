#pragma once

#include "searchtypes.h"

#include <QObject>

namespace emailrag::search {

// Carries one search's results from the pool thread to its SearchJob through queued
// connections. Internal to the engine. Created on the caller's thread and shared (shared_ptr)
// with the pool task, which emits from its own thread; it never receives events, so it may be
// destroyed on either thread. When the job is deleted first, its connections drop and nothing
// more is delivered.
class SearchRelay : public QObject
{
    Q_OBJECT
Q_SIGNALS:
    void hitFound(const emailrag::search::SearchHit &hit);
    void done(const emailrag::search::SearchSummary &summary);
    void failed(const emailrag::search::SearchError &error);
};

} // namespace emailrag::search
