using System.Text.Json.Nodes;
using Course.Jupyter.Messaging;
using static Course.Jupyter.Tests.TestSupport;

namespace Course.Jupyter.Tests;

public class MessagingTests
{
    private const string SampleFile = """
        {
          "shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797, "hb_port": 53798,
          "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84", "transport": "tcp",
          "signature_scheme": "hmac-sha256", "kernel_name": "course-csharp"
        }
        """;

    [Fact]
    public void Connection_file_parses_every_field_and_round_trips()
    {
        var info = ConnectionInfo.Parse(SampleFile);
        Assert.Equal(("127.0.0.1", "tcp", "course-csharp"), (info.Ip, info.Transport, info.KernelName));
        Assert.Equal((53794, 53795, 53796, 53797, 53798), (info.ShellPort, info.IopubPort, info.StdinPort, info.ControlPort, info.HbPort));
        Assert.Equal("a0436f6c-1916-498b-8eb9-e81ab9368e84", info.Key);
        Assert.Equal(info, ConnectionInfo.Parse(info.ToJson()));

        var path = Path.Combine(Path.GetTempPath(), $"jup-conn-{Guid.NewGuid():N}.json");
        try
        {
            info.Save(path);
            Assert.Equal(info, ConnectionInfo.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"iopub_port":1,"stdin_port":1,"control_port":1,"hb_port":1}""", "'shell_port' is missing")]
    [InlineData("""{"shell_port":"x","iopub_port":1,"stdin_port":1,"control_port":1,"hb_port":1}""", "'shell_port' must be a port")]
    [InlineData("""{"shell_port":70000,"iopub_port":1,"stdin_port":1,"control_port":1,"hb_port":1}""", "0-65535")]
    [InlineData("""{"shell_port":1,"iopub_port":1,"stdin_port":1,"control_port":1,"hb_port":1,"transport":"ipc"}""", "transport 'ipc'")]
    [InlineData("""{"shell_port":1,"iopub_port":1,"stdin_port":1,"control_port":1,"hb_port":1,"key":"k","signature_scheme":"hmac-md5"}""", "hmac-md5")]
    [InlineData("""[1,2]""", "expected a JSON object")]
    [InlineData("""{not json""", "not valid JSON")]
    public void Bad_connection_files_name_the_file_and_the_field(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ConnectionInfo.Parse(json, "kernel-1.json"));
        Assert.StartsWith("kernel-1.json:", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_connection_file_names_the_path()
    {
        var e = Assert.Throws<FormatException>(() => ConnectionInfo.Load("/nonexistent/kernel-9.json"));
        Assert.Contains("/nonexistent/kernel-9.json", e.Message);
    }

    [Fact]
    public void Signature_is_HMAC_SHA256_of_the_four_parts_concatenated()
    {
        // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
        var signer = new MessageSigner("key");
        var signature = signer.Sign(Bytes("The quick "), Bytes("brown fox "), Bytes("jumps over "), Bytes("the lazy dog"));
        Assert.Equal("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", signature);
        Assert.True(signer.Verify(Bytes(signature), Bytes("The quick "), Bytes("brown fox "), Bytes("jumps over "), Bytes("the lazy dog")));
        Assert.False(signer.Verify(Bytes(signature), Bytes("The quick "), Bytes("brown fox "), Bytes("jumps over "), Bytes("the lazy cat")));
        Assert.False(signer.Verify(Bytes(signature[..^1]), Bytes("The quick "), Bytes("brown fox "), Bytes("jumps over "), Bytes("the lazy dog")));
    }

    [Fact]
    public void Empty_key_means_no_signing()
    {
        var signer = new MessageSigner("");
        Assert.False(signer.Enabled);
        Assert.Equal("", signer.Sign([], [], [], []));
        Assert.True(signer.Verify(Bytes("whatever"), [], [], [], []));
    }

    [Fact]
    public void Wire_codec_round_trips_a_reply_with_identities_and_buffers()
    {
        var signer = new MessageSigner("secret");
        var request = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1+1" }, "client-session", "student")
            with { Identities = [Bytes("peer-1"), Bytes("peer-2")] };
        var reply = request.CreateReply("execute_reply", new JsonObject { ["status"] = "ok", ["execution_count"] = 1 }, "kernel-session")
            with { Buffers = [new byte[] { 1, 2, 3 }], Metadata = new JsonObject { ["started"] = "now" } };

        var frames = WireCodec.Encode(reply, signer);
        Assert.Equal("peer-1", Text(frames[0]));
        Assert.Equal("<IDS|MSG>", Text(frames[2]));
        Assert.Equal(64, frames[3].Length);

        Assert.True(WireCodec.TryDecode(frames, signer, out var decoded, out var error), error);
        Assert.Equal("execute_reply", decoded!.MsgType);
        Assert.Equal("kernel-session", decoded.Header.Session);
        Assert.Equal("5.3", decoded.Header.Version);
        Assert.Equal(request.Header.MsgId, decoded.ParentHeader!.MsgId);
        Assert.Equal("execute_request", decoded.ParentHeader.MsgType);
        Assert.Equal(["peer-1", "peer-2"], decoded.Identities.Select(Text));
        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(decoded.Buffers));
        Assert.Equal(1, (int)decoded.Content["execution_count"]!);
        Assert.Equal("now", (string)decoded.Metadata["started"]!);
        Assert.Equal(reply.Header.Date.ToUnixTimeMilliseconds(), decoded.Header.Date.ToUnixTimeMilliseconds());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", reply.Header.DateText);
    }

    [Fact]
    public void Broadcast_has_the_parent_but_no_identities_and_top_level_messages_have_empty_parent()
    {
        var request = JupyterMessage.Create("execute_request", new JsonObject(), "c") with { Identities = [Bytes("peer")] };
        var status = request.CreateBroadcast("status", new JsonObject { ["execution_state"] = "busy" }, "k");
        Assert.Empty(status.Identities);
        Assert.Equal(request.Header, status.ParentHeader);

        var frames = WireCodec.Encode(JupyterMessage.Create("status", new JsonObject(), "k"), new MessageSigner(""));
        Assert.Equal("{}", Text(frames[3]));
        Assert.Equal("", Text(frames[1]));
        Assert.True(WireCodec.TryDecode(frames, new MessageSigner(""), out var decoded, out _));
        Assert.Null(decoded!.ParentHeader);
    }

    [Fact]
    public void Decoding_rejects_bad_signatures_and_malformed_messages_with_reasons()
    {
        var signer = new MessageSigner("secret");
        var good = WireCodec.Encode(JupyterMessage.Create("kernel_info_request", new JsonObject(), "c"), signer);

        var forged = good.ToList();
        forged[1] = Bytes(new string('0', 64));
        Assert.False(WireCodec.TryDecode(forged, signer, out var m, out var error));
        Assert.Null(m);
        Assert.Contains("bad signature", error);

        var tampered = good.ToList();
        tampered[5] = Bytes("""{"evil":true}""");
        Assert.False(WireCodec.TryDecode(tampered, signer, out _, out error));
        Assert.Contains("bad signature", error);

        Assert.False(WireCodec.TryDecode(good.Skip(1).Prepend(Bytes("x")).ToList(), signer, out _, out error));
        Assert.Contains("no <IDS|MSG> delimiter", error);
        Assert.False(WireCodec.TryDecode(good.Take(4).ToList(), signer, out _, out error));
        Assert.Contains("too few frames", error);

        var unsigned = new MessageSigner("");
        byte[][] badJson = [WireCodec.Delimiter, [], Bytes("{oops"), Bytes("{}"), Bytes("{}"), Bytes("{}")];
        Assert.False(WireCodec.TryDecode(badJson, unsigned, out _, out error));
        Assert.Contains("header: bad JSON", error);
        byte[][] noType = [WireCodec.Delimiter, [], Bytes("""{"msg_id":"1"}"""), Bytes("{}"), Bytes("{}"), Bytes("{}")];
        Assert.False(WireCodec.TryDecode(noType, unsigned, out _, out error));
        Assert.Contains("'msg_type' is missing", error);
        byte[][] arrayContent = [WireCodec.Delimiter, [], Bytes("""{"msg_id":"1","msg_type":"t"}"""), Bytes("{}"), Bytes("{}"), Bytes("[]")];
        Assert.False(WireCodec.TryDecode(arrayContent, unsigned, out _, out error));
        Assert.Contains("content: expected a JSON object", error);
    }
}
