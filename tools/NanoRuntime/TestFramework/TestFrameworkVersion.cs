// The assembly version of our builds of nanoFramework.TestFramework and
// nanoFramework.UnitTestLauncher (upstream computes it with Nerdbank.GitVersioning from its
// version.json, "3.0", and the git height, which a build by path does not see). The interpreter
// resolves an assembly reference by name and major.minor only (CLR_RT_TypeSystem::FindAssembly),
// so 3.0 is what matters: it is what the device build's reference to the TestFramework 3.0.77
// package asks for, and what our stub (tools/NanoSurface/nanoFramework.TestFramework, generated
// from the 3.0 listing) declares, so the surface-built NFUnitTest assemblies resolve against it.
[assembly: System.Reflection.AssemblyVersion("3.0.0.0")]
