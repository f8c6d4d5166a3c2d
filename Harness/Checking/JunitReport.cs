using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Harness.Cli.Checking;

/// <summary>
/// A finished check as JUnit XML, the report CI systems read: one suite, one test case per
/// property; a counterexample is a failure, a harness fault an error, each with its full report.
/// </summary>
public static class JunitReport
{
    public static byte[] Of(CheckRun check)
    {
        string seconds = check.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
        var cases = check.Tallies.Select(tally => new XElement(
            "testcase",
            new XAttribute("classname", "harness.check"),
            new XAttribute("name", tally.Property.Name),
            new XAttribute("time", seconds),
            tally.Failure is { } failure ? new XElement("failure", new XAttribute("message", failure.What), failure.Report()) : null,
            tally.Fault is { } fault ? new XElement("error", new XAttribute("message", fault.Message), fault.Report()) : null,
            new XElement("system-out", $"{tally.Runs} cases, {tally.Operations} operations" + (check.Coverage ? $"; {StructuralCoverage.Of(tally.Events, tally.Property.Reaches).Describe()}" : ""))));
        var counts = new object[]
        {
            new XAttribute("tests", check.Tallies.Count),
            new XAttribute("failures", check.Tallies.Count(t => t.Failure is not null)),
            new XAttribute("errors", check.Tallies.Count(t => t.Fault is not null)),
            new XAttribute("time", seconds),
        };
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", "harness check"),
            counts,
            new XElement(
                "properties",
                new XElement("property", new XAttribute("name", "seed"), new XAttribute("value", check.Start.ToString())),
                new XElement("property", new XAttribute("name", "interrupted"), new XAttribute("value", check.Interrupted ? "true" : "false"))),
            cases);
        var document = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", new XAttribute("name", "harness check"), counts, suite));
        using var text = new MemoryStream();
        using (var writer = new StreamWriter(text, new UTF8Encoding(false)))
            document.Save(writer);
        return text.ToArray();
    }
}
