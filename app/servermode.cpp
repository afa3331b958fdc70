#include "modes.h"

#include "cliutil.h"

#include <cstdio>

namespace emailrag::app {

// Placeholder until the server mode lands; replaced by its own implementation.
int runServerMode(const QStringList &)
{
    std::fprintf(stderr, "emailrag: the server mode is not part of this build yet\n");
    return ExitFailure;
}

} // namespace emailrag::app
