// Host (.NET) stand-in for nanoFramework.TestFramework 3.0: see Host/README.md.
// Same names, targets and AllowMultiple as the device assembly; the host bridge
// (Host/Bridge) finds tests through them exactly as the device launcher does.
using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class whose public methods carry [Setup], [TestMethod], [DataRow] and [Cleanup].</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        public TestClassAttribute()
        {
        }

        /// <summary>Present in the device API; returns its argument.</summary>
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute)
        {
            return testMethodAttribute;
        }
    }

    /// <summary>A test: a public method without parameters (unless it also has [DataRow]s).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
        public TestMethodAttribute()
        {
        }
    }

    /// <summary>Runs once per class, before its tests. Throwing SkipTestException skips the whole class.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
        public SetupAttribute()
        {
        }
    }

    /// <summary>Runs once per class, after its tests.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
        public CleanupAttribute()
        {
        }
    }

    /// <summary>One run of a parameterised test; the method is called once per row with these arguments.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters)
        {
            MethodParameters = methodParameters;
        }

        public object[] MethodParameters { get; }
    }
}
