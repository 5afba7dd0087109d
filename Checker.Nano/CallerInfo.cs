// nanoFramework's mscorlib 1.17 has CallerMemberName but not CallerFilePath or CallerLineNumber.
// The C# compiler recognises these attributes by their full name in any assembly, so declaring
// them here (internal) makes [CallerFilePath] and [CallerLineNumber] work on the device; the
// host build gets them from .NET and skips this file's content.
#if !NET
namespace System.Runtime.CompilerServices
{
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    internal sealed class CallerFilePathAttribute : Attribute
    {
    }

    [AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
    internal sealed class CallerLineNumberAttribute : Attribute
    {
    }
}
#endif
