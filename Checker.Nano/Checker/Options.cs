// The options string, in the spirit of Checker's CHECKEROPTS environment variable: a board has
// no environment, so the firmware passes the string to SetOptions (from a constant, a config
// file or a command).
//
// Syntax: options separated by spaces; each is -letter=value:
//   -n=code                 do not report errors of this code (suppression)
//   -n=code:File.cs         ... only those concerning blocks allocated in File.cs (any line)
//   -n=code:File.cs(117)    ... only those concerning blocks allocated at File.cs line 117
//   -e=code                 report this code (undoes a plain -n; every code is on by default)
//   -a=N                    aging depth: freed blocks held before reuse, 0..1024 (default 8)
//   -m=0 | -m=1             malloc(0) returns 0 (null) | a unique 0-byte block (default 1)
//   -d=when[,when...]       when the garbage detector runs by itself: never, end (Shutdown),
//                           point (each DetectorPoint call), or N (every N allocations);
//                           default end. Automatic runs are evolution runs: each leak is
//                           reported once. DetectGarbage and friends always run on demand.
// A site is matched against the allocation site of the block an error concerns (ruh, bvh, rfb,
// wfb, fba, ffb) and against the faulty call's site for the others; a file matches by its name
// without directories. Every SetOptions starts from the defaults, so the string says everything.
// As in the original, fba, ffb, fnl, rec and bda (and the garbage detector's gar) cannot be
// switched off: -n of one of them is a bad option. A bad option is reported ("bda") and nothing
// changes.
namespace Checker.Nano
{
    public sealed partial class CheckerHeap
    {
        /// <summary>The options SetOptions starts from.</summary>
        public const string DefaultOptions = "-a=8 -m=1 -d=end";

        /// <summary>How many site suppressions (-n=code:site) one options string may hold.</summary>
        public const int MaxSuppressions = 16;

        /// <summary>The one-line summary shown after a bad option.</summary>
        public const string OptionsUsage = "Options: -n=code[:File.cs[(line)]] -e=code -a=0..1024 -m=0|1 -d=never|end|point|N[,...]";

        private string _options = DefaultOptions;
        private int _disabled;                 // bit per CheckerError: not reported
        private bool _malloc0Null;
        private bool _detectAtEnd;
        private bool _detectAtPoint;
        private int _detectEvery;
        private int _sinceDetect;
        private readonly int[] _supCodes = new int[MaxSuppressions];
        private readonly string[] _supFiles = new string[MaxSuppressions];
        private readonly int[] _supLines = new int[MaxSuppressions];
        private int _supCount;

        /// <summary>The options in force (as last given to SetOptions, or the defaults).</summary>
        public string Options
        {
            get { return _options; }
        }

        /// <summary>
        /// Sets the options from <paramref name="options"/> (see the top of Options.cs), starting
        /// from the defaults. A bad option is reported and nothing changes; returns whether it was taken.
        /// </summary>
        public bool SetOptions(string options)
        {
            lock (_sync)
            {
                return SetOptionsLocked(options == null ? "" : options);
            }
        }

        private void ResetOptions()
        {
            _disabled = 0;
            _malloc0Null = false;
            _detectAtEnd = true;
            _detectAtPoint = false;
            _detectEvery = 0;
            _supCount = 0;
            SetAgingDepth(DefaultAgingDepth);
            _options = DefaultOptions;
        }

        private bool SetOptionsLocked(string options)
        {
            // Parse into locals; commit only if everything is good.
            int disabled = 0;
            int depth = DefaultAgingDepth;
            bool malloc0Null = false;
            bool atEnd = true;
            bool atPoint = false;
            int every = 0;
            int supCount = 0;
            int[] supCodes = new int[MaxSuppressions];
            string[] supFiles = new string[MaxSuppressions];
            int[] supLines = new int[MaxSuppressions];

            int i = 0;
            int n = options.Length;
            while (i < n)
            {
                while (i < n && IsSpace(options[i]))
                {
                    i++;
                }

                if (i >= n)
                {
                    break;
                }

                int start = i;
                while (i < n && !IsSpace(options[i]))
                {
                    i++;
                }

                string token = options.Substring(start, i - start);
                if (token.Length < 3 || token[0] != '-' || token[2] != '=')
                {
                    return BadOption(token, "an option is -letter=value");
                }

                string value = token.Substring(3);
                char letter = token[1];
                if (letter == 'n' || letter == 'e')
                {
                    string codeText = value;
                    string site = null;
                    int colon = value.IndexOf(':');
                    if (colon >= 0)
                    {
                        codeText = value.Substring(0, colon);
                        site = value.Substring(colon + 1);
                    }

                    CheckerError code = CheckerErrors.Parse(codeText);
                    if (letter == 'n' && (code != CheckerError.None ? ((CheckerErrors.Unsuppressible >> (int)code) & 1) != 0 : codeText == "gar"))
                    {
                        return BadOption(token, codeText + " cannot be switched off");
                    }

                    if (code == CheckerError.None)
                    {
                        return BadOption(token, "unknown error code '" + codeText + "'");
                    }

                    int bit = 1 << (int)code;
                    if (letter == 'e')
                    {
                        if (site != null)
                        {
                            return BadOption(token, "-e takes a code without a site");
                        }

                        disabled &= ~bit;
                    }
                    else if (site == null)
                    {
                        disabled |= bit;
                    }
                    else
                    {
                        string file;
                        int siteLine;
                        if (!ParseSite(site, out file, out siteLine))
                        {
                            return BadOption(token, "a site is File.cs or File.cs(line)");
                        }

                        if (supCount == MaxSuppressions)
                        {
                            return BadOption(token, "more than " + MaxSuppressions.ToString() + " site suppressions");
                        }

                        supCodes[supCount] = (int)code;
                        supFiles[supCount] = file;
                        supLines[supCount] = siteLine;
                        supCount++;
                    }
                }
                else if (letter == 'a')
                {
                    depth = ParseNumber(value);
                    if (depth < 0 || depth > MaxAgingDepth)
                    {
                        return BadOption(token, "-a takes a depth from 0 to " + MaxAgingDepth.ToString());
                    }
                }
                else if (letter == 'm')
                {
                    if (value == "0")
                    {
                        malloc0Null = true;
                    }
                    else if (value == "1")
                    {
                        malloc0Null = false;
                    }
                    else
                    {
                        return BadOption(token, "-m takes 0 (malloc(0) returns null) or 1 (a 0-byte block)");
                    }
                }
                else if (letter == 'd')
                {
                    atEnd = false;
                    atPoint = false;
                    every = 0;
                    string[] whens = value.Split(',');
                    for (int k = 0; k < whens.Length; k++)
                    {
                        string w = whens[k];
                        if (w == "never" && whens.Length == 1)
                        {
                            continue;
                        }

                        if (w == "end")
                        {
                            atEnd = true;
                        }
                        else if (w == "point")
                        {
                            atPoint = true;
                        }
                        else
                        {
                            int count = ParseNumber(w);
                            if (count < 1)
                            {
                                return BadOption(token, "-d takes never, or end, point and a count of allocations, separated by commas");
                            }

                            every = count;
                        }
                    }
                }
                else
                {
                    return BadOption(token, "unknown option -" + letter.ToString());
                }
            }

            // Commit.
            _disabled = disabled;
            _malloc0Null = malloc0Null;
            _detectAtEnd = atEnd;
            _detectAtPoint = atPoint;
            _detectEvery = every;
            _sinceDetect = 0;
            for (int k = 0; k < MaxSuppressions; k++)
            {
                _supCodes[k] = supCodes[k];
                _supFiles[k] = supFiles[k];
                _supLines[k] = supLines[k];
            }

            _supCount = supCount;
            SetAgingDepth(depth);
            _options = options;
            return true;
        }

        private static bool IsSpace(char c)
        {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }

        /// <summary>A decimal number of up to 9 digits, or -1.</summary>
        private static int ParseNumber(string text)
        {
            if (text.Length == 0 || text.Length > 9)
            {
                return -1;
            }

            int v = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                v = (v * 10) + (c - '0');
            }

            return v;
        }

        /// <summary>"File.cs" (any line: -1) or "File.cs(117)".</summary>
        private static bool ParseSite(string site, out string file, out int line)
        {
            file = site;
            line = -1;
            int open = site.IndexOf('(');
            if (open >= 0)
            {
                if (site[site.Length - 1] != ')')
                {
                    return false;
                }

                line = ParseNumber(site.Substring(open + 1, site.Length - open - 2));
                file = site.Substring(0, open);
                if (line < 0)
                {
                    return false;
                }
            }

            return file.Length > 0 && file.IndexOf('/') < 0 && file.IndexOf('\\') < 0 && file.IndexOf(')') < 0;
        }

        private bool BadOption(string token, string why)
        {
            ReportBadOption(token, why);
            return false;
        }

        /// <summary>Whether an error of <paramref name="code"/> at the given site is not to be reported.</summary>
        private bool IsSuppressed(CheckerError code, string file, int line)
        {
            int c = (int)code;
            if (((CheckerErrors.Unsuppressible >> c) & 1) != 0)
            {
                return false;
            }

            if (((_disabled >> c) & 1) != 0)
            {
                return true;
            }

            for (int i = 0; i < _supCount; i++)
            {
                if (_supCodes[i] == c && (_supLines[i] < 0 || _supLines[i] == line) && FileNameIs(file, _supFiles[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the part of <paramref name="path"/> after its last '/' or '\' is <paramref name="name"/>. Allocates nothing.</summary>
        private static bool FileNameIs(string path, string name)
        {
            if (path == null)
            {
                return false;
            }

            int start = 0;
            for (int i = 0; i < path.Length; i++)
            {
                char c = path[i];
                if (c == '/' || c == '\\')
                {
                    start = i + 1;
                }
            }

            if (path.Length - start != name.Length)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                if (path[start + i] != name[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
