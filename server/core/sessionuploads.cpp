// Session handlers for uploads; the work is the UploadManager's (shared by all connections, so
// an upload survives its connection and can be resumed from another).

#include "session.h"

#include "servercontext.h"
#include "uploadmanager.h"

namespace emailrag::server {

using namespace emailrag::protocol;

void Session::handle(const QString &rid, const UploadStart &m) { m_ctx.uploads->start(this, rid, m); }
void Session::handle(const QString &rid, const UploadFinish &m) { m_ctx.uploads->finish(this, rid, m); }
void Session::handle(const QString &rid, const ListUploads &) { m_ctx.uploads->list(this, rid); }
void Session::cancelUpload(const QString &rid, const QString &uploadId) { m_ctx.uploads->cancel(this, rid, uploadId); }

} // namespace emailrag::server
