using System;
using System.IO;
using System.Text.Json;
using AutoGrad.Probes;

namespace AutoGrad.Health;

/// <summary>
/// Writes one JSON object per classified step (JSON Lines; schema in docs/probes.md). Attach it with
/// <see cref="HealthMonitor.JsonLines"/>. The writer, its buffer and every name are created once, so a line costs no
/// allocation beyond what the stream itself does.
/// </summary>
public sealed class HealthJsonLinesWriter : IDisposable
{
    private static readonly JsonEncodedText[] StatusWords = Encode(Enum.GetValues<HealthStatus>(), s => s.ToReportWord());
    private static readonly JsonEncodedText[] RuleNames = Encode(Enum.GetValues<HealthRule>(), r => r.ToString());
    private static readonly JsonEncodedText[] KindNames = Encode(Enum.GetValues<ProbeKind>(), k => k.ToString());
    private static readonly JsonEncodedText[] DepthSources = Encode(Enum.GetValues<DepthProfileSource>(), d => d.ToString());

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly Utf8JsonWriter _json;
    private HealthMonitor? _namesFor;
    private JsonEncodedText _method;
    private JsonEncodedText[] _siteNames = [];
    private JsonEncodedText[] _layerNames = [];
    private JsonEncodedText[] _files = [];

    /// <summary>Writes to <paramref name="stream"/> (UTF-8, one object per line).</summary>
    public HealthJsonLinesWriter(Stream stream, bool leaveOpen = false)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
    }

    /// <summary>Lines written so far.</summary>
    public long LinesWritten { get; private set; }

    /// <summary>Writes the monitor's last classified step as one line.</summary>
    public void Write(HealthMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        EnsureNames(monitor);
        Utf8JsonWriter j = _json;
        j.WriteStartObject();
        j.WriteNumber(Names.Step, monitor.Step);
        j.WriteString(Names.Method, _method);
        Number(Names.Loss, monitor.Loss);
        Number(Names.LearningRate, monitor.LearningRate);
        // With a NaN or ∞ among the gradients there is no norm to speak of (the monitor's excludes them, for clipping).
        Number(Names.GlobalNorm, monitor.ClassifiedGlobalNorm);
        Number(Names.ClipScale, monitor.ClipScale);
        j.WriteBoolean(Names.Skipped, monitor.ShouldSkipUpdate);
        j.WriteBoolean(Names.Stop, monitor.ShouldStop);
        j.WriteString(Names.Status, StatusWords[(int)monitor.Status]);
        j.WriteBoolean(Names.LossSpike, monitor.IsLossSpiking);
        DepthProfile depth = monitor.DepthProfile;
        Number(Names.DepthFactor, depth.FactorPerLayer);
        j.WriteString(Names.DepthSource, DepthSources[(int)depth.Source]);
        WriteNonFinite(monitor);
        WriteLayers(monitor);
        WriteSites(monitor);
        j.WriteEndObject();
        j.Flush();
        _stream.WriteByte((byte)'\n');
        j.Reset();
        LinesWritten++;
    }

    /// <summary>Flushes and, unless asked to leave it open, closes the stream.</summary>
    public void Dispose()
    {
        _json.Dispose();
        _stream.Flush();
        if (!_leaveOpen) _stream.Dispose();
    }

    private void WriteNonFinite(HealthMonitor monitor)
    {
        int site = monitor.NonFiniteSite;
        if (site < 0)
        {
            _json.WriteNull(Names.NonFinite);
            return;
        }
        _json.WriteStartObject(Names.NonFinite);
        _json.WriteString(Names.Site, _siteNames[site]);
        _json.WriteString(Names.File, _files[site]);
        _json.WriteNumber(Names.Line, monitor.Layout.Sites[site].Line);
        _json.WriteBoolean(Names.ReportedByOp, monitor.NonFiniteReportedByOp);
        _json.WriteBoolean(Names.Culprit, monitor.NonFiniteReportedByOp && monitor.NonFiniteInputsFinite);
        _json.WriteEndObject();
    }

    private void WriteLayers(HealthMonitor monitor)
    {
        LayerInfo[] layers = monitor.LayerInfos;
        ReadOnlySpan<SiteReading> readings = monitor.Readings;
        _json.WriteStartArray(Names.Layers);
        for (int l = 0; l < layers.Length; l++)
        {
            int signal = layers[l].SignalSite;
            _json.WriteStartObject();
            _json.WriteNumber(Names.Depth, layers[l].Depth);
            _json.WriteString(Names.Name, _layerNames[l]);
            _json.WriteString(Names.Status, StatusWords[(int)monitor.LayerStatuses[l]]);
            _json.WriteString(Names.Rule, RuleNames[(int)monitor.LayerRules[l]]);
            // null, as the format says of a missing or non-finite number, for a layer with non-finite values or a zero
            // norm (log10 0 is −∞); both read −45, the charts' floor, before. Not the classifier's log10, which stops
            // at that floor (a double method's 3e-100 read -45).
            SiteReading r = signal >= 0 ? readings[signal] : default;
            Number(Names.Log10Norm, r.Count > 0 && r.NonFinite == 0 && r.L2 > 0 ? Math.Log10(r.L2) : double.NaN);
            Number(Names.RatioToLast, monitor.LayerRatios[l]);
            Number(Names.UpdateRatio, monitor.LayerUpdateRatios[l]);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    private void WriteSites(HealthMonitor monitor)
    {
        ReadOnlySpan<SiteReading> readings = monitor.Readings;
        _json.WriteStartArray(Names.Sites);
        for (int i = 0; i < readings.Length; i++)
        {
            SiteReading r = readings[i];
            ProbeKind kind = monitor.Layout.Sites[i].Kind;
            // Each kind reads only some of these; the others were never taken, which is null, not 0.
            bool gradient = kind is ProbeKind.Parameter or ProbeKind.LayerOutput && r.Count > 0;
            // Norms over the finite values of a gradient that holds NaN or ±∞ would read as real numbers (0 for one
            // that is NaN throughout): such a site has none, and non_finite_count says why.
            bool norms = gradient && r.NonFinite == 0;
            bool activation = kind == ProbeKind.Activation && r.Count > 0;
            _json.WriteStartObject();
            _json.WriteString(Names.Name, _siteNames[i]);
            _json.WriteString(Names.Kind, KindNames[(int)kind]);
            Number(Names.L2, norms ? r.L2 : double.NaN);
            Number(Names.Rms, norms ? r.Rms : double.NaN);
            Number(Names.MaxAbs, norms ? r.MaxAbs : double.NaN);
            _json.WriteNumber(Names.NonFiniteCount, r.NonFinite);
            Number(Names.Flagged, activation ? r.Flagged : double.NaN);
            Number(Names.Zeros, gradient ? r.Zeros : double.NaN);
            if (r.TimeSteps >= 2)
            {
                _json.WriteNumber(Names.TimeSteps, r.TimeSteps);
                Number(Names.Earliest, r.Earliest);
                Number(Names.Latest, r.Latest);
            }
            _json.WriteString(Names.Status, StatusWords[(int)monitor.SiteStatuses[i]]);
            _json.WriteEndObject();
        }
        _json.WriteEndArray();
    }

    /// <summary>JSON has no NaN or infinity; "no reading" is null.</summary>
    private void Number(JsonEncodedText name, double value)
    {
        if (double.IsFinite(value)) _json.WriteNumber(name, value);
        else _json.WriteNull(name);
    }

    private void EnsureNames(HealthMonitor monitor)
    {
        if (ReferenceEquals(monitor, _namesFor)) return;
        _namesFor = monitor;
        _method = JsonEncodedText.Encode(monitor.Layout.Method ?? "");
        _siteNames = new JsonEncodedText[monitor.Layout.Count];
        _files = new JsonEncodedText[monitor.Layout.Count];
        for (int i = 0; i < _siteNames.Length; i++)
        {
            _siteNames[i] = JsonEncodedText.Encode(monitor.Layout.Sites[i].Name);
            _files[i] = JsonEncodedText.Encode(monitor.Layout.Sites[i].File ?? "");
        }
        _layerNames = new JsonEncodedText[monitor.LayerInfos.Length];
        for (int l = 0; l < _layerNames.Length; l++) _layerNames[l] = JsonEncodedText.Encode(monitor.LayerInfos[l].Name);
    }

    private static JsonEncodedText[] Encode<T>(T[] values, Func<T, string> text)
        where T : struct, Enum
    {
        var result = new JsonEncodedText[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = JsonEncodedText.Encode(text(values[i]));
        return result;
    }

    /// <summary>The property names of the schema in docs/probes.md, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Step = JsonEncodedText.Encode("step");
        public static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
        public static readonly JsonEncodedText Loss = JsonEncodedText.Encode("loss");
        public static readonly JsonEncodedText LearningRate = JsonEncodedText.Encode("lr");
        public static readonly JsonEncodedText GlobalNorm = JsonEncodedText.Encode("global_norm");
        public static readonly JsonEncodedText ClipScale = JsonEncodedText.Encode("clip_scale");
        public static readonly JsonEncodedText Skipped = JsonEncodedText.Encode("update_skipped");
        public static readonly JsonEncodedText Stop = JsonEncodedText.Encode("stop");
        public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
        public static readonly JsonEncodedText LossSpike = JsonEncodedText.Encode("loss_spike");
        public static readonly JsonEncodedText DepthFactor = JsonEncodedText.Encode("depth_factor");
        public static readonly JsonEncodedText DepthSource = JsonEncodedText.Encode("depth_source");
        public static readonly JsonEncodedText NonFinite = JsonEncodedText.Encode("non_finite");
        public static readonly JsonEncodedText Site = JsonEncodedText.Encode("site");
        public static readonly JsonEncodedText File = JsonEncodedText.Encode("file");
        public static readonly JsonEncodedText Line = JsonEncodedText.Encode("line");
        public static readonly JsonEncodedText ReportedByOp = JsonEncodedText.Encode("reported_by_op");
        public static readonly JsonEncodedText Culprit = JsonEncodedText.Encode("culprit");
        public static readonly JsonEncodedText Layers = JsonEncodedText.Encode("layers");
        public static readonly JsonEncodedText Depth = JsonEncodedText.Encode("depth");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Rule = JsonEncodedText.Encode("rule");
        public static readonly JsonEncodedText Log10Norm = JsonEncodedText.Encode("log10_norm");
        public static readonly JsonEncodedText RatioToLast = JsonEncodedText.Encode("ratio_to_last");
        public static readonly JsonEncodedText UpdateRatio = JsonEncodedText.Encode("update_ratio");
        public static readonly JsonEncodedText Sites = JsonEncodedText.Encode("sites");
        public static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
        public static readonly JsonEncodedText L2 = JsonEncodedText.Encode("l2");
        public static readonly JsonEncodedText Rms = JsonEncodedText.Encode("rms");
        public static readonly JsonEncodedText MaxAbs = JsonEncodedText.Encode("max_abs");
        public static readonly JsonEncodedText NonFiniteCount = JsonEncodedText.Encode("non_finite_count");
        public static readonly JsonEncodedText Flagged = JsonEncodedText.Encode("flagged");
        public static readonly JsonEncodedText Zeros = JsonEncodedText.Encode("zeros");
        public static readonly JsonEncodedText TimeSteps = JsonEncodedText.Encode("time_steps");
        public static readonly JsonEncodedText Earliest = JsonEncodedText.Encode("l2_first_time_step");
        public static readonly JsonEncodedText Latest = JsonEncodedText.Encode("l2_last_time_step");
    }
}
