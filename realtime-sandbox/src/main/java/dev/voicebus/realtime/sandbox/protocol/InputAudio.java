package dev.voicebus.realtime.sandbox.protocol;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebus.realtime.sandbox.audio.AudioFormat;
import dev.voicebus.realtime.sandbox.audio.EnergyVad;
import java.util.Objects;

/**
 * The input audio buffer of one session: byte counters (no audio is kept), the energy VAD when turn
 * detection is on, commits with the user item and scripted transcription, and barge-in (speech
 * during a response cancels it when {@code interrupt_response} is set). Offsets are in ms since the
 * session's first audio, computed from bytes in the input format.
 */
final class InputAudio implements EnergyVad.Listener {
  static final long MIN_COMMIT_MS = 100;

  private final SessionContext ctx;
  private final Runnable responder;
  private AudioFormat format;
  private TurnDetection turnDetection;
  private EnergyVad vad;
  private long vadOriginMs;
  private long msBeforeFormat;
  private long bytesInFormat;
  private long bufferStartMs;
  private String speechItemId;

  /** {@code responder} creates a response after a VAD commit when create_response is set. */
  InputAudio(SessionContext ctx, Runnable responder) {
    this.ctx = ctx;
    this.responder = responder;
    configure();
  }

  /** Applies the session's (possibly updated) input format and turn detection. */
  void configure() {
    AudioFormat f = ctx.settings.inputFormat();
    TurnDetection td = ctx.settings.turnDetection();
    boolean formatChanged = f != format;
    if (formatChanged) {
      msBeforeFormat = positionMs();
      bytesInFormat = 0;
      format = f;
    }
    if (formatChanged || !Objects.equals(td, turnDetection)) {
      turnDetection = td;
      vad =
          td == null
              ? null
              : new EnergyVad(f, td.threshold(), td.prefixPaddingMs(), td.silenceDurationMs());
      vadOriginMs = positionMs();
      speechItemId = null;
    }
  }

  long positionMs() {
    return format == null ? 0 : msBeforeFormat + format.millis(bytesInFormat);
  }

  void append(byte[] audio) {
    bytesInFormat += audio.length;
    if (vad != null) {
      vad.accept(audio, this);
    }
  }

  void commit(String clientEventId) {
    long bufferedMs = positionMs() - bufferStartMs;
    if (bufferedMs < MIN_COMMIT_MS) {
      ctx.error(
          ProtocolError.invalid(
              "input_audio_buffer_commit_empty",
              "Error committing input audio buffer: buffer too small. Expected at least 100ms of"
                  + " audio, but buffer only has "
                  + bufferedMs
                  + ".00ms of audio.",
              null),
          clientEventId);
      return;
    }
    String itemId = speechItemId != null ? speechItemId : Ids.next(Ids.ITEM);
    commitBuffer(itemId);
  }

  void clear() {
    bufferStartMs = positionMs();
    resetVad();
    ctx.emit(Events.event("input_audio_buffer.cleared"));
  }

  @Override
  public void speechStarted(long audioStartMs) {
    speechItemId = Ids.next(Ids.ITEM);
    ObjectNode e = Events.event("input_audio_buffer.speech_started");
    e.put("audio_start_ms", vadOriginMs + audioStartMs);
    e.put("item_id", speechItemId);
    ctx.emit(e);
    if (ctx.activeResponse != null && turnDetection.interruptResponse()) {
      ctx.activeResponse.cancel("turn_detected");
    } else if (ctx.sip != null && turnDetection.interruptResponse()) {
      // The response is done but its audio may still be playing on the call.
      ctx.sip.clear(ctx);
    }
  }

  @Override
  public void speechStopped(long audioEndMs) {
    ObjectNode e = Events.event("input_audio_buffer.speech_stopped");
    e.put("audio_end_ms", vadOriginMs + audioEndMs);
    e.put("item_id", speechItemId);
    ctx.emit(e);
    commitBuffer(speechItemId);
    if (turnDetection.createResponse() && !ctx.responseActive()) {
      responder.run();
    }
  }

  private void commitBuffer(String itemId) {
    long bufferedMs = positionMs() - bufferStartMs;
    bufferStartMs = positionMs();
    resetVad();
    ObjectNode item = Events.userAudioItem(itemId, "completed");
    String previous = ctx.conversation.add(new Item(itemId, Item.Kind.USER_AUDIO, item));
    ctx.conversation.countUserAudio(bufferedMs);
    ObjectNode committed = Events.event("input_audio_buffer.committed");
    committed.put("previous_item_id", previous);
    committed.put("item_id", itemId);
    ctx.emit(committed);
    ctx.emit(Events.itemEvent("conversation.item.added", item, previous));
    ctx.emit(Events.itemEvent("conversation.item.done", item, previous));
    if (ctx.settings.transcription()) {
      transcribe(itemId, item, bufferedMs);
    }
  }

  private void transcribe(String itemId, ObjectNode item, long bufferedMs) {
    String text = ctx.cursor.callerLine();
    for (String word : text.split("(?<= )")) {
      if (!word.isEmpty()) {
        ObjectNode d = Events.event("conversation.item.input_audio_transcription.delta");
        d.put("item_id", itemId).put("content_index", 0).put("delta", word);
        ctx.emit(d);
      }
    }
    ObjectNode done = Events.event("conversation.item.input_audio_transcription.completed");
    done.put("item_id", itemId).put("content_index", 0).put("transcript", text);
    long audioTokens = Math.max(1, bufferedMs / 100);
    long outTokens = (text.length() + 3) / 4;
    ObjectNode usage = done.putObject("usage");
    usage.put("type", "tokens");
    usage.put("input_tokens", audioTokens);
    usage.putObject("input_token_details").put("text_tokens", 0).put("audio_tokens", audioTokens);
    usage.put("output_tokens", outTokens);
    usage.put("total_tokens", audioTokens + outTokens);
    ctx.emit(done);
    ((ObjectNode) ((ArrayNode) item.get("content")).get(0)).put("transcript", text);
    ctx.conversation.countText(text.length());
  }

  private void resetVad() {
    speechItemId = null;
    if (vad != null) {
      vad.reset(positionMs() - vadOriginMs);
    }
  }
}
