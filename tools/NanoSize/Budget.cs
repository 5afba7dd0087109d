using System.Collections.Generic;
using System.Globalization;

namespace NanoSize
{
    /// <summary>
    /// The size budget of a device assembly: its byte code table and its string table at most
    /// 48 KiB each (49,152 bytes, 75% of the 65,535 the MDP accepts), so that an assembly keeps
    /// a quarter of the format's room for growth. Checked for Debug and Release builds alike.
    /// The string figure is the largest the MDP's table gets (<see cref="NanoFigures.StringsPeak"/>).
    /// </summary>
    public static class Budget
    {
        public const int Limit = 49152;

        public static string ByteCodeFailure(string assembly, string configuration, int bytes) =>
            bytes <= Limit ? null : Message(assembly, configuration, "nano byte code", bytes);

        public static string StringsFailure(string assembly, string configuration, int bytes) =>
            bytes <= Limit ? null : Message(assembly, configuration, "string table", bytes);

        /// <summary>Every broken budget of an assembly, one message each (none: within budget).</summary>
        public static List<string> Check(NanoFigures f, string configuration)
        {
            var failures = new List<string>();
            var b = ByteCodeFailure(f.Assembly, configuration, f.ByteCode);
            if (b != null) failures.Add(b);
            var s = StringsFailure(f.Assembly, configuration, f.StringsPeak);
            if (s != null) failures.Add(s);
            return failures;
        }

        static string Message(string assembly, string configuration, string table, int bytes) =>
            string.Format(CultureInfo.InvariantCulture,
                "{0} ({1}): {2} {3:N0} bytes is over the budget of {4:N0} bytes (75% of the format's {5:N0})",
                assembly, configuration, table, bytes, Limit, Estimator.FormatLimit);
    }
}
