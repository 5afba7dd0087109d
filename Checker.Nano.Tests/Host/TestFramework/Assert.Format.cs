// Host only: how Assert and CollectionAssert word their failures.
// Format: "<Assert.Name> failed: <message or checked expression>. <what was expected and found>"
using System;
using System.Globalization;
using System.Text;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    public sealed partial class Assert
    {
        internal static void Fail(string assertion, string message, string detail)
        {
            throw new AssertFailedException(Compose(assertion, message, detail));
        }

        internal static string Compose(string assertion, string message, string detail)
        {
            var text = new StringBuilder(assertion).Append(" failed");
            if (!string.IsNullOrEmpty(message))
            {
                text.Append(": ").Append(message);
            }

            text.Append('.');
            if (!string.IsNullOrEmpty(detail))
            {
                text.Append(' ').Append(detail);
            }

            return text.ToString();
        }

        internal static void RequireNotNull(string assertion, object argument, string parameterName)
        {
            if (argument is null)
            {
                Fail(assertion, null, "Argument '" + parameterName + "' must not be null.");
            }
        }

        /// <summary>A value as failures show it: strings quoted and escaped, chars quoted, numbers invariant, null as (null).</summary>
        internal static string Show(object value)
        {
            switch (value)
            {
                case null:
                    return "(null)";
                case string s:
                    return Quote(s, '"');
                case char c:
                    return Quote(c.ToString(), '\'');
                case bool b:
                    return b ? "true" : "false";
                case DateTime d:
                    return d.ToString("o", CultureInfo.InvariantCulture);
                case float f:
                    return f.ToString("R", CultureInfo.InvariantCulture);
                case double d:
                    return d.ToString("R", CultureInfo.InvariantCulture);
                case IFormattable formattable:
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
            }

            string text;
            try
            {
                text = value.ToString();
            }
            catch (Exception ex)
            {
                text = "(" + value.GetType().FullName + ".ToString() threw " + ex.GetType().Name + ")";
            }

            return text ?? "(" + value.GetType().FullName + ")";
        }

        /// <summary>" (System.Int32)" after a shown value, to tell apart e.g. a boxed int from a boxed long.</summary>
        internal static string TypeSuffix(object value)
        {
            return value is null ? string.Empty : " (" + value.GetType().FullName + ")";
        }

        private static string Quote(string s, char quote)
        {
            var text = new StringBuilder(s.Length + 2).Append(quote);
            foreach (char c in s)
            {
                switch (c)
                {
                    case '\0': text.Append("\\0"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\\': text.Append("\\\\"); break;
                    default:
                        if (c == quote)
                        {
                            text.Append('\\').Append(c);
                        }
                        else if (char.IsControl(c))
                        {
                            text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }

                        break;
                }
            }

            return text.Append(quote).ToString();
        }
    }
}
