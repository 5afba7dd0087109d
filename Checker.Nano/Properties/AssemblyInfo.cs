// Assembly attributes of the device build (Checker.Nano.nfproj): nanoFramework projects
// declare them here rather than having the build generate them. The host build
// (Checker.Nano.csproj) generates its own, so this file's content is for nanoFramework only
// (tools/NanoSurface defines NANOFRAMEWORK_1_0 too, and so compiles it against the stubs).
#if NANOFRAMEWORK_1_0
using System.Reflection;

[assembly: AssemblyTitle("Checker.Nano")]
[assembly: AssemblyDescription("Memory allocator and heap checker for nanoFramework")]
[assembly: AssemblyProduct("Checker.Nano")]
[assembly: AssemblyCompany("")]
[assembly: AssemblyCopyright("")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
#endif
