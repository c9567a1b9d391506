// A stand-in for the one GCC 13 libstdc++ symbol that TorchSharp's native library (libLibTorchSharp.so, built with
// GCC 13) asks for: std::ios_base_library_init(), version GLIBCXX_3.4.32. GCC 13's <iostream> makes every translation
// unit *reference* this function so that linking pulls in libstdc++'s own initialisation of the standard streams; it
// is never called (libLibTorchSharp.so has no relocation against it). Debian 12 ships GCC 12's libstdc++
// (GLIBCXX_3.4.30), which lacks it. scripts/torchsharp-compat.sh builds this file with the system's g++, marks the
// version need weak and adds this library as a DT_NEEDED of libLibTorchSharp.so, so TorchSharp runs on the system's
// own C++ runtime (docs/troubleshooting.md, "libstdc++").
#include <ios>

namespace {
// What GCC 13's libstdc++ does in its own start-up and older ones leave to each user of <iostream>: construct the
// standard streams before any code of this process can use them.
const std::ios_base::Init standard_streams_initialised;
}  // namespace

namespace std {
void ios_base_library_init() {}
}  // namespace std
