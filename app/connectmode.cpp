#include "modes.h"

#include "cliutil.h"

#include <cstdio>

namespace emailrag::app {

// Placeholder until the connect mode lands; replaced by its own implementation.
int runConnectMode(const QStringList &)
{
    std::fprintf(stderr, "emailrag: the connect mode is not part of this build yet\n");
    return ExitFailure;
}

} // namespace emailrag::app
