// Stand-in for std::ios_base_library_init(), which libstdc++ added in GCC 13 (GLIBCXX_3.4.32).
//
// Code compiled with GCC 13+ headers no longer puts a static std::ios_base::Init into every file that
// includes <iostream>; it references this symbol instead, so that it links against a libstdc++ that
// initialises the standard streams itself. TorchSharp's libLibTorchSharp.so carries that reference.
// On an older libstdc++ (Debian 12: GCC 12) DeclCnn.Runtime marks the GLIBCXX_3.4.32 requirement of a
// copy of libLibTorchSharp.so weak and loads this library with RTLD_GLOBAL first, so the reference
// binds here and the streams are initialised the pre-GCC-13 way: by constructing std::ios_base::Init.
//
// Built by Native.targets with `g++ -shared -fPIC -O2` and embedded in DeclCnn.Runtime.dll.
// Only <ios> is included (not <iostream>) so that a GCC 13+ build of this file does not itself
// reference GLIBCXX_3.4.32.
#include <ios>

namespace std
{
    void ios_base_library_init();

    __attribute__((visibility("default"))) void ios_base_library_init()
    {
        // Init is reference counted by libstdc++: the first construction sets up cin/cout/cerr/clog,
        // and this static keeps them alive until the library is unloaded.
        static ios_base::Init init;
    }
}

namespace
{
    // Initialise the streams as soon as the shim is loaded, i.e. before libLibTorchSharp.so's own
    // constructors run.
    __attribute__((constructor)) void initialise_streams_on_load()
    {
        std::ios_base_library_init();
    }
}
