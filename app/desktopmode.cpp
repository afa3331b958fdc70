#include "modes.h"

#include "cliutil.h"

#include <cstdio>

namespace emailrag::app {

// Placeholder until the desktop mode lands; replaced by its own implementation.
int runDesktopMode(const QStringList &)
{
    std::fprintf(stderr, "emailrag: the desktop mode is not part of this build yet\n");
    return ExitFailure;
}

} // namespace emailrag::app
