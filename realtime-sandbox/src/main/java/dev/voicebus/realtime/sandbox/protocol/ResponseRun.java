package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.event.ResponseCreateParams;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.SpeechSynth;
import dev.voicebus.realtime.sandbox.scenario.ScenarioCursor.Reply;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One response from {@code response.created} to {@code response.done}, in OpenAI's event order.
 * Spoken replies stream synthesized audio in the session's output format, one delta per chunk,
 * paced on the session's event loop and interleaved with transcript deltas; tool replies stream
 * function call arguments. It can be cancelled at any point and then closes its open item as {@code
 * incomplete} and reports {@code cancelled}. Confined to the session's event loop.
 */
final class ResponseRun {
  private final SessionContext ctx;
  private final Reply reply;
  private final ResponseCreateParams params;
  private final String id = Ids.next(Ids.RESPONSE);
  private final ArrayNode output = Events.JSON.arrayNode();
  private final boolean audio;
  private final AudioFormat format;
  private ScheduledFuture<?> timer;
  private boolean started;
  private boolean finished;
  private Item message;
  private long totalMs;
  private long sentSamples;
  private int sentChars;

  ResponseRun(SessionContext ctx, Reply reply, ResponseCreateParams params) {
    this.ctx = ctx;
    this.reply = reply;
    this.params = params == null ? ResponseCreateParams.empty() : params;
    List<String> modalities = this.params.outputModalities();
    this.audio =
        modalities != null && !modalities.isEmpty()
            ? "audio".equals(modalities.get(0))
            : ctx.settings.audioOutput();
    this.format = ctx.settings.outputFormat();
  }

  String id() {
    return id;
  }

  /** Starts the response, after the fault plan's response delay if any. */
  void start() {
    long delay = ctx.faults.responseDelay().toMillis();
    if (delay > 0) {
      timer = ctx.sink.executor().schedule(this::begin, delay, TimeUnit.MILLISECONDS);
    } else {
      begin();
    }
  }

  private void begin() {
    started = true;
    ctx.emit(responseEvent("response.created", "in_progress"));
    ctx.emit(Events.rateLimits(estimateOutputTokens()));
    if (ctx.faults.nextResponseRateLimited()) {
      ObjectNode done = responseEvent("response.done", "failed");
      ObjectNode details = ((ObjectNode) done.get("response")).putObject("status_details");
      details.put("type", "failed");
      details.putObject("error").put("type", "requests").put("code", "rate_limit_exceeded");
      finish(done);
    } else if (reply.tool() != null) {
      streamFunctionCall();
      finish(responseEvent("response.done", "completed"));
    } else {
      openMessage();
      streamChunk();
    }
  }

  /** Cancels the response ({@code turn_detected} or {@code client_cancelled}). */
  void cancel(String reason) {
    if (finished) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    if (!started) {
      started = true;
      ctx.emit(responseEvent("response.created", "in_progress"));
    }
    if (message != null) {
      closeMessage("incomplete");
    }
    ObjectNode done = responseEvent("response.done", "cancelled");
    ((ObjectNode) done.get("response"))
        .putObject("status_details")
        .put("type", "cancelled")
        .put("reason", reason);
    finish(done);
    if (ctx.sip != null) {
      ctx.sip.clear(ctx);
    }
  }

  private long estimateOutputTokens() {
    return reply.tool() != null ? 30 : SpeechSynth.durationMs(reply.text()) / 50 + 10;
  }

  private void streamFunctionCall() {
    String callId = Ids.next(Ids.CALL);
    String itemId = Ids.next(Ids.ITEM);
    String args = reply.tool().argumentsJson();
    ObjectNode item = Events.functionCallItem(itemId, "in_progress", callId, reply.tool().name());
    addOutputItem(new Item(itemId, Item.Kind.FUNCTION_CALL, item));
    for (int i = 0; i < args.length(); i += 12) {
      ObjectNode d = part("response.function_call_arguments.delta", itemId, false);
      d.put("call_id", callId);
      d.put("delta", args.substring(i, Math.min(args.length(), i + 12)));
      ctx.emit(d);
    }
    ObjectNode done = part("response.function_call_arguments.done", itemId, false);
    done.put("call_id", callId);
    done.put("name", reply.tool().name());
    done.put("arguments", args);
    ctx.emit(done);
    item.put("status", "completed");
    item.put("arguments", args);
    ctx.conversation.countText(args.length());
    closeOutputItem(item);
  }

  private void addOutputItem(Item item) {
    String previous = ctx.conversation.add(item);
    ObjectNode added = Events.event("response.output_item.added");
    added.put("response_id", id);
    added.put("output_index", output.size());
    added.set("item", item.json());
    ctx.emit(added);
    ctx.emit(Events.itemEvent("conversation.item.added", item.json(), previous));
  }

  private void closeOutputItem(ObjectNode item) {
    ObjectNode done = Events.event("response.output_item.done");
    done.put("response_id", id);
    done.put("output_index", output.size());
    done.set("item", item);
    ctx.emit(done);
    ctx.emit(Events.itemEvent("conversation.item.done", item, null));
    output.add(item);
  }

  private void openMessage() {
    String itemId = Ids.next(Ids.ITEM);
    Item.Kind kind = audio ? Item.Kind.ASSISTANT_AUDIO : Item.Kind.ASSISTANT_TEXT;
    message = new Item(itemId, kind, Events.assistantItem(itemId, "in_progress"));
    totalMs = audio ? SpeechSynth.durationMs(reply.text()) : 0;
    message.plannedAudio(totalMs);
    addOutputItem(message);
    ObjectNode added = part("response.content_part.added", itemId, true);
    added.set("part", contentPart(""));
    ctx.emit(added);
    if (audio && ctx.sip != null) {
      ctx.sip.started(ctx, id);
    }
  }

  private ObjectNode contentPart(String text) {
    ObjectNode p = Events.JSON.objectNode();
    if (audio) {
      p.put("type", "audio").put("transcript", text);
    } else {
      p.put("type", "text").put("text", text);
    }
    return p;
  }

  private void streamChunk() {
    if (audio && !ctx.sink.writable() && !ctx.closed) {
      // Backpressure: a slow reader gets audio no faster than it drains, bounding our buffers.
      timer = ctx.sink.executor().schedule(this::streamChunk, 20, TimeUnit.MILLISECONDS);
      return;
    }
    if (!audio) {
      streamText(reply.text().length());
      closeMessage("completed");
      finish(responseEvent("response.done", "completed"));
      return;
    }
    int rate = format.sampleRate();
    long totalSamples = totalMs * rate / 1000;
    int n = (int) Math.min(totalSamples - sentSamples, (long) ctx.pacing.chunkMs() * rate / 1000);
    if (ctx.sip == null) {
      // On a SIP call the audio goes to the phone, never over the socket.
      byte[] pcm = SpeechSynth.speech(format, sentSamples, n);
      ObjectNode delta = part("response.output_audio.delta", message.id(), true);
      delta.put("delta", Base64.getEncoder().encodeToString(pcm));
      ctx.emit(delta);
    }
    sentSamples += n;
    long chunkMs = (long) n * 1000 / rate;
    message.addAudio(chunkMs);
    ctx.conversation.countAssistantAudio(chunkMs);
    streamText(textUpTo(sentSamples, totalSamples));
    if (sentSamples >= totalSamples) {
      closeMessage("completed");
      finish(responseEvent("response.done", "completed"));
    } else if (!ctx.closed) {
      long delay = ctx.pacing.delayMillis();
      timer = ctx.sink.executor().schedule(this::streamChunk, delay, TimeUnit.MILLISECONDS);
    }
  }

  /** Character index of the transcript matching the audio sent so far, at a word boundary. */
  private int textUpTo(long samples, long totalSamples) {
    String text = reply.text();
    if (samples >= totalSamples) {
      return text.length();
    }
    int target = (int) (text.length() * samples / Math.max(1, totalSamples));
    int space = text.indexOf(' ', Math.max(target, sentChars));
    return space < 0 ? text.length() : space + 1;
  }

  private void streamText(int upTo) {
    if (upTo <= sentChars) {
      return;
    }
    String type = audio ? "response.output_audio_transcript.delta" : "response.output_text.delta";
    ObjectNode d = part(type, message.id(), true);
    d.put("delta", reply.text().substring(sentChars, upTo));
    ctx.emit(d);
    sentChars = upTo;
  }

  private void closeMessage(String status) {
    String text = reply.text().substring(0, sentChars);
    String id = message.id();
    if (audio) {
      ctx.emit(part("response.output_audio.done", id, true));
      ctx.emit(part("response.output_audio_transcript.done", id, true).put("transcript", text));
    } else {
      ctx.emit(part("response.output_text.done", id, true).put("text", text));
    }
    ObjectNode partDone = part("response.content_part.done", id, true);
    partDone.set("part", contentPart(text));
    ctx.emit(partDone);
    ObjectNode item = message.json();
    item.put("status", status);
    ObjectNode content = ((ArrayNode) item.get("content")).addObject();
    content.put("type", audio ? "output_audio" : "output_text");
    content.put(audio ? "transcript" : "text", text);
    ctx.conversation.countText(text.length());
    closeOutputItem(item);
    message = null;
  }

  private ObjectNode part(String type, String itemId, boolean content) {
    ObjectNode e = Events.event(type);
    e.put("response_id", id);
    e.put("item_id", itemId);
    e.put("output_index", output.size());
    if (content) {
      e.put("content_index", 0);
    }
    return e;
  }

  private ObjectNode responseEvent(String type, String status) {
    ObjectNode e = Events.event(type);
    ObjectNode r = e.putObject("response");
    r.put("object", "realtime.response");
    r.put("id", id);
    r.put("status", status);
    r.set("output", "response.created".equals(type) ? Events.JSON.arrayNode() : output);
    r.put("conversation_id", ctx.conversation.id());
    r.putArray("output_modalities").add(audio ? "audio" : "text");
    r.put("max_output_tokens", "inf");
    ObjectNode out = r.putObject("audio").putObject("output");
    out.set("format", ctx.settings.json().get("audio").get("output").get("format"));
    out.put("voice", ctx.settings.voice());
    if (params.metadata() == null) {
      r.putNull("metadata");
    } else {
      ObjectNode metadata = r.putObject("metadata");
      params.metadata().forEach(metadata::put);
    }
    return e;
  }

  private void finish(ObjectNode done) {
    finished = true;
    ObjectNode r = (ObjectNode) done.get("response");
    long outChars = 0;
    long outMs = 0;
    for (JsonNode item : output) {
      outChars += item.path("content").path(0).path("transcript").asText("").length();
      outChars += item.path("content").path(0).path("text").asText("").length();
      outChars += item.path("arguments").asText("").length();
    }
    outMs = sentSamples * 1000 / format.sampleRate();
    ctx.previousInputTokens = Usage.write(r, ctx, outChars, outMs, ctx.previousInputTokens);
    if (ctx.activeResponse == this) {
      ctx.activeResponse = null;
    }
    ctx.emit(done);
    if (ctx.sip != null) {
      ctx.sip.finished(ctx, id, outMs);
    }
  }
}
