// Host only: finds the nanoFramework-style tests in the test assembly, the way the device's
// UnitTestLauncher does: every class with [TestClass]; its public methods (Type.GetMethods());
// [Setup] methods run once before the class's tests, each [TestMethod] runs once, a method with
// [DataRow]s runs once per row (its [TestMethod], if any, is then ignored), [Cleanup] methods
// run once after. Each test and each row becomes one NanoCase, and so one xunit test case.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using nanoFramework.TestFramework;

namespace Checker.Nano.Tests.Host.Bridge
{
    internal enum NanoCaseKind
    {
        Test,
        Cleanup,
    }

    /// <summary>One xunit test case: a [TestMethod], one [DataRow] of a method, or one [Cleanup] method.</summary>
    internal sealed class NanoCase
    {
        /// <summary>Row value of a [TestMethod] without rows.</summary>
        public const int NoRow = -1;

        /// <summary>Row value of a [Cleanup] method's case.</summary>
        public const int CleanupRow = -2;

        public Type Class { get; init; }

        public MethodInfo Method { get; init; }

        public NanoCaseKind Kind { get; init; }

        /// <summary>Index among the method's [DataRow]s, or NoRow / CleanupRow.</summary>
        public int Row { get; init; }

        /// <summary>The row's MethodParameters; null for a method without rows.</summary>
        public object[] Arguments { get; init; }

        public string DisplayName { get; init; }

        /// <summary>Position in the device's run order (class, then method, then row; cleanup last).</summary>
        public int Order { get; init; }

        /// <summary>Why this case cannot run as written (it then fails with this text), or null.</summary>
        public string Problem { get; init; }

        public string ClassKey => Class.FullName;
    }

    internal sealed class NanoCatalog
    {
        private static readonly Lazy<NanoCatalog> Instance = new Lazy<NanoCatalog>(() => Build(typeof(NanoCatalog).Assembly));

        private readonly Dictionary<string, NanoCase> _byKey;

        private NanoCatalog(List<NanoCase> cases, Dictionary<Type, MethodInfo[]> setups)
        {
            Cases = cases;
            Setups = setups;
            _byKey = cases.ToDictionary(c => Key(c.ClassKey, c.Method.Name, c.Row));
        }

        public static NanoCatalog Current => Instance.Value;

        public IReadOnlyList<NanoCase> Cases { get; }

        /// <summary>The [Setup] methods of each test class, in run order.</summary>
        public IReadOnlyDictionary<Type, MethodInfo[]> Setups { get; }

        public NanoCase Find(string className, string methodName, int row)
        {
            return _byKey.TryGetValue(Key(className, methodName, row), out NanoCase found) ? found : null;
        }

        private static string Key(string className, string methodName, int row)
        {
            return className + "\n" + methodName + "\n" + row;
        }

        private static NanoCatalog Build(Assembly assembly)
        {
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.Where(t => t != null).ToArray();
            }

            Type[] testClasses = types
                .Where(t => t.IsClass && t.GetCustomAttributes(true).Any(a => a is TestClassAttribute))
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .ToArray();

            // Short class names in display names, unless two test classes share one.
            HashSet<string> ambiguous = testClasses.GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();

            var cases = new List<NanoCase>();
            var setups = new Dictionary<Type, MethodInfo[]>();
            foreach (Type type in testClasses)
            {
                string classDisplay = ambiguous.Contains(type.Name) ? type.FullName.Replace('+', '.') : type.Name;
                string classProblem = ClassProblem(type);
                var setupMethods = new List<MethodInfo>();
                var cleanups = new List<NanoCase>();

                foreach (MethodInfo method in PublicMethodsInOrder(type))
                {
                    object[] attributes = Helper.RemoveTestMethodIfDataRowExists(method.GetCustomAttributes(true));
                    int row = 0;
                    foreach (object attribute in attributes)
                    {
                        switch (attribute)
                        {
                            case SetupAttribute:
                                setupMethods.Add(method);
                                break;
                            case CleanupAttribute:
                                cleanups.Add(new NanoCase
                                {
                                    Class = type,
                                    Method = method,
                                    Kind = NanoCaseKind.Cleanup,
                                    Row = NanoCase.CleanupRow,
                                    DisplayName = classDisplay + "." + method.Name + " [Cleanup]",
                                    Problem = classProblem ?? MethodProblem(type, method, null),
                                });
                                break;
                            case TestMethodAttribute:
                                cases.Add(new NanoCase
                                {
                                    Class = type,
                                    Method = method,
                                    Kind = NanoCaseKind.Test,
                                    Row = NanoCase.NoRow,
                                    DisplayName = classDisplay + "." + method.Name,
                                    Problem = classProblem ?? MethodProblem(type, method, null),
                                });
                                break;
                            case DataRowAttribute dataRow:
                                cases.Add(new NanoCase
                                {
                                    Class = type,
                                    Method = method,
                                    Kind = NanoCaseKind.Test,
                                    Row = row++,
                                    Arguments = dataRow.MethodParameters,
                                    DisplayName = classDisplay + "." + method.Name + "(" + FormatArguments(dataRow.MethodParameters) + ")",
                                    Problem = classProblem ?? MethodProblem(type, method, dataRow),
                                });
                                break;
                        }
                    }
                }

                cases.AddRange(cleanups);
                setups[type] = setupMethods.ToArray();

                // Attributed methods the device would silently never run: say so here.
                foreach (MethodInfo hidden in type.GetMethods(BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (hidden.GetCustomAttributes(true).Any(a => a is TestMethodAttribute || a is DataRowAttribute || a is SetupAttribute || a is CleanupAttribute))
                    {
                        cases.Add(new NanoCase
                        {
                            Class = type,
                            Method = hidden,
                            Kind = NanoCaseKind.Test,
                            Row = NanoCase.NoRow,
                            DisplayName = classDisplay + "." + hidden.Name,
                            Problem = "Method " + type.FullName + "." + hidden.Name + " has a test attribute but is not public: "
                                + "the nanoFramework launcher only looks at public methods, so it would never run on the device. Make it public.",
                        });
                    }
                }
            }

            var ordered = new List<NanoCase>(cases.Count);
            for (int i = 0; i < cases.Count; i++)
            {
                NanoCase c = cases[i];
                ordered.Add(new NanoCase
                {
                    Class = c.Class,
                    Method = c.Method,
                    Kind = c.Kind,
                    Row = c.Row,
                    Arguments = c.Arguments,
                    DisplayName = c.DisplayName,
                    Problem = c.Problem,
                    Order = i,
                });
            }

            return new NanoCatalog(ordered, setups);
        }

        /// <summary>type.GetMethods() as on the device, in declaration order (inherited ones after the type's own).</summary>
        private static IEnumerable<MethodInfo> PublicMethodsInOrder(Type type)
        {
            return type.GetMethods()
                .Where(m => m.DeclaringType != typeof(object))
                .OrderBy(m => Depth(type, m.DeclaringType))
                .ThenBy(m => m.MetadataToken);
        }

        private static int Depth(Type type, Type declaringType)
        {
            int depth = 0;
            for (Type t = type; t != null && t != declaringType; t = t.BaseType)
            {
                depth++;
            }

            return depth;
        }

        private static string ClassProblem(Type type)
        {
            if (type.ContainsGenericParameters)
            {
                return "Test class " + type.FullName + " is generic: nanoFramework 1.x has no generics.";
            }

            return null;
        }

        private static string MethodProblem(Type type, MethodInfo method, DataRowAttribute row)
        {
            string name = type.FullName + "." + method.Name;
            if (method.ContainsGenericParameters)
            {
                return "Test method " + name + " is generic: nanoFramework 1.x has no generics.";
            }

            if (!method.IsStatic)
            {
                bool isStaticClass = type.IsAbstract && type.IsSealed;
                if (type.IsAbstract && !isStaticClass)
                {
                    return "Instance method " + name + " is declared in abstract class " + type.FullName + ": make the method static or the class concrete.";
                }

                if (!isStaticClass && type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, Type.EmptyTypes, null) == null)
                {
                    return "Test class " + type.FullName + " needs a parameterless constructor for its instance method " + method.Name
                        + " (the device calls test methods without an instance; prefer static methods).";
                }
            }

            int parameters = method.GetParameters().Length;
            if (row == null && parameters != 0)
            {
                return "Test method " + name + " takes " + parameters + " parameter(s) but has no [DataRow].";
            }

            if (row != null)
            {
                int given = row.MethodParameters == null ? 0 : row.MethodParameters.Length;
                if (given != parameters)
                {
                    return "[DataRow(" + FormatArguments(row.MethodParameters) + ")] gives " + given + " argument(s) but " + name + " takes " + parameters + "."
                        + (row.MethodParameters == null ? " (A lone null, [DataRow(null)], passes no array at all: write [DataRow(new object[] { null })].)" : string.Empty);
                }

                // Desktop reflection would widen an int to a long or double; nanoFramework's Invoke
                // need not, so a row must give each parameter a value of exactly its type.
                ParameterInfo[] declared = method.GetParameters();
                for (int i = 0; i < given; i++)
                {
                    object value = row.MethodParameters[i];
                    Type wanted = declared[i].ParameterType;
                    bool fits = value == null
                        ? !wanted.IsValueType
                        : (wanted.IsValueType ? value.GetType() == wanted : wanted.IsInstanceOfType(value));
                    if (!fits)
                    {
                        return "[DataRow(" + FormatArguments(row.MethodParameters) + ")] of " + name + ": argument " + (i + 1) + " ("
                            + (value == null ? "null" : FormatArgument(value) + ", a " + value.GetType().FullName) + ") is not a " + wanted.FullName
                            + " for parameter '" + declared[i].Name + "'. Give the exact type (5L for a long, 5u for a uint, (byte)5, 5.0 for a double...):"
                            + " the host refuses the conversions that the device's reflection may not do.";
                    }
                }
            }

            return null;
        }

        internal static string FormatArguments(object[] arguments)
        {
            if (arguments == null)
            {
                return string.Empty;
            }

            var text = new StringBuilder();
            for (int i = 0; i < arguments.Length; i++)
            {
                text.Append(i == 0 ? string.Empty : ", ").Append(FormatArgument(arguments[i]));
            }

            return text.ToString();
        }

        private static string FormatArgument(object value)
        {
            if (value is Array array && value is not string)
            {
                var items = new StringBuilder("[");
                int i = 0;
                foreach (object item in array)
                {
                    items.Append(i++ == 0 ? string.Empty : ", ").Append(FormatArgument(item));
                }

                return items.Append(']').ToString();
            }

            return Assert.Show(value);
        }
    }
}
