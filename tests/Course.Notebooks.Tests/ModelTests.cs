using System.Text.Json.Nodes;
using Course.Notebooks.Model;

namespace Course.Notebooks.Tests;

public class ModelTests
{
    // Written the way Jupyter writes: sorted keys, 1-space indent, lines as arrays, trailing newline.
    private const string JupyterNotebook = """
        {
         "cells": [
          {
           "attachments": {
            "dot.png": {
             "image/png": "iVBORw0KGgo="
            }
           },
           "cell_type": "markdown",
           "id": "md-1",
           "metadata": {
            "editable": false
           },
           "source": [
            "# Título\n",
            "![dot](attachment:dot.png) and $x^2$"
           ]
          },
          {
           "cell_type": "code",
           "execution_count": 3,
           "id": "code-1",
           "metadata": {
            "collapsed": false,
            "tags": [
             "parameters"
            ],
            "unknown_tool": {
             "nested": [
              1,
              2.5,
              null,
              3.18129507431636e-08,
              1e+16,
              true
             ]
            }
           },
           "outputs": [
            {
             "name": "stdout",
             "output_type": "stream",
             "text": [
              "line 1\n",
              "line 2\n"
             ]
            },
            {
             "data": {
              "application/vnd.course.metric+json": {
               "name": "nll",
               "unit": "nats",
               "value": 81.25
              },
              "image/png": "iVBORw0KGgo=\n",
              "text/plain": [
               "<Figure>"
              ]
             },
             "metadata": {
              "image/png": {
               "width": 200
              }
             },
             "output_type": "display_data"
            },
            {
             "data": {
              "text/plain": [
               "42"
              ]
             },
             "execution_count": 3,
             "metadata": {},
             "output_type": "execute_result"
            },
            {
             "ename": "DivideByZeroException",
             "evalue": "Attempted to divide by zero.",
             "output_type": "error",
             "traceback": [
              "\u001b[0;31mSystem.DivideByZeroException\u001b[0m: Attempted to divide by zero.",
              "   at top level in cell 2, line 1 \\ tab\there 🙂 </script>"
             ]
            }
           ],
           "source": [
            "var x = 42;\n",
            "x"
           ]
          },
          {
           "cell_type": "raw",
           "id": "raw-1",
           "metadata": {},
           "source": []
          }
         ],
         "metadata": {
          "course": {
           "test_parameters": {
            "epochs": 1
           }
          },
          "kernelspec": {
           "display_name": "C# (Course)",
           "language": "csharp",
           "name": "course-csharp"
          }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """;

    [Fact]
    public void Jupyter_written_notebook_round_trips_byte_for_byte()
    {
        var notebook = NotebookFile.Parse(JupyterNotebook, "sample.ipynb");
        Assert.Equal(JupyterNotebook, NotebookFile.Serialize(notebook));
    }

    [Fact]
    public void Model_exposes_cells_outputs_and_unknown_metadata()
    {
        var notebook = NotebookFile.Parse(JupyterNotebook, "sample.ipynb");
        Assert.Equal([CellType.Markdown, CellType.Code, CellType.Raw], notebook.Cells.Select(c => c.Type));
        var code = notebook.Cells[1];
        Assert.Equal("var x = 42;\nx", code.Source);
        Assert.True(code.HasTag("parameters"));
        Assert.Equal(2.5, code.Metadata["unknown_tool"]!["nested"]![1]!.GetValue<double>());
        Assert.Equal("line 1\nline 2\n", Assert.IsType<StreamOutput>(code.Outputs[0]).Text);
        var display = Assert.IsType<DisplayDataOutput>(code.Outputs[1]);
        Assert.Equal(81.25, JsonNode.Parse(display.Data["application/vnd.course.metric+json"])!["value"]!.GetValue<double>());
        Assert.Equal(3, Assert.IsType<ExecuteResultOutput>(code.Outputs[2]).ExecutionCount);
        Assert.Equal(2, Assert.IsType<ErrorOutput>(code.Outputs[3]).Traceback.Count);
        Assert.Equal(1, notebook.Metadata["course"]!["test_parameters"]!["epochs"]!.GetValue<int>());
        Assert.NotNull(notebook.Cells[0].Attachments);
    }

    [Fact]
    public void New_notebook_is_written_in_jupyter_layout()
    {
        var notebook = Notebook.CreateCSharp(new Cell(CellType.Code, "a\nb\n", "c1"), new Cell(CellType.Markdown, "", "m1"));
        var json = NotebookFile.Serialize(notebook);
        Assert.Contains("\n   \"source\": [\n    \"a\\n\",\n    \"b\\n\"\n   ]", json);
        Assert.Contains("\"execution_count\": null", json);
        Assert.Contains("\"source\": []", json);
        Assert.EndsWith("}\n", json);
        Assert.DoesNotContain("\r", json);
        Assert.True(json.IndexOf("\"cells\"", StringComparison.Ordinal) < json.IndexOf("\"metadata\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_json_names_file_line_and_column()
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse("{\n \"cells\": [\n  }\n", "notebooks/bad.ipynb"));
        Assert.StartsWith("notebooks/bad.ipynb: line 3, col 3: malformed JSON", e.Message);
    }

    [Theory]
    [InlineData("[1, 2]", "at $: expected an object")]
    [InlineData("{\"metadata\": {}, \"cells\": []}", "at $.nbformat: missing")]
    [InlineData("{\"nbformat\": 3, \"cells\": []}", "at $.nbformat: nbformat 3 is not supported")]
    [InlineData("{\"nbformat\": 4, \"metadata\": {}}", "at $.cells: missing or not an array")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"python\", \"source\": \"\"}]}", "at $.cells[0].cell_type: 'python' is not markdown, code or raw")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": [\"a\", 3]}]}", "at $.cells[0].source[1]: not a string")]
    [InlineData("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": \"\", \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\"}]}]}", "at $.cells[0].outputs[0].text: missing")]
    public void Structure_that_is_not_a_notebook_names_file_and_json_path(string json, string expected)
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Parse(json, "x.ipynb"));
        Assert.StartsWith("x.ipynb: " + expected, e.Message);
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        var path = Path.Combine(TestNotebooks.TempDirectory(), "missing.ipynb");
        var e = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read(path));
        Assert.StartsWith(path + ": cannot read the notebook", e.Message);
    }

    [Fact]
    public void Write_replaces_the_file_and_leaves_no_temporary_file()
    {
        var dir = TestNotebooks.TempDirectory();
        var path = Path.Combine(dir, "nested", "n.ipynb");
        NotebookFile.Write(Notebook.CreateCSharp(Cell.Code("1")), path);
        NotebookFile.Write(Notebook.CreateCSharp(Cell.Code("2")), path);
        Assert.Equal("2", NotebookFile.Read(path).Cells[0].Source);
        Assert.Equal(["n.ipynb"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    // One conversion serves the file and the wire: JSON types as JSON, text as lines only in the file, and an
    // invalid JSON payload kept as its text rather than failing the write.
    [Fact]
    public void Mime_bundle_json_is_shared_by_the_file_and_the_wire()
    {
        var bundle = new MimeBundle
        {
            ["text/plain"] = "a\nb",
            ["application/vnd.course.metric+json"] = """{"name":"x","value":1}""",
            ["application/vnd.broken+json"] = "{not json",
            ["image/png"] = "iVBORw0KGgo=",
        };
        var wire = bundle.ToJson(textAsLines: false);
        Assert.Equal("a\nb", wire["text/plain"]!.GetValue<string>());
        Assert.Equal(1, wire["application/vnd.course.metric+json"]!["value"]!.GetValue<int>());
        Assert.Equal("{not json", wire["application/vnd.broken+json"]!.GetValue<string>());
        var file = bundle.ToJson(textAsLines: true);
        Assert.Equal(["a\n", "b"], file["text/plain"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("iVBORw0KGgo=", file["image/png"]!.GetValue<string>());

        var notebook = Notebook.CreateCSharp(Cell.Code("1"));
        notebook.Cells[0].Outputs.Add(new DisplayDataOutput(bundle));
        var path = Path.Combine(TestNotebooks.TempDirectory(), "bundle.ipynb");
        NotebookFile.Write(notebook, path);
        var read = Assert.IsType<DisplayDataOutput>(Assert.Single(NotebookFile.Read(path).Cells[0].Outputs));
        // Jupyter writes keys sorted; the content is what counts.
        Assert.Equal(bundle.OrderBy(e => e.Key, StringComparer.Ordinal), read.Data.OrderBy(e => e.Key, StringComparer.Ordinal));
    }
}
