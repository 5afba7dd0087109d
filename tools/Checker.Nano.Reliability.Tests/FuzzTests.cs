// Parser fuzzing at its quick size, from fixed seeds (the same inputs on every run; the campaign
// explores from random ones), the corpus as regression tests, and the generated synthetic trace
// against the shared file.
using System.IO;
using System.Text;
using Checker.Nano.Traces;
using Xunit;
using Xunit.Abstractions;

namespace Checker.Nano.Reliability.Tests
{
    public class ParserFuzzTests(ITestOutputHelper output)
    {
        [Fact]
        public void TraceReader_MutatedInputs_AnswerOrRefuse_NeverThrowOtherwise()
        {
            Rows.Clean(output, ParserFuzz.Run(new TraceTarget(), 2000, fixedSeed: 1));
        }

        [Fact]
        public void LogReader_MutatedDumps_AreReadAsFarAsTheyGo_NeverThrow()
        {
            Rows.Clean(output, ParserFuzz.Run(new LogTarget(), 2000, fixedSeed: 2));
        }

        [Fact]
        public void Cli_MutatedLogsAndTraces_ExitWithADocumentedCode()
        {
            Rows.Clean(output, ParserFuzz.Run(new CliLogTarget(), 60, fixedSeed: 3));
            Rows.Clean(output, ParserFuzz.Run(new CliTraceTarget(), 60, fixedSeed: 4));
        }
    }

    public class CorpusTests(ITestOutputHelper output)
    {
        public static TheoryData<string> Files()
        {
            var data = new TheoryData<string>();
            string dir = ParserFuzz.CorpusDirectory();
            foreach ((string file, bool _, string _) in ParserFuzz.Corpus(dir))
            {
                data.Add(Path.GetRelativePath(dir, file).Replace('\\', '/'));
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Files))]
        public void CorpusInput_GivesItsRecordedOutcome_AndCrashesNoReader(string name)
        {
            string dir = ParserFuzz.CorpusDirectory();
            foreach ((string file, bool logs, string signature) in ParserFuzz.Corpus(dir))
            {
                if (Path.GetRelativePath(dir, file).Replace('\\', '/') != name)
                {
                    continue;
                }

                string input = File.ReadAllText(file, Encoding.Latin1);
                output.WriteLine($"{name}: {signature}");
                Assert.Equal(signature, ParserFuzz.SignatureOf(input, logs));
                return;
            }

            Assert.Fail(name + " is not in the corpus index");
        }
    }

    public class SyntheticTraceTests
    {
        [SkippableFact]
        public void Generated_IsTheSharedFile_ByteForByte()
        {
            string path = TraceFiles.Find(TraceFiles.DefaultDirectory(), "synthetic-espidf.txt");
            Skip.If(path == null, "the shared traces (../shared/traces beside the repository) are not here");
            Assert.Equal(File.ReadAllText(path), SyntheticTrace.EspIdfText());
        }

        [Fact]
        public void Generated_Parses_WithTheFiguresItsSourceLineStates()
        {
            Trace t = SyntheticTrace.EspIdf();
            Assert.Equal(8784, t.Events.Length);
            Assert.Equal(74484, t.PeakLiveBytes);
            Assert.Equal(128, t.PeakLiveBlocks);
        }
    }
}
