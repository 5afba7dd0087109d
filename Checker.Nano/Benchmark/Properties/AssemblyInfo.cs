// Assembly attributes of the device build (Checker.Nano.Benchmark.nfproj): nanoFramework projects declare them
// here rather than having the build generate them. The host build generates its own, so this
// file's content is for nanoFramework only (tools/NanoSurface defines NANOFRAMEWORK_1_0 too).
#if NANOFRAMEWORK_1_0
using System.Reflection;

[assembly: AssemblyTitle("Checker.Nano.Benchmark")]
[assembly: AssemblyDescription("The device benchmark")]
[assembly: AssemblyProduct("Checker.Nano")]
[assembly: AssemblyCompany("Checker.Nano contributors")]
[assembly: AssemblyCopyright("Copyright (c) Checker.Nano contributors. MIT License.")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
#endif
