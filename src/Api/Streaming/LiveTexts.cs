using System.Text;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.LiveText;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The texts being written in one execution as this node knows them, shared by all of the node's connections to it
/// (its <see cref="ExecutionSubscription"/> holds them). Built from the pieces the grain pushes and the whole texts it
/// returns when watched: pieces of one run (<see cref="LiveTextBatch.Epoch"/>) are placed by offset, so a piece that
/// comes twice is not doubled, one that overtook an earlier piece (messages between processes are not ordered) waits
/// for it, and one missing for long is noticed (the node then watches again, which brings every text whole). A later run withdraws what an earlier one wrote and never completed; the durable event that holds a text
/// removes it. Each connection takes only what it has not sent (<see cref="Collect"/>): one delta per text with all it
/// missed, however many pieces came meanwhile, and nothing queued per piece, so texts never overflow a connection.
/// </summary>
public sealed class LiveTexts
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Text> _texts = new(StringComparer.Ordinal);
    private long _epoch;
    private TextCompletion _completed;

    /// <summary>Places the pieces; false when one does not continue its text (a piece was lost): watch again.</summary>
    public bool Apply(LiveTextBatch batch)
    {
        lock (_lock)
        {
            if (batch.Epoch < _epoch || _completed.Ended)
            {
                return true; // a run that is over, or an execution that is
            }

            if (batch.Epoch > _epoch)
            {
                _epoch = batch.Epoch;
                foreach (var text in _texts.Values)
                {
                    text.Withdraw(_epoch); // connections that sent any of it say so; the new run writes its own
                }
            }

            var whole = true;
            foreach (var delta in batch.Deltas)
            {
                if (_completed.Covers(delta.TextId))
                {
                    continue; // its durable event came first
                }

                if (!_texts.TryGetValue(delta.TextId, out var text))
                {
                    _texts[delta.TextId] = text = new Text(_epoch);
                }

                whole &= text.Place(delta);
            }

            return whole;
        }
    }

    /// <summary>A durable event reached this node: the texts it completes are no longer being written.</summary>
    public void Observe(AgentEvent evt)
    {
        lock (_lock)
        {
            _completed.Observe(evt);
            if (_completed.Ended)
            {
                _texts.Clear();
            }
            else if (_texts.Count > 0 && LiveTextIds.CompletedBy(evt) is { } textId) // no text id made for nothing to remove
            {
                _texts.Remove(textId);
            }
        }
    }

    /// <summary>Adds to <paramref name="frames"/> what <paramref name="connection"/> has not sent yet: resets, then deltas.</summary>
    public void Collect(ConnectionTexts connection, List<TextFrame> frames)
    {
        lock (_lock)
        {
            foreach (var (id, text) in _texts)
            {
                if (!connection.Completed.Covers(id))
                {
                    text.Collect(id, connection, frames);
                }
            }
        }
    }

    /// <summary>Pieces that came before an earlier one of their text; past this many, that one is taken as lost.</summary>
    private const int MaxEarlyPieces = 32;

    private sealed class Text(long epoch)
    {
        private readonly StringBuilder _value = new();
        private List<TextDelta>? _early; // pieces past the end, waiting for the ones before them
        private long _epoch = epoch;

        public void Withdraw(long epoch)
        {
            _epoch = epoch;
            _value.Clear();
            _early = null;
        }

        /// <summary>False when too many pieces wait for one that does not come.</summary>
        public bool Place(TextDelta delta)
        {
            if (delta.Offset > _value.Length)
            {
                (_early ??= []).Add(delta);
                if (_early.Count <= MaxEarlyPieces)
                {
                    return true;
                }

                _early = null;
                return false;
            }

            Append(delta);
            while (_early?.FindIndex(d => d.Offset <= _value.Length) is >= 0 and var next)
            {
                Append(_early[next]);
                _early.RemoveAt(next);
            }

            return true;
        }

        private void Append(TextDelta delta)
        {
            var length = _value.Length;
            if (delta.End > length)
            {
                _value.Append(delta.Text, length - delta.Offset, delta.End - length); // what overlaps is already here
            }
        }

        public void Collect(string id, ConnectionTexts connection, List<TextFrame> frames)
        {
            var sent = connection.SentOf(id);
            if (sent.Epoch != _epoch && sent.Length > 0)
            {
                frames.Add(TextFrame.Reset(id));
                sent = default;
            }

            if (_value.Length > sent.Length)
            {
                frames.Add(TextFrame.Delta(new TextDelta(id, sent.Length, _value.ToString(sent.Length, _value.Length - sent.Length))));
            }

            connection.Sent(id, new SentText(_epoch, _value.Length));
        }
    }
}

/// <summary>How much of a text (of which run) a connection has sent.</summary>
public readonly record struct SentText(long Epoch, int Length);

/// <summary>A <c>text:delta</c> or <c>text:reset</c> frame's event name and JSON.</summary>
public readonly record struct TextFrame(string Type, byte[] Json)
{
    public static TextFrame Delta(TextDelta delta) => new(TextDelta.EventType, JsonSerializer.SerializeToUtf8Bytes(delta, AgentJson.Options));

    public static TextFrame Reset(string textId) => new(TextReset.EventType, JsonSerializer.SerializeToUtf8Bytes(new TextReset(textId), AgentJson.Options));
}

/// <summary>
/// One connection's side of the live texts: what it sent of each, and which texts the durable events it delivered
/// completed (those are never sent again, even if this node still has them).
/// </summary>
public sealed class ConnectionTexts
{
    private readonly Dictionary<string, SentText> _sent = new(StringComparer.Ordinal);
    private TextCompletion _completed;

    public TextCompletion Completed => _completed;

    /// <summary>The connection delivered <paramref name="evt"/>: the client replaces the text it completes.</summary>
    public void Delivered(AgentEvent evt)
    {
        _completed.Observe(evt);
        if (_completed.Ended)
        {
            _sent.Clear();
        }
        else if (LiveTextIds.CompletedBy(evt) is { } textId)
        {
            _sent.Remove(textId);
        }
    }

    public SentText SentOf(string textId) => _sent.GetValueOrDefault(textId);

    public void Sent(string textId, SentText sent) => _sent[textId] = sent;
}
